package org.engagement4j.metrics.stats;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

/**
 * Wilcoxon signed-rank test on paired per-sample scores of two methods (Wilcoxon 1945,
 * doi:10.2307/3001968), for example the per-sample EMD of two attention-map methods behind the
 * ranking of the paper's Table 4 (Fraile et al., ICMI 2022, doi:10.1145/3536221.3556629). The
 * differences are {@code x - y}; {@link Alternative#GREATER} means "x tends to be larger".
 *
 * <p>The computation is delegated to commons-statistics' {@link WilcoxonSignedRankTest}; this class
 * fixes the options so that results equal {@code scipy.stats.wilcoxon(x, y, ...)} of scipy 1.10:
 * <table>
 *   <caption>Options and their scipy counterparts</caption>
 *   <tr><th>here</th><th>scipy.stats.wilcoxon</th></tr>
 *   <tr><td>{@link ZeroMethod#WILCOX} (default): zero differences dropped before ranking</td>
 *       <td>{@code zero_method='wilcox'} (default)</td></tr>
 *   <tr><td>{@link ZeroMethod#PRATT}: zeros ranked, their ranks dropped</td>
 *       <td>{@code zero_method='pratt'}, equal when at most one difference is zero (see below)</td></tr>
 *   <tr><td>{@code withContinuityCorrection(false)} (default)</td>
 *       <td>{@code correction=False} (default)</td></tr>
 *   <tr><td>{@link Method#AUTO} (default): exact for at most 50 pairs without zero and without
 *       tie, normal approximation otherwise</td>
 *       <td>{@code method='auto'}, except that scipy stays exact when non-zero differences tie
 *       (ignoring the ties); compare tied data with {@code method='approx'}</td></tr>
 *   <tr><td>{@link Method#EXACT}: exact distribution unless a zero or a tie forces the normal
 *       approximation, or there are more than 1023 pairs</td><td>{@code method='exact'}</td></tr>
 *   <tr><td>{@link Method#ASYMPTOTIC}: normal approximation, with the tie correction of the
 *       variance (and Cureton's zero adjustment under PRATT)</td>
 *       <td>{@code method='approx'}</td></tr>
 * </table>
 * Ties use average ranks. The reported {@link WilcoxonResult#statistic()} is scipy's:
 * {@code min(W+, W-)} for a two-sided test, {@code W+} for a one-sided one; both rank sums are in
 * the result, as is the method actually used.
 *
 * <p>Under PRATT with two or more zero differences, commons-statistics also counts the block of
 * tied zeros in the tie correction of the variance, which scipy does not; the p-value then
 * differs slightly from scipy's.
 *
 * <p>Inputs must be finite and of equal, non-zero length. When every difference is zero the test
 * is undefined and {@link #test(double[], double[])} throws; {@link #isDefined(double[], double[])}
 * tells beforehand.
 *
 * @since 0.1.0
 */
public final class WilcoxonTest {

    /** The alternative hypothesis about the differences {@code x - y}. */
    public enum Alternative {
        /** The differences are not symmetric about 0 (scipy {@code 'two-sided'}). */
        TWO_SIDED,
        /** {@code x} tends to be greater than {@code y} (scipy {@code 'greater'}). */
        GREATER,
        /** {@code x} tends to be less than {@code y} (scipy {@code 'less'}). */
        LESS
    }

    /** How the p-value is computed. */
    public enum Method {
        /** Exact for at most 50 pairs without zero or tie, otherwise asymptotic. */
        AUTO,
        /** Exact distribution of {@code W+}, unless zeros or ties force the approximation. */
        EXACT,
        /** Normal approximation. */
        ASYMPTOTIC
    }

    /** What to do with zero differences. */
    public enum ZeroMethod {
        /** Drop zero differences before ranking (Wilcoxon). */
        WILCOX,
        /**
         * Rank zero differences with the others, then drop their ranks (Pratt 1959,
         * doi:10.1080/01621459.1959.10501526).
         */
        PRATT
    }

    /** Largest number of pairs for which {@link Method#AUTO} uses the exact distribution. */
    public static final int AUTO_EXACT_LIMIT = 50;

    // commons-statistics computes the exact distribution only up to this size.
    private static final int COMMONS_EXACT_LIMIT = 1023;

    private static final WilcoxonTest DEFAULTS = new WilcoxonTest(Alternative.TWO_SIDED,
            Method.AUTO, ZeroMethod.WILCOX, false);

    private final Alternative alternative;
    private final Method method;
    private final ZeroMethod zeroMethod;
    private final boolean continuityCorrection;

    private WilcoxonTest(Alternative alternative, Method method, ZeroMethod zeroMethod,
            boolean continuityCorrection) {
        this.alternative = alternative;
        this.method = method;
        this.zeroMethod = zeroMethod;
        this.continuityCorrection = continuityCorrection;
    }

    /**
     * @return a two-sided test, {@link Method#AUTO}, {@link ZeroMethod#WILCOX}, no continuity
     *     correction: scipy's defaults
     */
    public static WilcoxonTest withDefaults() {
        return DEFAULTS;
    }

    /**
     * @param alternative the alternative hypothesis
     * @return a new test with it
     */
    public WilcoxonTest withAlternative(Alternative alternative) {
        return new WilcoxonTest(Objects.requireNonNull(alternative, "alternative"), method,
                zeroMethod, continuityCorrection);
    }

    /**
     * @param method how to compute the p-value
     * @return a new test with it
     */
    public WilcoxonTest withMethod(Method method) {
        return new WilcoxonTest(alternative, Objects.requireNonNull(method, "method"), zeroMethod,
                continuityCorrection);
    }

    /**
     * @param zeroMethod what to do with zero differences
     * @return a new test with it
     */
    public WilcoxonTest withZeroMethod(ZeroMethod zeroMethod) {
        return new WilcoxonTest(alternative, method,
                Objects.requireNonNull(zeroMethod, "zeroMethod"), continuityCorrection);
    }

    /**
     * @param enabled whether the normal approximation shifts the statistic by 0.5 towards its mean
     * @return a new test with it
     */
    public WilcoxonTest withContinuityCorrection(boolean enabled) {
        return new WilcoxonTest(alternative, method, zeroMethod, enabled);
    }

    /** @return the alternative hypothesis */
    public Alternative alternative() {
        return alternative;
    }

    /** @return the p-value method requested */
    public Method method() {
        return method;
    }

    /** @return the zero-difference rule */
    public ZeroMethod zeroMethod() {
        return zeroMethod;
    }

    /** @return whether the continuity correction is applied */
    public boolean continuityCorrection() {
        return continuityCorrection;
    }

    /**
     * @param x first method's scores
     * @param y second method's scores, paired with {@code x}
     * @return whether at least one difference {@code x[i] - y[i]} is non-zero, so that
     *     {@link #test(double[], double[])} is defined
     * @throws IllegalArgumentException as {@link #test(double[], double[])} for invalid input
     */
    public static boolean isDefined(double[] x, double[] y) {
        Samples.requirePaired("x", x, "y", y);
        for (int i = 0; i < x.length; i++) {
            if (x[i] - y[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tests paired samples.
     *
     * @param x first method's scores, finite
     * @param y second method's scores, paired with {@code x}, finite
     * @return the statistic and p-value
     * @throws IllegalArgumentException if the arrays are empty, differ in length, hold a
     *     non-finite value (named with its index), or every difference is zero
     * @throws NullPointerException if an array is null
     */
    public WilcoxonResult test(double[] x, double[] y) {
        Samples.requirePaired("x", x, "y", y);
        double[] d = Samples.differences(x, y);
        int pairs = d.length;
        int zeros = 0;
        for (double v : d) {
            if (v == 0) {
                zeros++;
            }
        }
        if (zeros == pairs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "x, y: all %d differences x - y are zero; the signed-rank test is undefined",
                    pairs));
        }
        double[] nonZero = new double[pairs - zeros];
        int k = 0;
        for (double v : d) {
            if (v != 0) {
                nonZero[k++] = v;
            }
        }
        double[] ranked = zeroMethod == ZeroMethod.WILCOX ? nonZero : d;

        // Like scipy (and R), zeros force the normal approximation whatever was asked.
        boolean wantExact = zeros == 0 && (method == Method.EXACT
                || method == Method.AUTO && pairs <= AUTO_EXACT_LIMIT);
        WilcoxonSignedRankTest test = WilcoxonSignedRankTest.withDefaults()
                .with(toCommons(alternative))
                .with(wantExact ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC)
                .with(continuityCorrection ? ContinuityCorrection.ENABLED
                        : ContinuityCorrection.DISABLED);
        WilcoxonSignedRankTest.Result r = test.test(ranked);
        // Mirrors commons-statistics' own rule for falling back to the approximation.
        boolean exact = wantExact && ranked.length <= COMMONS_EXACT_LIMIT && !r.hasTiedValues()
                && !r.hasZeroValues();

        double m = ranked.length;
        double z = zeroMethod == ZeroMethod.WILCOX ? 0 : zeros;
        // Zeros, when ranked, occupy ranks 1..z whatever their tie-averaging.
        double wPlus = r.getStatistic();
        double wMinus = m * (m + 1) / 2 - z * (z + 1) / 2 - wPlus;
        double statistic = alternative == Alternative.TWO_SIDED ? Math.min(wPlus, wMinus) : wPlus;
        return new WilcoxonResult(statistic, wPlus, wMinus, r.getPValue(), pairs, zeros,
                hasTies(nonZero), exact ? Method.EXACT : Method.ASYMPTOTIC, alternative);
    }

    private static boolean hasTies(double[] nonZero) {
        double[] a = new double[nonZero.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(nonZero[i]);
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                return true;
            }
        }
        return false;
    }

    private static AlternativeHypothesis toCommons(Alternative alternative) {
        switch (alternative) {
            case GREATER:
                return AlternativeHypothesis.GREATER_THAN;
            case LESS:
                return AlternativeHypothesis.LESS_THAN;
            default:
                return AlternativeHypothesis.TWO_SIDED;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "WilcoxonTest{alternative=%s, method=%s, zeroMethod=%s, continuityCorrection=%b}",
                alternative, method, zeroMethod, continuityCorrection);
    }
}
