package org.engagement4j.core.graph;

/**
 * Folds an eval-mode BatchNorm into the convolution before it, as torch.onnx.export's constant
 * folding does: with s = gamma / sqrt(running_var + eps) per output channel,
 * w' = w * s and b' = beta - running_mean * s (the convolutions of mc3_18 have no bias of their own).
 * Computed in double, rounded once to float.
 */
final class BatchNormFolding {

    /** torch.nn.BatchNorm3d's default epsilon. */
    static final double EPS = 1e-5;

    /** A folded convolution: weight of the convolution's shape, one bias per output channel. */
    record Folded(float[] weight, float[] bias) {
    }

    private BatchNormFolding() {
    }

    static Folded fold(float[] weight, int outChannels, float[] gamma, float[] beta, float[] mean, float[] var,
            double eps) {
        int per = weight.length / outChannels;
        float[] w = new float[weight.length];
        float[] b = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            double s = gamma[o] / Math.sqrt((double) var[o] + eps);
            for (int i = o * per, end = i + per; i < end; i++) {
                w[i] = (float) (weight[i] * s);
            }
            b[o] = (float) (beta[o] - mean[o] * s);
        }
        return new Folded(w, b);
    }
}
