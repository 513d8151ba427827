package org.engagement4j.core.graph.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mixed precision: excluded Convs, the sensitivity ranking and the target-driven search. */
class MixedPrecisionTest {

    private static ModelProto fp32;
    private static List<String> convs;

    @BeforeAll
    static void build() {
        fp32 = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(32, 32), 7);
        convs = Int8Quantizer.convNames(fp32);
    }

    @Test
    void excludedConvsStayFloatAndTheirNeighboursKeepQdq() {
        String stem = convs.get(0);
        String mid = convs.get(5);
        ModelProto m = Int8Quantizer.defaults().withThreads(1).withExcluded(Set.of(stem, mid))
                .quantize(fp32, Int8QuantizerTest.clips(11, 4, 2));
        Map<String, String> producer = producers(m);
        Map<String, String> init = new java.util.HashMap<>();
        fp32.getGraph().getInitializerList().forEach(t -> init.put(t.getName(), t.getName()));
        int quantisedConvs = 0;
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (!n.getOpType().equals("Conv")) {
                continue;
            }
            boolean excluded = n.getName().equals(stem) || n.getName().equals(mid);
            // an excluded Conv reads its original float weight and bias
            assertEquals(excluded, init.containsKey(n.getInput(1)), n.getName());
            assertEquals(excluded, init.containsKey(n.getInput(2)), n.getName());
            String y = n.getOutput(0);
            boolean quantisedOutput = m.getGraph().getNodeList().stream()
                    .anyMatch(c -> c.getOpType().equals("QuantizeLinear") && c.getInput(0).equals(y));
            assertEquals(!excluded, quantisedOutput, n.getName());
            if (!excluded) {
                quantisedConvs++;
                // every quantised Conv still reads a dequantised input: the pattern ORT fuses
                assertEquals("DequantizeLinear", producer.get(n.getInput(0)), n.getName());
            }
        }
        assertEquals(convs.size() - 2, quantisedConvs);
        // the stem's input (the graph input) is no longer quantised
        assertFalse(m.getGraph().getNodeList().stream()
                .anyMatch(c -> c.getOpType().equals("QuantizeLinear") && c.getInput(0).equals(Mc3Graph.INPUT)));
        QuantizationReport r = QuantizationReport.measure(fp32, m, Int8QuantizerTest.clips(99, 4, 4), 1);
        assertTrue(r.argmaxAgreement() >= 0.9 && r.maxProbabilityDifference() > 0, r.toString());
    }

    @Test
    void aModelWhoseOnlyConvIsExcludedMatchesFloatExactly() {
        ModelProto one = oneConvModel();
        List<FloatTensor> x = Int8QuantizerTest.clips(3, 3, 2);
        ModelProto all = Int8Quantizer.defaults().withThreads(1).quantize(one, x);
        assertTrue(ModelInspector.opCounts(all).containsKey("QuantizeLinear"));
        ModelProto none = Int8Quantizer.defaults().withThreads(1).withExcluded(Set.of("/conv")).quantize(one, x);
        assertFalse(ModelInspector.opCounts(none).containsKey("QuantizeLinear"));
        assertFalse(ModelInspector.opCounts(none).containsKey("DequantizeLinear"));
        try (OrtForward a = new OrtForward(one, "x", 1);
                OrtForward b = new OrtForward(none, "x", 1);
                OrtForward c = new OrtForward(all, "x", 1)) {
            float[] fa = a.run(x.get(0)).get("y");
            assertArrayEquals(fa, b.run(x.get(0)).get("y"));
            assertFalse(java.util.Arrays.equals(fa, c.run(x.get(0)).get("y")), "int8 must differ somewhat");
        }
    }

    @Test
    void anExcludedNameThatIsNotAConvIsRefused() {
        Int8Quantizer q = Int8Quantizer.defaults().withExcluded(Set.of("/fc/Gemm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.quantize(fp32, Int8QuantizerTest.clips(1, 1, 1)));
        assertTrue(e.getMessage().contains("/fc/Gemm") && e.getMessage().contains(convs.get(0)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Int8Quantizer.defaults()
                .quantizeToTarget(fp32, Int8QuantizerTest.clips(1, 1, 1), Int8QuantizerTest.clips(2, 1, 1), 1.5));
        assertThrows(IllegalArgumentException.class, () -> Int8Quantizer.defaults()
                .sensitivity(fp32, Int8QuantizerTest.clips(1, 1, 1), List.of()));
    }

    @Test
    void sensitivityRanksEveryQuantisedConvDeterministically() {
        Int8Quantizer q = Int8Quantizer.defaults().withThreads(1).withExcluded(Set.of(convs.get(1)));
        List<FloatTensor> calib = Int8QuantizerTest.clips(11, 2, 2);
        List<FloatTensor> check = Int8QuantizerTest.clips(12, 2, 4);
        List<ConvSensitivity> a = q.sensitivity(fp32, calib, check);
        List<ConvSensitivity> b = q.sensitivity(fp32, calib, check);
        assertEquals(a, b);
        assertEquals(convs.size() - 1, a.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            assertTrue(seen.add(a.get(i).conv()));
            assertTrue(a.get(i).meanLogitDifference() > 0, a.get(i).toString());
            if (i > 0) {
                assertTrue(a.get(i - 1).meanLogitDifference() >= a.get(i).meanLogitDifference());
            }
        }
        assertFalse(seen.contains(convs.get(1)));
        // the key is real: errors differ between Convs
        assertTrue(a.get(0).meanLogitDifference() > 2 * a.get(a.size() - 1).meanLogitDifference(), a.toString());
    }

    @Test
    void targetSearchKeepsTheMostSensitiveConvsUntilTheTargetIsMet() {
        Int8Quantizer q = Int8Quantizer.defaults().withThreads(1);
        // calibrating on inputs 30 times too large makes the activation steps coarse: large errors
        List<FloatTensor> calib = new ArrayList<>();
        for (FloatTensor x : Int8QuantizerTest.clips(11, 2, 2)) {
            float[] v = x.data();
            for (int i = 0; i < v.length; i++) {
                v[i] *= 30;
            }
            calib.add(FloatTensor.of(v, x.shape()));
        }
        List<FloatTensor> validation = Int8QuantizerTest.clips(21, 4, 8);
        ModelProto close = nearTie(fp32, validation);
        MixedPrecisionResult all = q.quantizeToTarget(close, calib, validation, 0.5);
        double full = QuantizationReport.measure(close, q.quantize(close, calib), validation, 1).argmaxAgreement();
        double target = Math.min(1, full + 0.1);
        assertTrue(full < 0.95, "the near-tie head must make plain int8 disagree: " + full);
        MixedPrecisionResult r = q.quantizeToTarget(close, calib, validation, target);
        assertTrue(r.targetMet(), r.validationAgreement() + " < " + target);
        assertFalse(r.keptFp32().isEmpty());
        List<String> prefix = new ArrayList<>();
        r.ranking().subList(0, r.keptFp32().size()).forEach(s -> prefix.add(s.conv()));
        assertEquals(prefix, r.keptFp32());
        assertEquals(r.validationAgreement(), QuantizationReport.measure(close, r.model(), validation, 1)
                .argmaxAgreement(), 1e-12);
        // one Conv fewer kept float32 misses the target: the search stopped at the first success
        Set<String> fewer = new HashSet<>(r.keptFp32().subList(0, r.keptFp32().size() - 1));
        ModelProto less = q.withExcluded(fewer).quantize(close, calib);
        assertTrue(QuantizationReport.measure(close, less, validation, 1).argmaxAgreement() < target);
        // a target plain int8 already meets keeps nothing
        if (full >= 0.5) {
            assertTrue(all.keptFp32().isEmpty(), all.keptFp32().toString());
        }
        assertEquals(Int8Quantizer.convNames(close).size(), r.ranking().size());
    }

    /**
     * The fc bias shifted so that the float logit difference on {@code xs} is centred on zero: half
     * the rows sit close to the decision boundary, where small quantisation errors flip the argmax.
     */
    private static ModelProto nearTie(ModelProto m, List<FloatTensor> xs) {
        List<Float> d = new ArrayList<>();
        try (OrtForward f = new OrtForward(m, Mc3Graph.INPUT, 1)) {
            for (FloatTensor x : xs) {
                float[] l = f.run(x).get(Mc3Graph.OUTPUT);
                for (int r = 0; r < l.length / 2; r++) {
                    d.add(l[2 * r + 1] - l[2 * r]);
                }
            }
        }
        d.sort(null);
        float median = (d.get(d.size() / 2 - 1) + d.get(d.size() / 2)) / 2;
        ModelProto.Builder b = m.toBuilder();
        for (int i = 0; i < b.getGraph().getInitializerCount(); i++) {
            TensorProto t = b.getGraph().getInitializer(i);
            if (t.getName().equals("fc.bias")) {
                float[] v = Tensors.toFloats(t);
                v[1] -= median;
                b.getGraphBuilder().setInitializer(i, Tensors.floats(t.getName(), v, Tensors.dims(t)));
            }
        }
        return b.build();
    }

    private static ModelProto oneConvModel() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        float[] w = new float[4 * 3 * 3 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian() * 0.2f;
        }
        float[] fc = new float[2 * 4];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = (float) rng.nextGaussian();
        }
        GraphBuilder g = GraphBuilder.named("one").opset(17);
        g.input("x", Dim.symbolic("batch"), Dim.of(3), Dim.of(4), Dim.of(32), Dim.of(32));
        g.initializer("w", w, 4, 3, 3, 3, 3);
        g.initializer("b", new float[] {0.1f, -0.1f, 0.2f, 0f}, 4);
        g.initializer("fc.w", fc, 2, 4);
        g.initializer("fc.b", new float[] {0f, 0.05f}, 2);
        g.node("Conv", "/conv", List.of("x", "w", "b"), List.of("c"),
                Attributes.none().withInts("pads", 1, 1, 1, 1, 1, 1));
        g.node("Relu", "/relu", List.of("c"), List.of("r"), Attributes.none());
        g.node("GlobalAveragePool", "/pool", List.of("r"), List.of("p"), Attributes.none());
        g.node("Flatten", "/flat", List.of("p"), List.of("f"), Attributes.none().withInt("axis", 1));
        g.node("Gemm", "/fc", List.of("f", "fc.w", "fc.b"), List.of("y"), Attributes.none().withInt("transB", 1));
        g.output("y", Dim.symbolic("batch"), Dim.of(2));
        return g.build();
    }

    private static Map<String, String> producers(ModelProto m) {
        Map<String, String> p = new java.util.HashMap<>();
        for (NodeProto n : m.getGraph().getNodeList()) {
            n.getOutputList().forEach(o -> p.put(o, n.getOpType()));
        }
        return p;
    }
}
