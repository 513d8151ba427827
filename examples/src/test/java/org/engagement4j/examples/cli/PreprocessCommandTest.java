package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.core.video.Clip;
import org.engagement4j.examples.bench.PreprocessBenchmark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement preprocess} and {@code engagement clip-info} on a generated recording. */
class PreprocessCommandTest {

    @TempDir
    static Path dir;

    static Path video;

    @BeforeAll
    static void record() throws IOException, InterruptedException {
        String ffmpeg = PreprocessBenchmark.shippedFfmpeg();
        if (ffmpeg != null) {
            video = dir.resolve("session.mp4");
            PreprocessBenchmark.record(ffmpeg, video, 320, 240, 2, "1M", "libopenh264");
        }
    }

    private static ModelFiles.Outcome run(Object command, String... args) {
        return ModelFiles.run(command, args);
    }

    @Test
    void preprocessWritesAClipWithAProgressBarAndKeepsItWhenFresh() throws IOException {
        assumeTrue(video != null, "the ffmpeg executable of org.bytedeco:ffmpeg cannot run here");
        Path clip = dir.resolve("clips").resolve("session");
        ModelFiles.Outcome o = run(new PreprocessCommand(), video.toString(), "--out", clip.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("wrote " + clip + ": 7 frames of 208x160 at 3.125 fps"),
                o.out());
        assertTrue(o.err().contains("100%"), "progress bar: " + o.err());
        assertEquals(7, Clip.open(clip).frames());
        ModelFiles.Outcome again = run(new PreprocessCommand(), video.toString(), "--out", clip.toString(),
                "--json");
        assertEquals(0, again.status(), again.err());
        JsonNode json = new ObjectMapper().readTree(again.out());
        assertTrue(json.get("reused").asBoolean());
        assertEquals(208, json.get("width").asInt());
        assertEquals("", again.err(), "no progress bar when nothing is decoded");
    }

    @Test
    void optionsReachTheSettings() throws IOException {
        assumeTrue(video != null, "the ffmpeg executable of org.bytedeco:ffmpeg cannot run here");
        Path clip = dir.resolve("small");
        ModelFiles.Outcome o = run(new PreprocessCommand(), video.toString(), "--out", clip.toString(),
                "--height", "112", "--fps", "1", "--selection", "ffmpeg_fps_filter",
                "--no-progress");
        assertEquals(0, o.status(), o.err());
        assertEquals("", o.err());
        Clip c = Clip.open(clip);
        assertEquals(112, c.height());
        assertEquals(144, c.width());
        assertEquals(2, c.frames());
        ModelFiles.Outcome info = run(new ClipInfoCommand(), clip.toString(), "--json", "--times",
                "--check", video.toString());
        assertEquals(0, info.status(), info.err());
        JsonNode json = new ObjectMapper().readTree(info.out());
        assertEquals(2, json.get("frames").asInt());
        assertEquals("FFMPEG_FPS_FILTER", json.get("settings").get("selection").asText());
        assertEquals("FRESH", json.get("status").get("state").asText());
        assertEquals(2, json.get("frame_times_us").size());
        assertEquals(64, json.get("source").get("sha256").asText().length());
    }

    @Test
    void clipInfoDescribesTheClip() {
        assumeTrue(video != null, "the ffmpeg executable of org.bytedeco:ffmpeg cannot run here");
        Path clip = dir.resolve("described");
        assertEquals(0, run(new PreprocessCommand(), video.toString(), "--out", clip.toString(),
                "--no-progress").status());
        ModelFiles.Outcome o = run(new ClipInfoCommand(), clip.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("7 x 208x160 RGB uint8 at 3.125 fps"), o.out());
        assertTrue(o.out().contains("h264"), o.out());
        assertTrue(o.out().contains("sha256 "), o.out());
    }

    @Test
    void badInputExitsTwoNamingTheFile() throws IOException {
        Path notVideo = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        Path clip = dir.resolve("bad");
        ModelFiles.Outcome o = run(new PreprocessCommand(), notVideo.toString(), "--out", clip.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("video " + notVideo + ": not a readable media container"),
                o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        assertFalse(Files.exists(clip));
        ModelFiles.Outcome missing = run(new PreprocessCommand(), dir.resolve("none.mp4").toString(),
                "--out", clip.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("none.mp4"), missing.err());
        ModelFiles.Outcome noClip = run(new ClipInfoCommand(), dir.resolve("no-clip").toString());
        assertEquals(2, noClip.status());
        assertTrue(noClip.err().contains("no-clip"), noClip.err());
        ModelFiles.Outcome badFps = run(new PreprocessCommand(), notVideo.toString(), "--out",
                clip.toString(), "--fps", "0");
        assertEquals(2, badFps.status());
        assertTrue(badFps.err().contains("fps 0.0 must be in (0, 240]"), badFps.err());
    }
}
