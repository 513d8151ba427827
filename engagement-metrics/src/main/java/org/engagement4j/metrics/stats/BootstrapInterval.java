package org.engagement4j.metrics.stats;

import java.util.Locale;

/**
 * Percentile bootstrap confidence interval of the mean paired difference {@code mean(x - y)},
 * computed by {@link PairedBootstrap}.
 *
 * @param meanDifference the observed mean of {@code x[i] - y[i]}
 * @param lower lower limit, the {@code (1 - confidence) / 2} quantile of the resampled means
 * @param upper upper limit, the {@code (1 + confidence) / 2} quantile of the resampled means
 * @param confidence confidence level in (0, 1)
 * @param resamples number of bootstrap resamples
 * @param seed seed of the generator that drew the resamples
 * @since 0.1.0
 */
public record BootstrapInterval(double meanDifference, double lower, double upper, double confidence,
        int resamples, long seed) {

    /**
     * Validates the components.
     *
     * @param meanDifference the observed mean of {@code x[i] - y[i]}
     * @param lower lower limit, the {@code (1 - confidence) / 2} quantile of the resampled means
     * @param upper upper limit, the {@code (1 + confidence) / 2} quantile of the resampled means
     * @param confidence confidence level in (0, 1)
     * @param resamples number of bootstrap resamples
     * @param seed seed of the generator that drew the resamples
     * @throws IllegalArgumentException if a value is not finite, {@code lower > upper},
     *     {@code confidence} is not in (0, 1), or {@code resamples < 1}
     */
    public BootstrapInterval {
        if (!Double.isFinite(meanDifference) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "meanDifference = %s, lower = %s, upper = %s: must be finite", meanDifference,
                    lower, upper));
        }
        if (lower > upper) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "lower = %s > upper = %s: the interval is reversed", lower, upper));
        }
        PairedBootstrap.requireConfidence(confidence);
        PairedBootstrap.requireResamples(resamples);
    }

    /**
     * @param value a value
     * @return whether {@code lower <= value <= upper}
     */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    /** @return whether 0 lies outside the interval: the mean difference is significant */
    public boolean excludesZero() {
        return !contains(0);
    }
}
