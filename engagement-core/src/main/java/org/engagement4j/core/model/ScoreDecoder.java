package org.engagement4j.core.model;

import java.util.Locale;
import java.util.Objects;

/**
 * Logits to {@link EngagementScore}: the last step of classification, separate from running the
 * model so it can be tested and reused without ONNX Runtime (DESIGN.md, "separate encoding,
 * running and decoding").
 *
 * <p>Probabilities are the softmax {@code p_k = exp(z_k - m) / sum_j exp(z_j - m)} with
 * {@code m = max_j z_j}, in double precision (subtracting the maximum keeps every exponent
 * {@code <= 0}, so nothing overflows). The predicted class is the first index of the largest
 * logit, like {@code torch.argmax}. Non-finite logits are refused rather than turned into NaN
 * probabilities.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ScoreDecoder {

    /** The class index of "engaged" in the paper's two-class models (label 1 = engaged). */
    public static final int ENGAGED_CLASS = 1;

    private static final ScoreDecoder DEFAULT = new ScoreDecoder(ENGAGED_CLASS);

    private final int targetClass;

    private ScoreDecoder(int targetClass) {
        this.targetClass = targetClass;
    }

    /** @return a decoder whose target class is {@link #ENGAGED_CLASS} */
    public static ScoreDecoder of() {
        return DEFAULT;
    }

    /**
     * @param targetClass the class whose probability {@link EngagementScore#probability()}
     *     reports, at least 0
     * @return a decoder with that target class
     * @throws IllegalArgumentException if {@code targetClass} is negative
     */
    public ScoreDecoder withTargetClass(int targetClass) {
        if (targetClass < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "targetClass: %d, must be at least 0", targetClass));
        }
        return new ScoreDecoder(targetClass);
    }

    /** @return the target class */
    public int targetClass() {
        return targetClass;
    }

    /**
     * Decodes one row of logits.
     *
     * @param logits one value per class, at least 2, each finite
     * @param provenance the model and software that produced the logits
     * @return the score
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if there are fewer than 2 logits, one is NaN or infinite,
     *     or the target class is not below the number of classes
     */
    public EngagementScore decode(float[] logits, Provenance provenance) {
        Objects.requireNonNull(provenance, "provenance");
        double[] p = softmax(logits);
        if (targetClass >= logits.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target class %d is not one of the model's %d classes [0, %d)", targetClass,
                    logits.length, logits.length));
        }
        return new EngagementScore(logits, p, argmax(logits), targetClass, provenance);
    }

    /**
     * The softmax of a row of logits, in double precision.
     *
     * @param logits at least 2 values, each finite
     * @return the probabilities, each in [0, 1], summing to 1 up to rounding
     * @throws NullPointerException if {@code logits} is null
     * @throws IllegalArgumentException if there are fewer than 2 values or one is not finite
     */
    public static double[] softmax(float[] logits) {
        Objects.requireNonNull(logits, "logits");
        if (logits.length < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "logits: %d values, a classifier has at least 2 classes", logits.length));
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            if (!Float.isFinite(logits[k])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "logits: value %s of class %d is not finite", logits[k], k));
            }
            max = Math.max(max, logits[k]);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < logits.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /**
     * @param logits at least one value
     * @return the index of the first largest value
     */
    static int argmax(float[] logits) {
        int best = 0;
        for (int k = 1; k < logits.length; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "ScoreDecoder[target class " + targetClass + "]";
    }
}
