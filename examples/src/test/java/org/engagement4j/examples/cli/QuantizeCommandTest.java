package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.Precision;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement quantize}, in process, on a narrow mc3_18 built in Java. */
class QuantizeCommandTest {

    @TempDir
    Path tmp;

    @Test
    void writesAnInt8ModelThatLoadsAndAReport() throws Exception {
        Path model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        float[] calib = ModelFiles.lcg(3, 6 * 3 * 4 * 16 * 16);
        Path x = ModelFiles.npy(tmp, "calib.npy", NpyArray.ofFloats(calib, 6, 3, 4, 16, 16));
        Path one = ModelFiles.npy(tmp, "one.npy", NpyArray.ofFloats(ModelFiles.lcg(5, 3 * 4 * 16 * 16),
                3, 4, 16, 16));
        Path out = tmp.resolve("m.int8.onnx");
        Path report = tmp.resolve("r.json");
        ModelFiles.Outcome o = ModelFiles.run(new QuantizeCommand(), "--model", model.toString(),
                "--calibration", x.toString(), one.toString(), "--out", out.toString(), "--report",
                report.toString(), "--threads", "1");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("same argmax"), o.out());
        assertTrue(ModelInspector.opCounts(OnnxModels.read(out)).containsKey("QuantizeLinear"));
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertEquals(7, r.get("calibration_windows").asInt());
        assertEquals(7, r.get("check_windows").asInt());
        assertTrue(r.get("in_sample").asBoolean());
        assertEquals("npy", r.get("calibration_source").asText());
        assertTrue(r.get("same_argmax_share").asDouble() >= 0 && r.get("same_argmax_share").asDouble() <= 1);
        try (EngagementClassifier c = EngagementClassifier.builder().model(out).intraOpThreads(1).build()) {
            assertEquals(Precision.INT8, c.provenance().precision());
            assertEquals(6, c.predict(ClipBatch.of(calib, 6, 3, 4, 16, 16)).size());
            assertEquals(6, c.embed(ClipBatch.of(calib, 6, 3, 4, 16, 16)).size());
        }
        ModelFiles.Outcome p = ModelFiles.run(new PredictCommand(), "--model", out.toString(), "--input",
                x.toString(), "--json", "--threads", "1");
        assertEquals(0, p.status(), p.err());
        assertEquals("INT8", new ObjectMapper().readTree(p.out()).get("provenance").get("precision").asText());
    }

    @Test
    void calibratesOnWindowsOfCachedClipsAndChecksOnHeldOutClips() throws Exception {
        Path model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        Path norm = ModelFiles.normalization(tmp, "normalization.json");
        Path a = ModelFiles.clip(Files.createDirectories(tmp.resolve("a")), 12, 20, 24);
        Path b = ModelFiles.clip(Files.createDirectories(tmp.resolve("b")), 9, 20, 24);
        Path c = ModelFiles.clip(Files.createDirectories(tmp.resolve("c")), 10, 20, 24);
        Path out = tmp.resolve("m.int8.onnx");
        Path report = tmp.resolve("r.json");
        // a and b hold 9 + 6 windows of 4 frames: 5 are drawn; c holds 7, all of them checked
        String[] args = {"--model", model.toString(), "--clips", a.toString(), b.toString(),
            "--held-out-clips", c.toString(), "--windows", "5", "--held-out-windows", "50",
            "--window-frames", "4", "--crop", "16", "--batch-size", "2", "--seed", "7", "--out",
            out.toString(), "--report", report.toString(), "--threads", "1"};
        ModelFiles.Outcome o = ModelFiles.run(new QuantizeCommand(), args);
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("held-out windows: same argmax"), o.out());
        assertTrue(ModelInspector.opCounts(OnnxModels.read(out)).containsKey("QuantizeLinear"));
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertEquals("clips", r.get("calibration_source").asText());
        assertEquals(5, r.get("calibration_windows").asInt());
        assertEquals(7, r.get("check_windows").asInt());
        assertFalse(r.get("in_sample").asBoolean());
        assertEquals(c.toString(), r.get("held_out").get(0).asText());
        assertEquals(0, r.get("overlapping_clips").size());
        assertEquals(4, r.get("window_frames").asInt());
        assertEquals(16, r.get("crop").asInt());
        assertEquals(norm.toAbsolutePath().toString(), r.get("normalization").asText());
        int same = r.get("same_argmax").asInt();
        assertTrue(same >= 0 && same <= 7, r.toString());
        assertEquals(same / 7.0, r.get("same_argmax_share").asDouble(), 1e-12);
        double max = r.get("max_probability_difference").asDouble();
        double mean = r.get("mean_probability_difference").asDouble();
        assertTrue(max > 0 && mean > 0 && mean <= max && max < 0.5, r.toString());
        assertTrue(r.get("time_per_window_ms").get("fp32").asDouble() > 0, r.toString());
        assertTrue(r.get("time_per_window_ms").get("int8").asDouble() > 0, r.toString());

        // the same seed draws the same windows: the same model bytes and differences
        byte[] first = Files.readAllBytes(out);
        assertEquals(0, ModelFiles.run(new QuantizeCommand(), args).status());
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(out)));
        assertEquals(max, new ObjectMapper().readTree(report.toFile())
                .get("max_probability_difference").asDouble());
        // another seed draws other calibration windows, so other activation ranges
        args[java.util.Arrays.asList(args).indexOf("--seed") + 1] = "8";
        assertEquals(0, ModelFiles.run(new QuantizeCommand(), args).status());
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(out)));

        // without held-out clips the check is in-sample; --windows beyond the clips takes all 15
        o = ModelFiles.run(new QuantizeCommand(), "--model", model.toString(), "--clips",
                a.toString(), b.toString(), "--windows", "100", "--window-frames", "4", "--crop",
                "16", "--normalization", norm.toString(), "--out", out.toString(), "--report",
                report.toString(), "--threads", "1");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("(in-sample)"), o.out());
        r = new ObjectMapper().readTree(report.toFile());
        assertEquals(15, r.get("calibration_windows").asInt());
        assertEquals(15, r.get("check_windows").asInt());
        assertTrue(r.get("in_sample").asBoolean());
    }

    @Test
    void badClipsAndNormalisationExitTwoAndWriteNothing() throws Exception {
        Path model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        Path clip = ModelFiles.clip(tmp, 6, 20, 24);
        Path out = tmp.resolve("o.onnx");
        String[] common = {"--model", model.toString(), "--window-frames", "4", "--crop", "16",
            "--out", out.toString(), "--threads", "1"};
        // no statistics given and none beside the model
        ModelFiles.Outcome o = run(common, "--clips", clip.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("m.normalization.json") && o.err().contains("--normalization"),
                o.err());
        Path norm = ModelFiles.normalization(tmp, "n.json");
        o = run(common, "--clips", tmp.resolve("nowhere").toString(), "--normalization",
                norm.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("nowhere"), o.err());
        Path badNorm = Files.writeString(tmp.resolve("bad.json"),
                "{\"mean\": [1, 2], \"std\": [1, 1, 1]}");
        o = run(common, "--clips", clip.toString(), "--normalization", badNorm.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("error:"), o.err());
        o = run(common, "--clips", clip.toString(), "--normalization",
                tmp.resolve("missing.json").toString());
        assertEquals(2, o.status());
        o = run(common, "--clips", clip.toString(), "--normalization", norm.toString(),
                "--held-out-clips", tmp.resolve("gone").toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("gone"), o.err());
        // a window longer than the clip
        o = ModelFiles.run(new QuantizeCommand(), "--model", model.toString(), "--clips",
                clip.toString(), "--normalization", norm.toString(), "--window-frames", "7",
                "--out", out.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("no clip has the 7 frames"), o.err());
        // both calibration sources, or none
        o = run(common, "--clips", clip.toString(), "--calibration", norm.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("exactly one of --clips"), o.err());
        o = run(common);
        assertEquals(2, o.status());
        o = run(common, "--clips", clip.toString(), "--normalization", norm.toString(),
                "--windows", "0");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("--windows 0"), o.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void keepFp32NamesCountAndAutoAreReported() throws Exception {
        Path model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        Path norm = ModelFiles.normalization(tmp, "normalization.json");
        Path a = ModelFiles.clip(Files.createDirectories(tmp.resolve("a")), 12, 20, 24);
        Path c = ModelFiles.clip(Files.createDirectories(tmp.resolve("c")), 8, 20, 24);
        Path out = tmp.resolve("m.int8.onnx");
        Path report = tmp.resolve("r.json");
        String[] common = {"--model", model.toString(), "--clips", a.toString(), "--held-out-clips",
            c.toString(), "--windows", "4", "--validation-windows", "4", "--window-frames", "4",
            "--crop", "16", "--batch-size", "4", "--out", out.toString(), "--report",
            report.toString(), "--threads", "1", "--normalization", norm.toString()};
        java.util.List<String> convs = org.engagement4j.core.graph.quant.Int8Quantizer.convNames(
                OnnxModels.read(model));
        String stem = convs.get(0);

        ModelFiles.Outcome o = run(common, "--keep-fp32", stem, "--activations", "int8");
        assertEquals(0, o.status(), o.err());
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertEquals("names", r.get("keep_fp32").get("mode").asText());
        assertEquals(stem, r.get("keep_fp32").get("kept").get(0).get("conv").asText());
        assertEquals("int8", r.get("activations").asText());
        assertEquals(convs.size() - 1, quantisedConvs(out));

        o = run(common, "--keep-fp32", "2");
        assertEquals(0, o.status(), o.err());
        r = new ObjectMapper().readTree(report.toFile());
        JsonNode keep = r.get("keep_fp32");
        assertEquals("count", keep.get("mode").asText());
        assertEquals(2, keep.get("kept").size());
        assertEquals(convs.size(), keep.get("sensitivity").size());
        assertEquals(keep.get("sensitivity").get(0).get("conv").asText(),
                keep.get("kept").get(0).get("conv").asText());
        assertEquals(4, keep.get("validation_windows").asInt());
        assertEquals(4, r.get("calibration_windows").asInt());
        assertEquals(convs.size() - 2, quantisedConvs(out));

        // a reachable target on the validation windows: the search stops at once, keeping nothing
        o = run(common, "--keep-fp32", "auto", "--target-agreement", "0.5");
        assertEquals(0, o.status(), o.err());
        keep = new ObjectMapper().readTree(report.toFile()).get("keep_fp32");
        assertEquals("auto", keep.get("mode").asText());
        assertTrue(keep.get("target_met").asBoolean(), keep.toString());
        assertTrue(keep.get("validation_same_argmax_share").asDouble() >= 0.5, keep.toString());
        assertTrue(o.out().contains("target 50.0 % met"), o.out());

        Files.delete(out);
        o = run(common, "--keep-fp32", "/fc/Gemm");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("'/fc/Gemm' is not a Conv") && o.err().contains(stem), o.err());
        o = run(common, "--keep-fp32", "auto", "--target-agreement", "1.5");
        assertEquals(2, o.status());
        o = run(common, "--activations", "int4");
        assertEquals(2, o.status());
        assertFalse(Files.exists(out));
    }

    private static int quantisedConvs(Path model) throws java.io.IOException {
        int n = 0;
        for (var node : OnnxModels.read(model).getGraph().getNodeList()) {
            if (node.getOpType().equals("Conv") && node.getInput(1).endsWith("_DequantizeLinear_output_0")) {
                n++;
            }
        }
        return n;
    }

    private static ModelFiles.Outcome run(String[] common, String... more) {
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return ModelFiles.run(new QuantizeCommand(), all);
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws Exception {
        Path model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        Path rank3 = ModelFiles.npy(tmp, "r3.npy", NpyArray.ofFloats(new float[12], 3, 2, 2));
        Path doubles = ModelFiles.npy(tmp, "d.npy", NpyArray.ofDoubles(new double[3 * 4 * 16 * 16], 1, 3, 4, 16, 16));
        Path good = ModelFiles.npy(tmp, "g.npy", NpyArray.ofFloats(ModelFiles.lcg(1, 3 * 4 * 16 * 16), 1, 3, 4,
                16, 16));
        Path out = tmp.resolve("o.onnx");
        ModelFiles.Outcome o = ModelFiles.run(new QuantizeCommand(), "--model", model.toString(),
                "--calibration", rank3.toString(), "--out", out.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("rank 3"), o.err());
        o = ModelFiles.run(new QuantizeCommand(), "--model", model.toString(), "--calibration",
                doubles.toString(), "--out", out.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().contains("float32"), o.err());
        o = ModelFiles.run(new QuantizeCommand(), "--model", tmp.resolve("missing.onnx").toString(),
                "--calibration", good.toString(), "--out", out.toString());
        assertEquals(2, o.status());
        Path notModel = Files.writeString(tmp.resolve("bad.onnx"), "not a model");
        o = ModelFiles.run(new QuantizeCommand(), "--model", notModel.toString(), "--calibration",
                good.toString(), "--out", out.toString());
        assertEquals(2, o.status());
        o = ModelFiles.run(new QuantizeCommand(), "--model", model.toString(), "--calibration",
                good.toString(), "--out", out.toString(), "--percentile", "20");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("percentile"), o.err());
        assertFalse(Files.exists(out));
    }
}
