package org.engagement4j.core.elan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The writer: round trips, escaping, atomic replacement, refusal of unwritable documents. */
class ElanWriterTest {

    private static final ElanReader READER = ElanReader.create();

    @TempDir
    Path tmp;

    /** The document as it reads back from a written file: format 3.0, nothing unplaced. */
    static ElanDocument asWritten(ElanDocument d, String source) {
        return new ElanDocument(source, "3.0", "3.0", d.timeUnits(), d.media(), d.timeSlots(),
                d.tiers(), List.of(), d.linguisticTypes(), d.author(), d.date());
    }

    static byte[] bytes(ElanDocument d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ElanWriter.write(out, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static ElanDocument reread(ElanDocument d) {
        try {
            return READER.read(new ByteArrayInputStream(bytes(d)), "reread");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal.eaf", "unaligned.eaf", "references.eaf"})
    void readWriteReadGivesTheSameDocument(String name) throws IOException {
        ElanDocument d = ElanReaderTest.read(name);
        Path f = tmp.resolve(name);
        ElanWriter.write(f, d);
        ElanDocument back = READER.read(f);
        // Unaligned slots are written unaligned, so even the estimates come back the same.
        assertEquals(asWritten(d, f.toString()), back);
    }

    @Test
    void unplacedAnnotationsAreLeftOutOfTheFile() throws IOException {
        ElanDocument d = ElanReaderTest.read("unaligned.eaf");
        assertEquals(2, d.unplaced().size());
        String xml = new String(bytes(d), StandardCharsets.UTF_8);
        assertFalse(xml.contains("\"a7\""), xml);
        assertFalse(xml.contains("\"a9\""), xml);
        assertTrue(xml.contains("<TIME_SLOT TIME_SLOT_ID=\"ts8\"/>"), xml);
        // ELAN numbers new annotations after the largest id, unplaced ones included.
        assertTrue(xml.contains("<PROPERTY NAME=\"lastUsedAnnotationId\">9</PROPERTY>"), xml);
    }

    @Test
    void codeBuiltDocumentsGetSlotsAndTypes() {
        Tier task = Tier.of("task", "default-lt", List.of(
                Annotation.alignable("a2", "task", 9000, 12000, "eggs"),
                Annotation.alignable("a1", "task", 1000, 5000, "people")));
        Tier words = new Tier("gloss", Optional.empty(), Optional.empty(), Optional.of("task"),
                "symbolic", List.of(Annotation.reference("a3", "gloss", "a1", 1000, 5000, "x"),
                        Annotation.reference("a4", "gloss", "a1", 1000, 5000, "y")));
        Tier incl = new Tier("inner", Optional.of("infant"), Optional.of("me"),
                Optional.of("task"), "included", List.of(
                        Annotation.alignable("a5", "inner", 1500, 2000, "z")));
        ElanDocument d = ElanDocument.of("built", List.of(task, words, incl));
        ElanDocument back = reread(d);
        assertEquals(List.of("task", "gloss", "inner"), back.tierIds());
        for (Tier t : d.tiers()) {
            assertEquals(strip(t.annotations()),
                    strip(back.tier(t.id()).orElseThrow().annotations()), t.id());
        }
        // Six new aligned slots in time order.
        List<Long> times = back.timeSlots().stream().map(TimeSlot::resolvedMs)
                .collect(Collectors.toList());
        assertEquals(List.of(1000L, 1500L, 2000L, 5000L, 9000L, 12000L), times);
        assertEquals(List.of(LinguisticType.topLevel("default-lt"),
                new LinguisticType("symbolic", false, Optional.of("Symbolic_Subdivision")),
                new LinguisticType("included", true, Optional.of("Included_In"))),
                back.linguisticTypes());
        // A second round trip is exact: the written document is a fixed point.
        assertEquals(back, reread(back).withSource("reread"));
    }

    /** Annotation content without slot ids. */
    static List<List<Object>> strip(List<Annotation> anns) {
        List<List<Object>> out = new ArrayList<>();
        for (Annotation a : anns) {
            out.add(List.of(a.id(), a.tierId(), a.startMs(), a.endMs(), a.value(),
                    a.referencedId(), a.previousId()));
        }
        return out;
    }

    @Test
    void escapesEverythingXmlWouldLose() {
        String nasty = "  a & b < c > d \"q\" 'p'\r\n\ttab \uD83D\uDE00 ]]> end  ";
        String tierId = "my \"tier\" & <co>\n";
        Tier t = new Tier(tierId, Optional.of("part\ticipant"), Optional.of("r\r"),
                Optional.empty(), "type & co", List.of(
                        Annotation.alignable("a1", tierId, 0, 10, nasty),
                        Annotation.alignable("a2", tierId, 10, 20, "")));
        ElanDocument d = new ElanDocument("esc", "3.0", "3.0", "milliseconds",
                List.of(new MediaDescriptor("file:///a%20b.mp4", "video/mp4",
                        Optional.of("./a b&c.mp4"), 40)),
                List.of(), List.of(t), List.of(), List.of(), "au\"thor",
                Optional.of("2022-03-01T12:00:00Z"));
        ElanDocument back = reread(d);
        Tier bt = back.tiers().get(0);
        assertEquals(tierId, bt.id());
        assertEquals(Optional.of("part\ticipant"), bt.participant());
        assertEquals(Optional.of("r\r"), bt.annotator());
        assertEquals("type & co", bt.linguisticType());
        assertEquals(nasty, bt.annotations().get(0).value());
        assertEquals("", bt.annotations().get(1).value());
        assertEquals("au\"thor", back.author());
        assertEquals(d.media(), back.media());
        assertEquals(Optional.of("2022-03-01T12:00:00Z"), back.date());
    }

    @Test
    void writingIsDeterministic() {
        ElanDocument d = ElanReaderTest.read("references.eaf");
        assertArrayEquals(bytes(d), bytes(d));
    }

    @Test
    void replacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("out.eaf");
        Files.writeString(f, "old content");
        ElanDocument d = ElanReaderTest.read("minimal.eaf");
        ElanWriter.write(f, d);
        assertEquals(asWritten(d, f.toString()), READER.read(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.collect(Collectors.toList()));
        }
    }

    @Test
    void aDocumentThatCannotBeWrittenLeavesTheTargetAlone() throws IOException {
        Path f = tmp.resolve("keep.eaf");
        Files.writeString(f, "old content");
        Tier t = Tier.of("task", "lt", List.of(Annotation.alignable("a1", "task", 0, 10,
                "bell \u0007")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElanWriter.write(f, ElanDocument.of("bell", List.of(t))));
        assertTrue(e.getMessage().contains("tier 'task', annotation a1"), e.getMessage());
        assertTrue(e.getMessage().contains("U+0007"), e.getMessage());
        assertEquals("old content", Files.readString(f));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void refusesIdsTheSchemaRejects() {
        Tier badId = Tier.of("task", "lt", List.of(Annotation.alignable("1a", "task", 0, 10,
                "x")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bytes(ElanDocument.of("ids", List.of(badId))));
        assertTrue(e.getMessage().contains("'1a' is not an XML name"), e.getMessage());

        Tier clash = Tier.of("task", "lt", List.of(Annotation.alignable("ts1", "task", 0, 10,
                "x", "ts1", "ts2")));
        ElanDocument d = new ElanDocument("clash", "3.0", "3.0", "milliseconds", List.of(),
                List.of(TimeSlot.aligned("ts1", 0), TimeSlot.aligned("ts2", 10)),
                List.of(clash), List.of());
        e = assertThrows(IllegalArgumentException.class, () -> bytes(d));
        assertTrue(e.getMessage().contains("also used by a time slot"), e.getMessage());
    }

    @Test
    void refusesTimesBeyondUnsignedInt() {
        Tier t = Tier.of("task", "lt", List.of(Annotation.alignable("a1", "task", 0,
                ElanWriter.MAX_TIME_MS + 1, "x")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bytes(ElanDocument.of("big", List.of(t))));
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
    }

    @Test
    void refusesAPreviousAnnotationThatIsNotAReference() {
        Tier top = Tier.of("top", "lt", List.of(Annotation.alignable("a1", "top", 0, 10, "x")));
        Tier ref = new Tier("ref", Optional.empty(), Optional.empty(), Optional.of("top"), "r",
                List.of(new Annotation("a2", "ref", 0, 10, "y", false, Optional.of("a1"),
                        Optional.of("a1"), Optional.empty(), Optional.empty())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bytes(ElanDocument.of("prev", List.of(top, ref))));
        assertTrue(e.getMessage().contains("PREVIOUS_ANNOTATION a1"), e.getMessage());
    }

    @Test
    void movedAnnotationsGetNewSlots() {
        ElanDocument d = ElanReaderTest.read("minimal.eaf");
        Tier task = d.tier("task").orElseThrow();
        List<Annotation> moved = new ArrayList<>(task.annotations());
        Annotation a = moved.get(0);
        // Same slot ids, different times: the slots no longer hold the annotation's times.
        moved.set(0, new Annotation(a.id(), a.tierId(), 1200, 3900, a.value(), false,
                Optional.empty(), Optional.empty(), a.startSlotId(), a.endSlotId()));
        List<Tier> tiers = new ArrayList<>(d.tiers());
        tiers.set(0, task.withAnnotations(moved));
        ElanDocument back = reread(d.withTiers(tiers));
        Annotation b = back.annotation("a1").orElseThrow();
        assertEquals(1200, b.startMs());
        assertEquals(3900, b.endMs());
        assertEquals(d.timeSlots().size() + 2, back.timeSlots().size());
        assertFalse(b.startSlotId().equals(a.startSlotId()));
    }

    @Test
    void documentConstructorChecksCrossReferences() {
        Tier top = Tier.of("top", "lt", List.of(Annotation.alignable("a1", "top", 0, 10, "x")));
        Tier orphan = new Tier("child", Optional.empty(), Optional.empty(), Optional.of("none"),
                "lt", List.of());
        assertThrows(IllegalArgumentException.class,
                () -> ElanDocument.of("d", List.of(top, orphan)));
        assertThrows(IllegalArgumentException.class,
                () -> ElanDocument.of("d", List.of(top, top)));
        Tier dangling = new Tier("r", Optional.empty(), Optional.empty(), Optional.of("top"),
                "lt", List.of(Annotation.reference("a2", "r", "a9", 0, 10, "y")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElanDocument.of("d", List.of(top, dangling)));
        assertTrue(e.getMessage().contains("a9"), e.getMessage());
        Tier cycle = new Tier("r", Optional.empty(), Optional.empty(), Optional.of("top"),
                "lt", List.of(Annotation.reference("a2", "r", "a3", 0, 10, "y"),
                        Annotation.reference("a3", "r", "a2", 0, 10, "z")));
        e = assertThrows(IllegalArgumentException.class,
                () -> ElanDocument.of("d", List.of(top, cycle)));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ElanDocument("d", "3.0", "3.0",
                "PAL-frames", List.of(), List.of(), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Tier.of("top", "lt", List.of(Annotation.alignable("a1", "other", 0, 1, ""))));
    }

    // ------------------------------------------------------------------ property

    @Property(tries = 60)
    void anyDocumentRoundTrips(@ForAll("documents") ElanDocument d) {
        ElanDocument back = reread(d);
        assertEquals(d.tierIds(), back.tierIds());
        for (Tier t : d.tiers()) {
            Tier bt = back.tier(t.id()).orElseThrow();
            assertEquals(strip(t.annotations()), strip(bt.annotations()), t.id());
            assertEquals(t.participant(), bt.participant());
            assertEquals(t.parentRef(), bt.parentRef());
        }
        assertEquals(back, reread(back).withSource("reread"));
    }

    @Provide
    Arbitrary<ElanDocument> documents() {
        Arbitrary<String> values = Arbitraries.strings()
                .withCharRange(' ', '\uD7FF').withChars('\t', '\n', '\r', '&', '<', '\uE000')
                .ofMaxLength(12);
        Arbitrary<long[]> span = Combinators.combine(Arbitraries.longs().between(0, 100_000),
                Arbitraries.longs().between(0, 5_000)).as((s, d) -> new long[] {s, s + d});
        Arbitrary<List<Object[]>> top = Combinators.combine(span, values)
                .as((s, v) -> new Object[] {s, v}).list().ofMaxSize(8);
        return Combinators.combine(top, top, values.list().ofMaxSize(5))
                .as((t1, t2, refs) -> {
                    int[] n = {0};
                    List<Annotation> a1 = new ArrayList<>();
                    for (Object[] o : t1) {
                        long[] s = (long[]) o[0];
                        a1.add(Annotation.alignable("a" + ++n[0], "one", s[0], s[1],
                                (String) o[1]));
                    }
                    List<Annotation> a2 = new ArrayList<>();
                    for (Object[] o : t2) {
                        long[] s = (long[]) o[0];
                        a2.add(Annotation.alignable("a" + ++n[0], "two two", s[0], s[1],
                                (String) o[1]));
                    }
                    List<Annotation> a3 = new ArrayList<>();
                    for (int i = 0; i < refs.size() && !a1.isEmpty(); i++) {
                        Annotation target = a1.get(i % a1.size());
                        a3.add(Annotation.reference("a" + ++n[0], "ref", target.id(),
                                target.startMs(), target.endMs(), refs.get(i)));
                    }
                    return ElanDocument.of("generated", List.of(Tier.of("one", "lt", a1),
                            new Tier("two two", Optional.of("p & q"), Optional.empty(),
                                    Optional.empty(), "lt", a2),
                            new Tier("ref", Optional.empty(), Optional.empty(),
                                    Optional.of("one"), "ref-lt", a3)));
                });
    }
}
