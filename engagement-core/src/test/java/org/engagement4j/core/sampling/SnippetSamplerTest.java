package org.engagement4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.junit.jupiter.api.Test;

class SnippetSamplerTest {

    private static CodedSession oneCoder(String id, Interval span, IntervalSet taskEng,
            IntervalSet socialEng, IntervalSet masked) {
        return new CodedSession(id, Map.of("A", SamplingFixtures.coder("A", Task.DOLLS, span,
                taskEng, socialEng, masked)));
    }

    @Test
    void referenceShapeKeepsWindowAndFramesApart() {
        SnippetShape s = SnippetShape.reference();
        assertEquals(5000, s.windowMs());
        assertEquals(15, s.frameCount());
        assertEquals(4800.0, s.frameSpanMs(), 0);
        assertEquals(0, s.startFrame(319));
        assertEquals(1, s.startFrame(320));
        // 3.125 fps = 25/8 frames per second: floor(ms * 25 / 8000) exactly, over an hour.
        for (long ms = 0; ms < 3_600_000; ms += 7) {
            assertEquals(ms * 25 / 8000, s.startFrame(ms), () -> "frame mismatch");
        }
        assertFalse(s.label(2500));
        assertTrue(s.label(2501));
        assertThrows(IllegalArgumentException.class, () -> s.startFrame(-1));
        assertThrows(IllegalArgumentException.class, () -> s.withWindowMs(0));
        assertThrows(IllegalArgumentException.class, () -> s.withFrameCount(0));
        assertThrows(IllegalArgumentException.class, () -> s.withFps(Double.NaN));
    }

    @Test
    void snippetIStartsInChunkI() {
        // Span [1000, 56000): valid starts [1000, 51000], L = 50000, chunk i = [1000 + 5000 i,
        // 1000 + 5000 (i + 1)).
        CodedSession s = oneCoder("x", Interval.of(1000, 56_000), IntervalSet.empty(),
                IntervalSet.empty(), IntervalSet.empty());
        for (int epoch = 0; epoch < 50; epoch++) {
            SnippetPlan plan = SnippetSampler.withDefaults().plan(s, Task.DOLLS, epoch, 3);
            assertEquals(10, plan.snippets().size());
            for (Snippet snip : plan.snippets()) {
                long lo = 1000 + 5000L * snip.index();
                assertTrue(snip.startMs() >= lo && snip.startMs() < lo + 5000, snip::toString);
                assertEquals(snip.startMs() * 25 / 8000, snip.startFrame());
                assertEquals(15, snip.frameCount());
                assertEquals(5000, snip.windowMs());
                assertEquals("A", snip.coder());
            }
        }
    }

    @Test
    void labelIsStrictlyMoreThanHalfTheWindow() {
        // A span exactly one window long leaves one valid start: the span's start.
        Interval span = Interval.of(2000, 7000);
        CodedSession half = oneCoder("h", span, IntervalSet.of(Interval.of(2000, 4500)),
                IntervalSet.of(Interval.of(2000, 4501)), IntervalSet.empty());
        SnippetPlan plan = SnippetSampler.withDefaults().plan(half, Task.DOLLS, 0, 1);
        assertEquals(10, plan.snippets().size());
        for (Snippet s : plan.snippets()) {
            assertEquals(2000, s.startMs());
            assertEquals(2500, s.engagedMs(Variable.TASK_ENGAGEMENT));
            assertFalse(s.label(Variable.TASK_ENGAGEMENT));
            assertEquals(2501, s.engagedMs(Variable.SOCIAL_ENGAGEMENT));
            assertTrue(s.label(Variable.SOCIAL_ENGAGEMENT));
        }
    }

    @Test
    void sessionsDoNotInfluenceEachOther() {
        List<CodedSession> sessions = SamplingFixtures.randomSessions(5, 8, 0.3);
        SnippetSampler sampler = SnippetSampler.withDefaults();
        SnippetPlan all = sampler.plan(sessions, Task.SHAKER, 4, 99);
        List<CodedSession> reversed = new ArrayList<>(sessions);
        Collections.reverse(reversed);
        assertEquals(all, sampler.plan(reversed, Task.SHAKER, 4, 99));
        for (CodedSession s : sessions) {
            SnippetPlan alone = sampler.plan(s, Task.SHAKER, 4, 99);
            assertEquals(all.snippets().stream().filter(x -> x.session().equals(s.session()))
                    .toList(), alone.snippets());
        }
        assertNotEquals(all.snippets(), sampler.plan(sessions, Task.SHAKER, 5, 99).snippets());
        assertNotEquals(all.snippets(), sampler.plan(sessions, Task.SHAKER, 4, 100).snippets());
    }

    @Test
    void coderIsChosenUniformly() {
        Interval span = Interval.of(0, 60_000);
        IntervalSet none = IntervalSet.empty();
        CodedSession two = new CodedSession("t", Map.of(
                "A", SamplingFixtures.coder("A", Task.DRUM, span, none, none, none),
                "B", SamplingFixtures.coder("B", Task.DRUM, span, none, none, none)));
        int a = 0;
        int total = 0;
        for (int epoch = 0; epoch < 200; epoch++) {
            for (Snippet s : SnippetSampler.withDefaults().plan(two, Task.DRUM, epoch, 8)
                    .snippets()) {
                a += s.coder().equals("A") ? 1 : 0;
                total++;
            }
        }
        // 2000 fair draws: the share of A lies within 0.5 +- 0.05 (more than 4 sd).
        assertEquals(0.5, (double) a / total, 0.05);
    }

    @Test
    void maskedTimeIsRedrawnOrSkipped() {
        // Chunk 0 of the span [0, 55000) is [0, 5000); masking [0, 9000) makes every window of
        // chunk 0 overlap masked time (a window from 4999 reaches 9999) and chunk 1 partly.
        CodedSession s = oneCoder("m", Interval.of(0, 55_000), IntervalSet.empty(),
                IntervalSet.empty(), IntervalSet.of(Interval.of(0, 9000)));
        SnippetPlan plan = SnippetSampler.withDefaults().plan(s, Task.DOLLS, 0, 2);
        assertEquals(9, plan.snippets().size());
        assertEquals(1, plan.skipped().size());
        SkippedSnippet skip = plan.skipped().get(0);
        assertEquals(0, skip.index());
        assertTrue(skip.reason().contains("101 draws"), skip.reason());
        Snippet first = plan.snippets().get(0);
        assertEquals(1, first.index());
        assertTrue(first.startMs() >= 9000, first::toString);
    }

    @Test
    void maskPolicyDecidesWhoseMaskCounts() {
        Interval span = Interval.of(0, 55_000);
        IntervalSet none = IntervalSet.empty();
        IntervalSet all = IntervalSet.of(span);
        CodedSession s = new CodedSession("p", Map.of(
                "A", SamplingFixtures.coder("A", Task.DOLLS, span, none, none, none),
                "B", SamplingFixtures.coder("B", Task.DOLLS, span, none, none, all)));
        SnippetPlan chosen = SnippetSampler.withDefaults().plan(s, Task.DOLLS, 0, 2);
        assertEquals(10, chosen.snippets().size());
        assertTrue(chosen.snippets().stream().allMatch(x -> x.coder().equals("A")));
        SnippetPlan any = SnippetSampler.withDefaults().withMaskPolicy(MaskPolicy.ANY_CODER)
                .plan(s, Task.DOLLS, 0, 2);
        assertEquals(0, any.snippets().size());
        assertEquals(10, any.skipped().size());
    }

    @Test
    void sessionWithoutALongEnoughSpanIsReportedPerSnippet() {
        CodedSession s = oneCoder("short", Interval.of(0, 4999), IntervalSet.empty(),
                IntervalSet.empty(), IntervalSet.empty());
        SnippetPlan plan = SnippetSampler.withDefaults().plan(s, Task.DOLLS, 0, 1);
        assertTrue(plan.snippets().isEmpty());
        assertEquals(10, plan.skipped().size());
        assertTrue(plan.skipped().get(0).reason().contains("at least 5000 ms"));
        SnippetPlan otherTask = SnippetSampler.withDefaults().plan(s, Task.DRUM, 0, 1);
        assertEquals(10, otherTask.skipped().size());
    }

    @Test
    void parametersAreValidated() {
        SnippetSampler d = SnippetSampler.withDefaults();
        assertThrows(IllegalArgumentException.class, () -> d.withSnippetsPerSession(0));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxRedraws(-1));
        assertThrows(NullPointerException.class, () -> d.withShape(null));
        CodedSession s = oneCoder("x", Interval.of(0, 9000), IntervalSet.empty(),
                IntervalSet.empty(), IntervalSet.empty());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> d.plan(List.of(s, s), Task.DOLLS, 0, 0));
        assertTrue(dup.getMessage().contains("session x"));
        assertEquals(3, d.withSnippetsPerSession(3).plan(s, Task.DOLLS, 0, 0).snippets().size());
        Snippet one = d.plan(s, Task.DOLLS, 0, 0).snippets().get(0);
        assertThrows(IllegalArgumentException.class, () -> new Snippet("x", "A", Task.DOLLS, 0,
                0, 0, 15, 5000, one.labels(), Map.of(Variable.TASK_ENGAGEMENT, 1L)));
        assertThrows(IllegalArgumentException.class, () -> new Snippet("x", "A", Task.DOLLS, 0,
                0, 0, 15, 5000, one.labels(), Map.of(Variable.TASK_ENGAGEMENT, 6000L,
                        Variable.SOCIAL_ENGAGEMENT, 0L)));
    }
}
