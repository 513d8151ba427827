package org.engagement4j.metrics.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.api.Test;

/** Hand-checked values and the documented behaviour on constant, empty and invalid input. */
class MapsMetricsTest {

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private static Volume frame(double... values) {
        return Volume.ofFrame(values, 1, values.length);
    }

    @Test
    void standardSetNamesAndDirections() {
        List<MapMetric> all = MapMetrics.standard();
        assertEquals(List.of("pearson", "spearman", "sim", "kl", "nss", "auc_judd"),
                all.stream().map(MapMetric::name).toList());
        assertEquals(List.of(true, true, true, false, true, true),
                all.stream().map(MapMetric::higherIsBetter).toList());
        assertTrue(all.stream().allMatch(MapMetric::supportsVolume));
        assertThrows(UnsupportedOperationException.class, () -> all.add(Pearson.of()));
    }

    @Test
    void spearmanUsesAverageRanksForTies() {
        // scipy.stats.spearmanr([1, 2, 2, 3], [1, 2, 3, 4]).correlation == 0.9486832980505139
        assertEquals(0.9486832980505139, Spearman.of().volume(frame(1, 2, 2, 3), frame(1, 2, 3, 4)),
                1e-15);
        // numpy.corrcoef([1, 2, 3, 5], [2, 4, 5, 4])[0, 1] == 0.581675050747111 (= 3.75 / sqrt(8.75 * 4.75))
        assertEquals(0.581675050747111, Pearson.of().volume(frame(1, 2, 3, 5), frame(2, 4, 5, 4)),
                1e-15);
    }

    @Test
    void constantFramesAreUndefinedForCorrelations() {
        Volume h = Volume.of(new double[] {0, 0, 0, 0, 1, 2, 3, 4}, 2, 2, 2);
        Volume m = Volume.of(new double[] {1, 2, 3, 4, 4, 3, 2, 1}, 2, 2, 2);
        for (MapMetric metric : List.of(Pearson.of(), Spearman.of())) {
            FrameScores s = metric.perFrame(h, m);
            assertFalse(s.isDefined(0), metric.name());
            assertEquals(-1.0, s.value(1), 1e-15, metric.name());
            assertEquals(-1.0, s.mean().orElseThrow(), 1e-15, "the mean skips the undefined frame");
            assertEquals(1, s.definedCount());
            assertTrue(Double.isNaN(s.values()[0]));
            String msg = message(() -> metric.volume(Volume.filled(0, 2, 2, 2), m));
            assertTrue(msg.contains(metric.name()) && msg.contains("human map is constant")
                    && msg.contains("0.0"), msg);
            msg = message(() -> metric.volume(m, Volume.filled(2.5, 2, 2, 2)));
            assertTrue(msg.contains("machine map is constant") && msg.contains("2.5"), msg);
        }
        assertTrue(Pearson.of().perFrame(Volume.filled(0, 3, 2, 2), MapFixtures.synth("T=3 H=2 W=2 seed=9"))
                .mean().isEmpty(), "no defined frame: empty mean");
    }

    @Test
    void distributionMetricsTreatZeroMapsAsUniform() {
        int n = 16;
        Volume zeros = Volume.filled(0, 1, 4, 4);
        double[] point = new double[n];
        point[5] = 1;
        Volume spike = Volume.ofFrame(point, 4, 4);
        assertEquals(1.0, HistogramIntersection.of().volume(zeros, zeros), 1e-15);
        assertEquals(1.0 / n, HistogramIntersection.of().volume(zeros, spike), 1e-12);
        // Not exactly 0 because of the epsilons: within n * eps, as documented
        assertEquals(0.0, KlDivergence.of().volume(zeros, zeros), n * Distributions.EPS);
        // KL(uniform || spike) = sum (1/n) log((1/n) / eps') is huge but finite
        double kl = KlDivergence.of().volume(zeros, spike);
        assertTrue(kl > 25 && Double.isFinite(kl), "kl = " + kl);
        // KL(spike || uniform) = log(n) up to epsilon terms
        assertEquals(Math.log(n), KlDivergence.of().volume(spike, zeros), 1e-12);
        FrameScores s = HistogramIntersection.of().perFrame(Volume.filled(0, 3, 2, 2),
                Volume.filled(5, 3, 2, 2));
        assertEquals(3, s.definedCount());
        assertEquals(1.0, s.mean().orElseThrow(), 1e-15);
    }

    @Test
    void simAcceptsNegativeValuesButKlDoesNot() {
        Volume neg = frame(-1, 0, 1, 2);
        assertEquals(1.0, HistogramIntersection.of().volume(neg, frame(0, 1, 2, 3)), 1e-15);
        String msg = message(() -> KlDivergence.of().volume(neg, frame(0, 1, 2, 3)));
        assertTrue(msg.startsWith("human: value -1.0") && msg.contains("negative"), msg);
        msg = message(() -> KlDivergence.of().perFrame(frame(0, 1, 2, 3), neg));
        assertTrue(msg.startsWith("machine: value -1.0"), msg);
    }

    @Test
    void nssAndAucOnHandExamples() {
        Fixations atMax = Fixations.of(new boolean[] {false, false, false, true}, 1, 1, 4);
        Volume m = frame(0, 0, 0, 1);
        // standardised m = (m - 0.25) / sqrt(0.1875): the fixation scores sqrt(3)
        assertEquals(Math.sqrt(3), Nss.of().volume(atMax, m), 1e-15);
        assertEquals(1.0, AucJudd.of().volume(atMax, m), 0.0);
        Fixations atMin = Fixations.of(new boolean[] {true, false, false, false}, 1, 1, 4);
        assertEquals(-1 / Math.sqrt(3), Nss.of().volume(atMin, m), 1e-15);
        // ROC (0,0) -> (1,1) through the single threshold 0, where all pixels are positive
        assertEquals(0.5, AucJudd.of().volume(atMin, m), 0.0);
        // Two fixations at the two lowest of five distinct values: points (0,0), (1,.5), (1,1), (1,1)
        Fixations low = Fixations.of(new boolean[] {true, true, false, false, false}, 1, 1, 5);
        assertEquals(0.25, AucJudd.of().volume(low, frame(1, 2, 3, 4, 5)), 1e-15);
        // A constant machine map: one threshold, every pixel above it: chance
        assertEquals(0.5, AucJudd.of().volume(low, frame(3, 3, 3, 3, 3)), 0.0);
        String msg = message(() -> Nss.of().volume(low, frame(3, 3, 3, 3, 3)));
        assertTrue(msg.contains("machine map is constant"), msg);
    }

    @Test
    void aucCountsTiedPixelsTogether() {
        // Values at fixations 2, 2 and non-fixations 1, 2, 3: one threshold (2) with tp = 1 and
        // fp = 2/3, then (1, 1): area = (2/3)(0 + 1)/2 + (1/3)(1 + 1)/2 = 2/3.
        Fixations f = Fixations.of(new boolean[] {true, true, false, false, false}, 1, 1, 5);
        assertEquals(2.0 / 3, AucJudd.of().volume(f, frame(2, 2, 1, 2, 3)), 1e-15);
        // -0.0 and 0.0 are one value
        Fixations g = Fixations.of(new boolean[] {true, false, false}, 1, 1, 3);
        assertEquals(AucJudd.of().volume(g, frame(0.0, -0.0, -1)),
                AucJudd.of().volume(g, frame(-0.0, 0.0, -1)), 0.0);
    }

    @Test
    void fixationRules() {
        Volume h = Volume.of(new double[] {0, 1, 2, 4, 0, 0, 0.5, 1}, 2, 1, 4);
        assertArrayEquals(new boolean[] {false, false, true, true, false, false, false, false},
                Fixations.aboveVolumeFraction(h, 0.5).toArray());
        assertArrayEquals(new boolean[] {false, false, true, true, false, false, true, true},
                Fixations.aboveFrameFraction(h, 0.5).toArray());
        Fixations all = Fixations.aboveFrameFraction(h, 1e-9);
        assertEquals(3, all.count(0));
        assertEquals(2, all.count(1));
        assertEquals(5, all.count());
        assertTrue(all.get(1, 0, 3));
        assertEquals(0, Fixations.aboveVolumeFraction(Volume.filled(0, 2, 3, 3), 0.5).count());
        assertEquals(0, Fixations.aboveVolumeFraction(Volume.filled(-1, 2, 3, 3), 0.5).count());
        for (double bad : new double[] {0, -0.1, 1.0001, Double.NaN}) {
            assertTrue(message(() -> Fixations.aboveFrameFraction(h, bad)).startsWith("fraction: "));
            assertTrue(message(() -> Nss.of().withFixationThreshold(bad)).contains("(0, 1]"));
            assertThrows(IllegalArgumentException.class, () -> AucJudd.of().withFixationThreshold(bad));
        }
        assertTrue(message(() -> Fixations.of(new boolean[3], 1, 2, 2)).contains("length 3"));
        assertTrue(message(() -> Fixations.of(new boolean[0], 0, 2, 2)).contains("[0, 2, 2]"));
        boolean[] mask = {true, false};
        Fixations f = Fixations.of(mask, 1, 1, 2);
        mask[1] = true;
        assertEquals(1, f.count(), "the mask is copied");
    }

    @Test
    void thresholdIsConfigurable() {
        Volume h = Volume.of(new double[] {0, 1, 2, 4}, 1, 1, 4);
        Volume m = Volume.of(new double[] {4, 3, 1, 2}, 1, 1, 4);
        Nss n = Nss.of().withFixationThreshold(0.25);
        assertEquals(0.25, n.fixationThreshold());
        assertEquals(0.5, Nss.of().fixationThreshold());
        assertEquals(n.volume(Fixations.aboveVolumeFraction(h, 0.25), m), n.volume(h, m), 0.0);
        assertNotEquals(Nss.of().volume(h, m), n.volume(h, m));
        assertEquals(AucJudd.of().withFixationThreshold(0.25), AucJudd.of().withFixationThreshold(0.25));
        assertEquals(AucJudd.of().withFixationThreshold(0.25).volume(
                Fixations.aboveVolumeFraction(h, 0.25), m),
                AucJudd.of().withFixationThreshold(0.25).volume(h, m), 0.0);
    }

    @Test
    void locationMetricsWithoutFixationsAreUndefined() {
        Volume h = Volume.of(new double[] {0, 0, 0, 0, 0, 1, 0, 0}, 2, 2, 2);
        Volume m = Volume.of(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, 2, 2, 2);
        for (MapMetric metric : List.of(Nss.of(), AucJudd.of())) {
            FrameScores s = metric.perFrame(h, m);
            assertFalse(s.isDefined(0), metric.name() + ": unpainted frame");
            assertTrue(s.isDefined(1));
            String msg = message(() -> metric.volume(Volume.filled(0, 2, 2, 2), m));
            assertTrue(msg.startsWith(metric.name() + ": there is no fixation"), msg);
        }
        Fixations full = Fixations.of(new boolean[] {true, true, true, true, true, false, true, true},
                2, 2, 2);
        FrameScores s = AucJudd.of().perFrame(full, m);
        assertFalse(s.isDefined(0), "every pixel a fixation: no false-positive rate");
        assertTrue(s.isDefined(1));
        String msg = message(() -> AucJudd.of().volume(Fixations.of(new boolean[] {true, true},
                1, 1, 2), frame(1, 2)));
        assertTrue(msg.contains("all 2 pixels are fixations"), msg);
        assertFalse(Nss.of().perFrame(full, Volume.of(new double[] {1, 1, 1, 1, 1, 2, 3, 4}, 2, 2, 2))
                .isDefined(0), "constant machine frame");
    }

    @Test
    void invalidInputIsRejectedByEveryMetric() {
        Volume ok = Volume.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 1, 3);
        double[] d = ok.toArray();
        d[4] = Double.NaN;
        Volume nan = Volume.of(d, 2, 1, 3);
        d[4] = Double.NEGATIVE_INFINITY;
        Volume inf = Volume.of(d, 2, 1, 3);
        Volume other = Volume.filled(1, 2, 3, 1);
        for (MapMetric metric : MapMetrics.standard()) {
            for (boolean perFrame : new boolean[] {false, true}) {
                String msg = message(() -> run(metric, perFrame, nan, ok));
                assertTrue(msg.startsWith("human: value NaN at [frame 1, row 0, column 1]"),
                        metric.name() + ": " + msg);
                msg = message(() -> run(metric, perFrame, ok, inf));
                assertTrue(msg.startsWith("machine: value -Infinity at [frame 1, row 0, column 1]"),
                        metric.name() + ": " + msg);
                msg = message(() -> run(metric, perFrame, ok, other));
                assertTrue(msg.contains("shape mismatch: human is [2, 1, 3] but machine is [2, 3, 1]"),
                        metric.name() + ": " + msg);
                assertThrows(NullPointerException.class, () -> run(metric, perFrame, null, ok));
                assertThrows(NullPointerException.class, () -> run(metric, perFrame, ok, null));
            }
        }
        Fixations f = Fixations.of(new boolean[6], 2, 1, 3);
        assertTrue(message(() -> Nss.of().perFrame(f, other)).contains("fixations are [2, 1, 3]"));
        assertTrue(message(() -> AucJudd.of().volume(f, inf)).startsWith("machine: value -Infinity"));
    }

    private static Object run(MapMetric metric, boolean perFrame, Volume h, Volume m) {
        return perFrame ? metric.perFrame(h, m) : (Object) metric.volume(h, m);
    }

    @Test
    void hugeButFiniteValuesDoNotOverflow() {
        Volume h = frame(1e300, 3e300, 2e300, 4e300);
        Volume m = frame(1, 3, 2, 5);
        assertEquals(Pearson.of().volume(frame(1, 3, 2, 4), m), Pearson.of().volume(h, m), 1e-15);
        Fixations f = Fixations.of(new boolean[] {false, true, false, true}, 1, 1, 4);
        assertEquals(Nss.of().volume(f, frame(1, 3, 2, 4)), Nss.of().volume(f, h), 1e-15);
        Volume spread = frame(-Double.MAX_VALUE, Double.MAX_VALUE, 0, 1);
        String msg = message(() -> HistogramIntersection.of().volume(spread, m));
        assertTrue(msg.startsWith("human: the map's mass overflows"), msg);
    }
}
