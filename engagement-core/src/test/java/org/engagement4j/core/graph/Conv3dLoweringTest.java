package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.junit.jupiter.api.Test;

/**
 * {@link Conv3dLowering}: the lowered graph against torch's committed outputs and against the
 * original graph on ONNX Runtime, its interface unchanged, and the graphs it must refuse.
 */
class Conv3dLoweringTest {

    private static final double TOL = 1e-4;
    private static final Mc3Architecture NARROW = Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(64, 64);

    @Test
    void loweredTorchExportMatchesTorchInBothModes() throws Exception {
        ModelProto torch = OnnxModels.read(Mc3Fixtures.file("narrow_w8_k2.onnx"));
        JsonNode expected = Mc3Fixtures.json("narrow_expected.json");
        String pooled = ModelInspector.encoderOutput(torch).name();
        String cam = ModelInspector.gradCamLayer(torch).name();
        // The Grad-CAM layer is a folded tensor inside the lowered graph: as a graph output it
        // must come back unfolded, [N, C, T, H, W], under its name.
        ModelProto exposed = ModelEditor.exposeOutputs(torch, List.of(pooled, cam));
        for (Conv3dLowering.Temporal mode : Conv3dLowering.Temporal.values()) {
            ModelProto lowered = Conv3dLowering.defaults().withTemporal(mode).apply(exposed);
            Mc3ReferenceTest.checkOutputs(lowered, expected, pooled, cam);
        }
    }

    @Test
    void concatModeRunsEveryConvolutionIn2d() {
        ModelProto lowered = Conv3dLowering.defaults().apply(Mc3Graph.random(NARROW, 1));
        for (NodeProto n : lowered.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("kernel_shape")) {
                        assertEquals(2, a.getIntsCount(), n.getName());
                    }
                }
            }
        }
        assertEquals(Conv3dLowering.Temporal.CONCAT, Conv3dLowering.defaults().temporal());
        ModelProto keep = Conv3dLowering.defaults().withTemporal(Conv3dLowering.Temporal.KEEP_3D)
                .apply(Mc3Graph.random(NARROW, 1));
        long conv3d = keep.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv"))
                .filter(n -> n.getAttributeList().stream()
                        .anyMatch(a -> a.getName().equals("kernel_shape") && a.getIntsCount() == 3))
                .count();
        assertEquals(5, conv3d, "KEEP_3D keeps the stem and layer1's four convolutions 3-D");
    }

    @Test
    void fullSizeLoweredMatchesTorch() throws Exception {
        ModelProto full = Mc3ReferenceTest.fullSize();
        JsonNode expected = Mc3Fixtures.json("full_closed_form_expected.json");
        String pooled = ModelInspector.encoderOutput(full).name();
        String cam = ModelInspector.gradCamLayer(full).name();
        ModelProto lowered = Conv3dLowering.defaults().apply(ModelEditor.exposeOutputs(full, List.of(pooled, cam)));
        Mc3ReferenceTest.checkOutputs(lowered, expected, pooled, cam);
    }

    @Test
    void keepsInterfaceAndMatchesOriginalOnOtherBatchAndTime() throws Exception {
        ModelProto original = ModelEditor.exposeOutput(Mc3Graph.random(NARROW, 5), Mc3Graph.ENCODER_OUTPUT);
        ModelProto lowered = Conv3dLowering.defaults().apply(original);
        assertEquals(original.getGraph().getInputList(), lowered.getGraph().getInputList());
        assertEquals(original.getGraph().getOutputList(), lowered.getGraph().getOutputList());
        assertEquals(original.getOpsetImportList(), lowered.getOpsetImportList());
        assertEquals(original.getMetadataPropsList(), lowered.getMetadataPropsList());
        assertEquals(Mc3Graph.ENCODER_OUTPUT, ModelInspector.encoderOutput(lowered).name());
        for (long[] shape : new long[][] {{3, 3, 5, 64, 64}, {1, 3, 1, 64, 64}}) {
            float[] x = Mc3Fixtures.lcgInput(shape[0] * 31 + shape[2], Mc3Fixtures.count(shape));
            Map<String, OrtRunner.Output> want = OrtRunner.run(original, Mc3Graph.INPUT, x, shape);
            Map<String, OrtRunner.Output> got = OrtRunner.run(lowered, Mc3Graph.INPUT, x, shape);
            for (String name : List.of(Mc3Graph.OUTPUT, Mc3Graph.ENCODER_OUTPUT)) {
                float[] a = want.get(name).values();
                float[] b = got.get(name).values();
                assertEquals(a.length, b.length, name);
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                assertTrue(worst <= TOL, String.format(Locale.ROOT, "%s on %s: max difference %.3g",
                        name, java.util.Arrays.toString(shape), worst));
            }
        }
        // Nothing 5-D remains of the original weights: they were replaced, not duplicated.
        assertFalse(lowered.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getName().equals("layer2.0.conv1.0.weight")));
    }

    @Test
    void refusesAnOperatorItCannotLowerNamingTheNode() {
        GraphBuilder g = convGraph(1, 1, 0);
        g.node("MaxPool", "/pool/MaxPool", List.of("c"), List.of("p"),
                Attributes.none().withInts("kernel_shape", 1, 2, 2).withInts("strides", 1, 2, 2));
        g.output("p", Dim.symbolic("batch"), Dim.of(4), Dim.symbolic("time"), Dim.of(4), Dim.of(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv3dLowering.defaults().apply(g.build()));
        assertTrue(e.getMessage().contains("'/pool/MaxPool' (MaxPool)"), e.getMessage());
    }

    @Test
    void refusesTemporalStrideAndPadding() {
        GraphBuilder strided = convGraph(3, 2, 1);
        strided.output("c", Dim.symbolic("batch"), Dim.of(4), Dim.symbolic("t2"), Dim.of(8), Dim.of(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv3dLowering.defaults().apply(strided.build()));
        assertTrue(e.getMessage().contains("'/conv' (Conv)") && e.getMessage().contains("stride 2"), e.getMessage());
        GraphBuilder valid = convGraph(3, 1, 0);
        valid.output("c", Dim.symbolic("batch"), Dim.of(4), Dim.symbolic("t2"), Dim.of(8), Dim.of(8));
        e = assertThrows(IllegalArgumentException.class, () -> Conv3dLowering.defaults().apply(valid.build()));
        assertTrue(e.getMessage().contains("pads 0/0"), e.getMessage());
    }

    @Test
    void refusesOldOpsetAndGraphsWithoutA5dInput() {
        GraphBuilder old = convGraph(1, 1, 0).opset(12);
        old.output("c", Dim.symbolic("batch"), Dim.of(4), Dim.symbolic("time"), Dim.of(8), Dim.of(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv3dLowering.defaults().apply(old.build()));
        assertTrue(e.getMessage().contains("opset 12"), e.getMessage());
        GraphBuilder flat = GraphBuilder.named("flat");
        flat.input("x", Dim.symbolic("batch"), Dim.of(4));
        flat.node("Relu", "/relu", List.of("x"), List.of("y"), Attributes.none());
        flat.output("y", Dim.symbolic("batch"), Dim.of(4));
        e = assertThrows(IllegalArgumentException.class, () -> Conv3dLowering.defaults().apply(flat.build()));
        assertTrue(e.getMessage().contains("5-D graph input"), e.getMessage());
    }

    @Test
    void loweredTinyGraphWithGraphOutputFoldedMatchesOriginal() throws Exception {
        GraphBuilder g = convGraph(1, 1, 0);
        g.output("c", Dim.symbolic("batch"), Dim.of(4), Dim.symbolic("time"), Dim.of(8), Dim.of(8));
        ModelProto original = g.build();
        ModelProto lowered = Conv3dLowering.defaults().apply(original);
        ValueInfoProto out = lowered.getGraph().getOutput(0);
        assertEquals("c", out.getName());
        long[] shape = {2, 2, 3, 8, 8};
        float[] x = Mc3Fixtures.lcgInput(9, Mc3Fixtures.count(shape));
        OrtRunner.Output a = OrtRunner.run(original, "x", x, shape).get("c");
        OrtRunner.Output b = OrtRunner.run(lowered, "x", x, shape).get("c");
        assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()));
        for (int i = 0; i < a.values().length; i++) {
            assertEquals(a.values()[i], b.values()[i], 1e-5, "element " + i);
        }
    }

    /** x [batch, 2, time, 8, 8] -> Conv "/conv" (4 filters, kernel (kt, 3, 3), temporal stride, pad) -> c. */
    private static GraphBuilder convGraph(int kt, int strideT, int padT) {
        GraphBuilder g = GraphBuilder.named("tiny");
        g.input("x", Dim.symbolic("batch"), Dim.of(2), Dim.symbolic("time"), Dim.of(8), Dim.of(8));
        float[] w = new float[4 * 2 * kt * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(0.7 * i);
        }
        g.initializer("w", w, 4, 2, kt, 3, 3);
        g.initializer("b", new float[] {0.1f, -0.2f, 0.3f, 0f}, 4);
        g.node("Conv", "/conv", List.of("x", "w", "b"), List.of("c"), Attributes.none()
                .withInts("kernel_shape", kt, 3, 3).withInts("strides", strideT, 1, 1)
                .withInts("pads", padT, 1, 1, padT, 1, 1));
        return g;
    }
}
