package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.video.ClipSettings;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoInfo;
import org.engagement4j.core.video.VideoPreprocessor;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.xai.attention.AttentionExplainer;
import org.engagement4j.xai.attention.AttentionMethod;
import org.engagement4j.xai.attention.Explanation;
import org.engagement4j.xai.attention.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement explain}, in process, on the width-reduced torch export of mc3_18 committed
 * with engagement-core's fixtures (input [N, 3, T, 64, 64]).
 */
class ExplainCommandTest {

    private static final Path NARROW = Path.of("..", "engagement-core", "src", "test",
            "resources", "fixtures", "mc3", "narrow_w8_k2.onnx");

    @TempDir
    Path tmp;

    private Path model;
    private Path input;
    private float[] data;

    @BeforeEach
    void files() throws Exception {
        model = Files.copy(NARROW, tmp.resolve("m.onnx"));
        data = ModelFiles.lcg(21, 3 * 4 * 64 * 64);
        input = ModelFiles.npy(tmp, "x.npy", NpyArray.ofFloats(data, 1, 3, 4, 64, 64));
    }

    private static Set<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void writesOneNpyPerMapAndTargetPlusPictures() throws Exception {
        Path out = tmp.resolve("out");
        ModelFiles.Outcome o = ModelFiles.run(new ExplainCommand(), "--model", model.toString(),
                "--input", input.toString(), "--methods", "saliency,gradcam", "--out",
                out.toString(), "--threads", "2");
        assertEquals(0, o.status(), o.err());
        assertEquals(Set.of("explanation.json", "figure_negative.png", "figure_positive.png",
                "gradcam_negative.gif", "gradcam_negative.npy", "gradcam_negative.png",
                "gradcam_negative.mp4", "gradcam_positive.mp4",
                "gradcam_positive.gif", "gradcam_positive.npy", "gradcam_positive.png",
                "saliency_negative.gif", "saliency_negative.npy", "saliency_negative.png",
                "saliency_negative.mp4", "saliency_positive.mp4",
                "saliency_positive.gif", "saliency_positive.npy", "saliency_positive.png"),
                names(out));
        assertTrue(o.out().contains("wrote 19 files"), o.out());
        Explanation expected;
        try (AttentionExplainer e = AttentionExplainer.builder().model(model).intraOpThreads(2)
                .methods(EnumSet.of(AttentionMethod.GRADIENT_SALIENCY, AttentionMethod.GRAD_CAM))
                .build()) {
            expected = e.explain(ClipTensor.of(data, 3, 4, 64, 64));
        }
        for (AttentionMethod m : List.of(AttentionMethod.GRADIENT_SALIENCY,
                AttentionMethod.GRAD_CAM)) {
            for (Target t : Target.values()) {
                NpyArray a = Npy.read(out.resolve(m.id() + "_" + t.id() + ".npy"));
                assertEquals(NpyArray.DType.FLOAT32, a.dtype());
                assertArrayEquals(expected.get(m, t).shape(), a.shape());
                assertArrayEquals(expected.get(m, t).raw().toFloatArray(), a.toFloatArray(), 0f);
            }
        }
        JsonNode j = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertEquals(expected.logits()[1], j.get("logits").get(1).floatValue(), 0f);
        assertEquals(expected.provenance().modelSha256(),
                j.get("provenance").get("model_sha256").asText());
        assertEquals("/layer4/layer4.1/conv2/conv2.0/Conv_output_0", j.get("gradcam_layer").asText());
        assertEquals(4, j.get("maps").size());
        BufferedImage grid = ImageIO.read(out.resolve("gradcam_positive.png").toFile());
        // 4 frames in one row of 64 x 64 cells with 2-pixel gaps.
        assertEquals(4 * 64 + 5 * 2, grid.getWidth());
        assertEquals(64 + 2 * 2, grid.getHeight());
        BufferedImage fig = ImageIO.read(out.resolve("figure_positive.png").toFile());
        assertTrue(fig.getHeight() > 3 * 64, "frames row and two map rows");
        for (JsonNode m : j.get("maps")) {
            assertEquals(m.get("method").asText() + "_" + m.get("target").asText() + ".mp4",
                    m.get("mp4").asText());
        }
        assertMp4ShowsTheGif(out.resolve("gradcam_positive.mp4"),
                out.resolve("gradcam_positive.gif"));
    }

    /** The MP4 decodes to the GIF's 4 frames of 64 x 64 at 3.125 fps, colours roughly equal. */
    private static void assertMp4ShowsTheGif(Path mp4, Path gif) throws Exception {
        VideoInfo info = VideoPreprocessor.probe(mp4);
        assertEquals(64, info.storedWidth());
        assertEquals(64, info.storedHeight());
        assertEquals(3.125, info.frameRate(), 1e-6);
        List<BufferedImage> gifFrames = new ArrayList<>();
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            for (int i = 0; i < reader.getNumImages(true); i++) {
                gifFrames.add(reader.read(i));
            }
        } finally {
            reader.dispose();
        }
        List<Double> diffs = new ArrayList<>();
        VideoPreprocessor.reference()
                .withSettings(ClipSettings.reference().withHeight(64).withFps(3.125))
                .decode(mp4, (t, us, rgb) -> {
                    // 8 x 8 block means: the frames are noise, whose fine detail neither GIF's
                    // palette nor 4:2:0 chroma keeps
                    BufferedImage g = gifFrames.get(t);
                    double sum = 0;
                    for (int by = 0; by < 64; by += 8) {
                        for (int bx = 0; bx < 64; bx += 8) {
                            for (int k = 0; k < 3; k++) {
                                long want = 0;
                                long have = 0;
                                for (int y = by; y < by + 8; y++) {
                                    for (int x = bx; x < bx + 8; x++) {
                                        want += (g.getRGB(x, y) >> (16 - 8 * k)) & 0xFF;
                                        have += Byte.toUnsignedInt(
                                                rgb.get(rgb.position() + 3 * (y * 64 + x) + k));
                                    }
                                }
                                sum += Math.abs(want - have) / 64.0;
                            }
                        }
                    }
                    diffs.add(sum / (3 * 64));
                }, ProgressListener.NONE);
        assertEquals(4, diffs.size());
        for (double d : diffs) {
            assertTrue(d < 6, "mean |MP4 - GIF| of 8 x 8 block means " + diffs);
        }
    }

    @Test
    void noMp4KeepsTheOtherPictures() throws Exception {
        Path out = tmp.resolve("out");
        ModelFiles.Outcome o = ModelFiles.run(new ExplainCommand(), "--model", model.toString(),
                "--input", input.toString(), "--methods", "gradcam", "--target", "positive",
                "--no-mp4", "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals(Set.of("explanation.json", "figure_positive.png", "gradcam_positive.gif",
                "gradcam_positive.npy", "gradcam_positive.png"), names(out));
    }

    @Test
    void oneTargetWithoutPictures() throws Exception {
        Path out = tmp.resolve("out");
        ModelFiles.Outcome o = ModelFiles.run(new ExplainCommand(), "--model", model.toString(),
                "--input", input.toString(), "--methods", "gradcam", "--target", "positive",
                "--no-pictures", "--out", out.toString());
        assertEquals(0, o.status(), o.err());
        assertEquals(Set.of("explanation.json", "gradcam_positive.npy"), names(out));
        assertArrayEquals(new int[] {4, 4, 4}, Npy.read(out.resolve("gradcam_positive.npy")).shape());
    }

    @Test
    void unknownLayerExitsTwoListingTheConvOutputs() {
        ModelFiles.Outcome o = ModelFiles.run(new ExplainCommand(), "--model", model.toString(),
                "--input", input.toString(), "--layer", "/layer9/nope", "--out",
                tmp.resolve("out").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("no layer '/layer9/nope'"), o.err());
        assertTrue(o.err().contains("/layer4/layer4.1/conv2/conv2.0/Conv_output_0"), o.err());
    }

    @Test
    void unsupportedOperatorExitsTwoNamingIt() throws Exception {
        GraphBuilder g = GraphBuilder.named("erf_net").input("input", Dim.symbolic("batch"),
                Dim.of(3), Dim.symbolic("time"), Dim.of(8), Dim.of(8));
        g.initializer("fc.weight", ModelFiles.lcg(2, 6), 2, 3);
        g.node("Erf", "/act/Erf", List.of("input"), List.of("erf_out"), Attributes.none());
        String pooled = g.op("GlobalAveragePool", Attributes.none(), "erf_out");
        String flat = g.op("Flatten", Attributes.none().withInt("axis", 1), pooled);
        g.node("Gemm", "/fc/Gemm", List.of(flat, "fc.weight"), List.of("logits"),
                Attributes.none().withInt("transB", 1));
        g.output("logits", Dim.symbolic("batch"), Dim.of(2));
        Path erf = tmp.resolve("erf.onnx");
        OnnxModels.write(g.build(), erf);
        Path x = ModelFiles.npy(tmp, "small.npy", NpyArray.ofFloats(ModelFiles.lcg(3, 3 * 2 * 64),
                3, 2, 8, 8));
        ModelFiles.Outcome o = ModelFiles.run(new ExplainCommand(), "--model", erf.toString(),
                "--input", x.toString(), "--methods", "saliency", "--out",
                tmp.resolve("out").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("Erf"), o.err());
        assertTrue(o.err().contains("/act/Erf"), o.err());
        // Occlusion needs no gradients: the same model works.
        ModelFiles.Outcome occ = ModelFiles.run(new ExplainCommand(), "--model", erf.toString(),
                "--input", x.toString(), "--methods", "occlusion", "--out",
                tmp.resolve("occ").toString());
        assertEquals(0, occ.status(), occ.err());
        assertArrayEquals(new int[] {2, 1, 1},
                Npy.read(tmp.resolve("occ").resolve("occlusion_positive.npy")).shape());
    }

    @Test
    void clipNeedsNormalisationStatistics() throws Exception {
        Path clip = ModelFiles.clip(tmp, 17, 64, 80);
        ModelFiles.Outcome o = ModelFiles.run(new ExplainCommand(), "--model", model.toString(),
                "--clip", clip.toString(), "--start-ms", "0", "--out",
                tmp.resolve("out").toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("--normalization"), o.err());
        Path norm = ModelFiles.normalization(tmp, "stats.json");
        Path out = tmp.resolve("out");
        ModelFiles.Outcome ok = ModelFiles.run(new ExplainCommand(), "--model", model.toString(),
                "--clip", clip.toString(), "--start-ms", "700", "--normalization",
                norm.toString(), "--methods", "saliency", "--target", "negative", "--out",
                out.toString());
        assertEquals(0, ok.status(), ok.err());
        // 15 frames (the reference's window), centre-cropped to the model's 64 x 64.
        assertArrayEquals(new int[] {15, 64, 64},
                Npy.read(out.resolve("saliency_negative.npy")).shape());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertEquals(2, j.get("input").get("start_frame").asInt(), "int(700 * 3.125 / 1000)");
        assertEquals(64, j.get("input").get("crop").asInt());
        // Past the end: 17 frames hold no 15-frame window starting at frame 3.
        ModelFiles.Outcome late = ModelFiles.run(new ExplainCommand(), "--model",
                model.toString(), "--clip", clip.toString(), "--start-ms", "1000",
                "--normalization", norm.toString(), "--out", out.toString());
        assertEquals(2, late.status(), late.err());
        assertTrue(late.err().contains("--start-ms 1000"), late.err());
    }

    @Test
    void badOptionsExitTwo() throws Exception {
        String out = tmp.resolve("out").toString();
        ModelFiles.Outcome both = ModelFiles.run(new ExplainCommand(), "--model",
                model.toString(), "--input", input.toString(), "--clip", tmp.toString(),
                "--out", out);
        assertEquals(2, both.status());
        assertTrue(both.err().contains("exactly one of --input"), both.err());
        ModelFiles.Outcome method = ModelFiles.run(new ExplainCommand(), "--model",
                model.toString(), "--input", input.toString(), "--methods", "saliency,lime",
                "--out", out);
        assertEquals(2, method.status());
        assertTrue(method.err().contains("lime"), method.err());
        assertTrue(method.err().contains("guided-gradcam"), method.err());
        ModelFiles.Outcome target = ModelFiles.run(new ExplainCommand(), "--model",
                model.toString(), "--input", input.toString(), "--target", "maybe", "--out", out);
        assertEquals(2, target.status());
        Path f64 = ModelFiles.npy(tmp, "d.npy", NpyArray.ofDoubles(new double[3 * 64 * 64],
                1, 3, 1, 64, 64));
        ModelFiles.Outcome dtype = ModelFiles.run(new ExplainCommand(), "--model",
                model.toString(), "--input", f64.toString(), "--out", out);
        assertEquals(2, dtype.status());
        assertTrue(dtype.err().contains("float32"), dtype.err());
        Path wrongSize = ModelFiles.npy(tmp, "w.npy", NpyArray.ofFloats(new float[3 * 32 * 32],
                3, 1, 32, 32));
        ModelFiles.Outcome size = ModelFiles.run(new ExplainCommand(), "--model",
                model.toString(), "--input", wrongSize.toString(), "--out", out);
        assertEquals(2, size.status());
        assertTrue(size.err().contains("expected 64"), size.err());
        assertFalse(Files.exists(tmp.resolve("out").resolve("explanation.json")));
    }
}
