package org.engagement4j.core.elan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic multi-coder generator. */
class SyntheticCodingTest {

    private static final SyntheticCoding GEN = SyntheticCoding.withDefaults();

    @TempDir
    Path tmp;

    @Test
    void sameSeedGivesIdenticalFiles() throws IOException {
        List<Path> a = GEN.generate("s01", 42).writeTo(tmp.resolve("a"));
        List<Path> b = GEN.generate("s01", 42).writeTo(tmp.resolve("b"));
        assertEquals(3, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getFileName(), b.get(i).getFileName());
            assertTrue(a.get(i).getFileName().toString()
                    .matches("s01_coder" + (i + 1) + "_202203(0[1-9]|1[0-4])\\.eaf"),
                    a.get(i).toString());
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)));
        }
        assertNotEquals(GEN.generate("s01", 43).truth(), GEN.generate("s01", 42).truth());
        assertNotEquals(GEN.generate("s01", 42).documents().get("coder1").tiers(),
                GEN.generate("s01", 42).documents().get("coder2").tiers());
    }

    @Test
    void filesReadBackAsTheGeneratedDocuments() throws IOException {
        SyntheticSession s = GEN.generate("s02", 7);
        List<Path> files = s.writeTo(tmp);
        for (int i = 0; i < files.size(); i++) {
            String coder = s.coders().get(i);
            ElanDocument read = ElanReader.create().read(files.get(i));
            assertEquals(s.documents().get(coder).withSource(files.get(i).toString()), read);
            assertEquals(s.fileName(coder), files.get(i).getFileName().toString());
        }
    }

    @Test
    void documentsHaveTheReferenceTiersAndValues() {
        SyntheticSession s = GEN.generateAll(List.of("p1", "p2", "p3"), 99).get(2);
        for (String coder : s.coders()) {
            ElanDocument d = s.documents().get(coder);
            assertEquals(List.of("task", "participating", "attending", "ignore"), d.tierIds());
            assertEquals(coder, d.author());
            Tier task = d.tier("task").orElseThrow();
            assertEquals(List.of("people", "eggs", "drums"), task.annotations().stream()
                    .map(Annotation::value).collect(java.util.stream.Collectors.toList()));
            checkValuesAndOverlap(d.tier("participating").orElseThrow(),
                    Set.of("self", "joint", "no"), task);
            checkValuesAndOverlap(d.tier("attending").orElseThrow(),
                    Set.of("attending", "excited", "no"), task);
            for (Annotation a : d.tier("ignore").orElseThrow().annotations()) {
                assertEquals("ignore", a.value());
            }
            for (Tier t : d.tiers()) {
                assertEquals(java.util.Optional.of(coder), t.annotator());
                assertNoOverlap(t);
            }
            LocalDate date = s.dates().get(coder);
            assertTrue(!date.isBefore(LocalDate.of(2022, 3, 1))
                    && !date.isAfter(LocalDate.of(2022, 3, 14)), date.toString());
        }
    }

    private static void checkValuesAndOverlap(Tier t, Set<String> allowed, Tier task) {
        assertTrue(!t.annotations().isEmpty(), t.id());
        for (Annotation a : t.annotations()) {
            assertTrue(allowed.contains(a.value()), a.value());
            boolean inside = task.annotations().stream()
                    .anyMatch(s -> s.interval().contains(a.interval()));
            assertTrue(inside, () -> a + " outside the task spans");
        }
    }

    private static void assertNoOverlap(Tier t) {
        for (int i = 1; i < t.annotations().size(); i++) {
            assertTrue(t.annotations().get(i - 1).endMs() <= t.annotations().get(i).startMs(),
                    () -> t.id() + " overlaps: " + t.annotations());
        }
    }

    /** Reads the expected annotations back out of a document, as the role mapping would. */
    static CoderAnnotations fromDocument(String coder, ElanDocument d) {
        java.util.Map<Task, Interval> spans = new java.util.EnumMap<>(Task.class);
        for (Annotation a : d.tier("task").orElseThrow().annotations()) {
            for (Task t : Task.values()) {
                if (t.referenceValue().equals(a.value())) {
                    spans.put(t, a.interval());
                }
            }
        }
        java.util.Map<Task, java.util.Map<Variable, IntervalSet>> engaged =
                new java.util.EnumMap<>(Task.class);
        for (Task t : Task.values()) {
            java.util.Map<Variable, IntervalSet> perVar = new java.util.EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                List<Interval> iv = new ArrayList<>();
                for (Annotation a : d.tier(v.referenceTier()).orElseThrow().annotations()) {
                    if (!a.value().equals("no") && spans.get(t).contains(a.interval())) {
                        iv.add(a.interval());
                    }
                }
                perVar.put(v, IntervalSet.of(iv));
            }
            engaged.put(t, perVar);
        }
        List<Interval> masked = new ArrayList<>();
        d.tier("ignore").ifPresent(t -> t.annotations().forEach(a -> masked.add(a.interval())));
        return new CoderAnnotations(coder, spans, engaged, IntervalSet.of(masked));
    }

    @Test
    void expectedAnnotationsAreWhatTheDocumentsSay() {
        SyntheticSession s = GEN.withMissProbability(0.3).withExtraProbability(0.3)
                .withBoundaryJitterMs(2000).generate("s03", 5);
        for (String coder : s.coders()) {
            assertEquals(s.expected().get(coder),
                    fromDocument(coder, s.documents().get(coder)), coder);
        }
    }

    @Test
    void withoutNoiseEveryCoderSeesTheTruth() {
        SyntheticSession s = GEN.withBoundaryJitterMs(0).withMissProbability(0)
                .withExtraProbability(0).generate("s04", 11);
        CoderAnnotations truth = s.truth();
        for (String coder : s.coders()) {
            CoderAnnotations c = s.expected().get(coder);
            assertEquals(truth.taskSpans(), c.taskSpans(), coder);
            assertEquals(truth.engaged(), c.engaged(), coder);
            assertEquals(truth.masked(), c.masked(), coder);
        }
    }

    @Test
    void noiseMakesCodersDisagreeButStayClose() {
        SyntheticSession s = GEN.generate("s05", 3);
        for (String coder : s.coders()) {
            CoderAnnotations c = s.expected().get(coder);
            for (Task t : Task.values()) {
                long shift = Math.abs(c.taskSpan(t).orElseThrow().startMs()
                        - s.truth().taskSpan(t).orElseThrow().startMs());
                assertTrue(shift <= 400, coder + " " + t + " shifted by " + shift);
            }
            double iou = iou(c, s.truth(), Variable.SOCIAL_ENGAGEMENT);
            assertTrue(iou > 0.6 && iou < 1.0, coder + ": IoU with the truth " + iou);
        }
    }

    private static double iou(CoderAnnotations a, CoderAnnotations b, Variable v) {
        long inter = 0;
        long union = 0;
        for (Task t : Task.values()) {
            IntervalSet x = a.engaged(t, v);
            IntervalSet y = b.engaged(t, v);
            IntervalSet u = union(x, y);
            union += u.durationMs();
            inter += x.durationMs() + y.durationMs() - u.durationMs();
        }
        return (double) inter / union;
    }

    private static IntervalSet union(IntervalSet x, IntervalSet y) {
        List<Interval> all = new ArrayList<>(x.intervals());
        all.addAll(y.intervals());
        return IntervalSet.of(all);
    }

    @Test
    void missingEverythingLeavesOnlyNo() {
        SyntheticSession s = GEN.withMissProbability(1).withExtraProbability(0)
                .withExplicitNoProbability(1).withCoders(2).generate("s06", 8);
        for (String coder : s.coders()) {
            ElanDocument d = s.documents().get(coder);
            for (Annotation a : d.tier("participating").orElseThrow().annotations()) {
                assertEquals("no", a.value());
            }
            // One "no" per task span, covering it.
            assertEquals(d.tier("task").orElseThrow().annotations().stream()
                    .map(Annotation::interval).collect(java.util.stream.Collectors.toList()),
                    d.tier("attending").orElseThrow().annotations().stream()
                            .map(Annotation::interval)
                            .collect(java.util.stream.Collectors.toList()));
            assertTrue(d.tier("ignore").orElseThrow().annotations().isEmpty());
        }
    }

    @Test
    void extraEpisodesOnlyAddEngagedTime() {
        SyntheticSession s = GEN.withBoundaryJitterMs(0).withMissProbability(0)
                .withExtraProbability(1).generate("s07", 21);
        for (String coder : s.coders()) {
            CoderAnnotations c = s.expected().get(coder);
            for (Task t : Task.values()) {
                for (Variable v : Variable.values()) {
                    IntervalSet truth = s.truth().engaged(t, v);
                    IntervalSet coded = c.engaged(t, v);
                    assertEquals(coded, union(coded, truth), coder + " " + t + " " + v);
                    assertTrue(coded.durationMs() > truth.durationMs(), coder + " " + t);
                }
            }
        }
    }

    @Test
    void addingACoderKeepsTheTruthAndTheOtherCoders() {
        SyntheticSession two = GEN.withCoders(2).generate("s08", 13);
        SyntheticSession three = GEN.withCoders(3).generate("s08", 13);
        assertEquals(two.truth(), three.truth());
        assertEquals(two.documents().get("coder2"), three.documents().get("coder2"));
        assertEquals(List.of("coder1", "coder2"), two.coders());
    }

    @Test
    void ignoreTierCanBeSwitchedOff() {
        SyntheticSession s = GEN.withIgnoreTier(false).generate("s09", 1);
        assertEquals(List.of("task", "participating", "attending"),
                s.documents().get("coder1").tierIds());
        assertTrue(s.truth().masked().isEmpty());
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> GEN.withCoders(0));
        assertThrows(IllegalArgumentException.class,
                () -> GEN.withCoderNames(List.of("a_b")));
        assertThrows(IllegalArgumentException.class,
                () -> GEN.withCoderNames(List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> GEN.withMissProbability(1.5));
        assertThrows(IllegalArgumentException.class, () -> GEN.withExtraProbability(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GEN.withSessionLengthMs(10_000));
        assertThrows(IllegalArgumentException.class, () -> GEN.withBoundaryJitterMs(-1));
        assertThrows(IllegalArgumentException.class, () -> GEN.withMeanEpisodeMs(10, 5000));
        assertThrows(IllegalArgumentException.class, () -> GEN.generate("bad name", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GEN.withSessionLengthMs(60_000).withBoundaryJitterMs(10_000)
                        .generate("short", 1));
        assertTrue(e.getMessage().contains("short"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> GEN.generate("s10", 1).fileName("nobody"));
        // A short session with little jitter works.
        SyntheticSession s = GEN.withSessionLengthMs(60_000).generate("tiny", 4);
        assertEquals(3, s.truth().taskSpans().size());
    }
}
