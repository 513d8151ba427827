package org.engagement4j.core.graph.backward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.junit.jupiter.api.Test;

/**
 * The public behaviour of {@link BackwardGraph}: guided backpropagation against a hand computation,
 * paired forward batches, the structure of an mc3_18 backward graph, and every caller mistake.
 */
class BackwardGraphTest {

    /** x [1, 5] -> Gemm(W1) -> Relu -> Gemm(W2) -> Relu -> Gemm(W3) -> logits [1, 3], float64. */
    private static final class Mlp {
        final double[][] w1 = new double[6][5];
        final double[][] w2 = new double[4][6];
        final double[][] w3 = new double[3][4];
        final ModelProto model;

        Mlp(Random r) {
            fill(r, w1);
            fill(r, w2);
            fill(r, w3);
            Net net = new Net(true, r);
            String x = net.input(Dim.of(5));
            String h1 = net.op("Relu", net.op("Gemm", Attributes.none().withInt("transB", 1), x,
                    net.constant("w1", flat(w1), 6, 5)));
            String h2 = net.op("Relu", net.op("Gemm", Attributes.none().withInt("transB", 1), h1,
                    net.constant("w2", flat(w2), 4, 6)));
            String y = net.op("Gemm", Attributes.none().withInt("transB", 1), h2, net.constant("w3", flat(w3), 3, 4));
            model = net.finish(y, 2);
        }

        /** d(seed . logits)/dx by hand, plain or guided. */
        double[] gradient(double[] x, double[] seed, boolean guided) {
            double[] z1 = mul(w1, x);
            double[] h1 = relu(z1);
            double[] z2 = mul(w2, h1);
            double[] g = mulT(w3, seed);
            g = reluBack(g, z2, guided);
            g = mulT(w2, g);
            g = reluBack(g, z1, guided);
            return mulT(w1, g);
        }

        private static double[] reluBack(double[] g, double[] z, boolean guided) {
            double[] out = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                out[i] = z[i] > 0 ? (guided ? Math.max(g[i], 0) : g[i]) : 0;
            }
            return out;
        }

        private static double[] relu(double[] z) {
            return Arrays.stream(z).map(v -> Math.max(v, 0)).toArray();
        }

        private static double[] mul(double[][] w, double[] v) {
            double[] out = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < v.length; j++) {
                    out[i] += w[i][j] * v[j];
                }
            }
            return out;
        }

        private static double[] mulT(double[][] w, double[] v) {
            double[] out = new double[w[0].length];
            for (int i = 0; i < w.length; i++) {
                for (int j = 0; j < out.length; j++) {
                    out[j] += w[i][j] * v[i];
                }
            }
            return out;
        }

        private static void fill(Random r, double[][] w) {
            for (double[] row : w) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = r.nextDouble() * 2 - 1;
                }
            }
        }

        private static double[] flat(double[][] w) {
            return Arrays.stream(w).flatMapToDouble(Arrays::stream).toArray();
        }
    }

    @Test
    void guidedRowsKeepOnlyPositiveGradientsThroughEachRelu() throws Exception {
        Random r = new Random(11);
        Mlp mlp = new Mlp(r);
        BackwardModel bw = BackwardGraph.of(mlp.model).withRespectTo("x").guided(true).build();
        BackwardModel plainOnly = BackwardGraph.of(mlp.model).withRespectTo("x").build();
        assertEquals(Map.of(), plainOnly.guidedGradientOutputs());
        int rows = 3;
        for (int trial = 0; trial < 5; trial++) {
            double[] x = Net.uniform(r, 5, -1, 1);
            double[] seeds = Net.uniform(r, rows * 3, -1, 1);
            Map<String, Ort.T> feed = new LinkedHashMap<>();
            feed.put("x", Ort.f64(x, 1, 5));
            feed.put("seed", Ort.f64(seeds, rows, 3));
            Map<String, Ort.T> out = Ort.run(bw.model(), feed);
            Map<String, Ort.T> outPlain = Ort.run(plainOnly.model(), feed);
            double[] plain = out.get(bw.gradientOutputs().get("x")).data();
            double[] guided = out.get(bw.guidedGradientOutputs().get("x")).data();
            assertEquals(rows * 5, guided.length);
            for (int s = 0; s < rows; s++) {
                double[] seed = Arrays.copyOfRange(seeds, 3 * s, 3 * s + 3);
                double[] p = mlp.gradient(x, seed, false);
                double[] g = mlp.gradient(x, seed, true);
                for (int i = 0; i < 5; i++) {
                    assertEquals(p[i], plain[5 * s + i], 1e-12, "plain row " + s);
                    assertEquals(g[i], guided[5 * s + i], 1e-12, "guided row " + s);
                    assertEquals(p[i], outPlain.get(plainOnly.gradientOutputs().get("x")).data()[5 * s + i], 1e-12);
                }
            }
        }
    }

    /** A small video CNN: strided Conv, Relu, MaxPool, depthwise Conv, residual Add, GAP, Flatten, Gemm. */
    private static ModelProto smallCnn(Random r) {
        Net net = new Net(false, r);
        String x = net.input(Dim.of(2), Dim.symbolic("time"), Dim.of(8), Dim.of(8));
        String c1 = net.op("Relu", net.op("Conv", Attributes.none().withInts("kernel_shape", 1, 3, 3)
                .withInts("strides", 1, 2, 2).withInts("pads", 0, 1, 1, 0, 1, 1), x,
                net.constant("w1", -1, 1, 4, 2, 1, 3, 3),
                net.constant("b1", -0.1, 0.1, 4)));
        String p = net.op("MaxPool", Attributes.none().withInts("kernel_shape", 1, 2, 2).withInts("strides", 1, 1, 1)
                .withInts("pads", 0, 0, 0, 0, 1, 1), c1);
        String dw = net.op("Conv", Attributes.none().withInt("group", 4).withInts("kernel_shape", 3, 3, 3)
                .withInts("pads", 1, 1, 1, 1, 1, 1), p, net.constant("w2", -1, 1, 4, 1, 3, 3, 3));
        String sum = net.op("Relu", net.op("Add", dw, p));
        String pooled = net.op("Flatten", net.op("GlobalAveragePool", sum));
        String y = net.op("Gemm", Attributes.none().withInt("transB", 1), pooled, net.constant("fc", -1, 1, 3, 4),
                net.constant("fcb", -1, 1, 3));
        return net.finish(y, 2);
    }

    @Test
    void pairedForwardBatchGivesEachSampleItsOwnRow() throws Exception {
        Random r = new Random(5);
        ModelProto m = smallCnn(r);
        BackwardModel bw = BackwardGraph.of(m).withRespectTo("x", "w1", "fc").build();
        long[] one = {1, 2, 3, 8, 8};
        int n = Net.count(one);
        double[] a = Net.uniform(r, n, -1, 1);
        double[] b = Net.uniform(r, n, -1, 1);
        double[] seeds = Net.uniform(r, 6, -1, 1);
        double[] both = new double[2 * n];
        System.arraycopy(a, 0, both, 0, n);
        System.arraycopy(b, 0, both, n, n);
        Map<String, Ort.T> paired = Ort.run(bw.model(), Map.of("x", Ort.f32(both, 2, 2, 3, 8, 8),
                "seed", Ort.f32(seeds, 2, 3)));
        double[][] samples = {a, b};
        for (String wrt : List.of("x", "w1", "fc")) {
            double[] got = paired.get(bw.gradientOutputs().get(wrt)).data();
            int per = got.length / 2;
            for (int s = 0; s < 2; s++) {
                Map<String, Ort.T> single = Ort.run(bw.model(), Map.of("x", Ort.f32(samples[s], one),
                        "seed", Ort.f32(Arrays.copyOfRange(seeds, 3 * s, 3 * s + 3), 1, 3)));
                double[] expect = single.get(bw.gradientOutputs().get(wrt)).data();
                double err = Ort.relL2(Arrays.copyOfRange(got, s * per, (s + 1) * per), expect);
                assertTrue(err < 1e-6, wrt + " sample " + s + ": " + err);
            }
        }
    }

    @Test
    void smallCnnGradientsMatchFiniteDifferences() throws Exception {
        Random r = new Random(8);
        ModelProto m = smallCnn(r);
        long[] shape = {1, 2, 2, 8, 8};
        double[] x = Net.uniform(r, Net.count(shape), -1, 1);
        // float32 with kinks (Relu, MaxPool): a step of 1e-3 rarely crosses one; round-off is ~1e-4.
        GradCheck.Report rep = GradCheck.check(m, "x", x, shape, false, 1e-3, 2, 3, List.of("w2", "fcb"));
        assertTrue(rep.worst() < 1e-2, rep::toString);
    }

    @Test
    void mc3BackwardGraphUsesPlainConvolutionsAndOneDepthToSpacePerStridedStage() {
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(4).withInputSize(32, 32);
        ModelProto m = Mc3Graph.random(arch, 1);
        BackwardModel bw = BackwardGraph.of(m).withRespectTo(Mc3Graph.INPUT, Mc3Graph.GRADCAM_LAYER).guided(true)
                .build();
        Map<String, Integer> ops = ModelInspector.opCounts(bw.model());
        assertEquals(null, ops.get("ConvTranspose"));
        // stem, layer2, layer3, layer4: conv1 and downsample gradients share one interleaving each.
        assertEquals(4, ops.get("DepthToSpace"));
        // 20 forward convolutions and one input-gradient convolution for each of them.
        assertEquals(40, ops.get("Conv"));
        assertEquals(48, m.getGraph().getNodeCount());
        assertEquals(List.of(Mc3Graph.OUTPUT), bw.forwardOutputs());
        assertEquals(m.getGraph().getOutput(0), bw.model().getGraph().getOutput(0));
        assertEquals("seed", bw.seedInput());
        assertEquals(List.of(Mc3Graph.INPUT, Mc3Graph.GRADCAM_LAYER), List.copyOf(bw.gradientOutputs().keySet()));
        assertEquals(List.of(Mc3Graph.INPUT, Mc3Graph.GRADCAM_LAYER),
                List.copyOf(bw.guidedGradientOutputs().keySet()));
    }

    @Test
    void onlyTheNeededPartIsDifferentiated() {
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(4).withInputSize(32, 32);
        ModelProto m = Mc3Graph.random(arch, 1);
        BackwardModel layerOnly = BackwardGraph.of(m).withRespectTo(Mc3Graph.GRADCAM_LAYER).build();
        // Relu, GAP, Flatten, Gemm backward: no convolution gradient at all.
        assertEquals(20, ModelInspector.opCounts(layerOnly.model()).get("Conv"));
    }

    // ---- caller mistakes ----------------------------------------------------------------------

    private static ModelProto withTanh(boolean onPath) {
        Net net = new Net(false, new Random(1));
        String x = net.input(Dim.of(3));
        String h = net.op("Gemm", Attributes.none().withInt("transB", 1), x, net.constant("w", -1, 1, 3, 3));
        String t = net.op("Tanh", h);
        String y = onPath ? net.op("Identity", t) : net.op("Identity", h);
        if (!onPath) {
            net.g.output(t, Dim.symbolic("batch"), Dim.of(3));
        }
        return net.finish(y, 2);
    }

    @Test
    void unsupportedOperatorOnThePathIsNamed() {
        ModelProto m = withTanh(true);
        String node = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Tanh")).findFirst()
                .orElseThrow().getName();
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> BackwardGraph.of(m).logits(m.getGraph().getOutput(0).getName()).withRespectTo("x").build());
        assertEquals("Tanh", e.opType());
        assertEquals(node, e.nodeName());
        assertTrue(e.getMessage().contains("Tanh") && e.getMessage().contains(node), e.getMessage());
        assertTrue(e.getMessage().contains("supported: [Conv"), e.getMessage());
    }

    @Test
    void unsupportedOperatorsOffThePathAreIgnored() throws Exception {
        ModelProto m = withTanh(false);
        String logits = m.getGraph().getOutput(1).getName();
        BackwardModel bw = BackwardGraph.of(m).logits(logits).withRespectTo("x").build();
        assertEquals(2, bw.forwardOutputs().size());
        // Upstream of the differentiated tensor, too.
        ModelProto up = withTanh(true);
        String t = up.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Tanh")).findFirst()
                .orElseThrow().getOutput(0);
        BackwardModel fromT = BackwardGraph.of(up).withRespectTo(t).build();
        Map<String, Ort.T> out = Ort.run(fromT.model(), Map.of("x", Ort.f32(new double[] {1, 2, 3}, 1, 3),
                "seed", Ort.f32(new double[] {1, 0, 0, 0, 0, 1}, 2, 3)));
        assertEquals(List.of(1.0, 0.0, 0.0, 0.0, 0.0, 1.0),
                Arrays.stream(out.get(fromT.gradientOutputs().get(t)).data()).boxed().toList());
    }

    @Test
    void customDomainOperatorOnThePathIsNamedWithItsDomain() {
        ModelProto m = withTanh(true);
        ModelProto custom = m.toBuilder().setGraph(m.getGraph().toBuilder().setNode(1,
                m.getGraph().getNode(1).toBuilder().setDomain("com.example").setOpType("Fancy")))
                .addOpsetImport(org.engagement4j.core.onnx.OnnxProtos.OperatorSetIdProto.newBuilder()
                        .setDomain("com.example").setVersion(1)).build();
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> BackwardGraph.of(custom).withRespectTo("x").build());
        assertEquals("com.example:Fancy", e.opType());
    }

    @Test
    void unknownTensorListsCandidates() {
        ModelProto m = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(2).withInputSize(16, 16), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackwardGraph.of(m).withRespectTo("input", "/layer9/Conv_output_0").build());
        assertTrue(e.getMessage().contains("/layer9/Conv_output_0"), e.getMessage());
        assertTrue(e.getMessage().contains("candidates"), e.getMessage());
        assertTrue(e.getMessage().contains("/stem/stem.0/Conv_output_0"), e.getMessage());
        IllegalArgumentException logits = assertThrows(IllegalArgumentException.class,
                () -> BackwardGraph.of(m).logits("scores").withRespectTo("input").build());
        assertTrue(logits.getMessage().contains("scores") && logits.getMessage().contains("logits"),
                logits.getMessage());
    }

    @Test
    void tensorsThatDoNotReachTheLogitsAreRejected() {
        ModelProto m = withTanh(false);
        String tanh = m.getGraph().getOutput(1).getName();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackwardGraph.of(m).logits(m.getGraph().getOutput(0).getName()).withRespectTo(tanh).build());
        assertTrue(e.getMessage().contains("does not influence"), e.getMessage());
    }

    @Test
    void configurationMistakes() {
        ModelProto m = withTanh(false);
        assertThrows(IllegalStateException.class, () -> BackwardGraph.of(m).build());
        assertThrows(IllegalArgumentException.class, () -> BackwardGraph.of(m).withRespectTo());
        assertThrows(IllegalArgumentException.class, () -> BackwardGraph.of(m).withRespectTo(" "));
        assertThrows(IllegalArgumentException.class, () -> BackwardGraph.of(m).seedInput(""));
        assertThrows(NullPointerException.class, () -> BackwardGraph.of(null));
        // Two graph outputs: the logits must be named.
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> BackwardGraph.of(m).withRespectTo("x").build());
        assertTrue(two.getMessage().contains("logits(...)"), two.getMessage());
        // The seed name must be free.
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class, () -> BackwardGraph.of(m)
                .logits(m.getGraph().getOutput(1).getName()).withRespectTo("x").seedInput("w").build());
        assertTrue(taken.getMessage().contains("'w'"), taken.getMessage());
    }

    @Test
    void flattenFoldingTheBatchAxisIsRejected() {
        Net net = new Net(false, new Random(2));
        String x = net.input(Dim.of(2), Dim.of(3));
        String y = net.op("Flatten", Attributes.none().withInt("axis", 2), x);
        ModelProto m = net.finish(y, 2);
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> BackwardGraph.of(m).withRespectTo("x").build());
        assertEquals("Flatten", e.opType());
    }

    @Test
    void runTimeReshapeAsTorchExportsViewOfSizeZero() throws Exception {
        // x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape; the shape
        // computation is off the differentiated path.
        Random r = new Random(4);
        Net net = new Net(true, r);
        String x = net.input(Dim.of(2), Dim.of(3), Dim.of(2));
        String shape = net.op("Shape", x);
        net.g.initializer(Tensors.int64s("zero", new long[] {0}));
        String batch = net.op("Gather", Attributes.none().withInt("axis", 0), shape, "zero");
        String batchVec = net.op("Unsqueeze", batch, net.ints("axes0", 0));
        String target = net.op("Concat", Attributes.none().withInt("axis", 0), batchVec, net.ints("minus1", -1));
        String flat = net.op("Reshape", x, target);
        String y = net.op("Gemm", Attributes.none().withInt("transB", 1), net.op("Sigmoid", flat),
                net.constant("w", -1, 1, 2, 12));
        ModelProto m = net.finish(y, 2);
        long[] shapeX = {1, 2, 3, 2};
        GradCheck.Report rep = GradCheck.check(m, "x", Net.uniform(r, 12, -1, 1), shapeX, true, 1e-5, 2, 9,
                List.of("w"));
        assertTrue(rep.worst() < 1e-6, rep::toString);
    }

    @Test
    void maxPoolBelowOpset16RaisesTheOpset() throws Exception {
        Random r = new Random(6);
        Net net = new Net(true, r);
        net.g.opset(13);
        String x = net.input(Dim.of(1), Dim.of(4), Dim.of(4));
        String y = net.op("MaxPool", Attributes.none().withInts("kernel_shape", 3, 3).withInts("pads", 1, 1, 1, 1),
                x);
        ModelProto m = net.finish(y, 4);
        assertEquals(13, ModelInspector.opset(m));
        assertEquals(16, ModelInspector.opset(BackwardGraph.of(m).withRespectTo("x").build().model()));
        double[] xv = new double[16];
        for (int i = 0; i < 16; i++) {
            xv[i] = 0.1 * ((7 * i) % 16);
        }
        GradCheck.Report rep = GradCheck.check(m, "x", xv, new long[] {1, 1, 4, 4}, true, 1e-4, 2, 1, List.of());
        assertTrue(rep.worst() < 1e-8, rep::toString);
    }

    @Test
    void graphsBelowOpset13AreRejected() {
        Net net = new Net(false, new Random(1));
        net.g.opset(12);
        ModelProto m = net.finish(net.op("Relu", net.input(Dim.of(2))), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackwardGraph.of(m).withRespectTo("x").build());
        assertTrue(e.getMessage().contains("opset 12"), e.getMessage());
    }

    @Test
    void batchNormalizationInTrainingModeIsRejected() {
        Net net = new Net(false, new Random(1));
        String x = net.input(Dim.of(2), Dim.of(3));
        String y = net.op("BatchNormalization", Attributes.none().withInt("training_mode", 1), x,
                net.constant("s", 1, 2, 2), net.constant("b", 0, 1, 2), net.constant("m", 0, 1, 2),
                net.constant("v", 1, 2, 2));
        ModelProto m = net.finish(y, 3);
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> BackwardGraph.of(m).withRespectTo("x").build());
        assertTrue(e.getMessage().contains("training mode"), e.getMessage());
    }
}
