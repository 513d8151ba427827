package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.engagement4j.examples.render.HeatmapPng;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement stats} end to end: ELAN files on disk to Table 1 and Figure 1. The files hold
 * the sessions of engagement-core's {@code StatsFixture}, whose expected values were computed with
 * NumPy and statsmodels 0.13.5 (the script is in core's {@code HumanAgreementTest}); for example
 * all tasks, both variables, coders A and B: 138 shared samples, raw agreement
 * 0.9202898550724637, kappa 0.8218727998122506.
 */
class StatsCommandTest {

    @TempDir
    Path dir;

    private static ModelFiles.Outcome run(String... args) {
        return ModelFiles.run(new StatsCommand(), args);
    }

    /** One coder's file: task spans (dolls, shaker, drum), then engaged spans per tier. */
    private void eaf(String name, long[] tasks, long[][] participating, long[][] attending)
            throws IOException {
        List<String[]> spans = new ArrayList<>(); // tier, start, end, value
        String[] values = {"people", "eggs", "drums"};
        for (int i = 0; i < 3; i++) {
            spans.add(new String[] {"task", "" + tasks[2 * i], "" + tasks[2 * i + 1], values[i]});
        }
        for (long[] s : participating) {
            spans.add(new String[] {"participating", "" + s[0], "" + s[1], "self"});
        }
        for (long[] s : attending) {
            spans.add(new String[] {"attending", "" + s[0], "" + s[1], "attending"});
        }
        StringBuilder slots = new StringBuilder();
        StringBuilder[] tiers = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        List<String> tierNames = List.of("task", "participating", "attending");
        int slot = 0;
        int id = 0;
        for (String[] s : spans) {
            slots.append(String.format(Locale.ROOT,
                    "<TIME_SLOT TIME_SLOT_ID=\"ts%d\" TIME_VALUE=\"%s\"/>"
                    + "<TIME_SLOT TIME_SLOT_ID=\"ts%d\" TIME_VALUE=\"%s\"/>%n", slot + 1, s[1],
                    slot + 2, s[2]));
            tiers[tierNames.indexOf(s[0])].append(String.format(Locale.ROOT, "<ANNOTATION>"
                    + "<ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a%d\" TIME_SLOT_REF1=\"ts%d\""
                    + " TIME_SLOT_REF2=\"ts%d\"><ANNOTATION_VALUE>%s</ANNOTATION_VALUE>"
                    + "</ALIGNABLE_ANNOTATION></ANNOTATION>%n", ++id, slot + 1, slot + 2, s[3]));
            slot += 2;
        }
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ANNOTATION_DOCUMENT AUTHOR=\"\" DATE=\"2022-02-14T10:00:00+01:00\""
                + " FORMAT=\"3.0\" VERSION=\"3.0\">\n"
                + "<HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\"/>\n<TIME_ORDER>\n")
                .append(slots).append("</TIME_ORDER>\n");
        for (int t = 0; t < 3; t++) {
            doc.append("<TIER LINGUISTIC_TYPE_REF=\"lt\" TIER_ID=\"").append(tierNames.get(t))
                    .append("\">\n").append(tiers[t]).append("</TIER>\n");
        }
        doc.append("<LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"lt\""
                + " TIME_ALIGNABLE=\"true\"/>\n</ANNOTATION_DOCUMENT>\n");
        Files.writeString(dir.resolve(name), doc, StandardCharsets.UTF_8);
    }

    private static long[][] s(long... bounds) {
        long[][] out = new long[bounds.length / 2][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[] {bounds[2 * i], bounds[2 * i + 1]};
        }
        return out;
    }

    @BeforeEach
    void fixture() throws IOException {
        eaf("s1_A_20220214.eaf", new long[] {0, 2000, 3000, 4000, 5000, 6000},
                s(0, 1000, 3000, 3500), s(500, 1500, 5000, 5200));
        eaf("s1_B_20220215.eaf", new long[] {100, 2000, 3000, 4100, 4900, 6000},
                s(200, 1000, 3200, 3600), s(600, 1500, 5000, 5300));
        eaf("s1_C_20220216.eaf", new long[] {150, 1960, 2950, 4000, 5000, 5950},
                s(150, 900, 3000, 3500), s(500, 1400, 5100, 5200));
        eaf("s2_A_20220214.eaf", new long[] {0, 1000, 1000, 2000, 2000, 3000},
                s(0, 500, 1200, 2000, 2000, 2500), s(300, 700, 1000, 1100));
        eaf("s2_B_20220215.eaf", new long[] {0, 1000, 1000, 2000, 2050, 3000},
                s(0, 400, 1300, 2000, 2050, 2400), s(300, 800));
        eaf("s3_B_20220215.eaf", new long[] {0, 1000, 1000, 2000, 2000, 3000},
                s(0, 1000), s());
        eaf("s3_C_20220216.eaf", new long[] {0, 1000, 1000, 2000, 2000, 3000},
                s(0, 600), s(1500, 2000));
        Files.writeString(dir.resolve("s1.mp4"), "not a video");
    }

    @Test
    void textReportShowsTableOneAndFigureOne() {
        ModelFiles.Outcome o = run("--eaf", dir.toString());
        assertEquals(0, o.status(), o.err());
        String out = o.out();
        assertTrue(out.contains("3 session(s), 7 annotation file(s), coders [A, B, C]"), out);
        assertTrue(out.contains("not read (name does not match the pattern): [s1.mp4]"), out);
        // dolls: 7 spans, mean 1387 ms, sd 486 ms; mean IoU 96.8 %; intersection 3.8 s.
        assertTrue(out.contains("1.4s +/- 0.5s"), out);
        assertTrue(out.contains("96.8%"), out);
        assertTrue(out.contains("3.8s"), out);
        assertTrue(out.contains("(198 samples every 100 ms)"), out);
        // A-B kappa 0.8219, A-C 0.9109, B-C 0.6488 (statsmodels).
        assertTrue(out.lines().anyMatch(l -> l.matches("A\\s+1\\.000\\s+0\\.920\\s+0\\.962")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.matches("B\\s+0\\.822\\s+1\\.000\\s+0\\.649")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.matches(
                "drum\\s+task_engagement\\s+A-C\\s+10\\s+1\\.000\\s+n/a")), out);
        double mean = (0.8218727998122506 + 0.9108910891089109 + 0.6487556561085972) / 3;
        assertTrue(out.contains(String.format(Locale.ROOT, "kappa %.3f", mean)), out);
    }

    @Test
    void jsonAndPng() throws IOException {
        Path png = dir.resolve("agreement.png");
        ModelFiles.Outcome o = run("--eaf", dir.toString(), "--json", "--png", png.toString());
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals(3, root.get("sessions").asInt());
        assertEquals(7, root.get("annotation_files").asInt());
        assertEquals("s1.mp4", root.get("unmatched_files").get(0).asText());
        assertEquals(3810, root.get("durations").get("columns").get("dolls")
                .get("intersection_total_ms").asLong());
        JsonNode all = root.get("agreement").get("matrices").get(0);
        assertEquals(0.8218727998122506, all.get("cohen_kappa").get(0).get(1).asDouble(), 1e-12);
        assertEquals(0.9202898550724637, all.get("raw_agreement").get(1).get(0).asDouble(),
                1e-12);

        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() > 2 * 3 * 84, "two panels of 3 x 3 cells: " + img.getWidth());
        // The kappa panel's A-B cell (0.822) and B-C cell (0.649) differ in colour.
        BufferedImage expected = HeatmapPng.render(List.of(
                new HeatmapPng.Panel("Raw agreement", List.of("A", "B", "C"), new double[3][3], 0,
                        1),
                new HeatmapPng.Panel("Cohen's kappa", List.of("A", "B", "C"), new double[3][3], 0,
                        1)));
        assertEquals(expected.getWidth(), img.getWidth());
        assertEquals(expected.getHeight(), img.getHeight());
    }

    @Test
    void heatmapColoursFollowTheValues() {
        double nan = Double.NaN;
        BufferedImage img = HeatmapPng.render(List.of(new HeatmapPng.Panel("k",
                List.of("a", "b"), new double[][] {{1.0, 0.2}, {-0.3, nan}}, 0, 1)));
        // Sample near each cell's corner, away from the centred value label.
        int x0 = findGridLeft(img);
        int y0 = 16 + 36;
        int c11 = img.getRGB(x0 + 3, y0 + 3);
        int c12 = img.getRGB(x0 + 84 + 3, y0 + 3);
        int c21 = img.getRGB(x0 + 3, y0 + 84 + 3);
        int c22 = img.getRGB(x0 + 84 + 3, y0 + 84 + 3);
        assertEquals(HeatmapPng.color(1.0, 0, 1).getRGB(), c11);
        assertEquals(HeatmapPng.color(0.2, 0, 1).getRGB(), c12);
        assertEquals(HeatmapPng.color(0.0, 0, 1).getRGB(), c21, "negative values clamp to min");
        assertEquals(HeatmapPng.color(nan, 0, 1).getRGB(), c22);
        assertNotEquals(c11, c12);
        assertThrows(IllegalArgumentException.class, () -> new HeatmapPng.Panel("x",
                List.of("a"), new double[][] {{1, 2}}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> HeatmapPng.render(List.of()));
    }

    /** The first column, scanning the middle of the first cell row, that is not white. */
    private static int findGridLeft(BufferedImage img) {
        int y = 16 + 36 + 3;
        for (int x = 0; x < img.getWidth(); x++) {
            if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                // Skip the row label text: the grid is the first run of 40 equal pixels.
                int c = img.getRGB(x, y);
                boolean run = true;
                for (int k = 1; k < 40 && run; k++) {
                    run = img.getRGB(x + k, y) == c;
                }
                if (run) {
                    return x;
                }
            }
        }
        throw new AssertionError("no grid found");
    }

    @Test
    void badInputExitsTwoNamingTheCulprit() throws IOException {
        ModelFiles.Outcome o = run("--eaf", dir.resolve("nope").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("not a directory"), o.err());

        o = run("--eaf", dir.toString(), "--step-ms", "0");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("stepMs = 0"), o.err());

        o = run("--eaf", dir.toString(), "--png", dir.resolve("missing/x.png").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("does not exist"), o.err());

        // Overlapping spans in one role tier: the message names file, tier and annotations.
        String text = Files.readString(dir.resolve("s2_B_20220215.eaf"));
        Files.writeString(dir.resolve("s2_B_20220215.eaf"),
                text.replace("TIME_VALUE=\"1300\"", "TIME_VALUE=\"300\""));
        o = run("--eaf", dir.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("s2_B_20220215.eaf"), o.err());
        assertTrue(o.err().contains("tier 'participating'"), o.err());
        assertTrue(o.err().contains("overlap"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }
}
