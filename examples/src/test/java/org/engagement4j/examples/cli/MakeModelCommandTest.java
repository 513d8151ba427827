package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.Safetensors;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement make-model}, run in-process. */
class MakeModelCommandTest {

    @TempDir
    Path tmp;

    private static ModelFiles.Outcome run(String... args) {
        return ModelFiles.run(new MakeModelCommand(), args);
    }

    @Test
    void writesASeededRandomModel() throws Exception {
        Path m = tmp.resolve("m.onnx");
        ModelFiles.Outcome o = run("--width", "8", "--classes", "2", "--seed", "1", "--out", m.toString());
        assertEquals(0, o.status(), o.err());
        ModelProto model = OnnxModels.read(m);
        assertEquals(48, model.getGraph().getNodeCount());
        assertEquals(64, ModelInspector.encoderOutput(model).fixedDim(1));
        assertTrue(o.out().contains("sha256 " + OnnxModels.sha256(model)), o.out());
        assertTrue(o.out().contains("Grad-CAM layer: " + Mc3Graph.GRADCAM_LAYER), o.out());
        assertEquals(OnnxModels.sha256(Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(8), 1)),
                OnnxModels.sha256(model), "same model as the library call");
    }

    @Test
    void readsSafetensorsAndPrintsJson() throws Exception {
        Mc3Architecture arch = Mc3Architecture.mc3_18(3).withBaseWidth(2);
        Path w = tmp.resolve("w.safetensors");
        Safetensors.write(w, Mc3Graph.randomStateDict(arch, 4));
        Path m = tmp.resolve("from-file.onnx");
        ModelFiles.Outcome o = run("--weights", w.toString(), "--input-size", "dynamic", "--opset", "13", "--out", m.toString(),
                "--json");
        assertEquals(0, o.status(), o.err());
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertEquals(2, j.get("base_width").asInt());
        assertEquals(3, j.get("classes").asInt());
        assertEquals(13, j.get("opset").asInt());
        assertEquals("[batch, 3, time, height, width]", j.get("input").asText());
        assertEquals(w.toString(), j.get("weights").asText());
        assertEquals(Files.size(m), j.get("bytes").asLong());
    }

    @Test
    void badInputExitsTwo() {
        Path m = tmp.resolve("x.onnx");
        ModelFiles.Outcome size = run("--input-size", "160", "--out", m.toString());
        assertEquals(2, size.status());
        assertTrue(size.err().contains("--input-size"), size.err());
        ModelFiles.Outcome missing = run("--weights", tmp.resolve("none.safetensors").toString(), "--out", m.toString());
        assertEquals(2, missing.status());
        ModelFiles.Outcome width = run("--width", "0", "--out", m.toString());
        assertEquals(2, width.status());
        assertTrue(width.err().contains("base width"), width.err());
        assertFalse(Files.exists(m), "nothing written on bad input");
    }
}
