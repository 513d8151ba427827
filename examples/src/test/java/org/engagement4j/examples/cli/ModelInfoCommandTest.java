package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement model-info}. */
class ModelInfoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void describesAnMc3Export() throws Exception {
        Path model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        ModelFiles.Outcome o = ModelFiles.run(new ModelInfoCommand(), model.toString(), "--json");
        assertEquals(0, o.status(), o.err());
        JsonNode r = new ObjectMapper().readTree(o.out());
        assertEquals("input", r.get("inputs").get(0).get("name").asText());
        assertEquals("[batch, 3, time, height, width]",
                r.get("inputs").get(0).get("shape").asText());
        assertEquals("float", r.get("inputs").get(0).get("type").asText());
        assertEquals("logits", r.get("outputs").get(0).get("name").asText());
        // mc3_18: stem conv + 4 layers x 2 blocks x 2 convs + 3 downsample convs = 20
        assertEquals(20, r.get("op_counts").get("Conv").asInt());
        assertEquals(1, r.get("op_counts").get("GlobalAveragePool").asInt());
        assertEquals(1, r.get("op_counts").get("Gemm").asInt());
        assertTrue(r.get("encoder_output").get("found").asBoolean());
        assertEquals(Mc3Graph.ENCODER_OUTPUT, r.get("encoder_output").get("tensor").asText());
        assertEquals(Mc3Graph.GRADCAM_LAYER, r.get("gradcam_layer").get("tensor").asText());
        assertTrue(r.get("classifier").get("accepted").asBoolean());
        assertEquals(2, r.get("classifier").get("classes").asInt());
        assertEquals(Mc3Graph.ENCODER_OUTPUT + " [N, 16]",
                r.get("classifier").get("embedding").asText());

        ModelFiles.Outcome text = ModelFiles.run(new ModelInfoCommand(), model.toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("encoder    " + Mc3Graph.ENCODER_OUTPUT), text.out());
        assertTrue(text.out().contains("grad-cam   " + Mc3Graph.GRADCAM_LAYER), text.out());
        assertTrue(text.out().contains("Conv 20"), text.out());
        assertTrue(text.out().contains("classifier accepted"), text.out());
    }

    @Test
    void aModelTheClassifierRefusesExitsTwoAfterItsDescription() throws Exception {
        GraphBuilder g = GraphBuilder.named("flat");
        g.input("x", Dim.symbolic("N"), Dim.of(4));
        g.node("Relu", "relu", List.of("x"), List.of("y"), Attributes.none());
        g.output("y", Dim.symbolic("N"), Dim.of(4));
        Path model = tmp.resolve("flat.onnx");
        OnnxModels.write(g.build(), model);
        ModelFiles.Outcome o = ModelFiles.run(new ModelInfoCommand(), model.toString());
        assertEquals(2, o.status());
        assertTrue(o.out().contains("encoder    not found"), o.out());
        assertTrue(o.out().contains("classifier refused (UNSUPPORTED_MODEL)"), o.out());
        assertTrue(o.err().contains("expected float [N, 3, T, H, W]"), o.err());
    }

    @Test
    void corruptAndMissingFilesExitTwo() throws Exception {
        Path corrupt = tmp.resolve("c.onnx");
        Files.write(corrupt, "garbage".getBytes(StandardCharsets.US_ASCII));
        ModelFiles.Outcome o = ModelFiles.run(new ModelInfoCommand(), corrupt.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith("error: "), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
        ModelFiles.Outcome m = ModelFiles.run(new ModelInfoCommand(),
                tmp.resolve("none.onnx").toString());
        assertEquals(2, m.status());
    }
}
