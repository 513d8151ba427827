package org.engagement4j.metrics.agreement;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Raw agreement and Cohen's kappa of two raters (Cohen 1960, doi:10.1177/001316446002000104), with
 * the asymptotic standard errors of Fleiss, Cohen &amp; Everitt (1969, doi:10.1037/h0028106). The
 * paper reports both per rater pair in Figures 1 and 3 and averaged in Table 3 (Fraile et al.,
 * ICMI 2022, doi:10.1145/3536221.3556629); it computed them with statsmodels, and every value here
 * equals statsmodels 0.13's {@code cohens_kappa(table)} (simple, unweighted kappa).
 *
 * <p>For a {@code k x k} table {@code t} with {@code n} rows in all, {@code p = t / n}, row
 * marginals {@code r} (first rater) and column marginals {@code c} (second rater):
 * <pre>
 *   po = sum_i p_ii,   pe = sum_i r_i c_i,   kappa = (po - pe) / (1 - pe)
 *   var(kappa)  = [ sum_i p_ii (1 - (r_i + c_i)(1 - kappa))^2
 *                 + (1 - kappa)^2 sum_{i != j} p_ij (c_i + r_j)^2
 *                 - (kappa - pe (1 - kappa))^2 ] / ((1 - pe)^2 n)
 *   var0(kappa) = [ pe + pe^2 - sum_i r_i c_i (r_i + c_i) ] / ((1 - pe)^2 n)
 * </pre>
 * A variance that rounding makes slightly negative (perfect agreement gives exactly 0 in exact
 * arithmetic) is taken as 0, where statsmodels would return NaN.
 *
 * <p><b>When kappa is undefined</b> the factories return an empty {@link Optional} instead of the
 * NaN statsmodels returns: when no row was labelled by both raters ({@code n = 0}, where
 * statsmodels fails an assertion), and when {@code pe = 1}, which happens exactly when both raters
 * used one and the same category throughout (their agreement is perfect but carries no information
 * beyond chance). Two constant raters who disagree give {@code kappa = 0}.
 *
 * <p><b>Labels.</b> The reference code silently dropped a third label value from a binary table;
 * here categories are declared up front and any other value is rejected, naming the array, the
 * index and the value. {@link #MISSING} marks a row a rater did not label; such rows are left out
 * pairwise (only rows both raters labelled count).
 *
 * @since 0.1.0
 */
public final class CohensKappa {

    /** Label value of a row the rater did not label. */
    public static final int MISSING = -1;

    /** Two-sided significance level of the default confidence interval (95 %). */
    public static final double DEFAULT_ALPHA = 0.05;

    private CohensKappa() {
    }

    /**
     * Kappa of a contingency table, with a 95 % confidence interval.
     *
     * @param table square table of counts, {@code table[i][j]} = rows the first rater put in
     *     category {@code i} and the second in category {@code j}; at least 2 x 2
     * @return the result, or empty when kappa is undefined (all counts zero, or {@code pe = 1})
     * @throws IllegalArgumentException if the table is not square, smaller than 2 x 2, has a
     *     negative count, or its total overflows a {@code long}
     * @throws NullPointerException if the table or a row is null
     */
    public static Optional<KappaResult> ofTable(long[][] table) {
        Objects.requireNonNull(table, "table");
        int k = table.length;
        Labels.requireCategoryCount(k);
        long n = 0;
        long[] rowSums = new long[k];
        long[] colSums = new long[k];
        for (int i = 0; i < k; i++) {
            long[] row = Objects.requireNonNull(table[i], () -> "table row is null");
            if (row.length != k) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "table[%d] has %d columns: the table must be square (%d x %d)", i,
                        row.length, k, k));
            }
            for (int j = 0; j < k; j++) {
                if (row[j] < 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "table[%d][%d] = %d: counts must be non-negative", i, j, row[j]));
                }
                try {
                    n = Math.addExact(n, row[j]);
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("table: the total count overflows a long", e);
                }
                rowSums[i] += row[j];
                colSums[j] += row[j];
            }
        }
        if (n == 0 || isSingleDiagonalCell(table)) {
            return Optional.empty();
        }
        return Optional.of(compute(table, n, rowSums, colSums));
    }

    /**
     * Kappa of two binary raters with no missing rows.
     *
     * @param first the first rater's labels
     * @param second the second rater's labels, aligned with {@code first}
     * @return the result, or empty when both raters gave the same single label throughout
     * @throws IllegalArgumentException if the arrays are empty or differ in length
     */
    public static Optional<KappaResult> of(boolean[] first, boolean[] second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Labels.requireSameLength("first", first.length, "second", second.length);
        Labels.requireNonEmpty("first", first.length);
        long[][] t = new long[2][2];
        for (int i = 0; i < first.length; i++) {
            t[first[i] ? 1 : 0][second[i] ? 1 : 0]++;
        }
        return ofTable(t);
    }

    /**
     * Kappa of two binary raters: labels 0 or 1, or {@link #MISSING}.
     *
     * @param first the first rater's labels
     * @param second the second rater's labels, aligned with {@code first}
     * @return the result on the rows both raters labelled, or empty when there is no such row or
     *     {@code pe = 1}
     * @throws IllegalArgumentException if the arrays are empty or differ in length, or a value is
     *     not 0, 1 or {@link #MISSING}
     */
    public static Optional<KappaResult> of(int[] first, int[] second) {
        return of(first, second, 2);
    }

    /**
     * Kappa of two raters over {@code categories} nominal categories {@code 0 .. categories - 1}.
     *
     * @param first the first rater's labels, each a category or {@link #MISSING}
     * @param second the second rater's labels, aligned with {@code first}
     * @param categories number of categories, at least 2
     * @return the result on the rows both raters labelled, or empty when there is no such row or
     *     {@code pe = 1}
     * @throws IllegalArgumentException if the arrays are empty or differ in length, a value is not
     *     a category or {@link #MISSING}, or {@code categories < 2}
     */
    public static Optional<KappaResult> of(int[] first, int[] second, int categories) {
        return ofTable(table(first, second, categories));
    }

    /**
     * The contingency table of the rows both raters labelled.
     *
     * @param first the first rater's labels (rows of the table), each a category or
     *     {@link #MISSING}
     * @param second the second rater's labels (columns), aligned with {@code first}
     * @param categories number of categories, at least 2
     * @return a new {@code categories x categories} table of counts
     * @throws IllegalArgumentException as {@link #of(int[], int[], int)}
     */
    public static long[][] table(int[] first, int[] second, int categories) {
        Labels.requireNonNull("first", first);
        Labels.requireNonNull("second", second);
        Labels.requireCategoryCount(categories);
        Labels.requireSameLength("first", first.length, "second", second.length);
        Labels.requireNonEmpty("first", first.length);
        Labels.requireCategories("first", first, categories, true);
        Labels.requireCategories("second", second, categories, true);
        long[][] t = new long[categories][categories];
        for (int i = 0; i < first.length; i++) {
            if (first[i] != MISSING && second[i] != MISSING) {
                t[first[i]][second[i]]++;
            }
        }
        return t;
    }

    /**
     * Raw agreement (the paper's "empirical probability of agreement") of two raters over the rows
     * both labelled.
     *
     * @param first the first rater's labels, each in [0, categories) or {@link #MISSING}
     * @param second the second rater's labels, aligned with {@code first}
     * @param categories number of categories, at least 2
     * @return the fraction of shared rows with equal labels, or empty when no row is shared
     * @throws IllegalArgumentException as {@link #of(int[], int[], int)}
     */
    public static OptionalDouble agreement(int[] first, int[] second, int categories) {
        long[][] t = table(first, second, categories);
        long n = 0;
        long diagonal = 0;
        for (int i = 0; i < categories; i++) {
            for (int j = 0; j < categories; j++) {
                n += t[i][j];
            }
            diagonal += t[i][i];
        }
        return n == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) diagonal / n);
    }

    /** True when every count sits in one diagonal cell: both raters constant and equal. */
    private static boolean isSingleDiagonalCell(long[][] table) {
        int nonZero = 0;
        boolean onDiagonal = false;
        for (int i = 0; i < table.length; i++) {
            for (int j = 0; j < table.length; j++) {
                if (table[i][j] != 0) {
                    nonZero++;
                    onDiagonal = i == j;
                }
            }
        }
        return nonZero == 1 && onDiagonal;
    }

    // The operation order follows statsmodels so that results agree to the last few bits.
    private static KappaResult compute(long[][] table, long total, long[] rowSums, long[] colSums) {
        int k = table.length;
        double n = total;
        double[] r = new double[k];
        double[] c = new double[k];
        double agree = 0;
        for (int i = 0; i < k; i++) {
            r[i] = rowSums[i] / n;
            c[i] = colSums[i] / n;
            agree += table[i][i];
        }
        double pe = 0;
        double minSum = 0;
        double cubic = 0;
        for (int i = 0; i < k; i++) {
            pe += c[i] * r[i];
            minSum += Math.min(r[i], c[i]);
            cubic += c[i] * r[i] * (c[i] + r[i]);
        }
        double po = agree / n;
        double oneMinusPe = 1 - pe;
        if (!(oneMinusPe > 0)) {
            // Unreachable for integer counts outside the single-diagonal-cell case; kept as a guard
            // so that a NaN can never leave this class.
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "expected agreement pe = %s leaves kappa undefined", pe));
        }
        double kappa = (po - pe) / oneMinusPe;
        double oneMinusKappa = 1 - kappa;

        double termA = 0;
        double termB = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double p = table[i][j] / n;
                if (i == j) {
                    double f = 1 - (r[i] + c[i]) * oneMinusKappa;
                    termA += p * (f * f);
                } else {
                    double s = c[i] + r[j];
                    termB += p * (s * s);
                }
            }
        }
        termB = oneMinusKappa * oneMinusKappa * termB;
        double termC = kappa - pe * oneMinusKappa;
        termC = termC * termC;
        double denominator = oneMinusPe * oneMinusPe;
        double varKappa = (termA + termB - termC) / denominator / n;
        double varKappa0 = (pe + pe * pe - cubic) / (denominator * n);
        double stdKappa = Math.sqrt(Math.max(0, varKappa));
        double stdKappa0 = Math.sqrt(Math.max(0, varKappa0));
        double kappaMax = (minSum - pe) / oneMinusPe;

        double delta = KappaResult.criticalValue(DEFAULT_ALPHA) * stdKappa;
        return new KappaResult(kappa, stdKappa, kappa - delta, kappa + delta, DEFAULT_ALPHA,
                stdKappa0, po, pe, kappaMax, total);
    }
}
