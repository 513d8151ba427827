package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.core.elan.ElanDocument;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.elan.SyntheticSession;
import org.engagement4j.core.elan.Tier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement eaf-info}, run in-process. */
class EafInfoCommandTest {

    @TempDir
    Path tmp;

    private static ModelFiles.Outcome run(String... args) {
        return ModelFiles.run(new EafInfoCommand(), args);
    }

    private SyntheticSession synthetic() {
        return SyntheticCoding.withDefaults().withCoders(2).generate("s01", 17);
    }

    @Test
    void summarisesASyntheticCoderFile() throws IOException {
        SyntheticSession s = synthetic();
        Path f = s.writeTo(tmp).get(0);
        ElanDocument d = s.documents().get("coder1");
        ModelFiles.Outcome o = run(f.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("format:       3.0 (version 3.0)"), o.out());
        assertTrue(o.out().contains("time units:   milliseconds"), o.out());
        assertTrue(o.out().contains("media:        file:///s01.mp4 (video/mp4)"), o.out());
        assertTrue(o.out().contains(String.format("time slots:   %d (0 unaligned",
                d.timeSlots().size())), o.out());
        assertTrue(o.out().contains("tiers:        4"), o.out());
        for (Tier t : d.tiers()) {
            String row = o.out().lines().filter(l -> l.startsWith("  " + t.id() + " "))
                    .findFirst().orElseThrow(() -> new AssertionError(t.id() + ": " + o.out()));
            assertTrue(row.matches(".*\\s" + t.alignableCount() + "\\s+0\\s+0"), row);
            assertTrue(row.contains("default-lt") && row.contains("coder1"), row);
        }
        assertTrue(o.out().contains(String.format("time range:   %d .. %d ms",
                d.timeRange().orElseThrow().startMs(), d.timeRange().orElseThrow().endMs())),
                o.out());
        assertFalse(o.out().contains("unplaced annotations:"), o.out());
    }

    @Test
    void jsonHasCountsPerTierAndUnplacedAnnotations() throws IOException {
        Path f = tmp.resolve("unaligned.eaf");
        Files.writeString(f, UNALIGNED);
        ModelFiles.Outcome o = run(f.toString(), "--json");
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals("2.8", root.get("format").asText());
        assertEquals(4, root.get("time_slots").get("total").asInt());
        assertEquals(2, root.get("time_slots").get("unaligned").asInt());
        assertEquals(1, root.get("time_slots").get("estimated").asInt());
        assertEquals(1, root.get("time_slots").get("unresolved").asInt());
        JsonNode tiers = root.get("tiers");
        assertEquals(2, tiers.size());
        assertEquals("words", tiers.get(1).get("id").asText());
        assertEquals("utterance", tiers.get(1).get("parent").asText());
        assertEquals(1, tiers.get(1).get("alignable").asInt());
        assertEquals(1, tiers.get(1).get("estimated").asInt());
        assertTrue(tiers.get(0).get("parent").isNull());
        assertEquals(1, root.get("annotations").get("unplaced").asInt());
        assertEquals("a3", root.get("unplaced").get(0).get("id").asText());
        assertTrue(root.get("unplaced").get(0).get("reason").asText().contains("ts4"));
        assertEquals(1000, root.get("time_range_ms").get("start").asLong());
        assertEquals(2000, root.get("time_range_ms").get("end").asLong());
    }

    @Test
    void textListsUnplacedAnnotations() throws IOException {
        Path f = tmp.resolve("unaligned.eaf");
        Files.writeString(f, UNALIGNED);
        ModelFiles.Outcome o = run(f.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("time slots:   4 (2 unaligned: 1 estimated, 1 unresolved)"),
                o.out());
        assertTrue(o.out().contains("unplaced annotations: 1"), o.out());
        assertTrue(o.out().contains("  a3 (tier 'words'): time slot ts4"), o.out());
    }

    @Test
    void entityAttackExitsTwoWithTheFileNamed() throws IOException {
        Path f = tmp.resolve("xxe.eaf");
        Files.writeString(f, "<?xml version=\"1.0\"?>\n<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY x"
                + " SYSTEM \"file:///etc/passwd\">]>\n<ANNOTATION_DOCUMENT>&x;</ANNOTATION_DOCUMENT>");
        ModelFiles.Outcome o = run(f.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().startsWith("error: " + f), o.err());
        assertTrue(o.err().contains("DOCTYPE"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        assertEquals("", o.out());
    }

    @Test
    void missingFileExitsTwo() {
        ModelFiles.Outcome o = run(tmp.resolve("none.eaf").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("none.eaf: no such file"), o.err());
    }

    @Test
    void clockFormatsHoursMinutesSecondsMillis() {
        assertEquals("0:00:01.800", EafInfoCommand.clock(1800));
        assertEquals("1:02:03.004", EafInfoCommand.clock(3_723_004));
    }

    @Test
    void realSampleFile() {
        Assumptions.assumeTrue(Boolean.getBoolean("engagement4j.conformance"));
        Path f = Path.of(System.getProperty("engagement4j.shared.dir"), "data", "elan",
                "sample_3.0.eaf");
        ModelFiles.Outcome o = run(f.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("time slots:   7182 (1572 unaligned: 1572 estimated,"
                + " 0 unresolved)"), o.out());
        assertTrue(o.out().contains("annotations:  8778 placed (4788 alignable, 3990 reference),"
                + " 0 unplaced"), o.out());
        assertTrue(o.out().contains("time range:   1800 .. 1199000 ms (0:00:01.800 .."
                + " 0:19:59.000)"), o.out());
    }

    /** ts2 lies between aligned slots (estimated 1500 ms); ts4 comes last (unresolved). */
    private static final String UNALIGNED = String.join("\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<ANNOTATION_DOCUMENT AUTHOR=\"\" DATE=\"2014-10-28T10:14:04+01:00\" FORMAT=\"2.8\""
                    + " VERSION=\"2.8\">",
            "  <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\"/>",
            "  <TIME_ORDER>",
            "    <TIME_SLOT TIME_SLOT_ID=\"ts1\" TIME_VALUE=\"1000\"/>",
            "    <TIME_SLOT TIME_SLOT_ID=\"ts2\"/>",
            "    <TIME_SLOT TIME_SLOT_ID=\"ts3\" TIME_VALUE=\"2000\"/>",
            "    <TIME_SLOT TIME_SLOT_ID=\"ts4\"/>",
            "  </TIME_ORDER>",
            "  <TIER LINGUISTIC_TYPE_REF=\"utt\" TIER_ID=\"utterance\">",
            "    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a1\" TIME_SLOT_REF1=\"ts1\""
                    + " TIME_SLOT_REF2=\"ts3\"><ANNOTATION_VALUE>hi</ANNOTATION_VALUE>"
                    + "</ALIGNABLE_ANNOTATION></ANNOTATION>",
            "  </TIER>",
            "  <TIER LINGUISTIC_TYPE_REF=\"w\" PARENT_REF=\"utterance\" TIER_ID=\"words\">",
            "    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a2\" TIME_SLOT_REF1=\"ts2\""
                    + " TIME_SLOT_REF2=\"ts3\"><ANNOTATION_VALUE>x</ANNOTATION_VALUE>"
                    + "</ALIGNABLE_ANNOTATION></ANNOTATION>",
            "    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a3\" TIME_SLOT_REF1=\"ts3\""
                    + " TIME_SLOT_REF2=\"ts4\"><ANNOTATION_VALUE>y</ANNOTATION_VALUE>"
                    + "</ALIGNABLE_ANNOTATION></ANNOTATION>",
            "  </TIER>",
            "</ANNOTATION_DOCUMENT>", "");
}
