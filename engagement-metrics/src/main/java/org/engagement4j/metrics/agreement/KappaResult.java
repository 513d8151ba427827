package org.engagement4j.metrics.agreement;

import java.util.Locale;
import java.util.OptionalDouble;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Cohen's kappa of two raters with its asymptotic standard errors, as computed by
 * {@link CohensKappa}; the fields and values equal statsmodels 0.13's
 * {@code statsmodels.stats.inter_rater.cohens_kappa(table)} ({@code kappa}, {@code std_kappa},
 * {@code kappa_low}, {@code kappa_upp}, {@code std_kappa0}, {@code kappa_max}, {@code z_value},
 * {@code pvalue_two_sided}, {@code pvalue_one_sided}).
 *
 * <p>The confidence interval is {@code kappa -+ z(1 - alpha / 2) * stdKappa} with the standard
 * normal quantile, not clipped to [-1, 1]. statsmodels' default, its one-sided {@code alpha = 0.025},
 * is our two-sided {@code alpha = 0.05}. {@link #withAlpha(double)} recomputes the interval.
 *
 * <p>The test of {@code H0: kappa = 0} uses {@code z = kappa / stdKappa0}. When one rater used a
 * single category, {@code kappa} is exactly 0 and so is its null standard error; statsmodels then
 * returns NaN for {@code z} and the p-values, and here {@link #zValue()} and the p-values are
 * empty.
 *
 * @param kappa Cohen's kappa {@code (po - pe) / (1 - pe)}, in [-1, 1]
 * @param stdKappa asymptotic standard error of kappa (Fleiss, Cohen &amp; Everitt 1969,
 *     doi:10.1037/h0028106), non-negative; 0 under perfect agreement
 * @param kappaLow lower confidence limit
 * @param kappaUpp upper confidence limit
 * @param alpha two-sided significance level of the interval, in (0, 1); 0.05 gives a 95 % interval
 * @param stdKappa0 standard error of kappa under {@code H0: kappa = 0}, non-negative
 * @param agreement observed (raw) agreement {@code po}, the fraction of rows on the diagonal
 * @param expectedAgreement chance agreement {@code pe = sum_i row_i * col_i}, below 1
 * @param kappaMax the largest kappa the two raters' marginals allow,
 *     {@code (sum_i min(row_i, col_i) - pe) / (1 - pe)}
 * @param rows number of rows (observations) in the table, at least 1
 * @since 0.1.0
 */
public record KappaResult(double kappa, double stdKappa, double kappaLow, double kappaUpp,
        double alpha, double stdKappa0, double agreement, double expectedAgreement, double kappaMax,
        long rows) {

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    /**
     * Validates the components.
     *
     * @param kappa Cohen's kappa {@code (po - pe) / (1 - pe)}, in [-1, 1]
     * @param stdKappa asymptotic standard error of kappa (Fleiss, Cohen &amp; Everitt 1969,
     *     doi:10.1037/h0028106), non-negative; 0 under perfect agreement
     * @param kappaLow lower confidence limit
     * @param kappaUpp upper confidence limit
     * @param alpha two-sided significance level of the interval, in (0, 1); 0.05 gives a 95 %
     *     interval
     * @param stdKappa0 standard error of kappa under {@code H0: kappa = 0}, non-negative
     * @param agreement observed (raw) agreement {@code po}, the fraction of rows on the diagonal
     * @param expectedAgreement chance agreement {@code pe = sum_i row_i * col_i}, below 1
     * @param kappaMax the largest kappa the two raters' marginals allow, {@code (sum_i min(row_i,
     *     col_i) - pe) / (1 - pe)}
     * @param rows number of rows (observations) in the table, at least 1
     * @throws IllegalArgumentException if a value is not finite, {@code alpha} is not in (0, 1),
     *     a standard error is negative, or {@code rows < 1}
     */
    public KappaResult {
        requireFinite("kappa", kappa);
        requireFinite("stdKappa", stdKappa);
        requireFinite("kappaLow", kappaLow);
        requireFinite("kappaUpp", kappaUpp);
        requireFinite("stdKappa0", stdKappa0);
        requireFinite("agreement", agreement);
        requireFinite("expectedAgreement", expectedAgreement);
        requireFinite("kappaMax", kappaMax);
        requireAlpha(alpha);
        if (stdKappa < 0 || stdKappa0 < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "stdKappa = %s, stdKappa0 = %s: standard errors must be non-negative",
                    stdKappa, stdKappa0));
        }
        if (rows < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rows = %d: at least one row is required", rows));
        }
    }

    /**
     * The same result with the confidence interval recomputed for another level.
     *
     * @param alpha two-sided significance level in (0, 1), for example 0.01 for a 99 % interval
     * @return a new result; only {@code alpha}, {@code kappaLow} and {@code kappaUpp} change
     * @throws IllegalArgumentException if {@code alpha} is not in (0, 1)
     */
    public KappaResult withAlpha(double alpha) {
        requireAlpha(alpha);
        double delta = criticalValue(alpha) * stdKappa;
        return new KappaResult(kappa, stdKappa, kappa - delta, kappa + delta, alpha, stdKappa0,
                agreement, expectedAgreement, kappaMax, rows);
    }

    /** @return {@code kappa / stdKappa0}, or empty when {@code stdKappa0 = 0} */
    public OptionalDouble zValue() {
        return stdKappa0 > 0 ? OptionalDouble.of(kappa / stdKappa0) : OptionalDouble.empty();
    }

    /**
     * @return the two-sided p-value of {@code H0: kappa = 0}, {@code 2 * P(Z > |z|)}, or empty when
     *     {@link #zValue()} is
     */
    public OptionalDouble pValueTwoSided() {
        OptionalDouble z = zValue();
        return z.isEmpty() ? z
                : OptionalDouble.of(2 * STANDARD_NORMAL.survivalProbability(Math.abs(z.getAsDouble())));
    }

    /**
     * @return the one-sided p-value of {@code H0: kappa = 0} against {@code kappa > 0},
     *     {@code P(Z > z)}, or empty when {@link #zValue()} is
     */
    public OptionalDouble pValueOneSided() {
        OptionalDouble z = zValue();
        return z.isEmpty() ? z : OptionalDouble.of(STANDARD_NORMAL.survivalProbability(z.getAsDouble()));
    }

    static double criticalValue(double alpha) {
        return STANDARD_NORMAL.inverseSurvivalProbability(alpha / 2);
    }

    static void requireAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "alpha = %s: the significance level must lie in (0, 1)", alpha));
        }
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s = %s: must be finite", name, value));
        }
    }
}
