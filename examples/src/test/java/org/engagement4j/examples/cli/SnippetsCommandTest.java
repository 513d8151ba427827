package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.sampling.ComparisonSample;
import org.engagement4j.core.sampling.ComparisonSet;
import org.engagement4j.core.sampling.ComparisonSetSelector;
import org.engagement4j.core.video.Clip;
import org.engagement4j.examples.annotator.AnnotationSnippet;
import org.engagement4j.examples.annotator.SnippetFolders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement snippets}: comparison set chosen by {@link ComparisonSetSelector} from
 * synthetic ELAN files, cut from small noise clips into annotator snippet folders.
 */
class SnippetsCommandTest {

    @TempDir
    Path tmp;

    private Path eaf;
    private Path clips;

    /**
     * Four 2-minute sessions, each coder missing from one of them, so every painter has a session
     * they never coded; 16 x 16 noise clips of 380 frames (121.6 s at 3.125 fps).
     */
    @BeforeEach
    void data() throws IOException {
        eaf = tmp.resolve("eaf");
        clips = tmp.resolve("clips");
        SyntheticCoding gen = SyntheticCoding.withDefaults().withSessionLengthMs(120_000);
        List<List<String>> coders = List.of(List.of("a", "b", "c"), List.of("a", "b"),
                List.of("b", "c"), List.of("a", "c"));
        for (int i = 0; i < coders.size(); i++) {
            String id = String.format("s%02d", i);
            gen.withCoderNames(coders.get(i)).generate(id, 40 + i).writeTo(eaf);
            TrainCommandTest.clip(clips.resolve(id), 380, 16, 16, i);
        }
    }

    private ModelFiles.Outcome run(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--eaf", eaf.toString(), "--clips",
                clips.toString(), "--out", out.toString()));
        a.addAll(List.of(extra));
        if (!a.contains("--seed")) {
            a.addAll(List.of("--seed", "5"));
        }
        return ModelFiles.run(new SnippetsCommand(), a.toArray(String[]::new));
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void writesTheSelectorsComparisonSetAsSnippetFolders() throws Exception {
        Path out = tmp.resolve("out");
        ModelFiles.Outcome o = run(out);
        assertEquals(0, o.status(), o.err());

        List<CodedSession> sessions = SessionLoader.create().load(eaf).sessions();
        ComparisonSet expected = ComparisonSetSelector.withDefaults().select(sessions, 5);
        assertFalse(expected.samples().isEmpty());
        assertEquals(Map.of("a", "s02", "b", "s03", "c", "s01"), expected.painterSessions());

        List<String> ids = SnippetFolders.list(out);
        assertEquals(expected.samples().size(), ids.size(), o.out());
        try (Stream<Path> top = Files.list(out)) {
            assertEquals(ids.size(), top.count(), "nothing but snippet folders");
        }
        Map<String, ComparisonSample> byId = new TreeMap<>();
        for (ComparisonSample s : expected.samples()) {
            byId.put(String.format("%s_%s_%s_%s_%s_%dms", s.painter(), s.session(),
                    s.task().paperName(), s.variable().paperName(), s.label() ? "pos" : "neg",
                    s.startMs()), s);
        }
        assertEquals(List.copyOf(byId.keySet()), ids);
        for (String id : ids) {
            ComparisonSample s = byId.get(id);
            AnnotationSnippet read = SnippetFolders.read(out.resolve(id));
            assertEquals(s.session(), read.info().session(), id);
            assertEquals(s.startMs(), read.info().startMs(), id);
            assertEquals(s.task(), read.info().task(), id);
            assertEquals(s.variable(), read.info().variable(), id);
            assertEquals(s.label() ? 1 : 0, read.info().consensusLabel().orElseThrow(), id);
            Clip clip = Clip.open(clips.resolve(s.session()));
            assertEquals(15, read.frames().frames());
            assertArrayEquals(clip.snippet(s.startFrame(), 15), read.frames().snippet(0, 15), id);
            assertTrue(o.out().contains(id), "summary names " + id);
        }
        assertTrue(o.out().contains(ids.size() + " snippet(s) written"), o.out());
        for (var m : expected.missing()) {
            assertTrue(o.out().contains("not found: " + m.painter() + " " + m.session() + " "
                    + m.task().paperName() + " " + m.variable().paperName()), o.out());
        }

        // same seed into an existing empty folder: the same folders, byte for byte
        Path again = Files.createDirectory(tmp.resolve("again"));
        assertEquals(0, run(again).status());
        assertEquals(tree(out), tree(again));
        for (String id : ids) {
            for (String f : List.of(SnippetFolders.FRAMES_FILE, SnippetFolders.INFO_FILE)) {
                assertArrayEquals(Files.readAllBytes(out.resolve(id).resolve(f)),
                        Files.readAllBytes(again.resolve(id).resolve(f)), id + "/" + f);
            }
        }
    }

    @Test
    void paintersAndPerLabelAreHonoured() throws Exception {
        Path out = tmp.resolve("out");
        ModelFiles.Outcome o = run(out, "--painter", "b", "--per-label", "2", "--seed", "9");
        assertEquals(0, o.status(), o.err());
        List<CodedSession> sessions = SessionLoader.create().load(eaf).sessions();
        ComparisonSet expected = ComparisonSetSelector.withDefaults().withSamplesPerLabel(2)
                .select(sessions, List.of("b"), 9);
        List<String> ids = SnippetFolders.list(out);
        assertEquals(expected.samples().size(), ids.size());
        assertTrue(ids.size() > 12, "two per label: " + ids);
        assertTrue(ids.stream().allMatch(id -> id.startsWith("b_s03_")), ids.toString());
    }

    @Test
    void badOutOrMissingClipIsExitTwoWithNothingWritten() throws Exception {
        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "x");
        ModelFiles.Outcome o = run(full);
        assertEquals(2, o.status());
        assertTrue(o.err().contains("--out " + full) && o.err().contains("not empty"), o.err());
        assertEquals(List.of("", "keep.txt"), tree(full));

        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        o = run(file);
        assertEquals(2, o.status());
        assertTrue(o.err().contains("not a folder"), o.err());

        o = run(tmp.resolve("x"), "--painter", "zed");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("--painter zed") && o.err().contains("[a, b, c]"), o.err());

        // s01 is the session painter c is given (see the first test)
        Path s01 = clips.resolve("s01");
        Files.move(s01, tmp.resolve("moved"));
        Path out = tmp.resolve("out");
        o = run(out);
        assertEquals(2, o.status());
        assertTrue(o.err().contains("session s01") && o.err().contains(s01.toString()), o.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")),
                    "no temporary folder left");
        }
    }
}
