package org.engagement4j.metrics.agreement;

import org.engagement4j.metrics.testing.Fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Cohen's kappa against statsmodels 0.13.5 {@code cohens_kappa}; the generating calls are in
 * {@code fixtures/agreement/kappa_*.txt} (tools/fixtures/agreement_fixtures.py).
 */
class CohensKappaTest {

    /** The tolerance the specification asks for on kappa, its SE and its interval. */
    private static final double TOL = 1e-12;

    @TestFactory
    Stream<DynamicTest> tablesMatchStatsmodels() {
        List<String[]> rows = Fixture.read("/fixtures/agreement/kappa_tables.txt");
        assertTrue(rows.size() >= 20, "at least 20 statsmodels tables");
        return rows.stream().map(f -> DynamicTest.dynamicTest(f[0] + ": " + f[1], () -> {
            double alpha = Double.parseDouble(f[2]);
            int k = Integer.parseInt(f[3]);
            long[] counts = Fixture.longs(f[4]);
            long[][] table = new long[k][k];
            for (int i = 0; i < k; i++) {
                System.arraycopy(counts, i * k, table[i], 0, k);
            }
            Optional<KappaResult> result = CohensKappa.ofTable(table);
            if (f[5].equals("undefined")) {
                assertTrue(result.isEmpty(), "statsmodels gives NaN or fails, we give empty");
                return;
            }
            KappaResult r = result.orElseThrow();
            if (alpha != CohensKappa.DEFAULT_ALPHA) {
                r = r.withAlpha(alpha);
            }
            assertStatsmodels(f[0], Fixture.doubles(f[5]), r);
        }));
    }

    @TestFactory
    Stream<DynamicTest> labelArraysMatchStatsmodels() {
        return Fixture.read("/fixtures/agreement/kappa_labels.txt").stream()
                .map(f -> DynamicTest.dynamicTest(f[0], () -> {
                    int k = Integer.parseInt(f[2]);
                    int[] a = Fixture.ints(f[3]);
                    int[] b = Fixture.ints(f[4]);
                    double[] e = Fixture.doubles(f[5]);
                    KappaResult r = CohensKappa.of(a, b, k).orElseThrow();
                    assertStatsmodels(f[0], e, r);
                    assertEquals(e[8], r.agreement(), TOL, "raw agreement");
                    assertEquals((long) e[9], r.rows(), "rows both labelled");
                    assertEquals(e[8], CohensKappa.agreement(a, b, k).orElseThrow(), TOL);
                    if (k == 2) {
                        assertEquals(r, CohensKappa.of(a, b).orElseThrow());
                    }
                }));
    }

    static void assertStatsmodels(String name, double[] e, KappaResult r) {
        assertEquals(e[0], r.kappa(), TOL, name + " kappa");
        assertEquals(e[1], r.stdKappa(), TOL, name + " std_kappa");
        assertEquals(e[2], r.kappaLow(), TOL, name + " kappa_low");
        assertEquals(e[3], r.kappaUpp(), TOL, name + " kappa_upp");
        assertEquals(e[4], r.stdKappa0(), TOL, name + " std_kappa0");
        assertEquals(e[7], r.kappaMax(), TOL, name + " kappa_max");
        if (Double.isNaN(e[5])) {
            assertTrue(r.zValue().isEmpty(), name + ": statsmodels z is NaN, ours must be empty");
            assertTrue(r.pValueTwoSided().isEmpty());
            assertTrue(r.pValueOneSided().isEmpty());
        } else {
            assertEquals(e[5], r.zValue().orElseThrow(), 1e-12 * Math.max(1, Math.abs(e[5])),
                    name + " z_value");
            double p = r.pValueTwoSided().orElseThrow();
            assertEquals(e[6], p, 1e-15 + 1e-9 * e[6], name + " pvalue_two_sided");
        }
    }

    @Test
    void binaryExampleByHand() {
        // po = 0.7, row marginals (0.5, 0.5), column marginals (0.4, 0.6): pe = 0.5, kappa = 0.4
        long[][] t = {{3, 2}, {1, 4}};
        KappaResult r = CohensKappa.ofTable(t).orElseThrow();
        assertEquals(0.4, r.kappa(), 1e-15);
        assertEquals(0.7, r.agreement(), 1e-15);
        assertEquals(0.5, r.expectedAgreement(), 1e-15);
        assertEquals(10, r.rows());
        assertEquals(0.05, r.alpha());
        assertEquals(1.959963984540054 * r.stdKappa(), r.kappaUpp() - r.kappa(), 1e-14);
    }

    @Test
    void booleanAndIntLabelsAgree() {
        boolean[] a = {true, false, true, true, false, false, true};
        boolean[] b = {true, false, false, true, false, true, true};
        int[] ia = {1, 0, 1, 1, 0, 0, 1};
        int[] ib = {1, 0, 0, 1, 0, 1, 1};
        assertEquals(CohensKappa.of(ia, ib), CohensKappa.of(a, b));
        // label = row of the table: a true and b false lands in [1][0]
        assertEquals(1, CohensKappa.table(ia, ib, 2)[1][0]);
    }

    @Test
    void missingRowsAreLeftOutPairwise() {
        int m = CohensKappa.MISSING;
        int[] a = {1, 0, m, 1, 0, 1, 1, m};
        int[] b = {1, 0, 1, m, 0, 0, 1, 0};
        int[] a2 = {1, 0, 0, 1, 1};
        int[] b2 = {1, 0, 0, 0, 1};
        assertEquals(CohensKappa.of(a2, b2), CohensKappa.of(a, b));
        assertEquals(5, CohensKappa.of(a, b).orElseThrow().rows());
    }

    @Test
    void undefinedWhenBothRatersUseOneSameCategory() {
        assertTrue(CohensKappa.of(new int[] {1, 1, 1}, new int[] {1, 1, 1}).isEmpty());
        assertTrue(CohensKappa.of(new boolean[] {false, false}, new boolean[] {false, false}).isEmpty());
        assertTrue(CohensKappa.ofTable(new long[][] {{0, 0, 0}, {0, 4, 0}, {0, 0, 0}}).isEmpty());
    }

    @Test
    void undefinedWithoutSharedRows() {
        int m = CohensKappa.MISSING;
        assertTrue(CohensKappa.of(new int[] {1, m, 0}, new int[] {m, 1, m}).isEmpty());
        assertTrue(CohensKappa.agreement(new int[] {1, m}, new int[] {m, 0}, 2).isEmpty());
        assertTrue(CohensKappa.ofTable(new long[2][2]).isEmpty());
    }

    @Test
    void constantRatersWhoDisagreeHaveKappaZeroAndNoTest() {
        KappaResult r = CohensKappa.of(new int[] {0, 0, 0}, new int[] {1, 1, 1}).orElseThrow();
        assertEquals(0.0, r.kappa());
        assertEquals(0.0, r.agreement());
        assertEquals(OptionalDouble.empty(), r.zValue());
    }

    @Test
    void perfectAgreementHasZeroStandardErrorNotNaN() {
        KappaResult r = CohensKappa.of(new int[] {0, 1, 1, 0, 1}, new int[] {0, 1, 1, 0, 1})
                .orElseThrow();
        assertEquals(1.0, r.kappa());
        assertEquals(0.0, r.stdKappa(), 1e-8);
        assertFalse(Double.isNaN(r.stdKappa()));
        assertEquals(1.0, r.kappaLow(), 1e-8);
    }

    @Test
    void withAlphaRecomputesOnlyTheInterval() {
        KappaResult r = CohensKappa.ofTable(new long[][] {{20, 5}, {7, 18}}).orElseThrow();
        KappaResult r99 = r.withAlpha(0.01);
        assertEquals(r.kappa(), r99.kappa());
        assertEquals(r.stdKappa(), r99.stdKappa());
        assertEquals(0.01, r99.alpha());
        assertTrue(r99.kappaLow() < r.kappaLow() && r99.kappaUpp() > r.kappaUpp());
        assertEquals(2.5758293035489004 * r.stdKappa(), r99.kappaUpp() - r.kappa(), 1e-14);
        assertEquals(r, r99.withAlpha(0.05));
        for (double bad : new double[] {0, 1, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.withAlpha(bad));
            assertTrue(e.getMessage().startsWith("alpha = "), e.getMessage());
        }
    }

    @Test
    void aThirdLabelValueIsRejectedNotDropped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(new int[] {0, 1, 1, 2}, new int[] {0, 1, 1, 1}));
        assertEquals("first[3] = 2: labels must lie in [0, 2) or be MISSING (-1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(new int[] {0, 1}, new int[] {0, -2}));
        assertTrue(e.getMessage().startsWith("second[1] = -2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(new int[] {0, 3, 1}, new int[] {0, 2, 1}, 3));
        assertTrue(e.getMessage().startsWith("first[1] = 3"), e.getMessage());
    }

    @Test
    void malformedInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> CohensKappa.of(new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(new boolean[] {true}, new boolean[0]));
        assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.of(new int[] {0}, new int[] {0}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.ofTable(new long[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().startsWith("table[1] has 1 columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.ofTable(new long[][] {{1, 2}, {3, -4}}));
        assertTrue(e.getMessage().startsWith("table[1][1] = -4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CohensKappa.ofTable(new long[][] {{5}}));
        assertThrows(IllegalArgumentException.class,
                () -> CohensKappa.ofTable(new long[][] {{Long.MAX_VALUE, 1}, {0, 0}}));
        assertThrows(NullPointerException.class, () -> CohensKappa.ofTable(null));
        assertThrows(NullPointerException.class, () -> CohensKappa.of(null, new int[] {1}));
    }

    @Test
    void resultValidatesItsComponents() {
        assertThrows(IllegalArgumentException.class,
                () -> new KappaResult(Double.NaN, 0, 0, 0, 0.05, 0, 1, 0.5, 1, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new KappaResult(0.1, -1, 0, 0, 0.05, 0, 1, 0.5, 1, 3));
        assertThrows(IllegalArgumentException.class,
                () -> new KappaResult(0.1, 0, 0, 0, 0.05, 0, 1, 0.5, 1, 0));
    }
}
