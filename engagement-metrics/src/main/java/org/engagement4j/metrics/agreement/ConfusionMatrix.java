package org.engagement4j.metrics.agreement;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Binary confusion matrix of true labels against predictions, and the scores of the paper's
 * Table 2 (accuracy, F1) plus precision, recall, specificity and balanced accuracy.
 *
 * <p>As a table it is indexed {@code [label][prediction]} (rows are the true label, 0 = negative,
 * 1 = positive): {@code [[tn, fp], [fn, tp]]}, see {@link #toArray()}.
 *
 * <p>Scores whose denominator can be zero are {@link OptionalDouble}s, empty when undefined rather
 * than NaN:
 * <ul>
 *   <li>precision {@code tp / (tp + fp)}: empty when nothing was predicted positive;</li>
 *   <li>recall {@code tp / (tp + fn)} and specificity {@code tn / (tn + fp)}: empty when no label
 *       is positive (respectively negative);</li>
 *   <li>F1 {@code tp / (tp + (fp + fn) / 2)}: empty when there is no positive at all, neither in
 *       the labels nor in the predictions ({@code tp + fp + fn = 0}); it is 0 when positives exist
 *       but none is a true positive;</li>
 *   <li>balanced accuracy {@code (recall + specificity) / 2}: empty unless both classes occur in
 *       the labels.</li>
 * </ul>
 * Accuracy is always defined, since a matrix holds at least one sample.
 *
 * <p>Matrices can be {@linkplain #plus(ConfusionMatrix) pooled}, for example over test sessions.
 * See Fraile et al., ICMI 2022, §4.1 (doi:10.1145/3536221.3556629).
 *
 * @param truePositives label 1, prediction 1
 * @param falsePositives label 0, prediction 1
 * @param falseNegatives label 1, prediction 0
 * @param trueNegatives label 0, prediction 0
 * @since 0.1.0
 */
public record ConfusionMatrix(long truePositives, long falsePositives, long falseNegatives,
        long trueNegatives) {

    /**
     * Validates the counts.
     *
     * @param truePositives label 1, prediction 1
     * @param falsePositives label 0, prediction 1
     * @param falseNegatives label 1, prediction 0
     * @param trueNegatives label 0, prediction 0
     * @throws IllegalArgumentException if a count is negative, all counts are zero, or the total
     *     overflows a {@code long}
     */
    public ConfusionMatrix {
        requireCount("truePositives", truePositives);
        requireCount("falsePositives", falsePositives);
        requireCount("falseNegatives", falseNegatives);
        requireCount("trueNegatives", trueNegatives);
        long total;
        try {
            total = Math.addExact(Math.addExact(truePositives, falsePositives),
                    Math.addExact(falseNegatives, trueNegatives));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("counts: the total overflows a long", e);
        }
        if (total == 0) {
            throw new IllegalArgumentException(
                    "counts: all four counts are zero; a confusion matrix needs at least one sample");
        }
    }

    /**
     * Counts the four outcomes.
     *
     * @param labels true labels, {@code true} = positive
     * @param predictions predictions aligned with {@code labels}
     * @return the matrix
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     * @throws NullPointerException if an array is null
     */
    public static ConfusionMatrix of(boolean[] labels, boolean[] predictions) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(predictions, "predictions");
        Labels.requireSameLength("labels", labels.length, "predictions", predictions.length);
        Labels.requireNonEmpty("labels", labels.length);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i]) {
                if (predictions[i]) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predictions[i]) {
                fp++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, fn, tn);
    }

    /**
     * Counts the four outcomes from 0/1 labels.
     *
     * @param labels true labels, each 0 (negative) or 1 (positive)
     * @param predictions predictions aligned with {@code labels}, each 0 or 1
     * @return the matrix
     * @throws IllegalArgumentException if the arrays are empty or differ in length, or a value is
     *     neither 0 nor 1 (the message names the array, the index and the value)
     * @throws NullPointerException if an array is null
     */
    public static ConfusionMatrix of(int[] labels, int[] predictions) {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(predictions, "predictions");
        Labels.requireSameLength("labels", labels.length, "predictions", predictions.length);
        Labels.requireNonEmpty("labels", labels.length);
        Labels.requireCategories("labels", labels, 2, false);
        Labels.requireCategories("predictions", predictions, 2, false);
        boolean[] l = new boolean[labels.length];
        boolean[] p = new boolean[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i] == 1;
            p[i] = predictions[i] == 1;
        }
        return of(l, p);
    }

    /**
     * Same as the canonical constructor, in the factory style of the library.
     *
     * @param truePositives label 1, prediction 1
     * @param falsePositives label 0, prediction 1
     * @param falseNegatives label 1, prediction 0
     * @param trueNegatives label 0, prediction 0
     * @return the matrix
     * @throws IllegalArgumentException see {@link #ConfusionMatrix(long, long, long, long)}
     */
    public static ConfusionMatrix ofCounts(long truePositives, long falsePositives,
            long falseNegatives, long trueNegatives) {
        return new ConfusionMatrix(truePositives, falsePositives, falseNegatives, trueNegatives);
    }

    /**
     * @param other another matrix
     * @return the element-wise sum (pooled counts)
     * @throws IllegalArgumentException if a count overflows
     */
    public ConfusionMatrix plus(ConfusionMatrix other) {
        Objects.requireNonNull(other, "other");
        try {
            return new ConfusionMatrix(Math.addExact(truePositives, other.truePositives),
                    Math.addExact(falsePositives, other.falsePositives),
                    Math.addExact(falseNegatives, other.falseNegatives),
                    Math.addExact(trueNegatives, other.trueNegatives));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("other: a pooled count overflows a long", e);
        }
    }

    /** @return the number of samples, at least 1 */
    public long total() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    /**
     * @return a new {@code [label][prediction]} table {@code [[tn, fp], [fn, tp]]}, the layout
     *     {@link CohensKappa#ofTable(long[][])} takes with the label as the first rater
     */
    public long[][] toArray() {
        return new long[][] {{trueNegatives, falsePositives}, {falseNegatives, truePositives}};
    }

    /** @return the fraction of positive labels {@code (tp + fn) / n}, the {@code q} of Table 2 */
    public double positiveRate() {
        return (double) (truePositives + falseNegatives) / total();
    }

    /** @return {@code (tp + tn) / n}, in [0, 1] */
    public double accuracy() {
        return (double) (truePositives + trueNegatives) / total();
    }

    /** @return {@code tp / (tp + fp)}, or empty when nothing was predicted positive */
    public OptionalDouble precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** @return {@code tp / (tp + fn)} (sensitivity), or empty when no label is positive */
    public OptionalDouble recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** @return {@code tn / (tn + fp)}, or empty when no label is negative */
    public OptionalDouble specificity() {
        return ratio(trueNegatives, trueNegatives + falsePositives);
    }

    /**
     * F1 as the reference defines it, {@code tp / (tp + (fp + fn) / 2)}, equal to the harmonic mean
     * of precision and recall wherever both are defined.
     *
     * @return F1 in [0, 1], or empty when {@code tp + fp + fn = 0} (no positive label and no
     *     positive prediction)
     */
    public OptionalDouble f1() {
        if (truePositives + falsePositives + falseNegatives == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(truePositives / (truePositives + (falsePositives + falseNegatives) / 2.0));
    }

    /**
     * @return {@code (recall + specificity) / 2}, or empty unless the labels contain both classes
     */
    public OptionalDouble balancedAccuracy() {
        OptionalDouble r = recall();
        OptionalDouble s = specificity();
        if (r.isEmpty() || s.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((r.getAsDouble() + s.getAsDouble()) / 2);
    }

    private static OptionalDouble ratio(long numerator, long denominator) {
        return denominator == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) numerator / denominator);
    }

    private static void requireCount(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s = %d: counts must be non-negative", name, value));
        }
    }
}
