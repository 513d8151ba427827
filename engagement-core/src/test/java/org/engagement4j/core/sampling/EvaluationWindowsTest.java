package org.engagement4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.junit.jupiter.api.Test;

class EvaluationWindowsTest {

    private static CodedSession twoCoders(Interval spanA, Interval spanB, IntervalSet maskB) {
        IntervalSet none = IntervalSet.empty();
        return new CodedSession("e", Map.of(
                "A", SamplingFixtures.coder("A", Task.SHAKER, spanA,
                        IntervalSet.of(Interval.of(spanA.startMs(), spanA.startMs() + 7000))
                                .clip(spanA),
                        none, none),
                "B", SamplingFixtures.coder("B", Task.SHAKER, spanB, none,
                        IntervalSet.of(spanB), maskB)));
    }

    @Test
    void countIsTheFloorOfTheSharedSpanOverTheWindow() {
        // Shared span = [1000, 1000 + d): A spans [0, 1000 + d), B [1000, 1000 + d + 3000).
        long[][] cases = {{4999, 0}, {5000, 1}, {12_999, 2}, {15_000, 3}, {15_001, 3}};
        for (long[] c : cases) {
            long d = c[0];
            CodedSession s = twoCoders(Interval.of(0, 1000 + d),
                    Interval.of(1000, 4000 + d), IntervalSet.empty());
            List<EvaluationWindow> w = EvaluationWindows.withDefaults().windows(s, Task.SHAKER);
            assertEquals(c[1], w.size(), () -> "duration " + d);
            for (int j = 0; j < w.size(); j++) {
                assertEquals(j, w.get(j).index());
                assertEquals(1000 + 5000L * j, w.get(j).startMs());
                assertEquals(w.get(j).startMs() * 25 / 8000, w.get(j).startFrame());
            }
        }
    }

    @Test
    void everyCoderLabelsEveryWindow() {
        // A engaged (task) [0, 7000): window 0 [1000, 6000) has 5000 ms -> yes; window 1
        // [6000, 11000) has 1000 ms -> no. B social engaged on its whole span -> yes, yes.
        CodedSession s = twoCoders(Interval.of(0, 12_000), Interval.of(1000, 20_000),
                IntervalSet.empty());
        List<EvaluationWindow> w = EvaluationWindows.withDefaults().windows(s, Task.SHAKER);
        assertEquals(2, w.size());
        assertTrue(w.get(0).label("A", Variable.TASK_ENGAGEMENT));
        assertEquals(5000, w.get(0).engagedMs().get("A").get(Variable.TASK_ENGAGEMENT));
        assertFalse(w.get(1).label("A", Variable.TASK_ENGAGEMENT));
        assertEquals(1000, w.get(1).engagedMs().get("A").get(Variable.TASK_ENGAGEMENT));
        assertTrue(w.get(0).label("B", Variable.SOCIAL_ENGAGEMENT));
        assertTrue(w.get(1).label("B", Variable.SOCIAL_ENGAGEMENT));
        assertFalse(w.get(0).label("B", Variable.TASK_ENGAGEMENT));
    }

    @Test
    void maskedWindowsAreLeftOutWithoutShiftingTheGrid() {
        CodedSession s = twoCoders(Interval.of(0, 30_000), Interval.of(0, 30_000),
                IntervalSet.of(Interval.of(12_000, 12_001)));
        List<EvaluationWindow> w = EvaluationWindows.withDefaults().windows(s, Task.SHAKER);
        assertEquals(List.of(0, 1, 3, 4, 5), w.stream().map(EvaluationWindow::index).toList());
        assertEquals(15_000, w.get(2).startMs());
    }

    @Test
    void noSharedSpanNoWindows() {
        CodedSession disjoint = twoCoders(Interval.of(0, 10_000), Interval.of(10_000, 30_000),
                IntervalSet.empty());
        assertTrue(EvaluationWindows.withDefaults().windows(disjoint, Task.SHAKER).isEmpty());
        assertTrue(EvaluationWindows.withDefaults().windows(disjoint, Task.DOLLS).isEmpty());
    }

    @Property(tries = 40, seed = "20221107")
    void windowsTileTheSharedSpan(@ForAll long dataSeed) {
        for (CodedSession s : SamplingFixtures.randomSessions(dataSeed, 3, 0.3)) {
            for (Task task : Task.values()) {
                List<EvaluationWindow> w = EvaluationWindows.withDefaults().windows(s, task);
                Optional<Interval> shared = s.sharedSpan(task);
                long slots = shared.map(x -> x.durationMs() / 5000).orElse(0L);
                long maskedSlots = 0;
                for (int j = 0; j < slots; j++) {
                    long start = shared.get().startMs() + 5000L * j;
                    boolean m = false;
                    for (CoderAnnotations c : s.coders().values()) {
                        m |= SamplingFixtures.bruteMasked(c, start, 5000);
                    }
                    maskedSlots += m ? 1 : 0;
                }
                assertEquals(slots - maskedSlots, w.size());
                for (int i = 0; i < w.size(); i++) {
                    EvaluationWindow x = w.get(i);
                    assertTrue(shared.get().contains(x.window()));
                    assertEquals(shared.get().startMs() + 5000L * x.index(), x.startMs());
                    if (i > 0) {
                        assertTrue(w.get(i - 1).window().endMs() <= x.startMs());
                    }
                    assertEquals(s.coders().keySet(), x.labels().keySet());
                    for (CoderAnnotations c : s.coders().values()) {
                        for (Variable v : Variable.values()) {
                            long ms = SamplingFixtures.bruteEngagedMs(c, task, v, x.startMs(),
                                    5000);
                            assertEquals(ms > 2500, x.label(c.coder(), v));
                        }
                    }
                }
            }
        }
    }
}
