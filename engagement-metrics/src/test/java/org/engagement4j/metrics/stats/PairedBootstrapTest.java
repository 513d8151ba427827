package org.engagement4j.metrics.stats;

import org.engagement4j.metrics.testing.Fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The seeded paired bootstrap: quantiles against {@code numpy.quantile}
 * ({@code fixtures/stats/quantile.txt}), reproducibility, and agreement with the normal theory
 * interval on a large sample.
 */
class PairedBootstrapTest {

    @TestFactory
    Stream<DynamicTest> quantilesMatchNumpy() {
        return Fixture.read("/fixtures/stats/quantile.txt").stream()
                .map(f -> DynamicTest.dynamicTest(f[0] + ": " + f[1], () -> {
                    double[] sorted = Fixture.doubles(f[2]);
                    double[] qs = Fixture.doubles(f[3]);
                    double[] expected = Fixture.doubles(f[4]);
                    for (int i = 0; i < qs.length; i++) {
                        assertEquals(expected[i], Quantiles.linear(sorted, qs[i]), 0.0,
                                "q = " + qs[i]);
                    }
                }));
    }

    private static double[][] normalPairs(long seed, int n, double shift) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[][] xy = new double[2][n];
        for (int i = 0; i < n; i++) {
            // Box-Muller is enough for test data
            double u = 1 - rng.nextDouble();
            double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
            xy[1][i] = 5 + rng.nextDouble();
            xy[0][i] = xy[1][i] + shift + g;
        }
        return xy;
    }

    @Test
    void sameSeedSameIntervalOtherSeedOtherInterval() {
        double[][] xy = normalPairs(1, 60, 0.3);
        PairedBootstrap b = PairedBootstrap.of(42).withResamples(2000);
        BootstrapInterval i1 = b.meanDifference(xy[0], xy[1]);
        assertEquals(i1, b.meanDifference(xy[0], xy[1]));
        assertEquals(i1, PairedBootstrap.of(42).withResamples(2000).meanDifference(xy[0], xy[1]));
        BootstrapInterval i2 = b.withSeed(43).meanDifference(xy[0], xy[1]);
        assertNotEquals(i1.lower(), i2.lower());
        assertEquals(i1.meanDifference(), i2.meanDifference());
        assertEquals(42, i1.seed());
        assertEquals(43, i2.seed());
        assertEquals(2000, i1.resamples());
        assertEquals(0.95, i1.confidence());
    }

    @Test
    void largeSampleIntervalMatchesNormalTheory() {
        int n = 400;
        double[][] xy = normalPairs(7, n, 0.25);
        double[] d = Samples.differences(xy[0], xy[1]);
        double mean = Samples.mean(d);
        double ss = 0;
        for (double v : d) {
            ss += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(ss / n) / Math.sqrt(n);
        BootstrapInterval ci = PairedBootstrap.of(2022).withResamples(20_000).meanDifference(xy[0], xy[1]);
        assertEquals(mean, ci.meanDifference(), 1e-12);
        double halfWidth = 1.959963984540054 * se;
        assertEquals(mean - halfWidth, ci.lower(), 0.08 * halfWidth);
        assertEquals(mean + halfWidth, ci.upper(), 0.08 * halfWidth);
        assertTrue(ci.excludesZero(), "a shift of 0.25 with n = 400 is clear");
        BootstrapInterval ci80 = PairedBootstrap.of(2022).withResamples(20_000).withConfidence(0.8)
                .meanDifference(xy[0], xy[1]);
        assertEquals(1.2815515655446004 * se, ci80.upper() - mean, 0.08 * 1.28 * se);
    }

    @Test
    void degenerateDataCollapseTheInterval() {
        BootstrapInterval one = PairedBootstrap.of(1).meanDifference(new double[] {3.5},
                new double[] {1.0});
        assertEquals(2.5, one.lower());
        assertEquals(2.5, one.upper());
        BootstrapInterval constant = PairedBootstrap.of(1).withResamples(100)
                .meanDifference(new double[] {2, 3, 4, 5}, new double[] {1, 2, 3, 4});
        assertEquals(1.0, constant.lower());
        assertEquals(1.0, constant.upper());
        assertTrue(constant.contains(1.0));
    }

    @Test
    void invalidInputIsRejected() {
        PairedBootstrap b = PairedBootstrap.of(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.withResamples(0));
        assertEquals("resamples = 0: at least one resample is required", e.getMessage());
        for (double bad : new double[] {0, 1, -0.5, Double.NaN}) {
            e = assertThrows(IllegalArgumentException.class, () -> b.withConfidence(bad));
            assertTrue(e.getMessage().startsWith("confidence = "), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> b.meanDifference(new double[] {1, Double.NaN}, new double[] {1, 2}));
        assertEquals("x[1] = NaN: scores must be finite", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> b.meanDifference(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> b.meanDifference(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new BootstrapInterval(0, 1, -1, 0.95, 10, 0));
    }

    @Provide
    Arbitrary<List<Double>> scores() {
        return Arbitraries.doubles().between(-100, 100).list().ofMinSize(2).ofMaxSize(40);
    }

    @Property(tries = 60, seed = "20220611", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void reproducibleAndNested(@ForAll("scores") List<Double> values, @ForAll long seed) {
        int n = values.size() / 2;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = values.get(2 * i);
            y[i] = values.get(2 * i + 1);
        }
        PairedBootstrap b = PairedBootstrap.of(seed).withResamples(300);
        BootstrapInterval ci = b.meanDifference(x, y);
        assertEquals(ci, b.meanDifference(x.clone(), y.clone()), "same seed, same interval");
        BootstrapInterval wider = b.withConfidence(0.99).meanDifference(x, y);
        assertTrue(wider.lower() <= ci.lower() && ci.upper() <= wider.upper(),
                "same resamples: the 99 % interval contains the 95 % one");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, x[i] - y[i]);
            max = Math.max(max, x[i] - y[i]);
        }
        assertTrue(ci.lower() >= min - 1e-9 && ci.upper() <= max + 1e-9, "within the data's range");
    }
}
