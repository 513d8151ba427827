package org.engagement4j.metrics.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The six metrics against float64 NumPy / SciPy evaluations of the reference formulas
 * ({@code metrics.txt}, written by {@code tools/fixtures/maps_fixtures.py}; its header lists the
 * formulas and the Python calls). Tolerance: {@code 1e-11 * max(1, |expected|)}, float64 against
 * float64 with different summation orders. A 'nan' in the fixture must be an undefined frame here,
 * and an undefined volume value must make the volume form throw.
 */
class MapsMetricsFixtureTest {

    static Stream<MapFixtures.Case> cases() {
        return MapFixtures.read("metrics.txt").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void allMetricsMatchTheReference(MapFixtures.Case c) {
        Volume h = c.input("human", "human_checksum");
        Volume m = c.input("machine", "machine_checksum");
        for (MapMetric metric : MapMetrics.standard()) {
            String what = c.name + " / " + metric.name();
            double expectedVolume = c.doubles(metric.name() + "_volume")[0];
            if (Double.isNaN(expectedVolume)) {
                assertThrows(IllegalArgumentException.class, () -> metric.volume(h, m), what);
            } else {
                assertEquals(expectedVolume, metric.volume(h, m), tol(expectedVolume), what + " volume");
            }
            double[] expected = c.doubles(metric.name() + "_frames");
            FrameScores scores = metric.perFrame(h, m);
            assertEquals(expected.length, scores.frames(), what);
            for (int t = 0; t < expected.length; t++) {
                if (Double.isNaN(expected[t])) {
                    assertFalse(scores.isDefined(t), what + " frame " + t + " must be undefined");
                } else {
                    assertTrue(scores.isDefined(t), what + " frame " + t + " must be defined");
                    assertEquals(expected[t], scores.value(t), tol(expected[t]), what + " frame " + t);
                }
            }
        }
    }

    /** The fixture set must exercise undefined frames and ties, or the test above proves less. */
    @org.junit.jupiter.api.Test
    void fixturesCoverUndefinedFramesAndTies() {
        long undefined = cases().flatMap(c -> Stream.of("pearson", "nss", "auc_judd")
                .map(k -> c.doubles(k + "_frames"))).flatMapToDouble(java.util.Arrays::stream)
                .filter(Double::isNaN).count();
        assertTrue(undefined >= 4, "fixtures hold " + undefined + " undefined frames");
        Volume tied = MapFixtures.synth(cases().filter(c -> c.name.equals("tied_levels"))
                .findFirst().orElseThrow().get("human"));
        assertTrue(java.util.Arrays.stream(tied.toArray()).distinct().count() <= 4);
    }

    private static double tol(double expected) {
        return 1e-11 * Math.max(1, Math.abs(expected));
    }
}
