package org.engagement4j.core.graph.quant;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * How far a quantised model's outputs are from the float32 model's on the same inputs.
 *
 * <p>For every input row r (a batch of N rows counts N times), with logits {@code a_r} (float32) and
 * {@code b_r} (quantised) and probabilities {@code p = softmax(a_r)}, {@code q = softmax(b_r)}:
 * {@code sameArgmax} counts rows where {@code argmax a_r == argmax b_r};
 * {@code maxProbabilityDifference = max_r max_k |p_k - q_k|};
 * {@code meanProbabilityDifference = mean_r max_k |p_k - q_k|} (for two classes the one
 * difference of the row);
 * {@code maxLogitDifference = max_r max_k |a_rk - b_rk|}.
 *
 * <p>The two times are wall-clock seconds per row of each model's ONNX Runtime runs over the same
 * inputs in the same process, the calls interleaved (float, quantised, float, ...) after one
 * untimed warm-up call each; they are informative only (another process on the machine changes
 * them) and 0 in a report built without timing.
 *
 * @param rows rows compared, at least 1
 * @param sameArgmax rows whose predicted class agrees
 * @param maxProbabilityDifference largest absolute softmax probability difference
 * @param meanProbabilityDifference mean over rows of the row's largest absolute probability
 *     difference, at most {@code maxProbabilityDifference}
 * @param maxLogitDifference largest absolute logit difference
 * @param fp32SecondsPerRow wall time of the float model per row, at least 0
 * @param quantisedSecondsPerRow wall time of the quantised model per row, at least 0
 * @since 0.1.0
 */
public record QuantizationReport(int rows, int sameArgmax, double maxProbabilityDifference,
        double meanProbabilityDifference, double maxLogitDifference, double fp32SecondsPerRow,
        double quantisedSecondsPerRow) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code rows < 1}, {@code sameArgmax} is outside [0, rows],
     *     a difference or a time is negative or NaN, or the mean difference exceeds the largest
     */
    public QuantizationReport {
        if (rows < 1 || sameArgmax < 0 || sameArgmax > rows) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need rows >= 1 and 0 <= sameArgmax <= rows, got %d and %d", rows, sameArgmax));
        }
        if (!(maxProbabilityDifference >= 0) || !(maxLogitDifference >= 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "differences must be >= 0, got %s and %s", maxProbabilityDifference, maxLogitDifference));
        }
        if (!(meanProbabilityDifference >= 0) || meanProbabilityDifference > maxProbabilityDifference) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "mean probability difference must be in [0, max = %s], got %s", maxProbabilityDifference,
                    meanProbabilityDifference));
        }
        if (!(fp32SecondsPerRow >= 0) || !(quantisedSecondsPerRow >= 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "times per row must be >= 0, got %s and %s", fp32SecondsPerRow, quantisedSecondsPerRow));
        }
    }

    /**
     * @return {@code sameArgmax / rows}
     */
    public double argmaxAgreement() {
        return (double) sameArgmax / rows;
    }

    /**
     * Runs both models on ONNX Runtime (CPU) over the held-out inputs and compares their first
     * graph output (the logits, {@code [N, K]}); also times both (see the class description). The
     * inputs are read once, in order, so a list that makes each element when asked for it keeps
     * only one input in memory at a time.
     *
     * @param fp32 the float model
     * @param quantised the quantised model (same input and output names)
     * @param heldOut inputs not used for calibration; at least one
     * @param threads ONNX Runtime intra-op threads, at least 1
     * @return the report
     * @throws IllegalArgumentException if there is no input, the models' outputs differ in size, or
     *     ONNX Runtime rejects a model or an input
     */
    public static QuantizationReport measure(ModelProto fp32, ModelProto quantised, List<FloatTensor> heldOut,
            int threads) {
        Objects.requireNonNull(fp32, "fp32");
        Objects.requireNonNull(quantised, "quantised");
        Objects.requireNonNull(heldOut, "heldOut");
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out inputs given to compare the float and quantised models");
        }
        if (threads < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "threads must be >= 1, got %d", threads));
        }
        String input = inputName(fp32);
        String output = fp32.getGraph().getOutput(0).getName();
        Differences d = new Differences();
        long nanosA = 0;
        long nanosB = 0;
        try (OrtForward a = new OrtForward(fp32, input, threads);
                OrtForward b = new OrtForward(quantised, input, threads)) {
            boolean warm = false;
            for (FloatTensor x : heldOut) {
                if (!warm) {
                    // The first call of a session allocates its buffers and picks kernels.
                    a.run(x);
                    b.run(x);
                    warm = true;
                }
                long t0 = System.nanoTime();
                float[] la = a.run(x).get(output);
                long t1 = System.nanoTime();
                Map<String, float[]> ob = b.run(x);
                nanosB += System.nanoTime() - t1;
                nanosA += t1 - t0;
                float[] lb = ob.get(output);
                if (la == null || lb == null || la.length != lb.length || x.rank() < 1 || la.length % x.dim(0) != 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "output '%s' missing or of different sizes in the float and quantised models", output));
                }
                d.add(la, lb, (int) x.dim(0));
            }
        }
        return new QuantizationReport(d.rows, d.same, d.maxP, Math.min(d.maxP, d.sumP / d.rows), d.maxL,
                nanosA / 1e9 / d.rows, nanosB / 1e9 / d.rows);
    }

    /** Running row-wise comparison of two models' logits {@code [n, K]}. */
    static final class Differences {
        int rows;
        int same;
        double maxP;
        double sumP;
        double maxL;
        double sumL;
        long values;

        void add(float[] la, float[] lb, int n) {
            int k = la.length / n;
            for (int r = 0; r < n; r++) {
                double[] pa = softmax(la, r * k, k);
                double[] pb = softmax(lb, r * k, k);
                if (argmax(la, r * k, k) == argmax(lb, r * k, k)) {
                    same++;
                }
                double rowP = 0;
                for (int j = 0; j < k; j++) {
                    double dl = Math.abs(la[r * k + j] - lb[r * k + j]);
                    rowP = Math.max(rowP, Math.abs(pa[j] - pb[j]));
                    maxL = Math.max(maxL, dl);
                    sumL += dl;
                    values++;
                }
                maxP = Math.max(maxP, rowP);
                sumP += rowP;
                rows++;
            }
        }
    }

    private static String inputName(ModelProto m) {
        java.util.Set<String> inits = new java.util.HashSet<>();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            inits.add(t.getName());
        }
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            if (!inits.contains(v.getName())) {
                return v.getName();
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "model '%s' has no graph input", m.getGraph().getName()));
    }

    private static int argmax(float[] v, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }

    private static double[] softmax(float[] v, int off, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            m = Math.max(m, v[off + j]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) {
            p[j] = Math.exp(v[off + j] - m);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
        return p;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "QuantizationReport[rows=%d, same argmax %d (%.1f %%), max |dp| %.4f, "
                + "mean |dp| %.4f, max |dlogit| %.4f, %.2f ms/row fp32, %.2f ms/row quantised]", rows, sameArgmax,
                100 * argmaxAgreement(), maxProbabilityDifference, meanProbabilityDifference, maxLogitDifference,
                1e3 * fp32SecondsPerRow, 1e3 * quantisedSecondsPerRow);
    }
}
