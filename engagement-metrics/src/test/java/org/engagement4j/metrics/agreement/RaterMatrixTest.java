package org.engagement4j.metrics.agreement;

import org.engagement4j.metrics.testing.Fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Pairwise rater matrices and group means (paper Figures 1 and 3, Table 3). */
class RaterMatrixTest {

    private static final int M = CohensKappa.MISSING;

    private static Map<String, int[]> raters() {
        Map<String, int[]> labels = new LinkedHashMap<>();
        labels.put("A", new int[] {1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0});
        labels.put("B", new int[] {1, 0, 0, 0, 1, 0, 1, 1, M, 1, 1, 0});
        labels.put("C", new int[] {1, 1, 0, 1, 1, 0, 0, 1, 0, M, 0, 0});
        labels.put("net", new int[] {1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1});
        return labels;
    }

    @Test
    void everyPairEqualsCohensKappaOfThatPair() {
        Map<String, int[]> labels = raters();
        RaterMatrix m = RaterMatrix.of(labels);
        assertEquals(List.of("A", "B", "C", "net"), m.raters());
        for (String a : labels.keySet()) {
            for (String b : labels.keySet()) {
                RaterPair p = m.pair(a, b);
                assertEquals(a, p.first());
                assertEquals(b, p.second());
                assertEquals(CohensKappa.of(labels.get(a), labels.get(b)), p.kappa());
                assertEquals(CohensKappa.agreement(labels.get(a), labels.get(b), 2), p.agreement());
            }
        }
        assertEquals(11, m.pair("A", "B").rows());
        assertEquals(10, m.pair("B", "C").rows());
        assertEquals(6, m.pairs().size());
        assertEquals("A", m.pairs().get(0).first());
        assertEquals("net", m.pairs().get(5).second());
    }

    @Test
    void matricesAreSymmetricWithUnitDiagonal() {
        RaterMatrix m = RaterMatrix.of(raters());
        double[][] k = m.kappaMatrix();
        double[][] a = m.agreementMatrix();
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, k[i][i]);
            assertEquals(1.0, a[i][i]);
            for (int j = 0; j < 4; j++) {
                assertEquals(k[i][j], k[j][i]);
                assertEquals(a[i][j], a[j][i]);
            }
        }
        // A and B share 11 rows and disagree on rows 1 and 10
        assertEquals(9.0 / 11, a[0][1], 1e-15);
        k[0][1] = 42;
        assertEquals(m.pair("A", "B").kappaValue().orElseThrow(), m.kappaMatrix()[0][1],
                "the matrix view is a copy");
    }

    @Test
    void groupMeansSelectEachUnorderedPairOnce() {
        RaterMatrix m = RaterMatrix.of(raters());
        List<String> humans = List.of("A", "B", "C");
        PairMean hh = m.meanKappa(humans, humans);
        double expected = (kappa(m, "A", "B") + kappa(m, "A", "C") + kappa(m, "B", "C")) / 3;
        assertEquals(expected, hh.mean().orElseThrow(), 1e-15);
        assertEquals(3, hh.definedPairs());
        assertEquals(0, hh.undefinedPairs());
        PairMean hm = m.meanKappa(humans, List.of("net"));
        assertEquals((kappa(m, "A", "net") + kappa(m, "B", "net") + kappa(m, "C", "net")) / 3,
                hm.mean().orElseThrow(), 1e-15);
        assertEquals(hm, m.meanKappa(List.of("net"), humans));
        PairMean agreement = m.meanAgreement(humans, humans);
        assertEquals((m.pair("A", "B").agreement().orElseThrow()
                + m.pair("A", "C").agreement().orElseThrow()
                + m.pair("B", "C").agreement().orElseThrow()) / 3, agreement.mean().orElseThrow(), 1e-15);
        PairMean none = m.meanKappa(List.of("A"), List.of("A"));
        assertEquals(new PairMean(OptionalDouble.empty(), 0, 0), none);
    }

    private static double kappa(RaterMatrix m, String a, String b) {
        return m.pair(a, b).kappaValue().orElseThrow();
    }

    @Test
    void undefinedPairsAreNaNInMatricesAndSkippedInMeans() {
        Map<String, int[]> labels = new LinkedHashMap<>();
        labels.put("early", new int[] {1, 0, 1, M, M, M});
        labels.put("late", new int[] {M, M, M, 1, 0, 0});
        labels.put("constant", new int[] {1, 1, 1, 1, 1, 1});
        labels.put("alsoConstant", new int[] {1, 1, 1, 1, 1, 1});
        RaterMatrix m = RaterMatrix.of(labels);
        RaterPair disjoint = m.pair("early", "late");
        assertEquals(0, disjoint.rows());
        assertTrue(disjoint.agreement().isEmpty());
        assertTrue(disjoint.kappa().isEmpty());
        assertTrue(Double.isNaN(m.kappaMatrix()[0][1]));
        assertTrue(Double.isNaN(m.agreementMatrix()[0][1]));
        RaterPair constant = m.pair("constant", "alsoConstant");
        assertEquals(1.0, constant.agreement().orElseThrow());
        assertTrue(constant.kappa().isEmpty(), "pe = 1: kappa undefined");
        assertTrue(Double.isNaN(m.kappaMatrix()[2][2]), "a constant rater against itself");
        assertEquals(1.0, m.agreementMatrix()[2][2]);
        PairMean all = m.meanKappa(labels.keySet(), labels.keySet());
        assertEquals(6, all.pairs());
        assertEquals(2, all.undefinedPairs(), "early-late (no rows), constant-alsoConstant (pe = 1)");
        PairMean agreement = m.meanAgreement(labels.keySet(), labels.keySet());
        assertEquals(1, agreement.undefinedPairs());
    }

    @Test
    void invalidInputIsRejected() {
        Map<String, int[]> labels = raters();
        labels.put("D", new int[] {1, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RaterMatrix.of(labels));
        assertTrue(e.getMessage().contains("labels['D']"), e.getMessage());
        labels.put("D", new int[] {1, 0, 0, 0, 1, 0, 1, 1, 2, 1, 1, 0});
        e = assertThrows(IllegalArgumentException.class, () -> RaterMatrix.of(labels));
        assertEquals("labels['D'][8] = 2: labels must lie in [0, 2) or be MISSING (-1)",
                e.getMessage());
        RaterMatrix three = RaterMatrix.of(labels, 3);
        e = assertThrows(IllegalArgumentException.class, () -> three.pair("A", "Z"));
        assertEquals("second: unknown rater 'Z', expected one of [A, B, C, net, D]", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> three.meanKappa(List.of("A"), List.of("nobody")));
        assertThrows(IllegalArgumentException.class, () -> RaterMatrix.of(new LinkedHashMap<>()));
        assertThrows(IllegalArgumentException.class, () -> RaterMatrix.of(raters(), 1));
        Map<String, int[]> empty = new LinkedHashMap<>();
        empty.put("A", new int[0]);
        assertThrows(IllegalArgumentException.class, () -> RaterMatrix.of(empty));
    }

    @Test
    void labelsAreCopied() {
        Map<String, int[]> labels = raters();
        RaterMatrix m = RaterMatrix.of(labels);
        double before = m.pair("A", "B").kappaValue().orElseThrow();
        labels.get("A")[0] = 0;
        assertEquals(before, m.pair("A", "B").kappaValue().orElseThrow());
    }

    @Test
    void agreesWithStatsmodelsOnFixtureRaters() {
        for (String[] f : Fixture.read("/fixtures/agreement/kappa_labels.txt")) {
            Map<String, int[]> labels = new LinkedHashMap<>();
            labels.put("a", Fixture.ints(f[3]));
            labels.put("b", Fixture.ints(f[4]));
            RaterMatrix m = RaterMatrix.of(labels, Integer.parseInt(f[2]));
            double[] e = Fixture.doubles(f[5]);
            assertEquals(e[0], m.kappaMatrix()[0][1], 1e-12, f[0]);
            assertEquals(e[0], m.kappaMatrix()[1][0], 1e-12, f[0]);
            assertEquals(e[8], m.agreementMatrix()[1][0], 1e-12, f[0]);
            CohensKappaTest.assertStatsmodels(f[0], e, m.pair("a", "b").kappa().orElseThrow());
            CohensKappaTest.assertStatsmodels(f[0], e, m.pair("b", "a").kappa().orElseThrow());
        }
    }
}
