package org.engagement4j.core.elan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reader on small hand-written files (src/test/resources/elan). */
class ElanReaderTest {

    private static final ElanReader READER = ElanReader.create();

    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(ElanReaderTest.class.getResource("/elan/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ElanDocument read(String name) {
        try {
            return READER.read(resource(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> values(Tier t) {
        return t.annotations().stream().map(Annotation::value).collect(Collectors.toList());
    }

    @Test
    void readsHeaderTiersAndAlignedAnnotations() {
        ElanDocument d = read("minimal.eaf");
        assertEquals("3.0", d.format());
        assertEquals("3.0", d.version());
        assertEquals("milliseconds", d.timeUnits());
        assertEquals("coderA", d.author());
        assertEquals(Optional.of("2022-03-01T12:00:00+01:00"), d.date());
        assertEquals(List.of(new MediaDescriptor("file:///data/s01.mp4", "video/mp4",
                Optional.of("./s01.mp4"), 250)), d.media());
        assertEquals(List.of("task", "participating", "attending", "ignore"), d.tierIds());
        assertEquals(14, d.timeSlots().size());
        assertEquals(0, d.unalignedSlotCount());
        assertTrue(d.unplaced().isEmpty());
        assertEquals(List.of(LinguisticType.topLevel("default-lt")), d.linguisticTypes());

        Tier task = d.tier("task").orElseThrow();
        assertEquals(Optional.of("infant"), task.participant());
        assertEquals(Optional.of("coderA"), task.annotator());
        assertEquals(Optional.empty(), task.parentRef());
        assertEquals("default-lt", task.linguisticType());
        assertEquals(List.of("people", "eggs", "drums"), values(task));
        Annotation eggs = task.annotations().get(1);
        assertEquals("a2", eggs.id());
        assertEquals(5000, eggs.startMs());
        assertEquals(9000, eggs.endMs());
        assertFalse(eggs.timeEstimated());
        assertEquals(Optional.of("ts4"), eggs.startSlotId());
        assertEquals(Optional.of("ts6"), eggs.endSlotId());
        assertTrue(d.tier("ignore").orElseThrow().annotations().isEmpty());
        assertEquals(Optional.empty(), d.tier("nope"));
    }

    @Test
    void keepsRawValuesAndSortsByTime() {
        ElanDocument d = read("minimal.eaf");
        // File order a5 (3000) then a4 (1500); the tier is in time order. Values untrimmed.
        Tier p = d.tier("participating").orElseThrow();
        assertEquals(List.of(" Self ", "no"), values(p));
        assertEquals(List.of("a4", "a5"),
                p.annotations().stream().map(Annotation::id).collect(Collectors.toList()));
        Tier a = d.tier("attending").orElseThrow();
        assertEquals(List.of("attending", "excited & happy"), values(a)); // CDATA, entity
        assertEquals(2000, a.annotations().get(0).startMs());
        assertEquals(Optional.of(new org.engagement4j.core.annotation.Interval(1000, 14000)),
                d.timeRange());
    }

    @Test
    void unalignedSlotsFollowChainsThenTimeOrderNeighbours() {
        ElanDocument d = read("unaligned.eaf");
        assertEquals("2.8", d.format());
        assertEquals(4, d.unalignedSlotCount());
        // Chain rule: ts1 (1000) -> ts2 -> ts3 -> ts4 (4000) split evenly, though the aligned
        // ts9 (1000) sits between ts2 and ts3 in TIME_ORDER.
        assertEquals(TimeSlot.estimated("ts2", 2000), slot(d, "ts2"));
        assertEquals(TimeSlot.estimated("ts3", 3000), slot(d, "ts3"));
        // Neighbour rule: ts6 between ts5 (5000) and ts7 (8000).
        assertEquals(TimeSlot.estimated("ts6", 6500), slot(d, "ts6"));
        // Nothing after ts8: unresolved.
        assertEquals(TimeSlot.unresolved("ts8"), slot(d, "ts8"));
        assertEquals(TimeSlot.aligned("ts9", 1000), slot(d, "ts9"));

        Tier words = d.tier("words").orElseThrow();
        assertEquals(List.of("one", "two", "three"), values(words));
        long[][] expected = {{1000, 2000}, {2000, 3000}, {3000, 4000}};
        for (int i = 0; i < 3; i++) {
            Annotation w = words.annotations().get(i);
            assertEquals(expected[i][0], w.startMs(), w.id());
            assertEquals(expected[i][1], w.endMs(), w.id());
            assertTrue(w.timeEstimated(), w.id());
        }
        assertFalse(d.annotation("a1").orElseThrow().timeEstimated());
        Annotation point = d.annotation("a6").orElseThrow();
        assertEquals(5000, point.startMs());
        assertEquals(6500, point.endMs());
        assertTrue(point.timeEstimated());
        // A reference annotation inherits times and the estimated flag.
        Annotation g1 = d.annotation("a8").orElseThrow();
        assertEquals(5000, g1.startMs());
        assertEquals(6500, g1.endMs());
        assertTrue(g1.timeEstimated());
        assertEquals(Optional.of("a6"), g1.referencedId());
    }

    @Test
    void annotationsThatCannotBePlacedAreReportedNotDropped() {
        ElanDocument d = read("unaligned.eaf");
        assertEquals(2, d.unplaced().size());
        UnplacedAnnotation wave = d.unplaced().get(0);
        assertEquals("a7", wave.id());
        assertEquals("gesture", wave.tierId());
        assertTrue(wave.reason().contains("ts8"), wave.reason());
        UnplacedAnnotation g2 = d.unplaced().get(1);
        assertEquals("a9", g2.id());
        assertEquals("gloss", g2.tierId());
        assertTrue(g2.reason().contains("a7"), g2.reason());
        assertEquals(Optional.empty(), d.annotation("a7"));
        assertEquals(List.of("reach", "point"), values(d.tier("gesture").orElseThrow()));
        // Every annotation of the file is either placed or unplaced.
        assertEquals(9, d.annotationCount() + d.unplaced().size());
    }

    @Test
    void referenceAnnotationsFollowChainsInAnyTierOrder() {
        ElanDocument d = read("references.eaf");
        assertEquals("2.7", d.format());
        assertEquals(List.of("utterance", "pos", "words", "translation"), d.tierIds());
        Tier words = d.tier("words").orElseThrow();
        assertEquals(Optional.of("utterance"), words.parentRef());
        assertEquals(List.of("big", "dog", "runs"), values(words));
        Annotation dog = d.annotation("a4").orElseThrow();
        assertEquals(0, dog.startMs());
        assertEquals(2000, dog.endMs());
        assertEquals(Optional.of("a1"), dog.referencedId());
        assertEquals(Optional.of("a3"), dog.previousId());
        assertTrue(dog.isReference());
        assertEquals(Optional.empty(), dog.startSlotId());
        Annotation runsPos = d.annotation("a8").orElseThrow();
        assertEquals(2000, runsPos.startMs());
        assertEquals(5000, runsPos.endMs());
        // translation -> pos -> words -> utterance
        Annotation hund = d.annotation("a9").orElseThrow();
        assertEquals("Hund", hund.value());
        assertEquals(0, hund.startMs());
        assertEquals(2000, hund.endMs());
        assertEquals(2, d.tier("utterance").orElseThrow().alignableCount());
        assertEquals(3, d.tier("pos").orElseThrow().referenceCount());
        assertEquals(new LinguisticType("words", false, Optional.of("Symbolic_Subdivision")),
                d.linguisticTypes().get(1));
    }

    @Test
    void readsFromAStreamWithTheGivenName() throws IOException {
        byte[] bytes = Files.readAllBytes(resource("minimal.eaf"));
        ElanDocument d;
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            d = READER.read(in, "in-memory.eaf");
        }
        assertEquals("in-memory.eaf", d.source());
        assertEquals(read("minimal.eaf").withSource("in-memory.eaf"), d);
    }

    @Test
    void missingFileIsAnIoException() {
        assertThrows(NoSuchFileException.class, () -> READER.read(tmp.resolve("none.eaf")));
    }

    @Test
    void aFileWithoutTimeUnitsMeansMilliseconds() throws IOException {
        String xml = Files.readString(resource("minimal.eaf"))
                .replace(" TIME_UNITS=\"milliseconds\"", "");
        ElanDocument d = READER.read(new ByteArrayInputStream(
                xml.getBytes(StandardCharsets.UTF_8)), "x.eaf");
        assertEquals("milliseconds", d.timeUnits());
    }

    private static TimeSlot slot(ElanDocument d, String id) {
        return d.timeSlots().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** Each bad file fails with an ElanFormatException naming the file and the culprit. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "bad-xxe.eaf                  | -         | -  | -   | DOCTYPE",
        "bad-billion-laughs.eaf       | -         | -  | -   | DOCTYPE",
        "bad-external-dtd.eaf         | -         | -  | -   | DOCTYPE",
        "bad-parameter-entity.eaf     | -         | -  | -   | DOCTYPE",
        "bad-malformed.eaf            | -         | -  | -   | malformed XML",
        "bad-truncated.eaf            | -         | -  | -   | malformed XML",
        "bad-time-units.eaf           | -         | -  | -   | PAL-frames",
        "bad-dangling-slot.eaf        | task      | a2 | ts9 | not in TIME_ORDER",
        "bad-dangling-ref.eaf         | gloss     | a2 | -   | a7",
        "bad-ref-cycle.eaf            | gloss     | a2 | -   | loops back",
        "bad-end-before-start.eaf     | task      | a1 | -   | before start",
        "bad-unknown-parent.eaf       | attending | -  | -   | main",
        "bad-duplicate-annotation.eaf | attending | a1 | -   | duplicate ANNOTATION_ID",
        "bad-duplicate-tier.eaf       | task      | -  | -   | duplicate TIER_ID",
        "bad-duplicate-slot.eaf       | -         | -  | ts1 | duplicate TIME_SLOT_ID",
        "bad-time-value.eaf           | -         | -  | ts2 | 2.5s",
        "bad-negative-time.eaf        | -         | -  | ts1 | negative",
        "bad-root.eaf                 | -         | -  | -   | CV_RESOURCE",
        "bad-format.eaf               | -         | -  | -   | 4.1",
        "bad-missing-slot-ref.eaf     | task      | a1 | -   | TIME_SLOT_REF2",
        "bad-parent-cycle.eaf         | a         | -  | -   | cycle",
    })
    void badFilesAreRejectedWithTheCulpritNamed(String file, String tier, String annotation,
            String slot, String fragment) {
        Path p = resource(file);
        ElanFormatException e = assertThrows(ElanFormatException.class, () -> READER.read(p));
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertEquals(Optional.ofNullable(tier), e.tierId(), e.getMessage());
        assertEquals(Optional.ofNullable(annotation), e.annotationId(), e.getMessage());
        assertEquals(Optional.ofNullable(slot), e.slotId(), e.getMessage());
        if (tier != null) {
            assertTrue(e.getMessage().contains("tier '" + tier + "'"), e.getMessage());
        }
        if (annotation != null) {
            assertTrue(e.getMessage().contains("annotation " + annotation), e.getMessage());
        }
        assertTrue(e.line().isPresent(), e.getMessage());
    }

    @Test
    void entityAttacksNeverExpandOrReadFiles() throws IOException {
        // The attack fails at the DOCTYPE, before any entity is declared or read.
        ElanFormatException e = assertThrows(ElanFormatException.class,
                () -> READER.read(resource("bad-xxe.eaf")));
        String hostname = Files.exists(Path.of("/etc/hostname"))
                ? Files.readString(Path.of("/etc/hostname")).trim() : "";
        if (!hostname.isEmpty()) {
            assertFalse(e.getMessage().contains(hostname), e.getMessage());
        }
        assertTrue(e.getMessage().contains("XXE"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void undeclaredEntityIsMalformed() {
        String xml = "<?xml version=\"1.0\"?><ANNOTATION_DOCUMENT AUTHOR=\"\" DATE=\"2022-01-01T00:00:00\""
                + " VERSION=\"3.0\"><HEADER/><TIME_ORDER/><TIER LINGUISTIC_TYPE_REF=\"t\""
                + " TIER_ID=\"&x;\"/></ANNOTATION_DOCUMENT>";
        ElanFormatException e = assertThrows(ElanFormatException.class, () -> READER.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "ent.eaf"));
        assertTrue(e.getMessage().startsWith("ent.eaf, line 1: malformed XML"), e.getMessage());
    }

    @Test
    void formatFallsBackToVersionAndOldFormatsAreRead() throws IOException {
        String xml = Files.readString(resource("minimal.eaf"))
                .replace("FORMAT=\"3.0\" VERSION=\"3.0\"", "VERSION=\"2.6\"");
        ElanDocument d = READER.read(new ByteArrayInputStream(
                xml.getBytes(StandardCharsets.UTF_8)), "old.eaf");
        assertEquals("2.6", d.format());
        assertEquals("2.6", d.version());
        assertEquals(3, d.tier("task").orElseThrow().annotations().size());
    }

    @Test
    void trailingGarbageIsMalformed() throws IOException {
        String xml = Files.readString(resource("minimal.eaf")) + "<extra/>";
        ElanFormatException e = assertThrows(ElanFormatException.class, () -> READER.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "tail.eaf"));
        assertTrue(e.getMessage().contains("malformed XML"), e.getMessage());
    }

    @Test
    void timeSlotRecordChecksItsInvariants() {
        assertThrows(IllegalArgumentException.class,
                () -> new TimeSlot("t", OptionalLong.of(5), 6, false));
        assertThrows(IllegalArgumentException.class,
                () -> new TimeSlot("t", OptionalLong.of(5), 5, true));
        assertThrows(IllegalArgumentException.class,
                () -> new TimeSlot("t", OptionalLong.empty(), 5, false));
        assertThrows(IllegalArgumentException.class, () -> TimeSlot.aligned("t", -1));
        assertTrue(TimeSlot.estimated("t", 3).isResolved());
        assertFalse(TimeSlot.unresolved("t").isResolved());
    }
}
