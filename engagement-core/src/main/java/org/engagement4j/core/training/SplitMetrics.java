package org.engagement4j.core.training;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.agreement.ConfusionMatrix;

/**
 * The loss and confusion matrix of a head on one set (training, validation or test) at one epoch,
 * as the reference's training loop records them (REFERENCE.md §6, §10).
 *
 * @param loss the mean (class-weighted, when class weights are on) cross-entropy
 * @param confusion the argmax predictions against the labels
 * @since 0.1.0
 */
public record SplitMetrics(double loss, ConfusionMatrix confusion) {

    /**
     * @throws NullPointerException if {@code confusion} is null
     */
    public SplitMetrics {
        Objects.requireNonNull(confusion, "confusion");
    }

    /** @return the accuracy {@code (tp + tn) / n} */
    public double accuracy() {
        return confusion.accuracy();
    }

    /**
     * @return F1 {@code tp / (tp + (fp + fn) / 2)}, or 0 when it is undefined (no positive label
     *     and no positive prediction), which is what the reference's F1 with a {@code 1e-6} in the
     *     denominator gives there
     */
    public double f1() {
        return confusion.f1().orElse(0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss %.6f, accuracy %.4f, F1 %.4f", loss, accuracy(),
                f1());
    }
}
