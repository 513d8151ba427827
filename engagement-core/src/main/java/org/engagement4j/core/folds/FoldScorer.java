package org.engagement4j.core.folds;

import java.util.List;

/**
 * The reference's stratification score of one assignment of sessions to folds (see
 * {@link FoldSplitter} for the formula). Reuses scratch arrays, so one instance serves one thread.
 */
final class FoldScorer {

    private final int folds;
    private final int n;
    private final long[][] engaged;
    private final long[][] span;
    private final double[] overall;
    private final boolean[] scored;
    private final long[][] foldEngaged;
    private final long[][] foldSpan;
    private final int[] foldCount;

    FoldScorer(List<SessionTotals> sessions, int folds) {
        this.folds = folds;
        this.n = sessions.size();
        int pairs = SessionTotals.PAIRS;
        this.engaged = new long[n][];
        this.span = new long[n][];
        long[] totE = new long[pairs];
        long[] totS = new long[pairs];
        for (int i = 0; i < n; i++) {
            engaged[i] = sessions.get(i).engagedMs;
            span[i] = sessions.get(i).spanMs;
            for (int p = 0; p < pairs; p++) {
                totE[p] += engaged[i][p];
                totS[p] += span[i][p];
            }
        }
        this.overall = new double[pairs];
        this.scored = new boolean[pairs];
        for (int p = 0; p < pairs; p++) {
            overall[p] = totS[p] == 0 ? Double.NaN : (double) totE[p] / totS[p];
            // A pair nobody ever marked engaged has p_all = 0: its relative error is undefined,
            // and every split balances it equally well, so it is left out of the score.
            scored[p] = totS[p] > 0 && totE[p] > 0;
        }
        this.foldEngaged = new long[folds][pairs];
        this.foldSpan = new long[folds][pairs];
        this.foldCount = new int[folds];
    }

    /** @return the whole-data positive rate per pair, NaN where no coder marked the task */
    double[] overall() {
        return overall.clone();
    }

    /** Fills the per-fold sums for {@code assign} (session index -> fold). */
    private void accumulate(int[] assign) {
        for (int k = 0; k < folds; k++) {
            java.util.Arrays.fill(foldEngaged[k], 0L);
            java.util.Arrays.fill(foldSpan[k], 0L);
            foldCount[k] = 0;
        }
        for (int i = 0; i < n; i++) {
            int k = assign[i];
            long[] fe = foldEngaged[k];
            long[] fs = foldSpan[k];
            long[] e = engaged[i];
            long[] s = span[i];
            for (int p = 0; p < fe.length; p++) {
                fe[p] += e[p];
                fs[p] += s[p];
            }
            foldCount[k]++;
        }
    }

    double score(int[] assign) {
        accumulate(assign);
        double expectedCount = (double) n / folds;
        double score = 0;
        for (int k = 0; k < folds; k++) {
            double prob = 0;
            for (int p = 0; p < overall.length; p++) {
                if (!scored[p]) {
                    continue;
                }
                // A fold without any time for the task counts as rate 0: the worst balance.
                double pk = foldSpan[k][p] == 0 ? 0.0 : (double) foldEngaged[k][p] / foldSpan[k][p];
                double rel = (pk - overall[p]) / overall[p];
                prob += rel * rel;
            }
            double c = (foldCount[k] - expectedCount) / expectedCount;
            score += 2.0 * prob + c * c;
        }
        return score;
    }

    /** @return per fold and pair the positive rate, NaN where the fold has no time for the task */
    double[][] rates(int[] assign) {
        accumulate(assign);
        double[][] out = new double[folds][overall.length];
        for (int k = 0; k < folds; k++) {
            for (int p = 0; p < overall.length; p++) {
                out[k][p] = foldSpan[k][p] == 0 ? Double.NaN
                        : (double) foldEngaged[k][p] / foldSpan[k][p];
            }
        }
        return out;
    }
}
