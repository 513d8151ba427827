package org.engagement4j.core.stats;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Count, mean and standard deviation of a group of durations: one "Individual Durations" cell of
 * the paper's Table 1 (Fraile et al., ICMI 2022, §3.2).
 *
 * <p>{@code mean = sum / n}; {@code sd = sqrt(sum (d - mean)^2 / (n - 1))}, the sample standard
 * deviation (Bessel-corrected, as pandas computes it). The mean is empty when {@code n = 0}; the
 * standard deviation is empty when {@code n < 2}, where it is undefined, rather than 0 or NaN.
 *
 * @param count number of durations
 * @param meanMs mean duration in milliseconds, empty when {@code count = 0}
 * @param sdMs sample standard deviation in milliseconds, empty when {@code count < 2}
 * @param totalMs sum of the durations in milliseconds
 * @since 0.1.0
 */
public record DurationSummary(int count, OptionalDouble meanMs, OptionalDouble sdMs,
        long totalMs) {

    /**
     * Validates and copies the components.
     *
     * @param count number of durations
     * @param meanMs mean duration in milliseconds, empty when {@code count = 0}
     * @param sdMs sample standard deviation in milliseconds, empty when {@code count < 2}
     * @param totalMs sum of the durations in milliseconds
     * @throws IllegalArgumentException if {@code count} or {@code totalMs} is negative, or the
     *     presence of the mean or the standard deviation does not match {@code count}
     */
    public DurationSummary {
        Objects.requireNonNull(meanMs, "meanMs");
        Objects.requireNonNull(sdMs, "sdMs");
        if (count < 0 || totalMs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "count = %d, totalMs = %d: must be non-negative", count, totalMs));
        }
        if (meanMs.isPresent() != (count > 0) || sdMs.isPresent() != (count > 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "count = %d: a mean exists exactly when count > 0, a standard deviation"
                            + " exactly when count > 1", count));
        }
    }

    /**
     * @param durationsMs durations in milliseconds, each non-negative (may be empty)
     * @return their summary
     * @throws IllegalArgumentException if a duration is negative
     */
    public static DurationSummary of(long... durationsMs) {
        Objects.requireNonNull(durationsMs, "durationsMs");
        long total = 0;
        for (int i = 0; i < durationsMs.length; i++) {
            if (durationsMs[i] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "durationsMs[%d] = %d: durations must be non-negative", i,
                        durationsMs[i]));
            }
            total = Math.addExact(total, durationsMs[i]);
        }
        int n = durationsMs.length;
        if (n == 0) {
            return new DurationSummary(0, OptionalDouble.empty(), OptionalDouble.empty(), 0);
        }
        double mean = (double) total / n;
        if (n == 1) {
            return new DurationSummary(1, OptionalDouble.of(mean), OptionalDouble.empty(), total);
        }
        // Two passes: the squared deviations are summed around the exact-ish mean, which avoids
        // the cancellation of the one-pass sum-of-squares formula on long recordings.
        double ss = 0;
        for (long d : durationsMs) {
            double dev = d - mean;
            ss += dev * dev;
        }
        return new DurationSummary(n, OptionalDouble.of(mean),
                OptionalDouble.of(Math.sqrt(ss / (n - 1))), total);
    }
}
