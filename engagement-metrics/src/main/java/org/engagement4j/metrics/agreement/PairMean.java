package org.engagement4j.metrics.agreement;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Unweighted mean of a score over a group of rater pairs, such as the paper's Table 3 "Human"
 * (human-human pairs) and "Machine" (human-machine pairs) columns. Pairs whose score is undefined
 * are counted, not averaged.
 *
 * @param mean mean over the pairs with a defined score, empty when there is none
 * @param definedPairs number of pairs averaged
 * @param undefinedPairs number of selected pairs left out because their score is undefined
 * @since 0.1.0
 */
public record PairMean(OptionalDouble mean, int definedPairs, int undefinedPairs) {

    /**
     * Validates the components.
     *
     * @param mean mean over the pairs with a defined score, empty when there is none
     * @param definedPairs number of pairs averaged
     * @param undefinedPairs number of selected pairs left out because their score is undefined
     * @throws IllegalArgumentException if a count is negative, or the mean's presence does not
     *     match {@code definedPairs > 0}
     */
    public PairMean {
        Objects.requireNonNull(mean, "mean");
        if (definedPairs < 0 || undefinedPairs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "definedPairs = %d, undefinedPairs = %d: counts must be non-negative",
                    definedPairs, undefinedPairs));
        }
        if (mean.isPresent() != (definedPairs > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "mean present = %b with definedPairs = %d: a mean exists exactly when a pair is"
                            + " defined", mean.isPresent(), definedPairs));
        }
    }

    /** @return all selected pairs, defined or not */
    public int pairs() {
        return definedPairs + undefinedPairs;
    }
}
