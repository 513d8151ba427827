package org.engagement4j.core.graph.quant;

import java.util.Locale;
import java.util.Objects;

/**
 * How much quantising one {@code Conv} alone (every other Conv left float32) moves a model's logits
 * on a set of check inputs: one row of {@link Int8Quantizer#sensitivity}'s ranking.
 *
 * @param conv the Conv node's name
 * @param meanLogitDifference mean over rows and classes of {@code |logit_int8 - logit_fp32|}, the
 *     ranking key
 * @param maxLogitDifference largest {@code |logit_int8 - logit_fp32|}, at least the mean
 * @param maxProbabilityDifference largest absolute softmax probability difference, in [0, 1]
 * @param argmaxAgreement share of rows whose predicted class agrees, in [0, 1]
 * @since 0.1.0
 */
public record ConvSensitivity(String conv, double meanLogitDifference, double maxLogitDifference,
        double maxProbabilityDifference, double argmaxAgreement) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException if {@code conv} is null
     * @throws IllegalArgumentException if {@code conv} is empty, a difference is negative or NaN,
     *     the mean exceeds the largest, or a share or probability is outside [0, 1]
     */
    public ConvSensitivity {
        Objects.requireNonNull(conv, "conv");
        if (conv.isEmpty()) {
            throw new IllegalArgumentException("Conv sensitivity: the node name is empty");
        }
        if (!(meanLogitDifference >= 0) || !(maxLogitDifference >= meanLogitDifference)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Conv '%s': need 0 <= mean <= max logit difference, got %s and %s", conv,
                    meanLogitDifference, maxLogitDifference));
        }
        if (!(maxProbabilityDifference >= 0 && maxProbabilityDifference <= 1)
                || !(argmaxAgreement >= 0 && argmaxAgreement <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Conv '%s': probability difference %s and argmax agreement %s must be in [0, 1]", conv,
                    maxProbabilityDifference, argmaxAgreement));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: mean |dlogit| %.5f, max |dlogit| %.5f, max |dp| %.4f, same argmax %.1f %%",
                conv, meanLogitDifference, maxLogitDifference, maxProbabilityDifference, 100 * argmaxAgreement);
    }
}
