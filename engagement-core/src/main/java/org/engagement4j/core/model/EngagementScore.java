package org.engagement4j.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The classifier's verdict on one snippet: the raw logits, their softmax probabilities, the
 * predicted class and the probability of the target ("engaged") class. Made by
 * {@link ScoreDecoder}.
 *
 * <p>The predicted class is the argmax of the logits (the first one on a tie), i.e. the class of
 * highest probability. The reference instead labelled a snippet engaged when
 * {@code score > 0} on the two-logit output, which compares a single logit with 0 and ignores the
 * other class (REFERENCE.md, defects); this library does not copy that. For a two-class model
 * with target class 1, {@link #engaged()} means that logit 1 is larger than logit 0, i.e.
 * {@code probability() > 0.5} (up to double rounding: logits closer than about {@code 1e-16}
 * give a probability that rounds to exactly 0.5).
 *
 * @param logits the model's raw output for this snippet, one value per class (a copy is kept and
 *     returned)
 * @param probabilities {@code softmax(logits)}, computed in double precision (a copy is kept and
 *     returned)
 * @param predictedClass the argmax of the logits
 * @param targetClass the class whose probability {@link #probability()} reports: 1 ("engaged")
 *     for the paper's models
 * @param provenance the model and software that produced the logits
 * @since 0.1.0
 */
public record EngagementScore(float[] logits, double[] probabilities, int predictedClass,
        int targetClass, Provenance provenance) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there are fewer than 2 classes, the two arrays differ
     *     in length, a value is not finite, or a class index is out of range
     */
    public EngagementScore {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(provenance, "provenance");
        logits = logits.clone();
        probabilities = probabilities.clone();
        if (logits.length < 2 || probabilities.length != logits.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d logits and %d probabilities; expected the same number, at least 2",
                    logits.length, probabilities.length));
        }
        for (int k = 0; k < logits.length; k++) {
            if (!Float.isFinite(logits[k]) || !Double.isFinite(probabilities[k])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "class %d: logit %s, probability %s; both must be finite", k, logits[k],
                        probabilities[k]));
            }
        }
        Objects.checkIndex(predictedClass, logits.length);
        Objects.checkIndex(targetClass, logits.length);
    }

    /** @return a copy of the logits */
    @Override
    public float[] logits() {
        return logits.clone();
    }

    /** @return a copy of the probabilities */
    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    /** @return the number of classes */
    public int classes() {
        return logits.length;
    }

    /** @return the probability of the target class, in [0, 1] */
    public double probability() {
        return probabilities[targetClass];
    }

    /** @return whether the predicted class is the target class */
    public boolean engaged() {
        return predictedClass == targetClass;
    }

    /**
     * @param o another object
     * @return whether {@code o} is a score with bit-identical arrays and equal other components
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EngagementScore)) {
            return false;
        }
        EngagementScore s = (EngagementScore) o;
        return Arrays.equals(logits, s.logits) && Arrays.equals(probabilities, s.probabilities)
                && predictedClass == s.predictedClass && targetClass == s.targetClass
                && provenance.equals(s.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(logits), predictedClass, targetClass, provenance);
    }

    /** @return e.g. {@code EngagementScore[class 1 of 2, p(target 1)=0.8123]} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EngagementScore[class %d of %d, p(target %d)=%.4f]",
                predictedClass, logits.length, targetClass, probability());
    }
}
