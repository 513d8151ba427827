package org.engagement4j.metrics.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Axioms of kappa, accuracy and F1 over random raters (missing labels included). */
class AgreementPropertiesTest {

    /** Rounding slack on the bounds: kappa is a ratio of sums of doubles. */
    private static final double EPS = 1e-12;

    /** Rows as codes 0..8: first label {@code code / 3 - 1}, second {@code code % 3 - 1}. */
    @Provide
    Arbitrary<List<Integer>> rows() {
        return Arbitraries.integers().between(0, 8).list().ofMinSize(1).ofMaxSize(80);
    }

    /** Each rater may use up to four categories; no missing labels. */
    @Provide
    Arbitrary<List<Integer>> rowsK4() {
        return Arbitraries.integers().between(0, 15).list().ofMinSize(1).ofMaxSize(60);
    }

    private static int[][] split(List<Integer> codes, int base, int offset) {
        int[][] ab = new int[2][codes.size()];
        for (int i = 0; i < codes.size(); i++) {
            ab[0][i] = codes.get(i) / base + offset;
            ab[1][i] = codes.get(i) % base + offset;
        }
        return ab;
    }

    @Property(tries = 300, seed = "20220607", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void kappaLiesInMinusOneToOneAndIsSymmetric(@ForAll("rows") List<Integer> codes) {
        int[][] ab = split(codes, 3, -1);
        Optional<KappaResult> k = CohensKappa.of(ab[0], ab[1]);
        Optional<KappaResult> swapped = CohensKappa.of(ab[1], ab[0]);
        Statistics.collect(k.isPresent() ? "defined" : "undefined");
        assertEquals(k.isPresent(), swapped.isPresent());
        if (k.isPresent()) {
            KappaResult r = k.get();
            KappaResult s = swapped.get();
            assertTrue(r.kappa() >= -1 - EPS && r.kappa() <= 1 + EPS, "kappa = " + r.kappa());
            assertTrue(r.kappa() <= r.kappaMax() + EPS, "kappa <= kappaMax");
            assertEquals(r.kappa(), s.kappa(), "kappa(a, b) = kappa(b, a)");
            assertEquals(r.stdKappa(), s.stdKappa(), 1e-14);
            assertEquals(r.stdKappa0(), s.stdKappa0(), 1e-14);
            assertEquals(r.agreement(), s.agreement());
            assertTrue(r.stdKappa() >= 0 && !Double.isNaN(r.stdKappa()));
            assertTrue(r.kappaLow() <= r.kappa() && r.kappa() <= r.kappaUpp());
        }
    }

    @Property(tries = 200, seed = "20220608", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void generalTablesAreBoundedAndSymmetric(@ForAll("rowsK4") List<Integer> codes) {
        int[][] ab = split(codes, 4, 0);
        Optional<KappaResult> k = CohensKappa.of(ab[0], ab[1], 4);
        Optional<KappaResult> swapped = CohensKappa.of(ab[1], ab[0], 4);
        assertEquals(k.isPresent(), swapped.isPresent());
        k.ifPresent(r -> {
            assertTrue(r.kappa() >= -1 - EPS && r.kappa() <= 1 + EPS, "kappa = " + r.kappa());
            assertEquals(r.kappa(), swapped.get().kappa());
        });
    }

    @Property(tries = 200, seed = "20220609", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void identicalRatersHaveKappaOneUnlessConstant(@ForAll("rows") List<Integer> codes) {
        int[] a = split(codes, 3, -1)[0];
        Optional<KappaResult> k = CohensKappa.of(a, a.clone());
        long zeros = java.util.Arrays.stream(a).filter(v -> v == 0).count();
        long ones = java.util.Arrays.stream(a).filter(v -> v == 1).count();
        Statistics.collect(zeros > 0 && ones > 0 ? "both labels" : "constant or missing");
        if (zeros > 0 && ones > 0) {
            assertEquals(1.0, k.orElseThrow().kappa());
            assertEquals(1.0, k.get().agreement());
            assertEquals(0.0, k.get().stdKappa(), 1e-7);
        } else {
            assertTrue(k.isEmpty(), "pe = 1 or no labelled row: undefined");
        }
    }

    @Property(tries = 300, seed = "20220610", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void scoresLieInZeroToOne(@ForAll("rows") List<Integer> codes) {
        boolean[] labels = new boolean[codes.size()];
        boolean[] predictions = new boolean[codes.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = codes.get(i) % 2 == 1;
            predictions[i] = codes.get(i) / 3 == 1;
        }
        ConfusionMatrix m = ConfusionMatrix.of(labels, predictions);
        assertEquals(labels.length, m.total());
        assertTrue(m.accuracy() >= 0 && m.accuracy() <= 1);
        m.f1().ifPresent(f -> assertTrue(f >= 0 && f <= 1, "f1 = " + f));
        m.balancedAccuracy().ifPresent(b -> assertTrue(b >= 0 && b <= 1, "balanced = " + b));
        if (m.precision().isPresent() && m.recall().isPresent() && m.f1().getAsDouble() > 0) {
            double p = m.precision().getAsDouble();
            double r = m.recall().getAsDouble();
            assertEquals(2 * p * r / (p + r), m.f1().getAsDouble(), 1e-12, "F1 = harmonic mean");
        }
        RandomBaseline b = RandomBaseline.of(m);
        assertTrue(b.accuracy() >= 0.5 && b.accuracy() <= 1 && b.f1() >= 0 && b.f1() <= 1);
    }
}
