package org.engagement4j.metrics.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * Metric axioms on generated map pairs (fixed seed, so a failure reproduces): bounds, symmetry,
 * identity, and invariances. Shapes are small ({@code T <= 3}, {@code H, W <= 6}) so that constant
 * frames and ties occur often enough to be exercised.
 */
class MapsMetricPropertiesTest {

    private static final String SEED = "20221107";

    /** (human, machine) pairs of one random shape, continuous values in [-5, 5]. */
    @Provide
    Arbitrary<Volume[]> pairs() {
        return pairsOf(Arbitraries.doubles().between(-5, 5));
    }

    /** Pairs on the integer grid 0..6: many ties, and exact affine transforms with integer a, b. */
    @Provide
    Arbitrary<Volume[]> gridPairs() {
        return pairsOf(Arbitraries.integers().between(0, 6).map(i -> (double) i));
    }

    /** Non-negative pairs for the KL divergence, with zeros likely. */
    @Provide
    Arbitrary<Volume[]> nonNegativePairs() {
        return pairsOf(Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(0, 3)));
    }

    private static Arbitrary<Volume[]> pairsOf(Arbitrary<Double> values) {
        Arbitrary<int[]> shapes = Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(2, 6))
                .as((t, h, w) -> new int[] {t, h, w});
        return shapes.flatMap(s -> {
            Arbitrary<Volume> v = values.list().ofSize(s[0] * s[1] * s[2])
                    .map(l -> Volume.of(l.stream().mapToDouble(Double::doubleValue).toArray(),
                            s[0], s[1], s[2]));
            return Combinators.combine(v, v).as((a, b) -> new Volume[] {a, b});
        });
    }

    private static Volume affine(Volume v, double a, double b) {
        return v.map(x -> a * x + b);
    }

    private static boolean constant(Volume v) {
        return v.min() == v.max();
    }

    @Property(seed = SEED, tries = 300)
    void correlationsAreBoundedAndSymmetric(@ForAll("pairs") Volume[] p) {
        for (MapMetric metric : List.of(Pearson.of(), Spearman.of())) {
            FrameScores hm = metric.perFrame(p[0], p[1]);
            FrameScores mh = metric.perFrame(p[1], p[0]);
            assertEquals(hm, mh, metric.name() + " per frame is symmetric");
            for (double r : hm.values()) {
                assertTrue(Double.isNaN(r) || (r >= -1 && r <= 1), metric.name() + ": " + r);
            }
            if (!constant(p[0]) && !constant(p[1])) {
                double r = metric.volume(p[0], p[1]);
                assertTrue(r >= -1 && r <= 1, metric.name() + ": " + r);
                assertEquals(r, metric.volume(p[1], p[0]), 0.0, metric.name() + " is symmetric");
            }
        }
    }

    @Property(seed = SEED, tries = 300)
    void pearsonIsInvariantToPositiveAffineTransforms(@ForAll("pairs") Volume[] p,
            @ForAll @DoubleRange(min = 1e-3, max = 1e3) @Scale(6) double a,
            @ForAll @DoubleRange(min = -1e3, max = 1e3) double b) {
        FrameScores before = Pearson.of().perFrame(p[0], p[1]);
        FrameScores human = Pearson.of().perFrame(affine(p[0], a, b), p[1]);
        FrameScores machine = Pearson.of().perFrame(p[0], affine(p[1], a, b));
        for (int t = 0; t < before.frames(); t++) {
            if (before.isDefined(t) && human.isDefined(t) && machine.isDefined(t)) {
                assertEquals(before.value(t), human.value(t), 1e-8, "human transformed");
                assertEquals(before.value(t), machine.value(t), 1e-8, "machine transformed");
            }
        }
    }

    @Property(seed = SEED, tries = 300)
    void spearmanIsExactlyInvariantToPositiveAffineTransforms(@ForAll("gridPairs") Volume[] p,
            @ForAll @IntRange(min = 1, max = 50) int a, @ForAll @IntRange(min = -100, max = 100) int b) {
        // Integer a and b keep the grid values exact, so the ranks, ties included, cannot change.
        assertEquals(Spearman.of().perFrame(p[0], p[1]), Spearman.of().perFrame(affine(p[0], a, b), p[1]));
        assertEquals(Spearman.of().perFrame(p[0], p[1]), Spearman.of().perFrame(p[0], affine(p[1], a, b)));
        FrameScores pearson = Pearson.of().perFrame(p[0], p[1]);
        FrameScores moved = Pearson.of().perFrame(affine(p[0], a, b), affine(p[1], a, -b));
        for (int t = 0; t < pearson.frames(); t++) {
            assertEquals(pearson.isDefined(t), moved.isDefined(t));
            if (pearson.isDefined(t)) {
                assertEquals(pearson.value(t), moved.value(t), 1e-12);
            }
        }
    }

    @Property(seed = SEED, tries = 300)
    void simIsBoundedSymmetricAndOneForIdenticalMaps(@ForAll("pairs") Volume[] p) {
        HistogramIntersection sim = HistogramIntersection.of();
        double s = sim.volume(p[0], p[1]);
        assertTrue(s >= 0 && s <= 1, "sim " + s);
        assertEquals(s, sim.volume(p[1], p[0]), 0.0);
        assertEquals(1.0, sim.volume(p[0], p[0]), 1e-12);
        for (double v : sim.perFrame(p[0], p[1]).values()) {
            assertTrue(v >= 0 && v <= 1, "sim frame " + v);
        }
        assertEquals(1.0, sim.perFrame(p[1], p[1]).mean().orElseThrow(), 1e-12);
    }

    @Property(seed = SEED, tries = 300)
    void klIsZeroForIdenticalMapsAndNeverMeaningfullyNegative(@ForAll("nonNegativePairs") Volume[] p) {
        KlDivergence kl = KlDivergence.of();
        assertEquals(0.0, kl.volume(p[0], p[0]), 1e-12);
        assertEquals(0.0, kl.perFrame(p[1], p[1]).mean().orElseThrow(), 1e-12);
        assertTrue(kl.volume(p[0], p[1]) >= -1e-12);
        for (double v : kl.perFrame(p[0], p[1]).values()) {
            assertTrue(v >= -1e-12, "kl frame " + v);
        }
    }

    @Property(seed = SEED, tries = 300)
    void locationMetricsAreInvariantToPositiveAffineTransformsOfTheMachineMap(
            @ForAll("gridPairs") Volume[] p, @ForAll @IntRange(min = 1, max = 50) int a,
            @ForAll @IntRange(min = -100, max = 100) int b) {
        Volume moved = affine(p[1], a, b);
        assertEquals(AucJudd.of().perFrame(p[0], p[1]), AucJudd.of().perFrame(p[0], moved));
        for (double v : AucJudd.of().perFrame(p[0], p[1]).values()) {
            assertTrue(Double.isNaN(v) || (v >= 0 && v <= 1), "auc " + v);
        }
        FrameScores nss = Nss.of().perFrame(p[0], p[1]);
        FrameScores nssMoved = Nss.of().perFrame(p[0], moved);
        for (int t = 0; t < nss.frames(); t++) {
            assertEquals(nss.isDefined(t), nssMoved.isDefined(t));
            if (nss.isDefined(t)) {
                assertEquals(nss.value(t), nssMoved.value(t), 1e-12);
            }
        }
    }
}
