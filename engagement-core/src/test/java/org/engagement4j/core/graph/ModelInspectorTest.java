package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.junit.jupiter.api.Test;

class ModelInspectorTest {

    private static List<Dim> dims(Object... d) {
        return java.util.Arrays.stream(d).map(x -> x instanceof String s ? Dim.symbolic(s) : Dim.of((Integer) x))
                .toList();
    }

    @Test
    void findsEncoderOutputAndGradCamLayerInTorchExport() throws Exception {
        ModelProto torch = OnnxModels.read(Mc3Fixtures.file("narrow_w8_k2.onnx"));
        TensorInfo pooled = ModelInspector.encoderOutput(torch);
        assertEquals(Mc3Graph.ENCODER_OUTPUT, pooled.name());
        assertEquals("Flatten", pooled.producerOp());
        assertEquals(Optional.of(dims("batch", 64)), pooled.shape());
        assertEquals(64, pooled.fixedDim(1));
        assertEquals(Optional.of(ElementType.FLOAT), pooled.elementType());
        TensorInfo cam = ModelInspector.gradCamLayer(torch);
        assertEquals(Mc3Graph.GRADCAM_LAYER, cam.name());
        assertEquals("/layer4/layer4.1/conv2/conv2.0/Conv", cam.producerNode());
        assertEquals(Optional.of(dims("batch", 64, "time", 4, 4)), cam.shape());
    }

    @Test
    void fullSizeShapesAt160() {
        ModelProto m = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(2), 1);
        assertEquals(Optional.of(dims("batch", 16, "time", 10, 10)), ModelInspector.gradCamLayer(m).shape());
        assertEquals(Optional.of(dims("batch", 16)), ModelInspector.encoderOutput(m).shape());
        assertEquals(Optional.of(dims("batch", 2, "time", 80, 80)),
                ModelInspector.tensor(m, "/stem/stem.0/Conv_output_0").shape());
        Map<String, Integer> counts = ModelInspector.opCounts(m);
        assertEquals(Map.of("Conv", 20, "Relu", 17, "Add", 8, "GlobalAveragePool", 1, "Flatten", 1, "Gemm", 1), counts);
        // Symbolic spatial size: the stride-2 convolutions make those dimensions unknown, never wrong.
        ModelProto sym = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(2)
                .withInputSize(Dim.symbolic("height"), Dim.symbolic("width")), 1);
        assertEquals(Optional.of(List.of(Dim.symbolic("batch"), Dim.of(16), Dim.symbolic("time"), Dim.unknown(),
                Dim.unknown())), ModelInspector.gradCamLayer(sym).shape());
        assertEquals(Optional.of(dims("batch", 16)), ModelInspector.encoderOutput(sym).shape());
    }

    @Test
    void exposedOutputsRunWithTheirShapes() throws Exception {
        ModelProto m = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(4).withInputSize(32, 48), 5);
        String pooled = ModelInspector.encoderOutput(m).name();
        String cam = ModelInspector.gradCamLayer(m).name();
        ModelProto e = ModelEditor.exposeOutputs(m, List.of(pooled, cam));
        assertEquals(3, e.getGraph().getOutputCount());
        assertSame(e, ModelEditor.exposeOutput(e, cam), "already an output: unchanged");
        assertEquals(1, m.getGraph().getOutputCount(), "the input model is not modified");
        ValueInfoProto camInfo = e.getGraph().getOutput(2);
        assertEquals(5, camInfo.getType().getTensorType().getShape().getDimCount());
        long[] shape = {2, 3, 6, 32, 48};
        Map<String, OrtRunner.Output> out = OrtRunner.run(e, Mc3Graph.INPUT,
                Mc3Fixtures.lcgInput(7, Mc3Fixtures.count(shape)), shape);
        assertEquals(List.of(Mc3Graph.OUTPUT, pooled, cam), List.copyOf(out.keySet()));
        assertEquals("[2, 32, 6, 2, 3]", java.util.Arrays.toString(out.get(cam).shape()));
        assertEquals("[2, 32]", java.util.Arrays.toString(out.get(pooled).shape()));
        // The pooled features are the mean of relu(cam + residual) per channel, so they are >= 0,
        // and the logits are fc applied to them: recompute one logit by hand.
        float[] feats = out.get(pooled).values();
        StateDict sd = Mc3Graph.randomStateDict(Mc3Architecture.mc3_18(2).withBaseWidth(4), 5);
        float[] w = sd.tensor("fc.weight").data();
        double logit = sd.tensor("fc.bias").get(1);
        for (int c = 0; c < 32; c++) {
            assertTrue(feats[c] >= 0);
            logit += (double) w[32 + c] * feats[c];
        }
        assertEquals(logit, out.get(Mc3Graph.OUTPUT).values()[1], 1e-5);
    }

    @Test
    void unknownTensorListsWhatExists() {
        ModelProto m = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(1), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelEditor.exposeOutput(m, "/layer9/Conv_output_0"));
        assertTrue(e.getMessage().contains("'/layer9/Conv_output_0'") && e.getMessage().contains("48 node outputs")
                && e.getMessage().contains("/stem/stem.0/Conv_output_0"), e.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> ModelInspector.tensor(m, "x"));
        assertTrue(t.getMessage().contains("'x'"), t.getMessage());
        // A graph input or initializer is not a node output: ONNX Runtime could not return it as one.
        assertThrows(IllegalArgumentException.class, () -> ModelEditor.exposeOutput(m, Mc3Graph.INPUT));
        assertEquals("", ModelInspector.tensor(m, "fc.weight").producerNode());
    }

    @Test
    void graphWithoutClassifierHeadIsReported() {
        GraphBuilder g = GraphBuilder.named("plain");
        g.input("x", Dim.symbolic("batch"), Dim.of(4));
        g.node("Relu", "/r", List.of("x"), List.of("y"), Attributes.none());
        g.output("y", Dim.symbolic("batch"), Dim.of(4));
        ModelProto m = g.build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelInspector.encoderOutput(m));
        assertTrue(e.getMessage().contains("'plain'") && e.getMessage().contains("y <- Relu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelInspector.gradCamLayer(m));
    }

    /** A last block with unfolded BatchNorm and a downsample residual, inputs in either order. */
    @Test
    void gradCamLayerPrefersMainBranchOverDownsample() {
        for (boolean residualFirst : new boolean[] {false, true}) {
            GraphBuilder g = GraphBuilder.named("block");
            g.input("x", Dim.symbolic("batch"), Dim.of(2), Dim.of(1), Dim.of(4), Dim.of(4));
            g.initializer("w3", new float[4 * 2 * 9], 4, 2, 1, 3, 3);
            g.initializer("w1", new float[4 * 2], 4, 2, 1, 1, 1);
            for (String p : List.of("scale", "bias", "mean", "var")) {
                g.initializer(p, new float[] {1, 1, 1, 1}, 4);
            }
            g.initializer("fcw", new float[8], 2, 4);
            g.initializer("fcb", new float[2], 2);
            g.node("Conv", "/main", List.of("x", "w3"), List.of("c"), Attributes.none().withInts("pads", 0, 1, 1, 0, 1, 1));
            g.node("BatchNormalization", "/bn", List.of("c", "scale", "bias", "mean", "var"), List.of("bn"),
                    Attributes.none());
            g.node("Conv", "/down", List.of("x", "w1"), List.of("d"), Attributes.none());
            g.node("Add", "/add", residualFirst ? List.of("d", "bn") : List.of("bn", "d"), List.of("s"), Attributes.none());
            g.node("Relu", "/relu", List.of("s"), List.of("r"), Attributes.none());
            g.node("ReduceMean", "/pool", List.of("r"), List.of("p"), Attributes.none().withInts("axes", 2, 3, 4));
            g.node("Flatten", "/flat", List.of("p"), List.of("f"), Attributes.none());
            g.node("Gemm", "/fc", List.of("f", "fcw", "fcb"), List.of("logits"), Attributes.none().withInt("transB", 1));
            g.output("logits", Dim.symbolic("batch"), Dim.of(2));
            ModelProto m = g.build();
            TensorInfo cam = ModelInspector.gradCamLayer(m);
            assertEquals("bn", cam.name());
            assertEquals("BatchNormalization", cam.producerOp());
            assertEquals(Optional.of(dims("batch", 4, 1, 4, 4)), cam.shape());
            assertEquals("f", ModelInspector.encoderOutput(m).name());
        }
    }
}
