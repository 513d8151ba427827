package org.engagement4j.metrics.transport;

import java.util.Locale;

/**
 * Exact EMD between 2-D histograms of one fixed shape: applies the {@link MassPolicy}, reduces a
 * metric problem to the mass difference, builds the cost model once per shape and runs
 * {@link NetworkSimplex}. Immutable and shareable between threads (each solve allocates its own
 * solver). Inputs are assumed finite, non-negative and of the right length; {@link Emd} checks.
 */
final class FrameSolver {

    /** Above this many pixel pairs a custom ground is evaluated on demand instead of cached. */
    static final long MATRIX_LIMIT = 1L << 22;

    /** Grids with at least this many pixels get a coarse-level hint. */
    static final long MULTISCALE_PIXELS = 256;

    private final GroundDistance ground;
    private final MassPolicy policy;
    private final int height;
    private final int width;
    private final double[] table;
    private final double tableMax;
    private final int[] tableRank;
    private final int shortlist;
    private final long matrixLimit;
    private final FrameSolver coarse;

    FrameSolver(GroundDistance ground, MassPolicy policy, int height, int width, int shortlist) {
        this(ground, policy, height, width, shortlist, MATRIX_LIMIT);
    }

    /**
     * @param matrixLimit most pixel pairs a custom ground's costs are cached for (tests lower it
     *     to reach the on-demand path on small maps)
     */
    FrameSolver(GroundDistance ground, MassPolicy policy, int height, int width, int shortlist,
            long matrixLimit) {
        this.matrixLimit = matrixLimit;
        this.ground = ground;
        this.policy = policy;
        this.height = height;
        this.width = width;
        this.shortlist = shortlist;
        if (ground instanceof StandardGround) {
            StandardGround g = (StandardGround) ground;
            table = new double[height * width];
            double max = 0;
            for (int dy = 0; dy < height; dy++) {
                for (int dx = 0; dx < width; dx++) {
                    double c = g.offsetCost(dy, dx);
                    table[dy * width + dx] = c;
                    max = Math.max(max, c);
                }
            }
            tableMax = max;
            Integer[] order = new Integer[table.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(table[x], table[y]));
            tableRank = new int[table.length];
            for (int r = 0; r < order.length; r++) {
                tableRank[order[r]] = r;
            }
        } else {
            table = null;
            tableMax = Double.NaN;
            tableRank = null;
        }
        // Multiscale shortlist (Schmitzer 2016 / Merigot 2011 in spirit): the optimal arcs of the
        // 2x2-pooled problem, lifted, tell each source where its mass probably goes far away.
        coarse = table != null && (long) height * width >= MULTISCALE_PIXELS
                ? new FrameSolver(ground, MassPolicy.REQUIRE_EQUAL, (height + 1) / 2,
                        (width + 1) / 2, shortlist)
                : null;
    }

    /**
     * @param a first histogram, row-major
     * @param b second histogram, row-major
     * @param nameA the caller's name for {@code a}, for messages
     * @param nameB the caller's name for {@code b}
     * @param zeroMassUndefined whether a zero-mass histogram (NORMALIZE / REQUIRE_EQUAL) gives
     *     NaN ("undefined frame") instead of an exception
     * @return the optimal transport cost, or NaN for an undefined frame
     */
    double solve(double[] a, double[] b, String nameA, String nameB, boolean zeroMassUndefined) {
        double[][] p = prepare(a, b, nameA, nameB, zeroMassUndefined);
        if (p == null) {
            return Double.NaN;
        }
        return newSimplex(p[0], p[1], false).solve();
    }

    /**
     * @return the solver after {@link NetworkSimplex#solve()}, for tests that inspect the flow and
     *     the dual certificate
     * @throws IllegalArgumentException for zero mass, as {@code Emd.frame}
     */
    NetworkSimplex solved(double[] a, double[] b) {
        return solved(a, b, false);
    }

    /**
     * @param checkInvariants whether the solver verifies its tree after every pivot (slow)
     * @return the solver after {@link NetworkSimplex#solve()}
     */
    NetworkSimplex solved(double[] a, double[] b, boolean checkInvariants) {
        double[][] p = prepare(a, b, "a", "b", false);
        NetworkSimplex ns = newSimplex(p[0], p[1], checkInvariants);
        ns.solve();
        return ns;
    }

    private double[][] prepare(double[] a, double[] b, String nameA, String nameB,
            boolean zeroMassUndefined) {
        return Histograms.prepare(policy, a, b, nameA, nameB, zeroMassUndefined);
    }

    private NetworkSimplex newSimplex(double[] pa, double[] pb, boolean checkInvariants) {
        int n = pa.length;
        int nS = 0;
        int nT = 0;
        boolean metric = ground.isMetric();
        for (int i = 0; i < n; i++) {
            if (metric) {
                double d = pa[i] - pb[i];
                if (d > 0) {
                    nS++;
                } else if (d < 0) {
                    nT++;
                }
            } else {
                if (pa[i] > 0) {
                    nS++;
                }
                if (pb[i] > 0) {
                    nT++;
                }
            }
        }
        double[] sm = new double[nS];
        int[] sy = new int[nS];
        int[] sx = new int[nS];
        double[] tm = new double[nT];
        int[] ty = new int[nT];
        int[] tx = new int[nT];
        int s = 0;
        int t = 0;
        for (int i = 0; i < n; i++) {
            // Kantorovich-Rubinstein: for a metric the mass both maps share stays in place at zero
            // cost, so only the surplus (a - b)+ moves, onto the deficit (b - a)+.
            double out = metric ? pa[i] - pb[i] : pa[i];
            double in = metric ? pb[i] - pa[i] : pb[i];
            if (out > 0) {
                sm[s] = out;
                sy[s] = i / width;
                sx[s] = i % width;
                s++;
            }
            if (in > 0) {
                tm[t] = in;
                ty[t] = i / width;
                tx[t] = i % width;
                t++;
            }
        }
        NetworkSimplex.Builder b = new NetworkSimplex.Builder().nodes(sm, sy, sx, tm, ty, tx)
                .shortlist(shortlist).checkInvariants(checkInvariants);
        if (table != null) {
            b.table(table, width, tableMax, tableRank);
            if (coarse != null) {
                hint(b, pa, pb, metric);
            }
        } else {
            long pairs = (long) nS * nT;
            if (pairs <= matrixLimit) {
                double[] m = new double[(int) pairs];
                double max = 0;
                for (int i = 0; i < nS; i++) {
                    for (int j = 0; j < nT; j++) {
                        double c = checkedCost(sy[i], sx[i], ty[j], tx[j]);
                        m[i * nT + j] = c;
                        max = Math.max(max, c);
                    }
                }
                b.matrix(m, max);
            } else {
                double max = 0;
                for (int i = 0; i < nS; i++) {
                    for (int j = 0; j < nT; j++) {
                        max = Math.max(max, checkedCost(sy[i], sx[i], ty[j], tx[j]));
                    }
                }
                b.function(ground, max);
            }
        }
        return b.build();
    }

    /**
     * Solves the 2x2-pooled problem and hints, for every arc carrying flow there, every pair of
     * a fine source in its source cell and a fine sink in its sink cell.
     */
    private void hint(NetworkSimplex.Builder b, double[] pa, double[] pb, boolean metric) {
        int cw = coarse.width;
        double[] ca = new double[coarse.height * cw];
        double[] cb = new double[ca.length];
        for (int i = 0; i < pa.length; i++) {
            int c = (i / width / 2) * cw + (i % width) / 2;
            ca[c] += pa[i];
            cb[c] += pb[i];
        }
        NetworkSimplex ns = coarse.newSimplex(ca, cb, false);
        ns.solve();
        int[][] arcs = ns.positiveArcPixels();
        // fine node index per pixel
        int n = pa.length;
        int[] srcAt = new int[n];
        int[] snkAt = new int[n];
        int s = 0;
        int t = 0;
        for (int i = 0; i < n; i++) {
            double out = metric ? pa[i] - pb[i] : pa[i];
            double in = metric ? pb[i] - pa[i] : pb[i];
            srcAt[i] = out > 0 ? s++ : -1;
            snkAt[i] = in > 0 ? t++ : -1;
        }
        int m = arcs[0].length;
        int[] hs = new int[m * 16];
        int[] ht = new int[m * 16];
        int count = 0;
        for (int e = 0; e < m; e++) {
            for (int i = 0; i < 4; i++) {
                int fy = arcs[0][e] * 2 + (i >> 1);
                int fx = arcs[1][e] * 2 + (i & 1);
                if (fy >= height || fx >= width || srcAt[fy * width + fx] < 0) {
                    continue;
                }
                int fs = srcAt[fy * width + fx];
                for (int j = 0; j < 4; j++) {
                    int gy = arcs[2][e] * 2 + (j >> 1);
                    int gx = arcs[3][e] * 2 + (j & 1);
                    if (gy >= height || gx >= width || snkAt[gy * width + gx] < 0) {
                        continue;
                    }
                    hs[count] = fs;
                    ht[count] = snkAt[gy * width + gx];
                    count++;
                }
            }
        }
        b.hint(hs, ht, count);
    }

    private double checkedCost(int y1, int x1, int y2, int x2) {
        double c = ground.cost(y1, x1, y2, x2);
        if (!(c >= 0) || c == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ground: ground distance '%s' returned %s from pixel (%d, %d) to (%d, %d); "
                            + "costs must be finite and >= 0",
                    ground.name(), c, y1, x1, y2, x2));
        }
        return c;
    }
}
