package org.engagement4j.core.training;

import java.util.stream.IntStream;

/**
 * The arithmetic of head training, in double precision: logits, the (class-weighted)
 * cross-entropy and its gradient over a full batch.
 *
 * <p>Rows are processed in fixed blocks of {@link #BLOCK} whose partial sums are added in block
 * order, so the result is the same bit for bit whether the blocks run on one thread or many.
 */
final class HeadMath {

    /** Rows per block: large enough to amortise a task, small enough to spread over cores. */
    static final int BLOCK = 512;

    private HeadMath() {
    }

    static void logits(double[] w, double[] b, int k, int d, float[] x, int offset,
            double[] out) {
        for (int c = 0; c < k; c++) {
            double s = 0;
            int base = c * d;
            for (int j = 0; j < d; j++) {
                s += w[base + j] * x[offset + j];
            }
            out[c] = s + b[c];
        }
    }

    static int argmax(double[] z) {
        int best = 0;
        for (int c = 1; c < z.length; c++) {
            if (z[c] > z[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The outcome of one pass over a set. */
    static final class Pass {
        /** Sum over rows of {@code weight(y) * nll}. */
        double weightedNll;
        /** Sum over rows of {@code weight(y)}. */
        double weightSum;
        long tp;
        long fp;
        long fn;
        long tn;
        /** Sum over rows of {@code weight(y) * dL/dz (unnormalised)} times x; null without gradient. */
        double[] gradW;
        double[] gradB;

        double loss() {
            return weightedNll / weightSum;
        }
    }

    /**
     * One pass: the mean weighted negative log-likelihood
     * {@code sum_i w[y_i] (logsumexp(z_i) - z_i[y_i]) / sum_i w[y_i]} (torch's
     * {@code CrossEntropyLoss(weight=w)}, reduction mean), the confusion counts of the argmax
     * predictions, and, when asked, the gradient of that loss with respect to the parameters.
     */
    static Pass pass(double[] w, double[] b, int k, int d, float[] x, boolean[] y,
            double[] classWeight, boolean gradient) {
        int n = y.length;
        int blocks = (n + BLOCK - 1) / BLOCK;
        Pass[] parts = new Pass[blocks];
        IntStream stream = IntStream.range(0, blocks);
        if ((long) n * d * k > 1_000_000) {
            stream = stream.parallel();
        }
        stream.forEach(blk -> parts[blk] = block(w, b, k, d, x, y, classWeight, gradient,
                blk * BLOCK, Math.min(n, (blk + 1) * BLOCK)));
        Pass total = parts[0];
        for (int i = 1; i < blocks; i++) {
            Pass p = parts[i];
            total.weightedNll += p.weightedNll;
            total.weightSum += p.weightSum;
            total.tp += p.tp;
            total.fp += p.fp;
            total.fn += p.fn;
            total.tn += p.tn;
            if (gradient) {
                for (int j = 0; j < total.gradW.length; j++) {
                    total.gradW[j] += p.gradW[j];
                }
                for (int c = 0; c < k; c++) {
                    total.gradB[c] += p.gradB[c];
                }
            }
        }
        if (gradient) {
            double inv = 1 / total.weightSum;
            for (int j = 0; j < total.gradW.length; j++) {
                total.gradW[j] *= inv;
            }
            for (int c = 0; c < k; c++) {
                total.gradB[c] *= inv;
            }
        }
        return total;
    }

    private static Pass block(double[] w, double[] b, int k, int d, float[] x, boolean[] y,
            double[] classWeight, boolean gradient, int from, int to) {
        Pass p = new Pass();
        if (gradient) {
            p.gradW = new double[k * d];
            p.gradB = new double[k];
        }
        double[] z = new double[k];
        for (int i = from; i < to; i++) {
            int off = i * d;
            logits(w, b, k, d, x, off, z);
            int label = y[i] ? 1 : 0;
            int pred = argmax(z);
            if (label == 1) {
                if (pred == 1) {
                    p.tp++;
                } else {
                    p.fn++;
                }
            } else if (pred == 1) {
                p.fp++;
            } else {
                p.tn++;
            }
            double m = z[0];
            for (int c = 1; c < k; c++) {
                m = Math.max(m, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - m);
            }
            double lse = m + Math.log(sum);
            double cw = classWeight[label];
            p.weightedNll += cw * (lse - z[label]);
            p.weightSum += cw;
            if (gradient) {
                for (int c = 0; c < k; c++) {
                    double g = cw * (Math.exp(z[c] - lse) - (c == label ? 1 : 0));
                    p.gradB[c] += g;
                    int base = c * d;
                    for (int j = 0; j < d; j++) {
                        p.gradW[base + j] += g * x[off + j];
                    }
                }
            }
        }
        return p;
    }
}
