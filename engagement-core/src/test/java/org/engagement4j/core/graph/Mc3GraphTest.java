package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mc3GraphTest {

    @Test
    void mc3_18StateDictLayout() {
        Mc3Architecture a = Mc3Architecture.mc3_18(400);
        Map<String, long[]> s = a.stateDictShapes();
        assertEquals(102, s.size());
        assertArrayEquals(new long[] {64, 3, 3, 7, 7}, s.get("stem.0.weight"));
        assertArrayEquals(new long[] {64, 64, 3, 3, 3}, s.get("layer1.1.conv2.0.weight"));
        assertArrayEquals(new long[] {128, 64, 1, 3, 3}, s.get("layer2.0.conv1.0.weight"));
        assertArrayEquals(new long[] {512, 256, 1, 1, 1}, s.get("layer4.0.downsample.0.weight"));
        assertArrayEquals(new long[] {400, 512}, s.get("fc.weight"));
        // torchvision's count of mc3_18 parameters is 11,695,440; BatchNorm running statistics add
        // two per BatchNorm channel (4,800 channels).
        long bnChannels = 0;
        for (Map.Entry<String, long[]> e : s.entrySet()) {
            if (e.getKey().endsWith(".running_mean")) {
                bnChannels += e.getValue()[0];
            }
        }
        assertEquals(11_695_440L, a.stateDictSize() - 2 * bnChannels);
        assertEquals(512, a.featureSize());
    }

    @Test
    void randomWeightsAreSeeded() {
        Mc3Architecture a = Mc3Architecture.mc3_18(2).withBaseWidth(4).withInputSize(16, 16);
        ModelProto m1 = Mc3Graph.random(a, 42);
        assertEquals(OnnxModels.sha256(m1), OnnxModels.sha256(Mc3Graph.random(a, 42)));
        assertNotEquals(OnnxModels.sha256(m1), OnnxModels.sha256(Mc3Graph.random(a, 43)));
        assertEquals(48, m1.getGraph().getNodeCount());
        assertEquals("random(seed=42)", m1.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals("engagement4j.weights")).findFirst().orElseThrow().getValue());
    }

    @Test
    void randomModelGivesLogitsOfOrderOne() throws Exception {
        Mc3Architecture a = Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(32, 32);
        ModelProto m = Mc3Graph.random(a, 1);
        long[] shape = {4, 3, 5, 32, 32};
        float[] y = OrtRunner.run(m, Mc3Graph.INPUT, Mc3Fixtures.lcgInput(3, Mc3Fixtures.count(shape)), shape)
                .get(Mc3Graph.OUTPUT).values();
        double max = 0;
        for (float v : y) {
            assertTrue(Float.isFinite(v));
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.05 && max < 20, "logits of order one, got max |logit| " + max);
        assertNotEquals(y[0], y[2], "different clips give different logits");
    }

    @Test
    void batchNormFoldingFormula() {
        // w' = w * g / sqrt(v + eps), b' = beta - mean * g / sqrt(v + eps), per output channel.
        float[] w = {1, 2, 3, 4};
        BatchNormFolding.Folded f = BatchNormFolding.fold(w, 2, new float[] {2, 0.5f}, new float[] {0.1f, -1},
                new float[] {1, 4}, new float[] {3, 0.25f}, 1.0);
        // channel 0: s = 2 / sqrt(3 + 1) = 1; channel 1: s = 0.5 / sqrt(0.25 + 1) = 0.4472136
        double s1 = 0.5 / Math.sqrt(1.25);
        assertArrayEquals(new float[] {1f, 2f, (float) (3 * s1), (float) (4 * s1)}, f.weight(), 1e-7f);
        assertArrayEquals(new float[] {0.1f - 1f, (float) (-1 - 4 * s1)}, f.bias(), 1e-7f);
    }

    @Test
    void opsetAndSymbolicInputSize() throws Exception {
        Mc3Architecture a = Mc3Architecture.mc3_18(3).withBaseWidth(2).withOpset(13)
                .withInputSize(Dim.symbolic("height"), Dim.symbolic("width"));
        ModelProto m = Mc3Graph.random(a, 9);
        assertEquals(13, ModelInspector.opset(m));
        for (long[] shape : new long[][] {{1, 3, 2, 16, 16}, {2, 3, 4, 24, 40}}) {
            OrtRunner.Output y = OrtRunner.run(m, Mc3Graph.INPUT, Mc3Fixtures.lcgInput(1, Mc3Fixtures.count(shape)), shape)
                    .get(Mc3Graph.OUTPUT);
            assertArrayEquals(new long[] {shape[0], 3}, y.shape());
        }
    }

    @Test
    void architectureValidation() {
        assertThrows(IllegalArgumentException.class, () -> Mc3Architecture.mc3_18(0));
        assertThrows(IllegalArgumentException.class, () -> Mc3Architecture.mc3_18(2).withBaseWidth(0));
        assertThrows(IllegalArgumentException.class, () -> Mc3Architecture.mc3_18(2).withOpset(12));
        assertThrows(IllegalArgumentException.class, () -> Mc3Architecture.mc3_18(2).withOpset(18));
        assertThrows(IllegalArgumentException.class, () -> Mc3Architecture.mc3_18(2).withInputSize(0, 10));
    }

    @Test
    void missingOrMisshapenWeightsAreNamed(@TempDir Path dir) throws Exception {
        Mc3Architecture a = Mc3Architecture.mc3_18(2).withBaseWidth(2);
        StateDict full = Mc3Graph.randomStateDict(a, 1);
        Map<String, FloatTensor> t = new LinkedHashMap<>(full.tensors());
        t.remove("layer3.0.downsample.1.running_var");
        Path f = dir.resolve("partial.safetensors");
        Safetensors.write(f, StateDict.of("x", t));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Mc3Graph.fromSafetensors(f));
        assertTrue(missing.getMessage().contains("'layer3.0.downsample.1.running_var'")
                && missing.getMessage().contains(f.toString()), missing.getMessage());

        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Mc3Graph.build(a, StateDict.of("edited", Map.copyOf(t2(full, "layer2.1.conv1.0.weight",
                        FloatTensor.of(new float[4 * 4 * 27], 4, 4, 3, 3, 3))))));
        assertTrue(shape.getMessage().contains("'layer2.1.conv1.0.weight'") && shape.getMessage().contains("[4, 4, 1, 3, 3]")
                && shape.getMessage().contains("edited"), shape.getMessage());
        // A wider model's state_dict for a narrower architecture: the first tensor is reported.
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> Mc3Graph.build(a.withBaseWidth(3), full));
        assertTrue(wide.getMessage().contains("'stem.0.weight'"), wide.getMessage());
    }

    private static Map<String, FloatTensor> t2(StateDict sd, String name, FloatTensor replacement) {
        Map<String, FloatTensor> m = new LinkedHashMap<>(sd.tensors());
        m.put(name, replacement);
        return m;
    }

    @Test
    void initializersHoldFoldedWeights() {
        Mc3Architecture a = Mc3Architecture.mc3_18(2).withBaseWidth(1);
        StateDict sd = Mc3Graph.closedFormStateDict(a);
        ModelProto m = Mc3Graph.build(a, sd);
        TensorProto w = m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("stem.0.weight"))
                .findFirst().orElseThrow();
        TensorProto b = m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("stem.0.bias"))
                .findFirst().orElseThrow();
        double s = sd.tensor("stem.1.weight").get(0) / Math.sqrt(sd.tensor("stem.1.running_var").get(0) + 1e-5);
        assertEquals(sd.tensor("stem.0.weight").get(5) * s, Tensors.toFloats(w)[5], 1e-7);
        assertEquals(sd.tensor("stem.1.bias").get(0) - sd.tensor("stem.1.running_mean").get(0) * s,
                Tensors.toFloats(b)[0], 1e-7);
        assertArrayEquals(sd.tensor("fc.weight").data(), Tensors.toFloats(m.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("fc.weight")).findFirst().orElseThrow()));
    }
}
