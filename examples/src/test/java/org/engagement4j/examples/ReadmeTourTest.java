package org.engagement4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.engagement4j.core.annotation.SessionFolder;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.EngagementScore;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.model.Timeline;
import org.engagement4j.core.model.TimelineScorer;
import org.engagement4j.core.model.WindowSource;
import org.engagement4j.core.stats.AgreementTable;
import org.engagement4j.core.stats.DurationTable;
import org.engagement4j.core.stats.HumanAgreement;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.Mp4Writer;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoPreprocessor;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.engagement4j.metrics.maps.Pearson;
import org.engagement4j.metrics.transport.Emd;
import org.engagement4j.xai.attention.AttentionExplainer;
import org.engagement4j.xai.attention.AttentionMap;
import org.engagement4j.xai.attention.AttentionMethod;
import org.engagement4j.xai.attention.Explanation;
import org.engagement4j.xai.attention.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour of the public API, compiled and run. Each region between {@code // tour:NAME}
 * and {@code // tour:end} is the code block the README shows after {@code <!-- tour:NAME -->};
 * {@link #readmeShowsTheTourVerbatim()} fails when the two drift apart, so the README never shows
 * code that does not compile or run.
 */
class ReadmeTourTest {

    private static final Pattern README_BLOCK = Pattern.compile(
            "<!-- tour:([a-z-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern SOURCE_REGION = Pattern.compile(
            "\\n([ ]*)// tour:([a-z-]+)\\n(.*?)\\n[ ]*// tour:end", Pattern.DOTALL);

    @TempDir
    static Path work;

    static Path eafDir;
    static Path video;
    static Path modelFile;

    @BeforeAll
    static void inputs() throws IOException {
        eafDir = Files.createDirectories(work.resolve("eaf"));
        SyntheticCoding.withDefaults().withCoders(3).withSessionLengthMs(120_000)
                .generate("s01", 11).writeTo(eafDir);
        SyntheticCoding.withDefaults().withCoders(3).withSessionLengthMs(120_000)
                .generate("s02", 12).writeTo(eafDir);
        video = work.resolve("s01.mp4");
        int w = 208;
        int h = 160;
        try (Mp4Writer mp4 = Mp4Writer.open(video, w, h, 6.25)) {
            byte[] rgb = new byte[w * h * 3];
            for (int i = 0; i < 75; i++) {
                for (int p = 0; p < w * h; p++) {
                    int x = p % w;
                    boolean ball = Math.abs(x - (i * 2) % w) < 20 && Math.abs(p / w - 80) < 20;
                    rgb[3 * p] = (byte) (ball ? 230 : 40);
                    rgb[3 * p + 1] = (byte) (60 + x / 2);
                    rgb[3 * p + 2] = (byte) (ball ? 30 : 120);
                }
                mp4.writeFrame(rgb);
            }
        }
        modelFile = work.resolve("model.onnx");
        OnnxModels.write(Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(4), 5), modelFile);
    }

    @Test
    void metrics() throws IOException {
        Path data = Path.of("data");
        // tour:metrics
        Volume human = Npy.readVolume(data.resolve("human.npy"));            // [15,160,208]
        Volume machine = Npy.readVolume(data.resolve("guided_gradcam.npy")); // [15,160,160]
        MapStandardizer std = MapStandardizer.reference();
        Volume h = std.standardize(human, MapKind.FINE);      // [15,32,32], min-max over the volume
        Volume m = std.standardize(machine, MapKind.FINE);
        double emd = Emd.exact().perFrame(h, m).mean().orElseThrow();  // the paper's metric
        double cc = Pearson.of().volume(h, m);
        // tour:end
        assertTrue(emd > 0 && emd < 32, "emd " + emd);
        assertTrue(cc > 0.5 && cc <= 1, "pearson " + cc);
    }

    @Test
    void annotations() throws IOException {
        // tour:annotations
        SessionFolder folder = SessionLoader.create().load(eafDir);   // <session>_<coder>_<date>.eaf
        DurationTable table1 = DurationTable.of(folder.sessions());     // paper Table 1
        AgreementTable figure1 = HumanAgreement.reference().compute(folder.sessions()); // Figure 1
        // tour:end
        assertEquals(2, folder.sessions().size());
        assertTrue(folder.unmatchedFiles().isEmpty());
        assertFalse(table1.toString().isEmpty());
        assertFalse(figure1.toString().isEmpty());
    }

    @Test
    void scoreAndExplain() throws Exception {
        Path cacheDir = work.resolve("clips").resolve("s01");
        Files.createDirectories(cacheDir.getParent());
        Normalization normalization = Normalization.of(
                new double[] {110.2, 99.5, 94.1}, new double[] {58.3, 56.9, 57.4}); // 0-255 scale
        // tour:video
        Clip clip = VideoPreprocessor.reference()                       // 160 px high, 3.125 fps
                .cached(video, cacheDir, ProgressListener.NONE);        // decoded once, then reused
        // tour:end
        assertEquals(160, clip.height());
        assertEquals(3.125, clip.fps());
        assertTrue(clip.frames() >= 15, "frames " + clip.frames());

        Timeline timeline;
        EngagementScore score;
        // tour:classify
        SnippetEncoder encoder = SnippetEncoder.of(normalization);      // training folds' mean / std
        try (EngagementClassifier model = EngagementClassifier.builder()
                .model(modelFile).intraOpThreads(2).build()) {
            score = model.predict(encoder.encode(clip, 0));              // 15 frames from frame 0
            timeline = TimelineScorer.withDefaults().withStrideMs(1000)
                    .score(WindowSource.of(clip, encoder),
                            Map.of(Variable.TASK_ENGAGEMENT, model), ProgressListener.NONE);
        }
        System.out.printf(Locale.ROOT, "P(engaged) = %.3f, %d windows%n",
                score.probability(), timeline.windows());
        // tour:end
        assertEquals(2, score.classes());
        assertTrue(score.probability() >= 0 && score.probability() <= 1);
        assertTrue(timeline.windows() >= 1);

        Volume painted = painted(clip);
        double emd;
        // tour:explain
        try (AttentionExplainer explainer = AttentionExplainer.builder().model(modelFile)
                .methods(EnumSet.of(AttentionMethod.GUIDED_GRAD_CAM)).build()) { // default: all five
            Explanation e = explainer.explain(encoder.encode(clip, 0));  // both classes
            AttentionMap map = e.get(AttentionMethod.GUIDED_GRAD_CAM, Target.POSITIVE);
            MapStandardizer std = MapStandardizer.reference();          // 15 x 32 x 32, as the paper
            Volume machine = map.standardized(std);
            Volume human = std.standardize(painted, MapKind.FINE);      // e.g. HumanMaps.read(dir).map()
            emd = Emd.exact().perFrame(human, machine).mean().orElseThrow();
        }
        // tour:end
        assertTrue(Double.isFinite(emd) && emd >= 0, "emd " + emd);
    }

    /** A human-like painted map the size of the network's frames: one blob on every frame. */
    private static Volume painted(Clip clip) {
        int t = 15;
        int h = clip.height();
        int w = clip.width();
        double[] v = new double[t * h * w];
        for (int f = 0; f < t; f++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dy = y - 80;
                    double dx = x - 60 - 4 * f;
                    v[(f * h + y) * w + x] = Math.exp(-(dx * dx + dy * dy) / (2 * 15.0 * 15.0));
                }
            }
        }
        return Volume.of(v, t, h, w);
    }

    @Test
    void readmeShowsTheTourVerbatim() throws IOException {
        Path readme = Path.of("..", "README.md");
        Path source = Path.of("src", "test", "java", "org", "engagement4j", "examples",
                "ReadmeTourTest.java");
        Map<String, String> regions = regions(Files.readString(source, StandardCharsets.UTF_8));
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = README_BLOCK.matcher(Files.readString(readme, StandardCharsets.UTF_8));
        while (m.find()) {
            blocks.put(m.group(1), m.group(2).stripTrailing());
        }
        assertEquals(regions.keySet(), blocks.keySet(),
                "README tour blocks (<!-- tour:NAME --> + ```java) vs regions of " + source);
        for (Map.Entry<String, String> e : regions.entrySet()) {
            assertEquals(e.getValue(), blocks.get(e.getKey()),
                    "README block tour:" + e.getKey() + " differs from " + source);
        }
    }

    /** The marked regions of this file, each dedented by its marker's indentation. */
    private static Map<String, String> regions(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SOURCE_REGION.matcher(text);
        while (m.find()) {
            String indent = m.group(1);
            List<String> lines = new ArrayList<>();
            for (String line : m.group(3).split("\n", -1)) {
                lines.add(line.startsWith(indent) ? line.substring(indent.length()) : line.strip());
            }
            out.put(m.group(2), String.join("\n", lines).stripTrailing());
        }
        return out;
    }
}
