package org.engagement4j.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.junit.jupiter.api.Test;

class ComparisonSetTest {

    /** A test fold shaped like the paper's: two sessions of each 2-coder block. */
    static List<CodedSession> testFold(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<String>> blocks = List.of(List.of("A", "B"), List.of("A", "C"),
                List.of("B", "C"), List.of("A", "B"), List.of("A", "C"), List.of("B", "C"));
        List<CodedSession> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            // Coders of a session agree on most of the time: same base, independent noise.
            Map<Task, Interval> spans = new java.util.EnumMap<>(Task.class);
            Map<Task, Map<Variable, IntervalSet>> base = new java.util.EnumMap<>(Task.class);
            long t = 0;
            for (Task task : Task.values()) {
                Interval span = Interval.of(t, t + rnd.nextLong(60_000, 180_000));
                spans.put(task, span);
                Map<Variable, IntervalSet> perVar = new java.util.EnumMap<>(Variable.class);
                for (Variable v : Variable.values()) {
                    perVar.put(v, SamplingFixtures.randomInside(span, rnd, 0.5));
                }
                base.put(task, perVar);
                t = span.endMs() + 5_000;
            }
            Map<String, CoderAnnotations> coders = new LinkedHashMap<>();
            for (String c : blocks.get(i)) {
                Map<Task, Map<Variable, IntervalSet>> eng = new java.util.EnumMap<>(Task.class);
                for (Task task : Task.values()) {
                    Map<Variable, IntervalSet> perVar = new java.util.EnumMap<>(Variable.class);
                    for (Variable v : Variable.values()) {
                        IntervalSet flip = SamplingFixtures.randomInside(spans.get(task), rnd, 0.1);
                        IntervalSet b = base.get(task).get(v);
                        // Symmetric difference with a sparse random set: a little disagreement.
                        perVar.put(v, b.minus(flip).union(flip.minus(b)));
                    }
                    eng.put(task, perVar);
                }
                coders.put(c, new CoderAnnotations(c, spans, eng, IntervalSet.empty()));
            }
            out.add(new CodedSession("t" + i, coders));
        }
        return out;
    }

    static void assertValid(ComparisonSet set, List<CodedSession> sessions, int perLabel) {
        Map<String, CodedSession> byId = sessions.stream()
                .collect(Collectors.toMap(CodedSession::session, Function.identity()));
        Map<String, List<Interval>> picks = new LinkedHashMap<>();
        Set<List<Object>> keys = new HashSet<>();
        for (ComparisonSample s : set.samples()) {
            CodedSession session = byId.get(s.session());
            assertEquals(set.painterSessions().get(s.painter()), s.session());
            assertFalse(session.coders().containsKey(s.painter()), "painter coded the session");
            Interval shared = session.sharedSpan(s.task()).orElseThrow();
            assertTrue(shared.contains(s.window()), () -> s + " outside " + shared);
            for (CoderAnnotations c : session.coders().values()) {
                long ms = SamplingFixtures.bruteEngagedMs(c, s.task(), s.variable(), s.startMs(),
                        5000);
                assertEquals(s.label(), ms > 2500, () -> "coder " + c.coder() + " disagrees");
                assertEquals(ms, s.engagedMs().get(c.coder()));
                assertFalse(SamplingFixtures.bruteMasked(c, s.startMs(), 5000));
            }
            for (Interval earlier : picks.computeIfAbsent(s.painter(), k -> new ArrayList<>())) {
                assertFalse(earlier.overlaps(s.window()), () -> s + " overlaps " + earlier);
            }
            picks.get(s.painter()).add(s.window());
            keys.add(List.of(s.painter(), s.task(), s.variable(), s.label(), s.startMs()));
            assertEquals(s.startMs() * 25 / 8000, s.startFrame());
        }
        assertEquals(set.samples().size(), keys.size());
        for (String painter : set.painterSessions().keySet()) {
            long found = set.samplesOf(painter).size();
            long missing = set.missing().stream().filter(m -> m.painter().equals(painter)).count();
            assertEquals(12L * perLabel, found + missing, painter);
            for (Task t : Task.values()) {
                for (Variable v : Variable.values()) {
                    for (boolean label : new boolean[] {true, false}) {
                        long n = set.samplesOf(painter).stream().filter(x -> x.task() == t
                                && x.variable() == v && x.label() == label).count();
                        assertTrue(n <= perLabel);
                    }
                }
            }
        }
    }

    @Test
    void paperShapedTestFoldGivesTwelvePerPainter() {
        List<CodedSession> fold = testFold(1);
        ComparisonSet set = ComparisonSetSelector.withDefaults().select(fold, 31);
        assertEquals(Set.of("A", "B", "C"), set.painterSessions().keySet());
        assertTrue(set.unassignedPainters().isEmpty());
        assertValid(set, fold, 1);
        // Spans of 1-3 minutes, half engaged in long stretches: every combination is found.
        assertEquals(36, set.samples().size(), () -> set.missing().toString());
    }

    @Test
    void sameSeedSameSetInAnyOrder() {
        List<CodedSession> fold = testFold(2);
        List<CodedSession> shuffled = new ArrayList<>(fold);
        Collections.shuffle(shuffled, new Random(3));
        ComparisonSetSelector sel = ComparisonSetSelector.withDefaults();
        assertEquals(sel.select(fold, 5), sel.select(shuffled, 5));
        ComparisonSet two = sel.withSamplesPerLabel(2).select(fold, 5);
        assertValid(two, fold, 2);
    }

    @Test
    void whatCannotBeFoundIsReported() {
        // Coders X and Y mark the child engaged throughout: no negative window exists.
        Interval span = Interval.of(0, 60_000);
        IntervalSet all = IntervalSet.of(span);
        IntervalSet none = IntervalSet.empty();
        CodedSession always = new CodedSession("always", Map.of(
                "X", SamplingFixtures.coder("X", Task.DOLLS, span, all, all, none),
                "Y", SamplingFixtures.coder("Y", Task.DOLLS, span, all, all, none)));
        CodedSession painted = new CodedSession("other", Map.of(
                "P", SamplingFixtures.coder("P", Task.DOLLS, span, all, all, none)));
        ComparisonSet set = ComparisonSetSelector.withDefaults().withTries(500)
                .select(List.of(always, painted), List.of("P", "X", "Y"), 1);
        // X and Y coded "always" and nothing else but "other", coded by P.
        assertEquals(Map.of("P", "always", "X", "other", "Y", "other"), set.painterSessions());
        List<ComparisonSample> p = set.samplesOf("P");
        assertEquals(2, p.size());
        assertTrue(p.stream().allMatch(ComparisonSample::label));
        List<MissingComparison> missP = set.missing().stream()
                .filter(m -> m.painter().equals("P")).toList();
        assertEquals(10, missP.size());
        MissingComparison negDolls = missP.stream().filter(m -> m.task() == Task.DOLLS
                && !m.label()).findFirst().orElseThrow();
        assertEquals(500, negDolls.triesUsed());
        assertTrue(negDolls.reason().contains("negative"), negDolls.reason());
        MissingComparison drum = missP.stream().filter(m -> m.task() == Task.DRUM).findFirst()
                .orElseThrow();
        assertEquals(0, drum.triesUsed());
        assertTrue(drum.reason().contains("share no drum span"), drum.reason());
        assertValid(set, List.of(always, painted), 1);
    }

    @Test
    void painterWhoCodedEverythingIsUnassigned() {
        List<CodedSession> fold = testFold(4);
        ComparisonSet set = ComparisonSetSelector.withDefaults().withTries(50)
                .select(fold.subList(0, 1), 2);
        // Session t0 is coded by A and B; only C could paint it, and C is not among its coders.
        assertEquals(List.of("A", "B"), set.unassignedPainters());
        assertTrue(set.painterSessions().isEmpty());
        ComparisonSet withC = ComparisonSetSelector.withDefaults().withTries(50)
                .select(fold.subList(0, 1), List.of("C"), 2);
        assertEquals(Map.of("C", "t0"), withC.painterSessions());
        assertThrows(IllegalArgumentException.class,
                () -> ComparisonSetSelector.withDefaults().withTries(0));
        assertThrows(IllegalArgumentException.class,
                () -> ComparisonSetSelector.withDefaults().withSamplesPerLabel(0));
    }

    @Property(tries = 30, seed = "20221107")
    void randomSessionsGiveValidSets(@ForAll long dataSeed, @ForAll long seed) {
        List<CodedSession> sessions = SamplingFixtures.randomSessions(dataSeed, 4, 0.4);
        ComparisonSet set = ComparisonSetSelector.withDefaults().withTries(300)
                .select(sessions, List.of("A", "B", "C"), seed);
        assertValid(set, sessions, 1);
        for (String p : set.unassignedPainters()) {
            assertTrue(sessions.stream().allMatch(s -> s.coders().containsKey(p)));
        }
    }
}
