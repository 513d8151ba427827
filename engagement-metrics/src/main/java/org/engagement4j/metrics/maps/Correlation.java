package org.engagement4j.metrics.maps;

import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.RankingAlgorithm;
import org.apache.commons.statistics.ranking.TiesStrategy;

/** Pearson's r with population moments, and ranks for Spearman's rho. */
final class Correlation {

    /** Average ranks for ties (scipy.stats.rankdata's default); input is checked finite first. */
    private static final RankingAlgorithm RANKING =
            new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private Correlation() {
    }

    /**
     * Pearson's r of two finite samples of equal length, clamped to {@code [-1, 1]} against
     * round-off; NaN if either sample is constant.
     */
    static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (Inputs.isConstant(x, 0, n) || Inputs.isConstant(y, 0, n)) {
            return Double.NaN;
        }
        // r is scale invariant; power-of-two scaling keeps squares finite without rounding.
        double sx = Inputs.unitScale(x, 0, n);
        double sy = Inputs.unitScale(y, 0, n);
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i] * sx;
            my += y[i] * sy;
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] * sx - mx;
            double dy = y[i] * sy - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        double r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
        return Math.max(-1.0, Math.min(1.0, r));
    }

    /** Spearman's rho: Pearson's r of average ranks; NaN if either sample is constant. */
    static double spearman(double[] x, double[] y) {
        int n = x.length;
        if (Inputs.isConstant(x, 0, n) || Inputs.isConstant(y, 0, n)) {
            return Double.NaN;
        }
        return pearson(RANKING.apply(x), RANKING.apply(y));
    }
}
