package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Metric axioms and exact values of {@link Emd}, and exactness (LP certificate) of every cost
 * path: translation-invariant table, cached matrix, on-demand function, reduced and full
 * bipartite problems. Seeded; a failure is replayed with the same seed (jqwik.properties).
 */
class EmdPropertiesTest {

    /** A pair (or triple) of small maps of one shape. */
    record Maps(int h, int w, double[] a, double[] b, double[] c) {
        @Override
        public String toString() {
            return h + "x" + w + " a=" + Arrays.toString(a) + " b=" + Arrays.toString(b) + " c="
                    + Arrays.toString(c);
        }
    }

    @Provide
    Arbitrary<Maps> maps() {
        return Combinators.combine(Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 6), Arbitraries.longs())
                .as((h, w, seed) -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    return new Maps(h, w, randomMap(r, h * w), randomMap(r, h * w),
                            randomMap(r, h * w));
                });
    }

    /** Mixes zeros, small integers and generic doubles so that ties and degeneracy occur. */
    private static double[] randomMap(java.util.SplittableRandom r, int n) {
        double[] m = new double[n];
        int style = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            switch (style) {
                case 0:
                    m[i] = r.nextInt(4);
                    break;
                case 1:
                    m[i] = r.nextDouble() < 0.6 ? 0 : r.nextDouble() * 10;
                    break;
                default:
                    m[i] = r.nextDouble();
                    break;
            }
        }
        if (Arrays.stream(m).sum() == 0) {
            m[r.nextInt(n)] = 1;
        }
        return m;
    }

    @Provide
    Arbitrary<GroundDistance> grounds() {
        return Arbitraries.of(GroundDistance.EUCLIDEAN, GroundDistance.L1,
                GroundDistance.SQEUCLIDEAN);
    }

    @Provide
    Arbitrary<GroundDistance> metrics() {
        return Arbitraries.of(GroundDistance.EUCLIDEAN, GroundDistance.L1);
    }

    @Property(tries = 150, seed = "20220607")
    void symmetric(@ForAll("maps") Maps m, @ForAll("grounds") GroundDistance g) {
        Emd emd = Emd.exact().withGround(g);
        double ab = emd.frame(m.a, m.b, m.h, m.w);
        double ba = emd.frame(m.b, m.a, m.h, m.w);
        assertEquals(ab, ba, 1e-12 * Math.max(1, ab));
    }

    @Property(tries = 150, seed = "20220608")
    void zeroIffEqualAfterNormalisation(@ForAll("maps") Maps m,
            @ForAll("grounds") GroundDistance g, @ForAll @IntRange(min = 2, max = 5) int k) {
        Emd emd = Emd.exact().withGround(g).withMassPolicy(MassPolicy.NORMALIZE);
        assertEquals(0.0, emd.frame(m.a, m.a, m.h, m.w));
        double[] scaled = Arrays.stream(m.a).map(x -> k * x).toArray();
        assertTrue(emd.frame(m.a, scaled, m.h, m.w) < 1e-13, "a vs " + k + " a");
        // Every grid ground costs 0 in place and at least 1 between distinct pixels, so with
        // TV = sum |pa - pb| / 2 (the mass that must move): TV <= EMD <= TV * max cost. The EMD
        // is 0 exactly when the normalised maps are equal (up to the round-off of normalising).
        double[] pa = normalised(m.a);
        double[] pb = normalised(m.b);
        double tv = 0;
        for (int i = 0; i < pa.length; i++) {
            tv += Math.abs(pa[i] - pb[i]) / 2;
        }
        double maxCost = g.cost(0, 0, m.h - 1, m.w - 1);
        double d = emd.frame(m.a, m.b, m.h, m.w);
        assertTrue(d >= tv - 1e-15 && d <= tv * maxCost + 1e-15,
                "TV " + tv + " <= EMD " + d + " <= TV * " + maxCost);
    }

    private static double[] normalised(double[] x) {
        double s = Arrays.stream(x).sum();
        return Arrays.stream(x).map(v -> v / s).toArray();
    }

    @Property(tries = 150, seed = "20220609")
    void triangleInequality(@ForAll("maps") Maps m, @ForAll("metrics") GroundDistance g) {
        Emd emd = Emd.exact().withGround(g);
        double ab = emd.frame(m.a, m.b, m.h, m.w);
        double bc = emd.frame(m.b, m.c, m.h, m.w);
        double ac = emd.frame(m.a, m.c, m.h, m.w);
        assertTrue(ac <= ab + bc + 1e-12 * (ab + bc + 1), ac + " > " + ab + " + " + bc);
    }

    @Property(tries = 200, seed = "20220610")
    void oneHotMovedCostsTheGroundDistance(@ForAll @IntRange(min = 1, max = 40) int h,
            @ForAll @IntRange(min = 1, max = 40) int w, @ForAll long seed,
            @ForAll("grounds") GroundDistance g) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int y1 = r.nextInt(h);
        int x1 = r.nextInt(w);
        int y2 = r.nextInt(h);
        int x2 = r.nextInt(w);
        double mass = 1 + r.nextInt(9);
        double[] a = new double[h * w];
        double[] b = new double[h * w];
        a[y1 * w + x1] = mass;
        b[y2 * w + x2] = mass;
        double dy = y2 - y1;
        double dx = x2 - x1;
        double expected = g == GroundDistance.EUCLIDEAN ? Math.sqrt(dx * dx + dy * dy)
                : g == GroundDistance.L1 ? Math.abs(dx) + Math.abs(dy) : dx * dx + dy * dy;
        Emd emd = Emd.exact().withGround(g);
        assertEquals(expected, emd.withMassPolicy(MassPolicy.NORMALIZE).frame(a, b, h, w));
        assertEquals(mass * expected,
                emd.withMassPolicy(MassPolicy.REQUIRE_EQUAL).frame(a, b, h, w));
    }

    @Property(tries = 100, seed = "20220611")
    void customGroundsGiveTheBuiltInValue(@ForAll("maps") Maps m,
            @ForAll("grounds") GroundDistance g) {
        // Built-in: cost table (and the mass-difference reduction for metrics). Custom: a cached
        // matrix over the full bipartite problem, or the reduction when declared metric.
        double builtIn = Emd.exact().withGround(g).frame(m.a, m.b, m.h, m.w);
        GroundDistance full = GroundDistance.custom("copy", false, g::cost);
        GroundDistance reduced = GroundDistance.custom("copy-metric", g.isMetric(), g::cost);
        double tol = 1e-12 * Math.max(1, builtIn);
        assertEquals(builtIn, Emd.exact().withGround(full).frame(m.a, m.b, m.h, m.w), tol);
        assertEquals(builtIn, Emd.exact().withGround(reduced).frame(m.a, m.b, m.h, m.w), tol);
    }

    @Property(tries = 100, seed = "20220612")
    void generalCostsAreSolvedExactly(@ForAll("maps") Maps m, @ForAll long costSeed,
            @ForAll boolean onDemand) {
        // An arbitrary non-negative, non-metric, asymmetric cost per pixel pair.
        GroundDistance random = GroundDistance.custom("random", false, (y1, x1, y2, x2) -> {
            long z = costSeed ^ (((long) y1 * 73 + x1) * 1_000_003L + (long) y2 * 131 + x2);
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return (double) ((z ^ (z >>> 33)) >>> 11) / (1L << 53) * 10;
        });
        FrameSolver solver = new FrameSolver(random, MassPolicy.REFERENCE, m.h, m.w,
                NetworkSimplex.DEFAULT_SHORTLIST, onDemand ? 0 : FrameSolver.MATRIX_LIMIT);
        NetworkSimplex ns = solver.solved(m.a, m.b);
        assertEquals(onDemand ? NetworkSimplex.CostKind.FUNCTION : NetworkSimplex.CostKind.MATRIX,
                ns.costKind());
        EmdCertificateTest.certify(m.toString(), ns, random);
    }

    @Property(tries = 40, seed = "20220613")
    void largerMapsAreCertified(@ForAll @IntRange(min = 8, max = 24) int h,
            @ForAll @IntRange(min = 8, max = 24) int w, @ForAll long seed,
            @ForAll("grounds") GroundDistance g) {
        // Large enough for the shortlist, the coarse-level hint and several certification rounds.
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        FrameSolver solver = new FrameSolver(g, MassPolicy.REFERENCE, h, w,
                NetworkSimplex.DEFAULT_SHORTLIST);
        NetworkSimplex ns = solver.solved(randomMap(r, h * w), randomMap(r, h * w));
        EmdCertificateTest.certify(h + "x" + w + " seed " + seed, ns, g);
    }

    @Property(tries = 60, seed = "20220614")
    void spanningTreeInvariantsHoldAfterEveryPivot(@ForAll @IntRange(min = 1, max = 14) int h,
            @ForAll @IntRange(min = 1, max = 14) int w, @ForAll long seed,
            @ForAll("grounds") GroundDistance g, @ForAll boolean integerMasses) {
        // Integer masses make many degenerate pivots (zero-flow tree arcs), where cycling and
        // broken strong feasibility would show; verifyTree() throws at the first broken
        // invariant (preorder thread, subtree sizes, balances, strong feasibility, zero-priced
        // tree arcs).
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] a = new double[h * w];
        double[] b = new double[h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = integerMasses ? r.nextInt(3) : r.nextDouble();
            b[i] = integerMasses ? r.nextInt(3) : r.nextDouble();
        }
        double sa = Arrays.stream(a).sum();
        double sb = Arrays.stream(b).sum();
        for (; integerMasses && sa < sb; sa++) {
            a[r.nextInt(a.length)]++;
        }
        for (; integerMasses && sb < sa; sb++) {
            b[r.nextInt(b.length)]++;
        }
        MassPolicy policy = integerMasses && sa > 0 ? MassPolicy.REQUIRE_EQUAL
                : MassPolicy.REFERENCE;
        FrameSolver solver = new FrameSolver(g, policy, h, w, NetworkSimplex.DEFAULT_SHORTLIST);
        NetworkSimplex ns = solver.solved(a, b, true);
        EmdCertificateTest.certify(h + "x" + w + " seed " + seed, ns, g);
    }
}
