package org.engagement4j.metrics.stats;

import org.engagement4j.metrics.testing.Fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.engagement4j.metrics.stats.WilcoxonTest.Alternative;
import org.engagement4j.metrics.stats.WilcoxonTest.Method;
import org.engagement4j.metrics.stats.WilcoxonTest.ZeroMethod;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The signed-rank test against scipy 1.10 {@code scipy.stats.wilcoxon}; each case of
 * {@code fixtures/stats/wilcoxon.txt} records the scipy call.
 */
class WilcoxonTestTest {

    /** Method each fixture case must report (scipy silently switches; we say which). */
    private static final Map<String, Method> USED = Map.ofEntries(
            Map.entry("exact_n12_two-sided", Method.EXACT),
            Map.entry("exact_n12_auto", Method.EXACT),
            Map.entry("exact_n50_auto", Method.EXACT),
            Map.entry("exact_forced_n80", Method.EXACT),
            Map.entry("single_pair", Method.EXACT),
            Map.entry("approx_n80_two-sided", Method.ASYMPTOTIC),
            Map.entry("approx_forced_n12", Method.ASYMPTOTIC),
            Map.entry("ties_approx_n27", Method.ASYMPTOTIC),
            Map.entry("zeros3_wilcox_auto_n20", Method.ASYMPTOTIC),
            Map.entry("zeros3_wilcox_exact_request_n20", Method.ASYMPTOTIC),
            Map.entry("zero1_pratt_n40", Method.ASYMPTOTIC));

    @TestFactory
    Stream<DynamicTest> matchesScipy() {
        List<String[]> rows = Fixture.read("/fixtures/stats/wilcoxon.txt");
        assertTrue(rows.stream().anyMatch(f -> f[0].startsWith("exact_")));
        assertTrue(rows.stream().anyMatch(f -> f[0].startsWith("approx_")));
        return rows.stream().filter(f -> !f[0].startsWith("deviation_"))
                .map(f -> DynamicTest.dynamicTest(f[0] + ": " + f[1], () -> {
                    WilcoxonResult r = configured(f).test(Fixture.doubles(f[6]), Fixture.doubles(f[7]));
                    double[] e = Fixture.doubles(f[8]);
                    assertEquals(e[0], r.statistic(), 1e-9, "statistic");
                    assertEquals(e[1], r.pValue(), 1e-15 + 1e-12 * e[1], "p-value");
                    Method used = USED.get(f[0]);
                    if (used != null) {
                        assertEquals(used, r.method());
                    }
                }));
    }

    static WilcoxonTest configured(String[] f) {
        WilcoxonTest t = WilcoxonTest.withDefaults()
                .withAlternative(switch (f[2]) {
                    case "greater" -> Alternative.GREATER;
                    case "less" -> Alternative.LESS;
                    default -> Alternative.TWO_SIDED;
                })
                .withMethod(switch (f[3]) {
                    case "exact" -> Method.EXACT;
                    case "approx" -> Method.ASYMPTOTIC;
                    default -> Method.AUTO;
                })
                .withZeroMethod(f[4].equals("pratt") ? ZeroMethod.PRATT : ZeroMethod.WILCOX)
                .withContinuityCorrection(Boolean.parseBoolean(f[5].toLowerCase()));
        return t;
    }

    @Test
    void prattWithSeveralZerosDeviatesSlightlyAsDocumented() {
        String[] f = Fixture.read("/fixtures/stats/wilcoxon.txt").stream()
                .filter(r -> r[0].startsWith("deviation_")).findFirst().orElseThrow();
        WilcoxonResult r = configured(f).test(Fixture.doubles(f[6]), Fixture.doubles(f[7]));
        double[] e = Fixture.doubles(f[8]);
        assertEquals(3, r.zeros());
        assertEquals(e[0], r.statistic(), 1e-9, "the statistic is unaffected");
        double relative = Math.abs(r.pValue() - e[1]) / e[1];
        assertTrue(relative > 1e-9 && relative < 1e-2, "relative deviation " + relative);
    }

    @Test
    void rankSumsAndCounts() {
        double[] x = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
        double[] y = {1.5, 1.0, 3.0, 1.0, 8.0, 0.0};
        // differences -0.5, 1, 0, 3, -3, 6: the zero is dropped, |d| ranks 1, 2, 3.5, 3.5, 5
        WilcoxonResult r = WilcoxonTest.withDefaults().test(x, y);
        assertEquals(6, r.pairs());
        assertEquals(1, r.zeros());
        assertEquals(5, r.nonZeroPairs());
        assertTrue(r.ties());
        assertEquals(2 + 3.5 + 5, r.wPlus());
        assertEquals(1 + 3.5, r.wMinus());
        assertEquals(4.5, r.statistic());
        assertEquals(Method.ASYMPTOTIC, r.method(), "a zero forces the approximation");
        WilcoxonResult greater = WilcoxonTest.withDefaults().withAlternative(Alternative.GREATER)
                .test(x, y);
        assertEquals(10.5, greater.statistic(), "one-sided statistic is W+");
        WilcoxonResult pratt = WilcoxonTest.withDefaults().withZeroMethod(ZeroMethod.PRATT).test(x, y);
        // Pratt: |d| ranks 1 (zero), 2, 3, 4.5, 4.5, 6
        assertEquals(3 + 4.5 + 6, pratt.wPlus());
        assertEquals(2 + 4.5, pratt.wMinus());
    }

    @Test
    void swappingTheSamplesMirrorsTheTest() {
        double[] x = {3.1, 4.7, 2.2, 5.9, 6.4, 1.3, 7.7, 2.8, 9.1, 4.4};
        double[] y = {2.0, 4.1, 2.9, 4.4, 5.1, 1.0, 7.0, 1.5, 7.9, 4.9};
        WilcoxonTest two = WilcoxonTest.withDefaults();
        assertEquals(two.test(x, y).pValue(), two.test(y, x).pValue(), 1e-15);
        WilcoxonTest greater = two.withAlternative(Alternative.GREATER);
        WilcoxonTest less = two.withAlternative(Alternative.LESS);
        assertEquals(greater.test(x, y).pValue(), less.test(y, x).pValue(), 1e-15);
        assertTrue(greater.test(x, y).pValue() < 0.05);
        assertFalse(less.test(x, y).isSignificant(0.05));
    }

    @Test
    void invalidInputIsRejected() {
        WilcoxonTest t = WilcoxonTest.withDefaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.test(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}));
        assertEquals("y[1] = NaN: scores must be finite", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> t.test(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}));
        assertTrue(e.getMessage().startsWith("x[1] = Infinity"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> t.test(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("lengths differ (2 vs 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.test(new double[0], new double[0]));
        assertThrows(NullPointerException.class, () -> t.test(null, new double[1]));
        e = assertThrows(IllegalArgumentException.class,
                () -> t.test(new double[] {1, 2, 3}, new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("all 3 differences x - y are zero"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.withZeroMethod(ZeroMethod.PRATT)
                .test(new double[] {1, 2}, new double[] {1, 2}));
        assertFalse(WilcoxonTest.isDefined(new double[] {1, 2}, new double[] {1, 2}));
        assertTrue(WilcoxonTest.isDefined(new double[] {1, 2}, new double[] {1, 2.5}));
        assertThrows(NullPointerException.class, () -> t.withMethod(null));
    }

    @Test
    void configurationIsImmutable() {
        WilcoxonTest d = WilcoxonTest.withDefaults();
        WilcoxonTest c = d.withContinuityCorrection(true).withMethod(Method.EXACT);
        assertFalse(d.continuityCorrection());
        assertEquals(Method.AUTO, d.method());
        assertTrue(c.continuityCorrection());
        assertEquals(Method.EXACT, c.method());
        assertEquals(ZeroMethod.WILCOX, c.zeroMethod());
        assertEquals(Alternative.TWO_SIDED, c.alternative());
        assertNotEquals(d.toString(), c.toString());
    }
}
