package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.junit.jupiter.api.Test;

/**
 * The reference check of issue 5: torch 1.13's outputs (tools/fixtures/mc3_fixtures.py) against
 * ONNX Runtime running (1) torch's own export, (2) our graph built from the same state_dict with
 * BatchNorm folded in Java, (3) our full-size graph with closed-form weights; and (4) our graph's
 * structure against torch's export, node by node.
 */
class Mc3ReferenceTest {

    /** The tolerance, absolute, on logits, pooled features and Grad-CAM activations. */
    private static final double TOL = 1e-4;

    /** Full-size mc3_18 with closed-form weights, built once (about 1.5 s) for two tests. */
    private static ModelProto fullSize;

    static synchronized ModelProto fullSize() {
        if (fullSize == null) {
            Mc3Architecture arch = Mc3Architecture.mc3_18(400).withInputSize(32, 32);
            fullSize = Mc3Graph.build(arch, Mc3Graph.closedFormStateDict(arch));
        }
        return fullSize;
    }

    @Test
    void torchExportOnOrtMatchesTorch() throws Exception {
        ModelProto torch = OnnxModels.read(Mc3Fixtures.file("narrow_w8_k2.onnx"));
        checkAgainstTorch(torch, Mc3Fixtures.json("narrow_expected.json"));
    }

    @Test
    void javaGraphFromSafetensorsMatchesTorch() throws Exception {
        JsonNode expected = Mc3Fixtures.json("narrow_expected.json");
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(64, 64);
        ModelProto ours = Mc3Graph.fromSafetensors(Mc3Fixtures.file("narrow_w8_k2.safetensors"), arch);
        checkAgainstTorch(ours, expected);
        // Inferred architecture: same width and classes from the tensors themselves.
        Mc3Architecture inferred = Mc3Architecture.inferFrom(Safetensors.read(Mc3Fixtures.file("narrow_w8_k2.safetensors")));
        assertEquals(arch.withInputSize(160, 160), inferred);
    }

    @Test
    void fullSizeClosedFormMatchesTorch() throws Exception {
        JsonNode expected = Mc3Fixtures.json("full_closed_form_expected.json");
        Mc3Architecture arch = Mc3Architecture.mc3_18(400).withInputSize(32, 32);
        List<String> keys = new ArrayList<>();
        expected.get("keys").forEach(k -> keys.add(k.asText()));
        assertEquals(keys, List.copyOf(arch.stateDictShapes().keySet()), "torchvision state_dict order");
        checkAgainstTorch(fullSize(), expected);
    }

    @Test
    void fullSizeStructureMatchesTorchExport() throws Exception {
        JsonNode torch = Mc3Fixtures.json("mc3_18_k400_structure.json");
        ModelProto ours = fullSize();
        assertEquals(torch.get("ir_version").asLong(), ours.getIrVersion());
        assertEquals(torch.get("opset").get(0).get("version").asLong(), ModelInspector.opset(ours));
        assertEquals("[batch, 3, time, 32, 32]", dims(torch.get("inputs").get(0)));
        assertEquals("[batch, 400]", dims(torch.get("outputs").get(0)));
        assertEquals(dims(torch.get("inputs").get(0)), ourDims(ours.getGraph().getInput(0)));
        assertEquals(dims(torch.get("outputs").get(0)), ourDims(ours.getGraph().getOutput(0)));
        assertEquals(torch.get("inputs").get(0).get("name").asText(), ours.getGraph().getInput(0).getName());
        assertEquals(torch.get("outputs").get(0).get("name").asText(), ours.getGraph().getOutput(0).getName());

        JsonNode nodes = torch.get("nodes");
        List<String> torchOps = new ArrayList<>();
        nodes.forEach(n -> torchOps.add(n.get("op_type").asText()));
        assertEquals(torchOps, ModelInspector.opTypes(ours), "op-type sequence");
        assertEquals(48, torchOps.size());

        Map<String, TensorProto> inits = new HashMap<>();
        ours.getGraph().getInitializerList().forEach(t -> inits.put(t.getName(), t));
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode tn = nodes.get(i);
            NodeProto on = ours.getGraph().getNode(i);
            String where = String.format(Locale.ROOT, "node %d (%s)", i, tn.get("name").asText());
            assertEquals(tn.get("name").asText(), on.getName(), where);
            List<String> outs = new ArrayList<>();
            tn.get("outputs").forEach(o -> outs.add(o.asText()));
            assertEquals(outs, on.getOutputList(), where + " outputs");
            assertEquals(tn.get("inputs").size(), on.getInputCount(), where + " input count");
            for (int k = 0; k < on.getInputCount(); k++) {
                JsonNode ti = tn.get("inputs").get(k);
                if (ti.isTextual()) {
                    assertEquals(ti.asText(), on.getInput(k), where + " input " + k);
                } else {
                    TensorProto t = inits.get(on.getInput(k));
                    assertTrue(t != null, where + " input " + k + " must be an initializer");
                    assertArrayEquals(Mc3Fixtures.longs(ti.get("dims")), Tensors.dims(t), where + " initializer " + k);
                }
            }
            Map<String, AttributeProto> attrs = new HashMap<>();
            on.getAttributeList().forEach(a -> attrs.put(a.getName(), a));
            assertEquals(tn.get("attributes").size(), attrs.size(), where + " attribute count");
            tn.get("attributes").fields().forEachRemaining(e -> {
                AttributeProto a = attrs.get(e.getKey());
                assertTrue(a != null, where + " lacks attribute " + e.getKey());
                JsonNode v = e.getValue();
                if (v.isArray()) {
                    assertArrayEquals(Mc3Fixtures.longs(v), a.getIntsList().stream().mapToLong(Long::longValue).toArray(),
                            where + " " + e.getKey());
                } else if (v.isFloatingPointNumber()) {
                    assertEquals(v.asDouble(), a.getF(), 0.0, where + " " + e.getKey());
                } else {
                    assertEquals(v.asLong(), a.getI(), where + " " + e.getKey());
                }
            });
        }
    }

    @Test
    void narrowStructureMatchesCommittedExport() throws Exception {
        ModelProto torch = OnnxModels.read(Mc3Fixtures.file("narrow_w8_k2.onnx"));
        ModelProto ours = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(64, 64), 3);
        assertEquals(ModelInspector.opTypes(torch), ModelInspector.opTypes(ours));
        for (int i = 0; i < torch.getGraph().getNodeCount(); i++) {
            assertEquals(torch.getGraph().getNode(i).getName(), ours.getGraph().getNode(i).getName());
            assertEquals(torch.getGraph().getNode(i).getOutputList(), ours.getGraph().getNode(i).getOutputList());
        }
        assertEquals(ourDims(torch.getGraph().getInput(0)), ourDims(ours.getGraph().getInput(0)));
    }

    /** Logits, pooled features and the Grad-CAM layer of every case, run through ORT. */
    private static void checkAgainstTorch(ModelProto model, JsonNode expected) throws Exception {
        TensorInfo pooled = ModelInspector.encoderOutput(model);
        TensorInfo cam = ModelInspector.gradCamLayer(model);
        ModelProto exposed = ModelEditor.exposeOutputs(model, List.of(pooled.name(), cam.name()));
        checkOutputs(exposed, expected, pooled.name(), cam.name());
    }

    /**
     * Compares a model whose graph outputs are the logits, the pooled features and the Grad-CAM
     * layer (under the given names) with torch's outputs on every case.
     */
    static void checkOutputs(ModelProto exposed, JsonNode expected, String pooledName, String camName)
            throws Exception {
        for (JsonNode c : expected.get("cases")) {
            String name = c.get("name").asText();
            long[] shape = Mc3Fixtures.longs(c.get("input").get("shape"));
            float[] x = Mc3Fixtures.lcgInput(c.get("input").get("lcg_seed").asLong(), Mc3Fixtures.count(shape));
            double sum = 0;
            double sq = 0;
            for (float v : x) {
                sum += v;
                sq += (double) v * v;
            }
            assertEquals(c.get("input_checksum").get(0).asDouble(), sum, 1e-6, name + ": input generator sum");
            assertEquals(c.get("input_checksum").get(1).asDouble(), sq, 1e-6, name + ": input generator sum of squares");

            Map<String, OrtRunner.Output> out = OrtRunner.run(exposed, Mc3Graph.INPUT, x, shape);
            compare(name + " logits", c.get("logits"), out.get(Mc3Graph.OUTPUT), 1);
            compare(name + " pooled", c.get("pooled"), out.get(pooledName), 1);
            OrtRunner.Output camOut = out.get(camName);
            JsonNode camRef = c.get("gradcam_layer");
            compare(name + " Grad-CAM layer", camRef, camOut, camRef.get("stride").asInt());
            double camSum = 0;
            for (float v : camOut.values()) {
                camSum += v;
            }
            assertEquals(camRef.get("sum").asDouble(), camSum, 1e-5 * camOut.values().length,
                    name + ": Grad-CAM layer sum");
        }
    }

    private static void compare(String what, JsonNode ref, OrtRunner.Output got, int stride) {
        assertArrayEquals(Mc3Fixtures.longs(ref.get("shape")), got.shape(), what + " shape");
        float[] want = Mc3Fixtures.floats(ref.get("values"));
        assertEquals((got.values().length + stride - 1) / stride, want.length, what + " count");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(want[i] - got.values()[i * stride]);
            if (d > worst) {
                worst = d;
                at = i * stride;
            }
        }
        assertTrue(worst <= TOL, String.format(Locale.ROOT, "%s: max |torch - ORT| = %.3g at %d (tolerance %.0e)",
                what, worst, at, TOL));
    }

    private static String dims(JsonNode valueInfo) {
        List<String> d = new ArrayList<>();
        valueInfo.get("dims").forEach(x -> d.add(x.asText()));
        return d.toString();
    }

    private static String ourDims(org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto v) {
        List<String> d = new ArrayList<>();
        v.getType().getTensorType().getShape().getDimList().forEach(x -> d.add(Dim.fromProto(x).toString()));
        return d.toString();
    }
}
