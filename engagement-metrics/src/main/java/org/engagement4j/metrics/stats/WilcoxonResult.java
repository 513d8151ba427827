package org.engagement4j.metrics.stats;

import java.util.Locale;
import java.util.Objects;

/**
 * Outcome of a {@link WilcoxonTest} on paired samples {@code x, y} (differences {@code x - y}).
 *
 * @param statistic the statistic scipy reports: {@code min(wPlus, wMinus)} for a two-sided test,
 *     {@code wPlus} for a one-sided one
 * @param wPlus sum of the ranks of the positive differences
 * @param wMinus sum of the ranks of the negative differences
 * @param pValue p-value in [0, 1]
 * @param pairs number of pairs given, zero differences included
 * @param zeros number of zero differences
 * @param ties whether some non-zero absolute differences are tied (the normal approximation then
 *     uses the tie-corrected variance)
 * @param method how the p-value was computed: {@link WilcoxonTest.Method#EXACT} or
 *     {@link WilcoxonTest.Method#ASYMPTOTIC}, never {@code AUTO}
 * @param alternative the alternative hypothesis tested
 * @since 0.1.0
 */
public record WilcoxonResult(double statistic, double wPlus, double wMinus, double pValue, int pairs,
        int zeros, boolean ties, WilcoxonTest.Method method, WilcoxonTest.Alternative alternative) {

    /**
     * Validates the components.
     *
     * @param statistic the statistic scipy reports: {@code min(wPlus, wMinus)} for a two-sided
     *     test, {@code wPlus} for a one-sided one
     * @param wPlus sum of the ranks of the positive differences
     * @param wMinus sum of the ranks of the negative differences
     * @param pValue p-value in [0, 1]
     * @param pairs number of pairs given, zero differences included
     * @param zeros number of zero differences
     * @param ties whether some non-zero absolute differences are tied (the normal approximation
     *     then uses the tie-corrected variance)
     * @param method how the p-value was computed: {@link WilcoxonTest.Method#EXACT} or {@link
     *     WilcoxonTest.Method#ASYMPTOTIC}, never {@code AUTO}
     * @param alternative the alternative hypothesis tested
     * @throws IllegalArgumentException if {@code pValue} is not in [0, 1], a rank sum is negative
     *     or not finite, the counts are inconsistent, or {@code method} is {@code AUTO}
     * @throws NullPointerException if {@code method} or {@code alternative} is null
     */
    public WilcoxonResult {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(alternative, "alternative");
        if (method == WilcoxonTest.Method.AUTO) {
            throw new IllegalArgumentException("method = AUTO: a result records the method used");
        }
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pValue = %s: must lie in [0, 1]", pValue));
        }
        if (!(wPlus >= 0 && wMinus >= 0 && statistic >= 0) || !Double.isFinite(wPlus + wMinus)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "statistic = %s, wPlus = %s, wMinus = %s: rank sums must be finite and"
                            + " non-negative", statistic, wPlus, wMinus));
        }
        if (pairs < 1 || zeros < 0 || zeros >= pairs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pairs = %d, zeros = %d: need 0 <= zeros < pairs", pairs, zeros));
        }
    }

    /** @return the number of non-zero differences */
    public int nonZeroPairs() {
        return pairs - zeros;
    }

    /**
     * @param alpha significance level in (0, 1)
     * @return whether {@code pValue < alpha}
     * @throws IllegalArgumentException if {@code alpha} is not in (0, 1)
     */
    public boolean isSignificant(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "alpha = %s: the significance level must lie in (0, 1)", alpha));
        }
        return pValue < alpha;
    }
}
