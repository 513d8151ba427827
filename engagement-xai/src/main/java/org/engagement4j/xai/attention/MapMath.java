package org.engagement4j.xai.attention;

/**
 * The reductions that turn gradients and activations into raw maps, in double precision over the
 * float32 tensors ONNX Runtime returns.
 */
final class MapMath {

    private MapMath() {
    }

    /**
     * {@code max_c |g[c, i]|} over {@code channels} planes of {@code plane} values starting at
     * {@code offset}: the saliency step of the gradient methods.
     */
    static double[] maxAbsOverChannels(float[] g, int offset, int channels, int plane) {
        double[] out = new double[plane];
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                double v = Math.abs(g[base + i]);
                if (v > out[i]) {
                    out[i] = v;
                }
            }
        }
        return out;
    }

    /**
     * Grad-CAM of one seed row: activations {@code a [C, T, h, w]} at {@code aOffset}, gradients
     * {@code g [C, T, h, w]} at {@code gOffset}; {@code relu(sum_c mean_hw(g[c, t]) a[c, t])}.
     */
    static double[] gradCam(float[] a, int aOffset, float[] g, int gOffset, int channels,
            int frames, int height, int width) {
        int plane = height * width;
        double[] out = new double[frames * plane];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < frames; t++) {
                int base = (c * frames + t) * plane;
                double sum = 0;
                for (int i = 0; i < plane; i++) {
                    sum += g[gOffset + base + i];
                }
                double w = sum / plane;
                int o = t * plane;
                for (int i = 0; i < plane; i++) {
                    out[o + i] += w * a[aOffset + base + i];
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (!(out[i] > 0)) {
                out[i] = 0;
            }
        }
        return out;
    }

    /** Element-wise product of two arrays of equal length, into a new array. */
    static double[] times(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }
}
