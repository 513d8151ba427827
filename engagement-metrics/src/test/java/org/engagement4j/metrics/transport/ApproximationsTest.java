package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SinkhornDistance} and {@link SlicedWasserstein} against POT 0.8.2
 * ({@code fixtures/emd/sinkhorn.txt}, {@code sliced.txt}), and their relation to the exact
 * {@link Emd}: both are approximations, on opposite sides of it.
 */
// A broken solver must fail, not hang: the timeout interrupts a runaway test.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ApproximationsTest {

    private static double[] ref(double[] x) {
        double s = 0;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + MassPolicy.REFERENCE_EPS;
            s += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= s;
        }
        return out;
    }

    @Test
    void sinkhornMatchesPot() {
        List<String[]> cases = Fixtures.read("sinkhorn.txt");
        assertTrue(cases.size() >= 5);
        for (String[] f : cases) {
            GroundDistance g = GroundDistance.parse(f[1]);
            int h = Integer.parseInt(f[2]);
            int w = Integer.parseInt(f[3]);
            double reg = Double.parseDouble(f[4]);
            int iters = Integer.parseInt(f[5]);
            double thr = Double.parseDouble(f[6]);
            double expected = Double.parseDouble(f[7]);
            int potIterations = Integer.parseInt(f[8]);
            double exact = Double.parseDouble(f[9]);
            double[] a = Fixtures.map(f[11]);
            double[] b = Fixtures.map(f[12]);
            SinkhornDistance.Result r = SinkhornDistance.of(reg).withGround(g)
                    .withMaxIterations(iters).withTolerance(thr).solve(a, b, h, w);
            assertTrue(Fixtures.relativeError(r.value(), expected) <= 1e-9,
                    String.format(Locale.ROOT, "%s: ours %.12f, POT %.12f (%s)", f[0], r.value(),
                            expected, f[10]));
            assertTrue(r.converged(), f[0]);
            assertEquals(potIterations, r.iterations(), f[0] + ": same stopping iteration");
            // an entropic plan is a feasible plan: never below the exact optimum
            assertTrue(r.value() >= exact, f[0] + ": Sinkhorn below the exact EMD");
            assertEquals(exact, Emd.exact().withGround(g).frame(a, b, h, w), 1e-9 * exact);
        }
    }

    @Test
    void sinkhornApproachesTheEmdAsRegShrinks() {
        String[] f = Fixtures.read("sinkhorn.txt").get(1); // 8x8 blobs, Euclidean
        double[] a = Fixtures.map(f[11]);
        double[] b = Fixtures.map(f[12]);
        double exact = Emd.exact().frame(a, b, 8, 8);
        double previous = Double.POSITIVE_INFINITY;
        for (double reg : new double[] {4, 1, 0.25, 0.1}) {
            double v = SinkhornDistance.of(reg).withMaxIterations(20_000).frame(a, b, 8, 8);
            assertTrue(v >= exact - 1e-9 && v < previous, reg + ": " + v);
            previous = v;
        }
        assertTrue(previous - exact < 0.02 * exact, "reg 0.1 within 2 % of the EMD: " + previous);
    }

    @Test
    void sinkhornRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SinkhornDistance.of(0));
        assertThrows(IllegalArgumentException.class, () -> SinkhornDistance.of(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> SinkhornDistance.of(1).withMaxIterations(0));
        assertThrows(IllegalArgumentException.class,
                () -> SinkhornDistance.of(1).withTolerance(-1));
        IllegalArgumentException custom = assertThrows(IllegalArgumentException.class,
                () -> SinkhornDistance.of(1).withGround(
                        GroundDistance.custom("mine", true, GroundDistance.L1::cost)));
        assertTrue(custom.getMessage().contains("'mine'"));
        double[] a = new double[40 * 40];
        double[] b = new double[40 * 40];
        a[0] = 1;
        b[b.length - 1] = 1;
        IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
                () -> SinkhornDistance.of(0.05).withMassPolicy(MassPolicy.NORMALIZE)
                        .frame(a, b, 40, 40));
        assertTrue(under.getMessage().contains("underflows"), under.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SinkhornDistance.of(1).frame(new double[] {-1, 1}, new double[2], 1, 2));
    }

    @Test
    void slicedMatchesPotWithTheSameDirections() {
        List<String[]> cases = Fixtures.read("sliced.txt");
        assertTrue(cases.size() >= 5);
        for (String[] f : cases) {
            int h = Integer.parseInt(f[1]);
            int w = Integer.parseInt(f[2]);
            double p = Double.parseDouble(f[3]);
            double expected = Double.parseDouble(f[4]);
            double exact = Double.parseDouble(f[5]);
            double[] theta = Arrays.stream(f[6].split(",")).mapToDouble(Double::parseDouble)
                    .toArray();
            double[] a = Fixtures.map(f[8]);
            double[] b = Fixtures.map(f[9]);
            double ours = SlicedWasserstein.distance(ref(a), ref(b), h, w, theta, p);
            assertTrue(Fixtures.relativeError(ours, expected) <= 1e-9, String.format(Locale.ROOT,
                    "%s: ours %.12f, POT %.12f (%s)", f[0], ours, expected, f[7]));
            if (p == 1) {
                // projections are 1-Lipschitz: sliced W1 never exceeds the exact EMD
                assertTrue(ours <= exact + 1e-12, f[0]);
            }
        }
    }

    @Test
    void slicedIsSeededAndBelowTheEmd() {
        String[] f = Fixtures.read("sliced.txt").get(3); // 32x32 blobs
        double[] a = Fixtures.map(f[8]);
        double[] b = Fixtures.map(f[9]);
        SlicedWasserstein sw = SlicedWasserstein.of(50, 42);
        assertEquals(sw.frame(a, b, 32, 32), SlicedWasserstein.of(50, 42).frame(a, b, 32, 32));
        assertNotEquals(sw.frame(a, b, 32, 32), sw.withSeed(43).frame(a, b, 32, 32));
        double exact = Emd.exact().frame(a, b, 32, 32);
        double v = sw.frame(a, b, 32, 32);
        assertTrue(v > 0.3 * exact && v <= exact, v + " vs EMD " + exact);
        for (double t : sw.angles()) {
            assertTrue(t >= 0 && t < Math.PI);
        }
        // a one-hot moved by (dy, dx): every projection moves it by |dy cos t + dx sin t|
        double[] x = new double[10 * 10];
        double[] y = new double[10 * 10];
        x[2 * 10 + 1] = 1;
        y[5 * 10 + 8] = 1;
        SlicedWasserstein one = SlicedWasserstein.of(7, 1).withMassPolicy(MassPolicy.NORMALIZE);
        double expected = 0;
        for (double t : one.angles()) {
            expected += Math.abs(3 * Math.cos(t) + 7 * Math.sin(t)) / 7;
        }
        assertEquals(expected, one.frame(x, y, 10, 10), 1e-12);
        assertEquals(0.0, sw.frame(a, a, 32, 32));
    }

    @Test
    void contracts() {
        SlicedWasserstein sw = SlicedWasserstein.of(10, 1);
        SinkhornDistance sk = SinkhornDistance.of(1);
        assertEquals("sliced_wasserstein", sw.name());
        assertEquals("sinkhorn", sk.name());
        assertFalse(sw.higherIsBetter() || sk.higherIsBetter());
        assertFalse(sw.supportsVolume() || sk.supportsVolume());
        Volume v = Volume.filled(1, 2, 3, 3);
        assertThrows(UnsupportedOperationException.class, () -> sw.volume(v, v));
        assertThrows(UnsupportedOperationException.class, () -> sk.volume(v, v));
        assertThrows(IllegalArgumentException.class, () -> SlicedWasserstein.of(0, 1));
        assertThrows(IllegalArgumentException.class, () -> sw.withOrder(0.5));
        Volume human = Volume.of(new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0}, 2, 3, 3);
        Volume machine = Volume.of(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            0, 0}, 2, 3, 3);
        FrameScores s = sw.withMassPolicy(MassPolicy.NORMALIZE).perFrame(human, machine);
        assertTrue(s.isDefined(0));
        assertFalse(s.isDefined(1));
        SinkhornDistance normalized = sk.withMassPolicy(MassPolicy.NORMALIZE);
        FrameScores k = normalized.perFrame(human, machine);
        assertArrayEquals(new boolean[] {true, false}, new boolean[] {k.isDefined(0),
            k.isDefined(1)});
        assertEquals(normalized.frame(human.frame(0), machine.frame(0), 3, 3), k.value(0));
        assertTrue(k.value(0) >= Math.sqrt(8) - 1e-9);
    }
}
