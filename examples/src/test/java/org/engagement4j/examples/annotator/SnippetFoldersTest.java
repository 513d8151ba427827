package org.engagement4j.examples.annotator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.sampling.ComparisonSample;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.video.Clip;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.xai.human.HumanAttentionMap;
import org.engagement4j.xai.human.HumanMapInfo;
import org.engagement4j.xai.human.HumanMaps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnippetFoldersTest {

    @TempDir
    Path tmp;

    @Test
    void writeThenReadGivesTheSameFramesAndDescription() throws IOException {
        Clip frames = TestSnippets.frames(3, 4, 6);
        SnippetInfo info = new SnippetInfo("s07", 12_345, Task.SHAKER, Variable.TASK_ENGAGEMENT,
                Optional.empty(), 3.125);
        Path dir = tmp.resolve("a");
        SnippetFolders.write(dir, info, frames);
        AnnotationSnippet back = SnippetFolders.read(dir);
        assertEquals(info, back.info());
        assertArrayEquals(frames.snippet(0, 3), back.frames().snippet(0, 3));
        assertEquals(4, back.frames().height());
        assertEquals(6, back.frames().width());
        String json = Files.readString(dir.resolve(SnippetFolders.INFO_FILE));
        assertTrue(json.contains("\"target_variable\" : \"participating\""), json);
        assertTrue(json.contains("\"consensus_label\" : null"), json);
        assertFalse(json.contains("coder"), json);
        assertEquals(List.of("a"), SnippetFolders.list(tmp));
        assertEquals(SnippetState.NEW, SnippetFolders.state(dir));
        // the frames are what numpy would load: uint8 [T, H, W, 3]
        NpyArray a = Npy.read(dir.resolve(SnippetFolders.FRAMES_FILE));
        assertEquals(NpyArray.DType.UINT8, a.dtype());
        assertArrayEquals(new int[] {3, 4, 6, 3}, a.shape());
    }

    @Test
    void snippetAndComparisonSampleAreCutFromTheClip() throws IOException {
        Clip clip = TestSnippets.frames(30, 4, 6);
        Snippet s = new Snippet("s03", "coder1", Task.DRUM, 2, 3200, 10, 15, 5000,
                Map.of(Variable.TASK_ENGAGEMENT, true, Variable.SOCIAL_ENGAGEMENT, false),
                Map.of(Variable.TASK_ENGAGEMENT, 4000L, Variable.SOCIAL_ENGAGEMENT, 0L));
        SnippetFolders.write(tmp.resolve("from-snippet"), clip, s, Variable.SOCIAL_ENGAGEMENT);
        AnnotationSnippet a = SnippetFolders.read(tmp.resolve("from-snippet"));
        assertArrayEquals(clip.snippet(10, 15), a.frames().snippet(0, 15));
        assertEquals(Optional.empty(), a.info().consensusLabel());
        assertEquals(Variable.SOCIAL_ENGAGEMENT, a.info().variable());
        assertEquals(Task.DRUM, a.info().task());
        assertFalse(Files.readString(tmp.resolve("from-snippet").resolve("snippet.json"))
                .contains("coder1"));

        ComparisonSample c = new ComparisonSample("mf", "s09", Task.DOLLS,
                Variable.TASK_ENGAGEMENT, false, 6400, 20, 5, 5000, Map.of("a", 0L, "b", 100L));
        SnippetFolders.write(tmp.resolve("from-comparison"), clip, c);
        AnnotationSnippet b = SnippetFolders.read(tmp.resolve("from-comparison"));
        assertArrayEquals(clip.snippet(20, 5), b.frames().snippet(0, 5));
        assertEquals(Optional.of(0), b.info().consensusLabel());
        assertEquals(6400, b.info().startMs());
        assertEquals(List.of("from-comparison", "from-snippet"), SnippetFolders.list(tmp));
    }

    @Test
    void writingNeverOverwritesOrLeavesTemporaryFolders() throws IOException {
        Path dir = TestSnippets.write(tmp, "x");
        assertThrows(FileAlreadyExistsException.class,
                () -> SnippetFolders.write(dir, TestSnippets.info("s"), TestSnippets.frames(1,
                        2, 2)));
        assertThrows(IllegalArgumentException.class, () -> SnippetFolders.write(
                tmp.resolve(".hidden"), TestSnippets.info("s"), TestSnippets.frames(1, 2, 2)));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("x"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void listSkipsHiddenIncompleteAndForeignEntries() throws IOException {
        TestSnippets.write(tmp, "b");
        TestSnippets.write(tmp, "a");
        Files.createDirectory(tmp.resolve("no-frames"));
        Files.writeString(tmp.resolve("no-frames").resolve("snippet.json"), "{}");
        Files.createDirectory(tmp.resolve(".tmp-x"));
        Files.writeString(tmp.resolve("file.txt"), "x");
        Files.createDirectory(tmp.resolve("with space"));
        assertEquals(List.of("a", "b"), SnippetFolders.list(tmp));
        assertFalse(SnippetFolders.isValidId(".."));
        assertFalse(SnippetFolders.isValidId("a/b"));
        assertFalse(SnippetFolders.isValidId("/etc"));
        assertFalse(SnippetFolders.isValidId(""));
        assertThrows(NoSuchFileException.class, () -> SnippetFolders.list(tmp.resolve("nope")));
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheRule() throws IOException {
        Path dir = TestSnippets.write(tmp, "bad");
        Path json = dir.resolve(SnippetFolders.INFO_FILE);
        String good = Files.readString(json);
        Files.writeString(json, good.replace("\"dolls\"", "\"golf\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnippetFolders.read(dir));
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("task \"golf\""), e.getMessage());
        Files.writeString(json, good.replace("\"start_ms\" : 83200", "\"start_ms\" : -1"));
        e = assertThrows(IllegalArgumentException.class, () -> SnippetFolders.readInfo(dir));
        assertTrue(e.getMessage().contains("start_ms"), e.getMessage());
        Files.writeString(json, "[1, 2]");
        e = assertThrows(IllegalArgumentException.class, () -> SnippetFolders.readInfo(dir));
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
        Files.writeString(json, good.replace("\"consensus_label\" : 1", "\"consensus_label\" : 2"));
        e = assertThrows(IllegalArgumentException.class, () -> SnippetFolders.readInfo(dir));
        assertTrue(e.getMessage().contains("consensus_label is 2"), e.getMessage());
        Files.writeString(json, good);
        Path frames = dir.resolve(SnippetFolders.FRAMES_FILE);
        Npy.write(frames, NpyArray.ofFloats(new float[12], 1, 2, 2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> SnippetFolders.read(dir));
        assertTrue(e.getMessage().contains(frames.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected uint8 [T, H, W, 3]"), e.getMessage());
        Npy.write(frames, NpyArray.ofBytes(new byte[8], 1, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> SnippetFolders.read(dir));
        Files.delete(frames);
        assertThrows(NoSuchFileException.class, () -> SnippetFolders.read(dir));
    }

    @Test
    void draftRoundTripAndSaveIsWhatHumanMapsReads() throws IOException {
        Path dir = TestSnippets.write(tmp, "d");
        assertEquals(Optional.empty(), SnippetFolders.readDraft(dir));
        double[] v = new double[TestSnippets.T * TestSnippets.H * TestSnippets.W];
        v[7] = 0.25;
        v[v.length - 1] = 1;
        Volume map = Volume.of(v, TestSnippets.T, TestSnippets.H, TestSnippets.W);
        Draft d = new Draft(map, Map.of("attending", "yes"), 3, 2.5);
        SnippetFolders.writeDraft(dir, d);
        assertEquals(SnippetState.IN_PROGRESS, SnippetFolders.state(dir));
        Draft back = SnippetFolders.readDraft(dir).orElseThrow();
        assertEquals(map, back.map());
        assertEquals(Map.of("attending", "yes"), back.labels());
        assertEquals(3, back.frame());
        assertEquals(2.5, back.sigma());

        HumanMapInfo info = new HumanMapInfo("sd", "mf", 83_200, "attending", 1,
                Map.of("participating", "no", "attending", "yes"), "2026-01-01 10:00:00.000000");
        SnippetFolders.save(dir, new HumanAttentionMap(info, map));
        assertEquals(SnippetState.DONE, SnippetFolders.state(dir));
        assertEquals(Optional.empty(), SnippetFolders.readDraft(dir));
        HumanAttentionMap read = HumanMaps.read(dir);
        assertEquals(info, read.info());
        assertEquals(map, read.map());
    }

    @Test
    void damagedDraftIsRefusedNamingTheFile() throws IOException {
        Path dir = TestSnippets.write(tmp, "dd");
        Files.writeString(dir.resolve(SnippetFolders.DRAFT_INFO_FILE), "{\"frame\": 0}",
                StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SnippetFolders.readDraft(dir));
        assertTrue(e.getMessage().contains(SnippetFolders.DRAFT_INFO_FILE), e.getMessage());
        Files.writeString(dir.resolve(SnippetFolders.DRAFT_INFO_FILE),
                "{\"frame\": 0, \"sigma\": 1.5}", StandardCharsets.UTF_8);
        Npy.write(dir.resolve(SnippetFolders.DRAFT_MAP_FILE),
                NpyArray.ofFloats(new float[] {0, 2f}, 1, 1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> SnippetFolders.readDraft(dir));
        assertTrue(e.getMessage().contains(SnippetFolders.DRAFT_MAP_FILE), e.getMessage());
        assertTrue(e.getMessage().contains("above 1"), e.getMessage());
    }
}
