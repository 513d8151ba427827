package org.engagement4j.core.transform;

/**
 * The two source indices and weights of each output position of a 1-D linear resize, as
 * PyTorch 1.13's CPU {@code upsample_bilinear2d(align_corners=False)} computes them: scale
 * {@code in / out} rounded to float32, source position {@code scale (o + 0.5) - 0.5} in double
 * precision and clamped at 0, {@code i0 = floor}, {@code i1 = min(i0 + 1, in - 1)}, weight
 * {@code l1 = (float) (position - i0)} and {@code l0 = 1 - l1} in float32. These are bit for bit
 * the weights PyTorch uses (found by resizing unit impulses); computing them in exact arithmetic
 * instead moves values by up to {@code 5e-5} on noisy data.
 */
final class LinearAxis {

    final int[] i0;
    final int[] i1;
    final float[] l0;
    final float[] l1;

    LinearAxis(int in, int out) {
        i0 = new int[out];
        i1 = new int[out];
        l0 = new float[out];
        l1 = new float[out];
        float scale = (float) in / (float) out;
        for (int o = 0; o < out; o++) {
            double src = scale * (o + 0.5) - 0.5;
            if (src < 0) {
                src = 0;
            }
            int a = (int) src;
            i0[o] = a;
            i1[o] = a < in - 1 ? a + 1 : a;
            float lambda = (float) Math.min(Math.max(src - a, 0.0), 1.0);
            l1[o] = lambda;
            l0[o] = 1f - lambda;
        }
    }
}
