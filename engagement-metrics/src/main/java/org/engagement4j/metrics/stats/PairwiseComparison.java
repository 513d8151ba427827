package org.engagement4j.metrics.stats;

import java.util.Objects;
import java.util.Optional;

/**
 * Paired comparison of two ranked methods, the better-ranked one first.
 *
 * @param first name of the better-ranked method ({@code x} of the test)
 * @param second name of the worse-ranked method ({@code y})
 * @param meanDifference mean of {@code first[i] - second[i]}
 * @param wilcoxon the signed-rank test of {@code first} against {@code second}; empty when every
 *     paired difference is zero (the test is then undefined)
 * @param bootstrap the bootstrap interval of the mean difference, present when the ranking was
 *     configured with a {@link PairedBootstrap}
 * @since 0.1.0
 */
public record PairwiseComparison(String first, String second, double meanDifference,
        Optional<WilcoxonResult> wilcoxon, Optional<BootstrapInterval> bootstrap) {

    /**
     * Validates the components.
     *
     * @param first name of the better-ranked method ({@code x} of the test)
     * @param second name of the worse-ranked method ({@code y})
     * @param meanDifference mean of {@code first[i] - second[i]}
     * @param wilcoxon the signed-rank test of {@code first} against {@code second}; empty when
     *     every paired difference is zero (the test is then undefined)
     * @param bootstrap the bootstrap interval of the mean difference, present when the ranking was
     *     configured with a {@link PairedBootstrap}
     * @throws IllegalArgumentException if {@code meanDifference} is not finite
     * @throws NullPointerException if a component is null
     */
    public PairwiseComparison {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(wilcoxon, "wilcoxon");
        Objects.requireNonNull(bootstrap, "bootstrap");
        if (!Double.isFinite(meanDifference)) {
            throw new IllegalArgumentException("meanDifference = " + meanDifference
                    + ": must be finite");
        }
    }

    /**
     * @param alpha significance level in (0, 1)
     * @return whether the Wilcoxon test rejects equality at {@code alpha}; false when it is
     *     undefined
     * @throws IllegalArgumentException if {@code alpha} is not in (0, 1)
     */
    public boolean isSignificant(double alpha) {
        return wilcoxon.isPresent() && wilcoxon.get().isSignificant(alpha);
    }
}
