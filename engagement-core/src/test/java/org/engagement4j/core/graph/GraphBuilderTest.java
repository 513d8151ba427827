package org.engagement4j.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    /** y = relu(x W^T + b) for x [batch, 3], W [2, 3]. */
    private static GraphBuilder affine() {
        GraphBuilder g = GraphBuilder.named("affine");
        g.input("x", Dim.symbolic("batch"), Dim.of(3));
        g.initializer("w", new float[] {1, 2, 3, -1, 0, 1}, 2, 3);
        g.initializer("b", new float[] {0.5f, -10f}, 2);
        String z = g.op("Gemm", Attributes.none().withInt("transB", 1), "x", "w", "b");
        g.node("Relu", "/relu", List.of(z), List.of("y"), Attributes.none());
        g.output("y", Dim.symbolic("batch"), Dim.of(2));
        return g;
    }

    @Test
    void builtGraphRunsOnOnnxRuntime() throws Exception {
        ModelProto m = affine().build();
        Map<String, OrtRunner.Output> out = OrtRunner.run(m, "x", new float[] {1, 1, 1, 2, 0, -1}, 2, 3);
        OrtRunner.Output y = out.get("y");
        assertArrayEquals(new long[] {2, 2}, y.shape());
        // row 1: [1+2+3+0.5, -1+0+1-10] -> relu -> [6.5, 0]; row 2: [2-3+0.5, -2-1-10] -> [0, 0]
        assertArrayEquals(new float[] {6.5f, 0f, 0f, 0f}, y.values());
    }

    @Test
    void modelCarriesOpsetIrAndSymbolicDims() {
        ModelProto m = affine().opset(13).metadata("k", "v").build();
        assertEquals(8, m.getIrVersion());
        assertEquals(13, ModelInspector.opset(m));
        assertEquals("engagement4j", m.getProducerName());
        assertEquals("batch", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(3, m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals("k", m.getMetadataProps(0).getKey());
        assertEquals(List.of("Gemm", "Relu"), ModelInspector.opTypes(m));
        assertEquals("/Gemm_0", m.getGraph().getNode(0).getName());
        assertEquals("/Gemm_0_output_0", m.getGraph().getNode(0).getOutput(0));
    }

    @Test
    void nodeInputMustBeDefinedFirst() {
        GraphBuilder g = GraphBuilder.named("g");
        g.input("x", Dim.of(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.node("Add", "/add", List.of("x", "later"), List.of("y"), Attributes.none()));
        assertTrue(e.getMessage().contains("'later'") && e.getMessage().contains("/add"), e.getMessage());
        // The failed node left nothing behind: the same name can be used again.
        g.node("Relu", "/add", List.of("x"), List.of("y"), Attributes.none());
        assertEquals(1, g.nodeCount());
    }

    @Test
    void namesAreDefinedOnce() {
        GraphBuilder g = GraphBuilder.named("g");
        g.input("x", Dim.of(1));
        assertThrows(IllegalArgumentException.class, () -> g.initializer("x", new float[] {1}, 1));
        g.node("Relu", "/r", List.of("x"), List.of("y"), Attributes.none());
        IllegalArgumentException dupOut = assertThrows(IllegalArgumentException.class,
                () -> g.node("Relu", "/r2", List.of("x"), List.of("y"), Attributes.none()));
        assertTrue(dupOut.getMessage().contains("output of node '/r'"), dupOut.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> g.node("Relu", "/r", List.of("x"), List.of("z"), Attributes.none()));
        assertThrows(IllegalArgumentException.class,
                () -> g.node("Relu", "/r3", List.of("x"), List.of(), Attributes.none()));
        g.output("y", Dim.of(1));
        assertThrows(IllegalArgumentException.class, () -> g.output("y", Dim.of(1)));
    }

    @Test
    void buildChecksOutputsAndDomains() {
        GraphBuilder g = GraphBuilder.named("g");
        g.input("x", Dim.of(1));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, g::build);
        assertTrue(none.getMessage().contains("no output"), none.getMessage());
        g.output("nowhere", Dim.of(1));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, g::build);
        assertTrue(missing.getMessage().contains("'nowhere'"), missing.getMessage());
        IllegalArgumentException domain = assertThrows(IllegalArgumentException.class,
                () -> g.node("com.microsoft", "FusedConv", "/f", List.of("x"), List.of("f"), Attributes.none()));
        assertTrue(domain.getMessage().contains("com.microsoft"), domain.getMessage());
        g.opset("com.microsoft", 1);
        g.node("com.microsoft", "FusedConv", "/f", List.of("x", ""), List.of("f"), Attributes.none());
        assertTrue(g.isDefined("f"));
        assertThrows(IllegalArgumentException.class, () -> g.opset(0));
        assertThrows(IllegalArgumentException.class, () -> GraphBuilder.named(" "));
    }

    @Test
    void attributesAreImmutableAndOrdered() {
        Attributes base = Attributes.none().withInts("pads", 1, 1).withInt("group", 1);
        Attributes more = base.withFloat("alpha", 0.5f).withInts("pads", 0, 0);
        assertEquals(2, base.size());
        assertEquals(3, more.size());
        assertEquals("pads", more.asList().get(0).getName());
        assertEquals(List.of(0L, 0L), more.asList().get(0).getIntsList());
        assertEquals(List.of(1L, 1L), base.asList().get(0).getIntsList());
        assertNotEquals(base, more);
        assertEquals(base, Attributes.of(base.asList()));
        assertEquals("s", Attributes.none().withString("mode", "s").asList().get(0).getS().toStringUtf8());
        assertEquals(2, Attributes.none().withFloats("f", 1, 2).asList().get(0).getFloatsCount());
        assertThrows(IllegalArgumentException.class, () -> Attributes.none().withInt("", 1));
    }

    @Test
    void tensorsRoundTrip() {
        TensorProto f = Tensors.floats("f", new float[] {1.5f, -2f, 3f, 0f, Float.MIN_VALUE, -0f}, 2, 3);
        assertArrayEquals(new float[] {1.5f, -2f, 3f, 0f, Float.MIN_VALUE, -0f}, Tensors.toFloats(f));
        assertArrayEquals(new long[] {2, 3}, Tensors.dims(f));
        TensorProto l = Tensors.int64s("l", new long[] {Long.MIN_VALUE, 7}, 2);
        assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, Tensors.toLongs(l));
        TensorProto scalar = Tensors.floats("s", new float[] {4f});
        assertEquals(0, scalar.getDimsCount());
        assertEquals(3, Tensors.int8s("i", new byte[] {-1}, 1).getDataType());
        assertEquals(2, Tensors.uint8s("u", new byte[] {-1}, 1).getDataType());
        // Typed fields, as other exporters write them.
        TensorProto typed = TensorProto.newBuilder().setName("t").setDataType(1).addDims(2).addFloatData(1f)
                .addFloatData(2f).build();
        assertArrayEquals(new float[] {1f, 2f}, Tensors.toFloats(typed));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Tensors.floats("bad", new float[3], 2, 2));
        assertTrue(count.getMessage().contains("'bad'"), count.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> Tensors.toLongs(f));
        assertTrue(type.getMessage().contains("'f'"), type.getMessage());
        TensorProto shortRaw = f.toBuilder().addDims(2).build();
        assertThrows(IllegalArgumentException.class, () -> Tensors.toFloats(shortRaw));
        assertThrows(IllegalArgumentException.class, () -> Tensors.floats("neg", new float[0], -1));
    }

    @Test
    void dimsAndElementTypes() {
        assertTrue(Dim.of(3).isFixed());
        assertTrue(Dim.symbolic("t").isSymbolic());
        assertFalse(Dim.unknown().isFixed() || Dim.unknown().isSymbolic());
        assertEquals("[3, t, ?]", List.of(Dim.of(3), Dim.symbolic("t"), Dim.unknown()).toString());
        assertEquals(Dim.of(5), Dim.fromProto(Dim.of(5).toProto()));
        assertEquals(Dim.symbolic("b"), Dim.fromProto(Dim.symbolic("b").toProto()));
        assertThrows(IllegalArgumentException.class, () -> Dim.of(-1));
        assertThrows(IllegalArgumentException.class, () -> Dim.symbolic(""));
        assertThrows(IllegalArgumentException.class, () -> new Dim(3, "x"));
        assertEquals(ElementType.INT64, ElementType.ofOnnxCode(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElementType.ofOnnxCode(16));
        assertTrue(e.getMessage().contains("expected one of"), e.getMessage());
    }
}
