package org.engagement4j.xai.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.backward.UnsupportedOpException;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.transform.ClipTensor;
import org.junit.jupiter.api.Test;

/** Configuration, bad input and lifetime of {@link AttentionExplainer}. */
class AttentionExplainerTest {

    /**
     * input [N, 3, T, 8, 8] -> Conv 1x1x1 (4 channels) -> Tanh -> GlobalAveragePool -> Flatten ->
     * Gemm -> logits [N, 2]: a classifier with an operator the backward graph does not support
     * and no residual block.
     */
    static ModelProto tanhModel() {
        GraphBuilder g = GraphBuilder.named("tanh_net").input("input", Dim.symbolic("batch"),
                Dim.of(3), Dim.symbolic("time"), Dim.of(8), Dim.of(8));
        g.initializer("conv.weight", XaiFixtures.lcg(1, 12), 4, 3, 1, 1, 1);
        g.initializer("fc.weight", XaiFixtures.lcg(2, 8), 2, 4);
        g.initializer("fc.bias", new float[] {0.1f, -0.1f}, 2);
        g.node("Conv", "/conv/Conv", List.of("input", "conv.weight"), List.of("conv_out"),
                Attributes.none().withInts("kernel_shape", 1, 1, 1));
        g.node("Tanh", "/act/Tanh", List.of("conv_out"), List.of("tanh_out"), Attributes.none());
        String pooled = g.op("GlobalAveragePool", Attributes.none(), "tanh_out");
        String flat = g.op("Flatten", Attributes.none().withInt("axis", 1), pooled);
        g.node("Gemm", "/fc/Gemm", List.of(flat, "fc.weight", "fc.bias"), List.of("logits"),
                Attributes.none().withInt("transB", 1));
        g.output("logits", Dim.symbolic("batch"), Dim.of(2));
        return g.build();
    }

    private static AttentionExplainer.Builder narrow() {
        return AttentionExplainer.builder().model(XaiFixtures.MODEL).intraOpThreads(2);
    }

    @Test
    void defaultLayerIsLayer4sLastConv2BeforeTheResidualAdd() throws Exception {
        try (AttentionExplainer e = narrow().methods(EnumSet.of(AttentionMethod.GRAD_CAM))
                .build()) {
            assertEquals(Optional.of(XaiFixtures.LAYER), e.layer());
            assertEquals(EnumSet.of(AttentionMethod.GRAD_CAM), e.methods());
        }
    }

    @Test
    void unknownLayerListsTheConvOutputs() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> narrow().layer("/layer9/conv").build());
        assertTrue(ex.getMessage().contains("'/layer9/conv'"), ex.getMessage());
        assertTrue(ex.getMessage().contains("Conv outputs"), ex.getMessage());
        assertTrue(ex.getMessage().contains(XaiFixtures.LAYER), ex.getMessage());
    }

    @Test
    void anotherLayerGivesAMapOfItsSize() throws Exception {
        ModelProto m = OnnxModels.read(XaiFixtures.MODEL);
        String layer3 = AttentionExplainer.convOutputs(m).stream()
                .filter(n -> n.startsWith("/layer3/layer3.1/conv2")).findFirst().orElseThrow();
        try (AttentionExplainer e = narrow().layer(layer3)
                .methods(EnumSet.of(AttentionMethod.GRAD_CAM, AttentionMethod.GUIDED_GRAD_CAM))
                .build()) {
            Explanation x = e.explain(XaiFixtures.clip(5, 2), e.methods(), EnumSet.of(Target.POSITIVE));
            AttentionMap cam = x.get(AttentionMethod.GRAD_CAM, Target.POSITIVE);
            assertArrayEquals(new int[] {2, 8, 8}, cam.shape());
            assertEquals(Optional.of(layer3), cam.provenance().layer());
            assertArrayEquals(new int[] {2, 64, 64},
                    x.get(AttentionMethod.GUIDED_GRAD_CAM, Target.POSITIVE).shape());
        }
    }

    @Test
    void unsupportedOperatorIsNamed() {
        UnsupportedOpException ex = assertThrows(UnsupportedOpException.class,
                () -> AttentionExplainer.builder().model(tanhModel())
                        .methods(EnumSet.of(AttentionMethod.GRADIENT_SALIENCY)).build());
        assertEquals("Tanh", ex.opType());
        assertEquals("/act/Tanh", ex.nodeName());
        assertTrue(ex.getMessage().contains("Tanh"), ex.getMessage());
    }

    @Test
    void gradCamOnAGraphWithoutResidualBlocksAsksForALayer() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> AttentionExplainer.builder().model(tanhModel())
                        .methods(EnumSet.of(AttentionMethod.GRAD_CAM)).build());
        assertTrue(ex.getMessage().contains("no default Grad-CAM layer"), ex.getMessage());
        assertTrue(ex.getMessage().contains("conv_out"), ex.getMessage());
    }

    /** Occlusion needs forward passes only: it works on a graph the backward pass cannot handle. */
    @Test
    void occlusionAloneBuildsNoBackwardGraph() throws Exception {
        try (AttentionExplainer e = AttentionExplainer.builder().model(tanhModel())
                .methods(EnumSet.of(AttentionMethod.OCCLUSION))
                .occlusion(new OcclusionWindow(0, 2, 2, 1, 4, 4)).occlusionBatchSize(3).build()) {
            assertEquals(Optional.empty(), e.layer());
            ClipTensor clip = ClipTensor.of(XaiFixtures.lcg(3, 3 * 2 * 8 * 8), 3, 2, 8, 8);
            Explanation x = e.explain(clip);
            AttentionMap m = x.get(AttentionMethod.OCCLUSION, Target.POSITIVE);
            assertArrayEquals(new int[] {2, 2, 2}, m.shape());
            assertFalse(m.isConstant());
        }
    }

    @Test
    void methodsMustHaveBeenConfigured() throws Exception {
        try (AttentionExplainer e = narrow().methods(EnumSet.of(AttentionMethod.GRADIENT_SALIENCY))
                .build()) {
            ClipTensor clip = XaiFixtures.clip(1, 2);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> e.explain(clip, EnumSet.of(AttentionMethod.GRAD_CAM),
                            EnumSet.allOf(Target.class)));
            assertTrue(ex.getMessage().contains("[gradcam]"), ex.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> e.explain(clip, Set.of(), EnumSet.allOf(Target.class)));
            assertThrows(IllegalArgumentException.class,
                    () -> e.explain(clip, e.methods(), Set.of()));
        }
    }

    @Test
    void clipMustFitTheModel() throws Exception {
        try (AttentionExplainer e = narrow().methods(EnumSet.of(AttentionMethod.GRADIENT_SALIENCY))
                .build()) {
            ClipTensor small = ClipTensor.of(new float[3 * 2 * 32 * 32], 3, 2, 32, 32);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> e.explain(small));
            assertTrue(ex.getMessage().contains("dimension H is 32, expected 64"), ex.getMessage());
        }
    }

    @Test
    void closeIsIdempotentAndFinal() throws Exception {
        AttentionExplainer e = narrow().methods(EnumSet.of(AttentionMethod.OCCLUSION)).build();
        e.close();
        e.close();
        IllegalStateException ex = assertThrows(IllegalStateException.class, e::methods);
        assertEquals(AttentionExplainer.CLOSED_MESSAGE, ex.getMessage());
        assertThrows(IllegalStateException.class, () -> e.explain(XaiFixtures.clip(1, 1)));
        assertTrue(e.toString().contains("closed"));
    }

    @Test
    void builderRefusesNonsense() throws Exception {
        assertThrows(IllegalStateException.class, () -> AttentionExplainer.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> AttentionExplainer.builder().methods(Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> AttentionExplainer.builder().intraOpThreads(0));
        assertThrows(IllegalArgumentException.class,
                () -> AttentionExplainer.builder().occlusionBatchSize(0));
        ModelException corrupt = assertThrows(ModelException.class,
                () -> AttentionExplainer.builder().model(new byte[] {1, 2, 3}).build());
        assertEquals(ModelException.Reason.CORRUPT, corrupt.reason());
        ModelException missing = assertThrows(ModelException.class,
                () -> AttentionExplainer.builder().model(Files.createTempDirectory("x")
                        .resolve("none.onnx")).build());
        assertEquals(ModelException.Reason.UNREADABLE, missing.reason());
    }

    @Test
    void oneMinusSoftmaxKeepsItsDigits() {
        assertEquals(0.5, AttentionExplainer.oneMinusSoftmax(new float[] {0f, 0f}, 1), 0);
        // p(class 0) = 1 / (1 + e^40): 1 - p(class 1) must be that, not 0.
        double tiny = AttentionExplainer.oneMinusSoftmax(new float[] {0f, 40f}, 1);
        assertEquals(1 / (1 + Math.exp(40)), tiny, 1e-30);
        assertEquals(2.0 / 3, AttentionExplainer.oneMinusSoftmax(new float[] {0f, 0f, 0f}, 2),
                1e-15);
    }

    @Test
    void occlusionWindowGrid() {
        OcclusionWindow w = OcclusionWindow.reference();
        assertArrayEquals(new int[] {15, 10, 10}, w.gridShape(15, 160, 160));
        assertEquals(1500, w.positions(15, 160, 160));
        assertArrayEquals(new int[] {15, 10, 13}, w.gridShape(15, 160, 208));
        assertArrayEquals(new int[] {1, 1, 1}, w.gridShape(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new OcclusionWindow(-1, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new OcclusionWindow(1, 1, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> w.gridShape(0, 1, 1));
    }
}
