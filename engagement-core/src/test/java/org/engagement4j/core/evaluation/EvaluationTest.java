package org.engagement4j.core.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.sampling.EvaluationWindow;
import org.engagement4j.core.sampling.EvaluationWindows;
import org.engagement4j.metrics.agreement.CohensKappa;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.engagement4j.metrics.agreement.KappaResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table 2, Table 3 and Figure 3 records on hand-built sessions. */
class EvaluationTest {

    @TempDir
    Path tmp;

    static CoderAnnotations coder(String name, Interval span, IntervalSet task,
            IntervalSet social, IntervalSet masked) {
        Map<Variable, IntervalSet> v = new EnumMap<>(Variable.class);
        v.put(Variable.TASK_ENGAGEMENT, task);
        v.put(Variable.SOCIAL_ENGAGEMENT, social);
        return new CoderAnnotations(name, Map.of(Task.DOLLS, span), Map.of(Task.DOLLS, v),
                masked);
    }

    static IntervalSet set(long... bounds) {
        List<Interval> l = new ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            l.add(Interval.of(bounds[i], bounds[i + 1]));
        }
        return IntervalSet.of(l);
    }

    @Test
    void empiricalProbabilityIsTimeWeightedOverCodersOutsideMasks() {
        CodedSession s1 = new CodedSession("s1", Map.of(
                "A", coder("A", Interval.of(0, 10_000), set(0, 4_000), set(), set()),
                "B", coder("B", Interval.of(0, 20_000), set(5_000, 15_000), set(), set(0, 2_000))));
        CodedSession s2 = new CodedSession("s2", Map.of(
                "A", coder("A", Interval.of(1_000, 3_000), set(1_000, 3_000), set(), set())));
        // engaged: 4000 + 10000 + 2000; time: 10000 + 18000 + 2000
        assertEquals(16_000.0 / 30_000, EmpiricalProbability.of(List.of(s1, s2), Task.DOLLS,
                Variable.TASK_ENGAGEMENT), 1e-15);
        assertEquals(0.0, EmpiricalProbability.of(List.of(s1), Task.DOLLS,
                Variable.SOCIAL_ENGAGEMENT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmpiricalProbability.of(List.of(s1), Task.DRUM, Variable.TASK_ENGAGEMENT));
        assertTrue(e.getMessage().contains("drum"), e.getMessage());
    }

    @Test
    void performanceRowsCompareWithTheRandomBaseline() {
        // q = 0.6: baselines accuracy 0.6, F1 0.75.
        ConfusionMatrix val = ConfusionMatrix.ofCounts(50, 10, 10, 30); // acc 0.8, F1 0.8333
        ConfusionMatrix test = ConfusionMatrix.ofCounts(40, 20, 20, 20); // acc 0.6, F1 0.6667
        PerformanceRecord r = new PerformanceRecord(Task.SHAKER, Variable.SOCIAL_ENGAGEMENT, 0.6,
                Optional.of(val), Optional.of(test));
        assertEquals(0.8, r.validationAccuracy().getAsDouble(), 1e-15);
        assertEquals(50 / 60.0, r.validationF1().getAsDouble(), 1e-15);
        assertTrue(r.validationAccuracyAboveBaseline());
        assertTrue(r.validationF1AboveBaseline());
        assertFalse(r.testAccuracyAboveBaseline(), "exactly the baseline is not above it");
        assertFalse(r.testF1AboveBaseline());
        PerformanceRecord none = new PerformanceRecord(Task.SHAKER, Variable.SOCIAL_ENGAGEMENT,
                0.6, Optional.empty(), Optional.empty());
        assertTrue(none.testF1().isEmpty());
        assertFalse(none.testF1AboveBaseline());
        assertThrows(IllegalArgumentException.class, () -> new PerformanceRecord(Task.SHAKER,
                Variable.SOCIAL_ENGAGEMENT, 1.5, Optional.empty(), Optional.empty()));
    }

    /** Session t1 coded by A, B, C; t2 by A and B; 5 s windows over the shared span. */
    static List<CodedSession> testSessions() {
        CodedSession t1 = new CodedSession("t1", Map.of(
                "A", coder("A", Interval.of(0, 30_000), set(0, 12_000), set(0, 30_000), set()),
                "B", coder("B", Interval.of(500, 31_000), set(0 + 500, 20_000), set(500, 5_000),
                        set()),
                "C", coder("C", Interval.of(0, 30_000), set(10_000, 30_000), set(), set())));
        CodedSession t2 = new CodedSession("t2", Map.of(
                "A", coder("A", Interval.of(1_000, 21_000), set(1_000, 9_000), set(), set()),
                "B", coder("B", Interval.of(1_000, 22_000), set(4_000, 21_000), set(), set())));
        return List.of(t1, t2);
    }

    @Test
    void agreementUsesRowsBothRatersLabelledAndTheMachineAsARater() {
        List<EvaluationWindow> windows = EvaluationWindows.withDefaults().windows(testSessions(),
                Task.DOLLS);
        // t1: shared span [500, 30000) -> 5 windows; t2: [1000, 21000) -> 4 windows.
        assertEquals(9, windows.size());
        int[] machine = {1, 1, 0, 0, 1, 0, 1, 1, 1};
        AgreementRecord a = AgreementRecord.of(Task.DOLLS, Variable.TASK_ENGAGEMENT, windows,
                machine);
        assertEquals(List.of("A", "B", "C"), a.humans());
        assertEquals(List.of("A", "B", "C", "machine"), a.raters().raters());
        int[] la = labels(windows, "A");
        int[] lb = labels(windows, "B");
        int[] lc = labels(windows, "C");
        assertEquals(CohensKappa.MISSING, lc[5], "C did not code t2");
        // Independent computation: kappa of each pair on the rows both labelled.
        double ab = kappa(la, lb);
        double ac = kappa(la, lc);
        double bc = kappa(lb, lc);
        assertEquals((ab + ac + bc) / 3, a.humanHumanKappa().mean().getAsDouble(), 1e-12);
        double am = kappa(la, machine);
        double bm = kappa(lb, machine);
        double cm = kappa(lc, machine);
        assertEquals(3, a.humanMachineKappa().definedPairs());
        assertEquals((am + bm + cm) / 3, a.humanMachineKappa().mean().getAsDouble(), 1e-12);
        assertEquals(5, a.raters().pair("C", "machine").rows());
        assertEquals(9, a.raters().pair("A", "machine").rows());

        assertThrows(IllegalArgumentException.class, () -> AgreementRecord.of(Task.DOLLS,
                Variable.TASK_ENGAGEMENT, windows, new int[] {1, 2, 0, 0, 1, 0, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> AgreementRecord.of(Task.DOLLS,
                Variable.TASK_ENGAGEMENT, windows, new int[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgreementRecord.of(Task.DRUM, Variable.TASK_ENGAGEMENT, List.of(),
                        new int[0]));
        assertTrue(e.getMessage().contains("drum"), e.getMessage());
    }

    private static int[] labels(List<EvaluationWindow> windows, String coder) {
        int[] out = new int[windows.size()];
        for (int i = 0; i < out.length; i++) {
            Map<Variable, Boolean> m = windows.get(i).labels().get(coder);
            out[i] = m == null ? -1 : m.get(Variable.TASK_ENGAGEMENT) ? 1 : 0;
        }
        return out;
    }

    private static double kappa(int[] a, int[] b) {
        List<Integer> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 0 && b[i] >= 0) {
                x.add(a[i]);
                y.add(b[i]);
            }
        }
        long[][] t = new long[2][2];
        for (int i = 0; i < x.size(); i++) {
            t[x.get(i)][y.get(i)]++;
        }
        double n = x.size();
        double po = (t[0][0] + t[1][1]) / n;
        double pe = ((t[0][0] + t[0][1]) * (t[0][0] + t[1][0])
                + (t[1][0] + t[1][1]) * (t[0][1] + t[1][1])) / (n * n);
        KappaResult k = CohensKappa.ofTable(t).orElseThrow();
        assertEquals((po - pe) / (1 - pe), k.kappa(), 1e-12);
        return k.kappa();
    }

    @Test
    void reportWritesTheThreeTablesAndJsonWithoutNaN() throws Exception {
        List<EvaluationWindow> windows = EvaluationWindows.withDefaults().windows(testSessions(),
                Task.DOLLS);
        AgreementRecord a = AgreementRecord.of(Task.DOLLS, Variable.SOCIAL_ENGAGEMENT, windows,
                new int[9]);
        PerformanceRecord p = new PerformanceRecord(Task.DOLLS, Variable.SOCIAL_ENGAGEMENT, 0.3,
                Optional.of(ConfusionMatrix.ofCounts(0, 0, 0, 10)), Optional.empty());
        EvaluationReport r = new EvaluationReport(List.of(p), List.of(a));
        r.write(tmp);
        String t2 = Files.readString(tmp.resolve(EvaluationReport.TABLE2));
        String t3 = Files.readString(tmp.resolve(EvaluationReport.TABLE3));
        String f3 = Files.readString(tmp.resolve(EvaluationReport.FIGURE3));
        for (String s : List.of(t2, t3, f3, r.toJson())) {
            assertFalse(s.contains("NaN"), s);
        }
        assertEquals(2, t2.split("\n").length);
        String[] row = t2.split("\n")[1].split(",", -1);
        assertEquals("dolls", row[0]);
        assertEquals("social_engagement", row[1]);
        assertEquals("1.0", row[3], "validation accuracy");
        assertEquals("", row[4], "an F1 without any positive is undefined: empty cell");
        assertEquals(2, t3.split("\n").length);
        // 4 raters: 6 unordered pairs.
        assertEquals(7, f3.split("\n").length);
        JsonNode j = new ObjectMapper().readTree(r.toJson());
        assertTrue(j.get("performance").get(0).get("validation").get("f1").isNull());
        assertEquals(6, j.get("agreement").get(0).get("pairs").size());
        // The machine says 0 everywhere: its kappa with every coder is 0 or undefined.
        for (JsonNode pair : j.get("agreement").get(0).get("pairs")) {
            if (pair.get("rater_b").asText().equals("machine")) {
                assertTrue(pair.get("kappa").isNull() || pair.get("kappa").asDouble() == 0,
                        pair.toString());
            }
        }
        assertArrayEquals(new String[] {"task", "variable", "windows"},
                java.util.Arrays.copyOf(t3.split("\n")[0].split(","), 3));
    }
}
