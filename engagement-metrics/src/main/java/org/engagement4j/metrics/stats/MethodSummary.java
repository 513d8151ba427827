package org.engagement4j.metrics.stats;

import java.util.Locale;
import java.util.Objects;

/**
 * One method's line of a Table-4-style ranking: its place, and the mean and standard deviation of
 * its per-sample scores.
 *
 * @param rank place in the ranking, 1 = best
 * @param name method name
 * @param samples number of per-sample scores
 * @param mean mean score
 * @param sd standard deviation of the scores with the ranking's delta degrees of freedom
 *     ({@code sqrt(sum (s - mean)^2 / (n - ddof))}; sample standard deviation by default)
 * @since 0.1.0
 */
public record MethodSummary(int rank, String name, int samples, double mean, double sd) {

    /**
     * Validates the components.
     *
     * @param rank place in the ranking, 1 = best
     * @param name method name
     * @param samples number of per-sample scores
     * @param mean mean score
     * @param sd standard deviation of the scores with the ranking's delta degrees of freedom
     *     ({@code sqrt(sum (s - mean)^2 / (n - ddof))}; sample standard deviation by default)
     * @throws IllegalArgumentException if {@code rank} or {@code samples} is below 1, or a value is
     *     not finite or {@code sd} negative
     * @throws NullPointerException if {@code name} is null
     */
    public MethodSummary {
        Objects.requireNonNull(name, "name");
        if (rank < 1 || samples < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rank = %d, samples = %d: both must be at least 1", rank, samples));
        }
        if (!Double.isFinite(mean) || !(sd >= 0) || Double.isInfinite(sd)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "mean = %s, sd = %s: must be finite, sd non-negative", mean, sd));
        }
    }
}
