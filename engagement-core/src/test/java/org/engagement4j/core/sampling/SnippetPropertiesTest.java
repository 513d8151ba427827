package org.engagement4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

class SnippetPropertiesTest {

    @Property(tries = 40, seed = "20221107")
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void everySnippetObeysTheRules(@ForAll long dataSeed, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 2) int taskIndex,
            @ForAll @IntRange(min = 1, max = 12) int perSession,
            @ForAll boolean anyCoderMask) {
        Task task = Task.values()[taskIndex];
        List<CodedSession> sessions = SamplingFixtures.randomSessions(dataSeed, 5, 0.4);
        SnippetSampler sampler = SnippetSampler.withDefaults().withSnippetsPerSession(perSession)
                .withMaskPolicy(anyCoderMask ? MaskPolicy.ANY_CODER : MaskPolicy.CHOSEN_CODER);
        SnippetPlan plan = sampler.plan(sessions, task, 3, seed);
        Map<String, CodedSession> byId = sessions.stream()
                .collect(Collectors.toMap(CodedSession::session, Function.identity()));
        for (CodedSession s : sessions) {
            long drawn = plan.snippets().stream().filter(x -> x.session().equals(s.session()))
                    .count();
            long skipped = plan.skipped().stream().filter(x -> x.session().equals(s.session()))
                    .count();
            assertEquals(perSession, drawn + skipped, s.session());
        }
        for (Snippet snip : plan.snippets()) {
            CodedSession s = byId.get(snip.session());
            CoderAnnotations c = s.coder(snip.coder());
            Interval span = c.taskSpan(task).orElseThrow();
            // Inside the chosen coder's task span.
            assertTrue(span.contains(snip.window()), () -> snip + " outside " + span);
            // In its chunk.
            long range = span.durationMs() - 5000;
            long lo = span.startMs() + range * snip.index() / perSession;
            long hi = span.startMs() + range * (snip.index() + 1) / perSession;
            assertTrue(snip.startMs() == lo || (snip.startMs() >= lo && snip.startMs() < hi),
                    () -> snip + " outside chunk [" + lo + ", " + hi + ")");
            // Labels and engaged time agree with the intervals, counted ms by ms.
            for (Variable v : Variable.values()) {
                long ms = SamplingFixtures.bruteEngagedMs(c, task, v, snip.startMs(), 5000);
                assertEquals(ms, snip.engagedMs(v));
                assertEquals(ms > 2500, snip.label(v));
            }
            assertEquals(snip.startMs() * 25 / 8000, snip.startFrame());
            // Masked time avoided.
            if (anyCoderMask) {
                for (CoderAnnotations other : s.coders().values()) {
                    assertFalse(SamplingFixtures.bruteMasked(other, snip.startMs(), 5000));
                }
            } else {
                assertFalse(SamplingFixtures.bruteMasked(c, snip.startMs(), 5000));
            }
        }
        Statistics.label("snippets drawn").collect(!plan.snippets().isEmpty());
        Statistics.label("snippets drawn").coverage(k -> k.check(true).percentage(p -> p > 90));
    }

    @Property(tries = 25, seed = "20221107")
    void sameSeedSamePlanInAnyOrder(@ForAll long dataSeed, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 2) int taskIndex, @ForAll int epoch) {
        List<CodedSession> sessions = SamplingFixtures.randomSessions(dataSeed, 6, 0.3);
        List<CodedSession> shuffled = new ArrayList<>(sessions);
        Collections.shuffle(shuffled, new Random(dataSeed));
        Task task = Task.values()[taskIndex];
        SnippetSampler sampler = SnippetSampler.withDefaults();
        assertEquals(sampler.plan(sessions, task, epoch, seed),
                sampler.plan(shuffled, task, epoch, seed));
    }
}
