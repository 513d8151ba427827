package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement score}, in process, on a hand-written clip directory. */
class ScoreCommandTest {

    @TempDir
    Path tmp;

    private Path model;
    private Path clip;
    private Path norm;

    @BeforeEach
    void files() throws Exception {
        model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        clip = ModelFiles.clip(tmp, 40, 16, 20);
        norm = ModelFiles.normalization(tmp, "stats.json");
    }

    @Test
    void csvPngAndSummary() throws Exception {
        Path csv = tmp.resolve("timeline.csv");
        Path png = tmp.resolve("timeline.png");
        ModelFiles.Outcome o = ModelFiles.run(new ScoreCommand(), "--model", model.toString(),
                "--normalization", norm.toString(), "--crop", "16", "--out", csv.toString(),
                "--png", png.toString(), "--threads", "1", "--progress", clip.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("9 windows of 15 frames every 1000 ms"), o.out());
        assertTrue(o.out().contains("task_engagement (model " + model), o.out());
        assertTrue(o.err().contains("scoring (windows): 9/9"), o.err());
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(10, lines.size());
        assertTrue(lines.get(0).endsWith("task_engagement_probability,task_engagement_smoothed,"
                + "task_engagement_engaged"), lines.get(0));
        // window 2 starts at frame int(2000 * 3.125 / 1000) = 6: the library gives the same number
        String[] row = lines.get(3).split(",");
        assertEquals("6", row[1]);
        Normalization n = Normalization.read(norm);
        try (EngagementClassifier c = EngagementClassifier.builder().model(model)
                .intraOpThreads(1).build()) {
            double p = c.predict(SnippetEncoder.of(n).withCropSize(16)
                    .encode(Clip.open(clip), 6)).probability();
            assertEquals(p, Double.parseDouble(row[6]), 1e-6);
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1200, img.getWidth());
        assertTrue(img.getHeight() > 100);
    }

    @Test
    void oneModelPerVariableAsJson() throws Exception {
        Path other = ModelFiles.narrowModel(tmp, "social.onnx", 2);
        ModelFiles.Outcome o = ModelFiles.run(new ScoreCommand(), "--model",
                "task=" + model, "--model", "attending=" + other, "--normalization",
                norm.toString(), "--crop", "16", "--stride", "640ms", "--smoothing", "3",
                "--json", clip.toString());
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals(640, root.get("stride_ms").asLong());
        assertEquals(3, root.get("smoothing").asInt());
        assertEquals(13, root.get("start_frame").size());
        assertEquals(13, root.get("variables").get("task_engagement").get("probability").size());
        assertEquals(13, root.get("variables").get("social_engagement").get("smoothed").size());
    }

    @Test
    void normalisationBesideTheModelIsFound() throws Exception {
        Files.copy(norm, tmp.resolve("m.normalization.json"));
        Path json = tmp.resolve("t.json");
        ModelFiles.Outcome o = ModelFiles.run(new ScoreCommand(), "--model", model.toString(),
                "--crop", "16", "--out", json.toString(), clip.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals(9, new ObjectMapper().readTree(json.toFile()).get("start_frame").size());
    }

    @Test
    void badArgumentsExitTwo() throws Exception {
        String[][] cases = {
            {"no normalisation statistics for model", "--model", model.toString(), "--crop", "16",
                clip.toString()},
            {"--stride fast: expected a time", "--model", model.toString(), "--normalization",
                norm.toString(), "--stride", "fast", clip.toString()},
            {"unknown format, expected a .csv or .json", "--model", model.toString(),
                "--normalization", norm.toString(), "--out", tmp.resolve("t.txt").toString(),
                clip.toString()},
            {"variable task_engagement already has a model", "--model", model.toString(),
                "--model", "task=" + model, "--normalization", norm.toString(), clip.toString()},
            {"variable 'mood': expected one of", "--model", "mood=" + model, "--normalization",
                norm.toString(), clip.toString()},
            {"does not exist", "--model", model.toString(), "--normalization", norm.toString(),
                "--png", tmp.resolve("no/such/dir/t.png").toString(), clip.toString()},
            {"nothing.onnx", "--model", tmp.resolve("nothing.onnx").toString(),
                "--normalization", norm.toString(), clip.toString()},
            {"no clip directory or video file", "--model", model.toString(), "--normalization",
                norm.toString(), tmp.resolve("missing").toString()},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            ModelFiles.Outcome o = ModelFiles.run(new ScoreCommand(), args);
            assertEquals(2, o.status(), c[0] + ": " + o.err());
            assertTrue(o.err().contains(c[0]), c[0] + " not in: " + o.err());
        }
        Path shortClip = ModelFiles.clip(tmp.resolve("short"), 10, 16, 20);
        ModelFiles.Outcome o = ModelFiles.run(new ScoreCommand(), "--model", model.toString(),
                "--normalization", norm.toString(), shortClip.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("shorter than one window of 15 frames"), o.err());
    }

    @Test
    void durations() {
        assertEquals(1000, ScoreCommand.parseDuration("1s"));
        assertEquals(4800, ScoreCommand.parseDuration("4.8s"));
        assertEquals(500, ScoreCommand.parseDuration("500ms"));
        assertEquals(2000, ScoreCommand.parseDuration("2"));
    }

    @Test
    void aVideoIsPreprocessedFirst() throws Exception {
        Path ffmpeg = Path.of("/usr/bin/ffmpeg");
        Assumptions.assumeTrue(Files.isExecutable(ffmpeg), "needs the ffmpeg program");
        Path video = tmp.resolve("v.mp4");
        Process p = new ProcessBuilder(ffmpeg.toString(), "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=208x160:rate=25:duration=7", "-pix_fmt", "yuv420p", video.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        Assumptions.assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                "ffmpeg could not make a test video");
        Path cache = tmp.resolve("cache");
        ModelFiles.Outcome o = ModelFiles.run(new ScoreCommand(), "--model", model.toString(),
                "--normalization", norm.toString(), "--cache", cache.toString(), "--json",
                video.toString());
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        // 7 s at 3.125 fps: about 21 frames, so windows start at frames 0, 3 and 6
        assertTrue(root.get("frames").asInt() >= 21, o.out());
        assertEquals(Clip.open(cache).frames(), root.get("frames").asInt());
    }
}
