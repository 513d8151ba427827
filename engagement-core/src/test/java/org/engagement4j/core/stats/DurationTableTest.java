package org.engagement4j.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.stats.StatsFixture.Coder;
import org.junit.jupiter.api.Test;

/**
 * Table 1 on the {@link StatsFixture} sessions. Expected values from NumPy 1.24 on the Python
 * dict of {@link HumanAgreementTest} ({@code S}, {@code T}, {@code V}):
 * <pre>
 * for t in T:
 *     d = [S[s][c]["span"][t][1] - S[s][c]["span"][t][0] for s in S for c in S[s]]
 *     print(t, len(d), np.mean(d), np.std(d, ddof=1))
 * # per session: minimal = max(starts)..min(ends), maximal = length of the union of the spans,
 * # iou = minimal / maximal; then np.mean over sessions (per task) or over all 9 pairs (total)
 * def merged(lst):  # touching spans merge
 *     out = []
 *     for s, e in sorted(lst):
 *         if out and s &lt;= out[-1][1]: out[-1][1] = max(out[-1][1], e)
 *         else: out.append([s, e])
 *     return out
 * # engaged intervals: for each coder, merged(c[v]) clipped to the coder's task span, non-empty
 * </pre>
 * which printed
 * <pre>
 * dolls n 7 mean 1387.142857142857 sd 485.9600218712882 iou [0.905, 1.0, 1.0] 0.9683333333333334 inter 3810
 * shaker n 7 mean 1021.4285714285714 sd 39.33978962347216 iou [0.8695652173913043, 1.0, 1.0] 0.9565217391304347 inter 3000
 * drum n 7 mean 1000.0 sd 50.0 iou [0.8636363636363636, 0.95, 1.0] 0.9378787878787879 inter 2900
 * total n 21 mean 1136.1904761904761 sd 324.3528355121347
 * total iou 0.9542446201141854
 * te dolls 7 721.4285714285714 234.26684012243896
 * te shaker 5 580.0 164.31676725154983
 * te drum 2 425.0 106.06601717798213
 * te total 14 628.5714285714286 215.47290184283366
 * se dolls 5 740.0 270.1851217221259
 * se shaker 2 300.0 282.842712474619
 * se drum 3 200.0 100.0
 * se total 10 490.0 338.1321240777536
 * </pre>
 */
class DurationTableTest {

    private static final double TOL = 1e-9;

    private static void assertSummary(int n, double mean, double sd, DurationSummary s) {
        assertEquals(n, s.count());
        assertEquals(mean, s.meanMs().orElseThrow(), TOL);
        assertEquals(sd, s.sdMs().orElseThrow(), TOL);
        assertEquals(Math.round(mean * n), s.totalMs());
    }

    @Test
    void tableOneMatchesNumpy() {
        DurationTable t = DurationTable.of(StatsFixture.sessions());
        TaskDurations dolls = t.task(Task.DOLLS);
        assertSummary(7, 1387.142857142857, 485.9600218712882, dolls.individual());
        assertEquals(3, dolls.sessions());
        assertEquals(0.9683333333333334, dolls.meanIou().orElseThrow(), TOL);
        assertEquals(3810, dolls.intersectionMs());

        TaskDurations shaker = t.task(Task.SHAKER);
        assertSummary(7, 1021.4285714285714, 39.33978962347216, shaker.individual());
        assertEquals(0.9565217391304347, shaker.meanIou().orElseThrow(), TOL);
        assertEquals(3000, shaker.intersectionMs());

        TaskDurations drum = t.task(Task.DRUM);
        assertSummary(7, 1000.0, 50.0, drum.individual());
        assertEquals(0.9378787878787879, drum.meanIou().orElseThrow(), TOL);
        assertEquals(2900, drum.intersectionMs());

        TaskDurations total = t.total();
        assertSummary(21, 1136.1904761904761, 324.3528355121347, total.individual());
        assertEquals(9, total.sessions());
        assertEquals(0.9542446201141854, total.meanIou().orElseThrow(), TOL);
        assertEquals(9710, total.intersectionMs());

        assertSummary(7, 721.4285714285714, 234.26684012243896,
                dolls.engagedIntervals().get(Variable.TASK_ENGAGEMENT));
        assertSummary(5, 580.0, 164.31676725154983,
                shaker.engagedIntervals().get(Variable.TASK_ENGAGEMENT));
        assertSummary(2, 425.0, 106.06601717798213,
                drum.engagedIntervals().get(Variable.TASK_ENGAGEMENT));
        assertSummary(14, 628.5714285714286, 215.47290184283366,
                total.engagedIntervals().get(Variable.TASK_ENGAGEMENT));
        assertSummary(5, 740.0, 270.1851217221259,
                dolls.engagedIntervals().get(Variable.SOCIAL_ENGAGEMENT));
        assertSummary(2, 300.0, 282.842712474619,
                shaker.engagedIntervals().get(Variable.SOCIAL_ENGAGEMENT));
        assertSummary(3, 200.0, 100.0, drum.engagedIntervals().get(Variable.SOCIAL_ENGAGEMENT));
        assertSummary(10, 490.0, 338.1321240777536,
                total.engagedIntervals().get(Variable.SOCIAL_ENGAGEMENT));
    }

    @Test
    void overlapsListEachSessionAndTask() {
        DurationTable t = DurationTable.of(StatsFixture.sessions());
        assertEquals(9, t.overlaps().size());
        SessionTaskOverlap first = t.overlaps().get(0);
        assertEquals(new SessionTaskOverlap("s1", Task.DOLLS, 3, 3, 1810, 2000, 0.905), first);
        SessionTaskOverlap s2drum = t.overlaps().get(5);
        assertEquals(new SessionTaskOverlap("s2", Task.DRUM, 2, 2, 950, 1000, 0.95), s2drum);
    }

    @Test
    void aCoderWithoutTheTaskEmptiesTheMinimalInterval() {
        CodedSession s = StatsFixture.session("x",
                new Coder("A").spans(0, 1000, 1000, 2000, 2000, 3000),
                new Coder("B").spans(0, 1000, 1000, 2000, 2000, 3000));
        // B marked no drum span.
        CoderAnnotations b = s.coder("B");
        CoderAnnotations bNoDrum = new CoderAnnotations("B", Map.of(Task.DOLLS,
                b.taskSpan(Task.DOLLS).orElseThrow(), Task.SHAKER,
                b.taskSpan(Task.SHAKER).orElseThrow()), Map.of(), b.masked());
        CodedSession partial = new CodedSession("x", Map.of("A", s.coder("A"), "B", bNoDrum));
        DurationTable t = DurationTable.of(List.of(partial));
        TaskDurations drum = t.task(Task.DRUM);
        assertEquals(1, drum.individual().count());
        assertTrue(drum.individual().sdMs().isEmpty(), "one duration has no sd");
        assertEquals(OptionalDouble.of(0.0), drum.meanIou());
        assertEquals(0, drum.intersectionMs());
        assertEquals(new SessionTaskOverlap("x", Task.DRUM, 2, 1, 0, 1000, 0.0),
                t.overlaps().get(2));
    }

    @Test
    void durationSummaryEdges() {
        DurationSummary none = DurationSummary.of();
        assertEquals(0, none.count());
        assertTrue(none.meanMs().isEmpty());
        assertTrue(none.sdMs().isEmpty());
        DurationSummary one = DurationSummary.of(5);
        assertEquals(OptionalDouble.of(5), one.meanMs());
        assertTrue(one.sdMs().isEmpty());
        // Cancellation check: large equal durations have sd exactly 0.
        long big = 3_600_000_000L;
        assertEquals(0.0, DurationSummary.of(big, big, big).sdMs().orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationSummary.of(1, -2));
        assertTrue(e.getMessage().contains("durationsMs[1] = -2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DurationSummary(1, OptionalDouble.empty(), OptionalDouble.empty(), 1));
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> DurationTable.of(List.of()));
        CodedSession s = StatsFixture.sessions().get(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationTable.of(List.of(s, s)));
        assertTrue(e.getMessage().contains("s2 appears twice"), e.getMessage());
    }
}
