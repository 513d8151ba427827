package org.engagement4j.metrics.agreement;

import org.engagement4j.metrics.testing.Fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Confusion matrix and scores against NumPy ({@code fixtures/agreement/confusion.txt}), and the
 * random baselines of the paper's Table 2.
 */
class ConfusionMatrixTest {

    @TestFactory
    Stream<DynamicTest> matchesNumpy() {
        return Fixture.read("/fixtures/agreement/confusion.txt").stream()
                .map(f -> DynamicTest.dynamicTest(f[0], () -> {
                    int[] labels = Fixture.ints(f[2]);
                    int[] predictions = Fixture.ints(f[3]);
                    double[] e = Fixture.doubles(f[4]);
                    ConfusionMatrix m = ConfusionMatrix.of(labels, predictions);
                    assertEquals(new ConfusionMatrix((long) e[0], (long) e[1], (long) e[2],
                            (long) e[3]), m);
                    assertEquals(labels.length, m.total());
                    assertEquals(e[4], m.accuracy(), 1e-15, "accuracy");
                    assertOptional(e[5], m.precision(), "precision");
                    assertOptional(e[6], m.recall(), "recall");
                    assertOptional(e[7], m.f1(), "f1");
                    assertOptional(e[8], m.balancedAccuracy(), "balanced accuracy");
                    boolean[] l = new boolean[labels.length];
                    boolean[] p = new boolean[labels.length];
                    for (int i = 0; i < l.length; i++) {
                        l[i] = labels[i] == 1;
                        p[i] = predictions[i] == 1;
                    }
                    assertEquals(m, ConfusionMatrix.of(l, p));
                }));
    }

    private static void assertOptional(double expected, OptionalDouble actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(actual.isEmpty(), what + " must be undefined (NumPy gives NaN)");
        } else {
            assertEquals(expected, actual.orElseThrow(), 1e-15, what);
        }
    }

    @Test
    void layoutIsLabelByPrediction() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {1, 1, 1, 0, 0}, new int[] {1, 0, 1, 1, 0});
        assertEquals(new ConfusionMatrix(2, 1, 1, 1), m);
        assertArrayEquals(new long[][] {{1, 1}, {1, 2}}, m.toArray());
        assertEquals(0.6, m.positiveRate(), 1e-15);
        // F1 = tp / (tp + (fp + fn) / 2) = 2 / 3, the harmonic mean of precision and recall
        assertEquals(2.0 / 3, m.f1().orElseThrow(), 1e-15);
        assertEquals(2.0 / 3, m.precision().orElseThrow(), 1e-15);
        assertEquals(0.5, m.specificity().orElseThrow(), 1e-15);
        assertEquals((2.0 / 3 + 0.5) / 2, m.balancedAccuracy().orElseThrow(), 1e-15);
    }

    @Test
    void f1IsZeroWithPositivesButNoTruePositive() {
        ConfusionMatrix m = ConfusionMatrix.ofCounts(0, 2, 3, 5);
        assertEquals(0.0, m.f1().orElseThrow());
        assertTrue(ConfusionMatrix.ofCounts(0, 0, 0, 5).f1().isEmpty());
        assertTrue(ConfusionMatrix.ofCounts(0, 0, 0, 5).balancedAccuracy().isEmpty());
        assertEquals(1.0, ConfusionMatrix.ofCounts(0, 0, 0, 5).accuracy());
    }

    @Test
    void plusPoolsCounts() {
        assertEquals(ConfusionMatrix.ofCounts(3, 5, 7, 9),
                ConfusionMatrix.ofCounts(1, 2, 3, 4).plus(ConfusionMatrix.ofCounts(2, 3, 4, 5)));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(Long.MAX_VALUE, 0,
                0, 0).plus(ConfusionMatrix.ofCounts(1, 0, 0, 0)));
    }

    @Test
    void invalidInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 1, 2}, new int[] {0, 1, 1}));
        assertEquals("labels[2] = 2: labels must lie in [0, 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, -1}));
        assertTrue(e.getMessage().startsWith("predictions[1] = -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new boolean[] {true}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("lengths differ (1 vs 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new boolean[0], new boolean[0]));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(0, 0, 0, 0));
        e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(1, -1, 0, 0));
        assertTrue(e.getMessage().startsWith("falsePositives = -1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> ConfusionMatrix.of(null, new boolean[1]));
    }

    @Test
    void randomBaselinesOfTable2() {
        RandomBaseline b = RandomBaseline.of(0.3);
        assertEquals(0.7, b.accuracy(), 1e-15);
        assertEquals(0.6 / 1.3, b.f1(), 1e-15);
        assertTrue(b.isAboveAccuracy(0.71));
        assertFalse(b.isAboveAccuracy(0.7));
        assertTrue(b.isAboveF1(0.5));
        assertFalse(b.isAboveF1(0.46));
        assertEquals(1.0, RandomBaseline.of(1).f1());
        assertEquals(0.0, RandomBaseline.of(0).f1());
        assertEquals(0.5, RandomBaseline.of(0.5).accuracy());
        // the F1 baseline is what always predicting positive scores
        boolean[] labels = {true, false, false, true, false, false, false, true, false, false};
        boolean[] always = new boolean[labels.length];
        java.util.Arrays.fill(always, true);
        ConfusionMatrix m = ConfusionMatrix.of(labels, always);
        assertEquals(RandomBaseline.ofLabels(labels).f1(), m.f1().orElseThrow(), 1e-15);
        assertEquals(RandomBaseline.ofLabels(labels), RandomBaseline.of(m));
        assertFalse(RandomBaseline.of(m).isAboveF1(m));
        assertFalse(RandomBaseline.of(0.2).isAboveF1(ConfusionMatrix.ofCounts(0, 0, 0, 4)));
    }

    @Test
    void baselineRejectsInvalidRatesAndScores() {
        for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RandomBaseline.of(bad));
            assertTrue(e.getMessage().startsWith("positiveRate = "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> RandomBaseline.of(0.4).isAboveF1(1.5));
        assertThrows(IllegalArgumentException.class,
                () -> RandomBaseline.of(0.4).isAboveAccuracy(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> RandomBaseline.ofLabels(new boolean[0]));
    }
}
