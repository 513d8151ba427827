package org.engagement4j.metrics.agreement;

import java.util.Locale;
import java.util.Objects;

/**
 * The best scores a random classifier can reach on binary labels with positive rate {@code p}, the
 * baselines of the paper's Table 2 (Fraile et al., ICMI 2022, §4.1,
 * doi:10.1145/3536221.3556629):
 * <ul>
 *   <li>accuracy {@code max(p, 1 - p)}, reached by always predicting the more frequent class;</li>
 *   <li>F1 {@code 2p / (1 + p)}, reached by always predicting the positive class.</li>
 * </ul>
 * A score is <em>above baseline</em> when it exceeds the baseline by more than
 * {@value #TOLERANCE}, the rule of the paper's bold entries; the margin keeps a classifier that
 * scores exactly the baseline (for example one that always predicts positive) from passing through
 * rounding alone.
 *
 * <p>The paper takes {@code p} from the whole data set, not from the test split; pass whichever
 * rate the comparison calls for.
 *
 * @param positiveRate fraction of positive labels, in [0, 1]
 * @since 0.1.0
 */
public record RandomBaseline(double positiveRate) {

    /** Margin a score must exceed the baseline by to count as above it. */
    public static final double TOLERANCE = 1e-12;

    /**
     * Validates the rate.
     *
     * @param positiveRate fraction of positive labels, in [0, 1]
     * @throws IllegalArgumentException if {@code positiveRate} is not in [0, 1] (NaN included)
     */
    public RandomBaseline {
        if (!(positiveRate >= 0 && positiveRate <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "positiveRate = %s: must lie in [0, 1]", positiveRate));
        }
    }

    /**
     * @param positiveRate fraction of positive labels, in [0, 1]
     * @return the baseline
     * @throws IllegalArgumentException if {@code positiveRate} is not in [0, 1]
     */
    public static RandomBaseline of(double positiveRate) {
        return new RandomBaseline(positiveRate);
    }

    /**
     * @param labels labels, {@code true} = positive
     * @return the baseline for the labels' positive rate
     * @throws IllegalArgumentException if {@code labels} is empty
     */
    public static RandomBaseline ofLabels(boolean[] labels) {
        Objects.requireNonNull(labels, "labels");
        Labels.requireNonEmpty("labels", labels.length);
        int positives = 0;
        for (boolean b : labels) {
            if (b) {
                positives++;
            }
        }
        return new RandomBaseline((double) positives / labels.length);
    }

    /**
     * @param matrix a confusion matrix
     * @return the baseline for the matrix's label positive rate {@code (tp + fn) / n}
     */
    public static RandomBaseline of(ConfusionMatrix matrix) {
        return new RandomBaseline(Objects.requireNonNull(matrix, "matrix").positiveRate());
    }

    /** @return {@code max(p, 1 - p)}, in [0.5, 1] */
    public double accuracy() {
        return Math.max(positiveRate, 1 - positiveRate);
    }

    /** @return {@code 2p / (1 + p)}, in [0, 1] */
    public double f1() {
        return 2 * positiveRate / (1 + positiveRate);
    }

    /**
     * @param accuracy an observed accuracy
     * @return whether {@code accuracy > accuracy() + TOLERANCE}
     * @throws IllegalArgumentException if {@code accuracy} is not in [0, 1]
     */
    public boolean isAboveAccuracy(double accuracy) {
        return requireScore("accuracy", accuracy) > accuracy() + TOLERANCE;
    }

    /**
     * @param f1 an observed F1
     * @return whether {@code f1 > f1() + TOLERANCE}
     * @throws IllegalArgumentException if {@code f1} is not in [0, 1]
     */
    public boolean isAboveF1(double f1) {
        return requireScore("f1", f1) > f1() + TOLERANCE;
    }

    /**
     * @param matrix observed outcomes
     * @return whether the matrix's accuracy is above {@link #accuracy()}
     */
    public boolean isAboveAccuracy(ConfusionMatrix matrix) {
        return isAboveAccuracy(Objects.requireNonNull(matrix, "matrix").accuracy());
    }

    /**
     * @param matrix observed outcomes
     * @return whether the matrix's F1 is above {@link #f1()}; false when the matrix's F1 is
     *     undefined (no positive at all)
     */
    public boolean isAboveF1(ConfusionMatrix matrix) {
        Objects.requireNonNull(matrix, "matrix");
        return matrix.f1().isPresent() && isAboveF1(matrix.f1().getAsDouble());
    }

    private static double requireScore(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s = %s: must lie in [0, 1]", name, value));
        }
        return value;
    }
}
