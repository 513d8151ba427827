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
        assertEquals(7, r.get("calibration_clips").asInt());
        assertEquals(7, r.get("rows").asInt());
        assertTrue(r.get("argmax_agreement").asDouble() >= 0 && r.get("argmax_agreement").asDouble() <= 1);
        assertEquals("calibration clips (in-sample)", r.get("held_out").asText());
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
