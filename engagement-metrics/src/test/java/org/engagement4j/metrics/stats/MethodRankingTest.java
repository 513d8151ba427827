package org.engagement4j.metrics.stats;

import org.engagement4j.metrics.testing.Fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Table-4-style ranking against NumPy means / standard deviations and scipy's pairwise
 * {@code wilcoxon} ({@code fixtures/stats/ranking.txt}).
 */
class MethodRankingTest {

    private static final Map<String, double[]> SCORES = new LinkedHashMap<>();
    private static final Map<String, double[]> SUMMARY = new HashMap<>();
    private static final Map<String, double[]> PAIRS = new HashMap<>();

    static {
        for (String[] f : Fixture.read("/fixtures/stats/ranking.txt")) {
            switch (f[0]) {
                case "method" -> SCORES.put(f[1], Fixture.doubles(f[2]));
                case "summary" -> SUMMARY.put(f[1], Fixture.doubles(f[3]));
                case "pair" -> PAIRS.put(f[1] + "|" + f[2], Fixture.doubles(f[4]));
                default -> throw new IllegalStateException("unknown line kind " + f[0]);
            }
        }
    }

    @Test
    void ranksLikeTable4AndMatchesNumpyAndScipy() {
        Ranking r = MethodRanking.withDefaults().rank(SCORES);
        assertEquals(List.of("Guided Grad-CAM", "Guided BP", "Grad-CAM", "Gradient saliency"),
                r.methods().stream().map(MethodSummary::name).toList());
        for (MethodSummary s : r.methods()) {
            double[] e = SUMMARY.get(s.name());
            assertEquals(e[0], s.mean(), 1e-12 * Math.abs(e[0]), s.name() + " mean");
            assertEquals(e[1], s.sd(), 1e-12 * e[1], s.name() + " sd (ddof 1)");
            assertEquals(40, s.samples());
        }
        assertEquals(List.of(1, 2, 3, 4), r.methods().stream().map(MethodSummary::rank).toList());
        assertEquals(3, r.adjacent().size());
        assertEquals(6, r.all().size());
        for (PairwiseComparison c : r.all()) {
            double[] e = PAIRS.get(c.first() + "|" + c.second());
            WilcoxonResult w = c.wilcoxon().orElseThrow();
            assertEquals(e[0], w.statistic(), 1e-9, c.first() + " vs " + c.second());
            assertEquals(e[1], w.pValue(), 1e-15 + 1e-12 * e[1], c.first() + " vs " + c.second());
            assertEquals(WilcoxonTest.Method.EXACT, w.method(), "40 continuous pairs: exact");
            assertTrue(c.meanDifference() < 0, "better (lower) first");
            assertTrue(c.bootstrap().isEmpty());
        }
        assertEquals("Guided BP", r.adjacent().get(0).second());
        assertEquals(r.comparison("Grad-CAM", "Guided BP"), r.comparison("Guided BP", "Grad-CAM"));
        assertEquals("Guided BP", r.comparison("Grad-CAM", "Guided BP").first());
        assertTrue(r.comparison("Guided BP", "Gradient saliency").isSignificant(0.05));
    }

    @Test
    void descendingOrderAndPopulationSd() {
        Ranking r = MethodRanking.withDefaults().withOrder(MethodRanking.Order.DESCENDING)
                .withDdof(0).rank(SCORES);
        assertEquals("Gradient saliency", r.methods().get(0).name());
        MethodSummary s = r.methods().get(0);
        double[] e = SUMMARY.get(s.name());
        assertEquals(e[1] * Math.sqrt(39.0 / 40.0), s.sd(), 1e-12 * e[1]);
        assertTrue(r.all().get(0).meanDifference() > 0);
    }

    @Test
    void bootstrapIntervalsEqualTheDirectCall() {
        PairedBootstrap b = PairedBootstrap.of(99).withResamples(500);
        Ranking r = MethodRanking.withDefaults().withBootstrap(b).rank(SCORES);
        PairwiseComparison c = r.adjacent().get(1);
        assertEquals(b.meanDifference(SCORES.get(c.first()), SCORES.get(c.second())),
                c.bootstrap().orElseThrow());
        assertEquals(c.meanDifference(), c.bootstrap().get().meanDifference(), 1e-12);
        assertTrue(MethodRanking.withDefaults().withBootstrap(b).withoutBootstrap().bootstrap().isEmpty());
    }

    @Test
    void identicalMethodsHaveNoTestAndKeepInputOrder() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("b", new double[] {1, 2, 3});
        s.put("a", new double[] {1, 2, 3});
        s.put("c", new double[] {0, 1, 2});
        Ranking r = MethodRanking.withDefaults().rank(s);
        assertEquals(List.of("c", "b", "a"), r.methods().stream().map(MethodSummary::name).toList());
        assertTrue(r.comparison("a", "b").wilcoxon().isEmpty(), "all differences zero");
        assertTrue(!r.comparison("a", "b").isSignificant(0.05));
        assertTrue(r.comparison("c", "a").wilcoxon().isPresent());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.comparison("a", "z"));
        assertTrue(e.getMessage().contains("methods are [c, b, a]"), e.getMessage());
    }

    @Test
    void invalidInputIsRejected() {
        MethodRanking m = MethodRanking.withDefaults();
        assertThrows(IllegalArgumentException.class, () -> m.rank(new LinkedHashMap<>()));
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("a", new double[] {1, 2, 3});
        s.put("b", new double[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.rank(s));
        assertTrue(e.getMessage().startsWith("scores['b']: 2 samples, but 'a' has 3"), e.getMessage());
        s.put("b", new double[] {1, Double.NaN, 2});
        e = assertThrows(IllegalArgumentException.class, () -> m.rank(s));
        assertEquals("scores['b'][1] = NaN: scores must be finite", e.getMessage());
        Map<String, double[]> one = Map.of("a", new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> m.rank(one));
        assertEquals(1, m.withDdof(0).rank(one).methods().size());
        assertThrows(IllegalArgumentException.class, () -> m.withDdof(2));
    }

    @Test
    void inputArraysAreCopied() {
        Map<String, double[]> s = new LinkedHashMap<>();
        double[] a = {1, 2, 3, 4};
        s.put("a", a);
        s.put("b", new double[] {2, 3, 4, 6});
        Ranking r = MethodRanking.withDefaults().rank(s);
        a[0] = 100;
        assertEquals(2.5, r.methods().get(0).mean());
    }
}
