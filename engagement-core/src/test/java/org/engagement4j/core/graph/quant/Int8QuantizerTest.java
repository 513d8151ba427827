package org.engagement4j.core.graph.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Int8QuantizerTest {

    private static final int T = 4;
    private static final int S = 32;
    private static ModelProto fp32;
    private static ModelProto int8;

    @BeforeAll
    static void build() {
        fp32 = Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(S, S), 7);
        int8 = Int8Quantizer.defaults().quantize(fp32, clips(11, 8, 2));
    }

    /** Normal(0, 1) clips: the scale of normalised video input. */
    static List<FloatTensor> clips(long seed, int count, int batch) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        ZigguratSampler.NormalizedGaussian g = ZigguratSampler.NormalizedGaussian.of(rng);
        List<FloatTensor> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            float[] v = new float[batch * 3 * T * S * S];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) g.sample();
            }
            out.add(FloatTensor.of(v, batch, 3, T, S, S));
        }
        return out;
    }

    @Test
    void everyConvIsWrappedInQdqAndTheRestStaysFloat() {
        Map<String, Integer> ops = ModelInspector.opCounts(int8);
        int convs = ModelInspector.opCounts(fp32).get("Conv");
        assertEquals(convs, ops.get("Conv"));
        // per Conv: weight DQ, bias DQ, output Q+DQ; plus Q+DQ per distinct non-Conv-output input.
        assertTrue(ops.get("QuantizeLinear") >= convs, ops.toString());
        assertEquals(2 * convs + ops.get("QuantizeLinear"), ops.get("DequantizeLinear"), ops.toString());
        assertEquals(ModelInspector.opCounts(fp32).get("Gemm"), ops.get("Gemm"));
        for (NodeProto n : int8.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv")) {
                assertTrue(n.getInput(1).endsWith("_DequantizeLinear_output_0"), n.getName());
            }
        }
        assertEquals(fp32.getGraph().getOutput(0).getName(), int8.getGraph().getOutput(0).getName());
    }

    /**
     * Measured on this model (width 8, 32 x 32, 4 frames): 100 % same argmax, max |dp| about 0.001,
     * max |dlogit| about 0.003; the bounds leave room for other CPUs' kernels.
     */
    @Test
    void quantisedModelAgreesWithFloatOnHeldOutInputs() {
        QuantizationReport r = QuantizationReport.measure(fp32, int8, clips(99, 25, 4), 2);
        assertEquals(100, r.rows());
        assertTrue(r.argmaxAgreement() >= 0.9, r.toString());
        assertTrue(r.maxProbabilityDifference() < 0.02, r.toString());
        assertTrue(r.maxLogitDifference() < 0.1, r.toString());
        assertTrue(r.maxProbabilityDifference() > 0, "int8 must differ from fp32 somewhat: " + r);
    }

    @Test
    void percentileAndInt8ActivationsAlsoRun() {
        ModelProto m = Int8Quantizer.defaults().withUnsignedActivations(false).withPercentile(99.99)
                .quantize(fp32, clips(11, 2, 2));
        QuantizationReport r = QuantizationReport.measure(fp32, m, clips(5, 5, 4), 2);
        assertTrue(r.argmaxAgreement() >= 0.8, r.toString());
    }

    @Test
    void badInputIsRefused() {
        Int8Quantizer q = Int8Quantizer.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.quantize(fp32, List.of()));
        assertTrue(e.getMessage().contains("calibration"), e.getMessage());
        GraphBuilder g = GraphBuilder.named("sig").opset(17);
        g.input("x", Dim.symbolic("batch"), Dim.of(3));
        g.node("Sigmoid", "/sig", List.of("x"), List.of("y"), org.engagement4j.core.graph.Attributes.none());
        g.output("y", Dim.symbolic("batch"), Dim.of(3));
        ModelProto sig = g.build();
        e = assertThrows(IllegalArgumentException.class,
                () -> q.quantize(sig, List.of(FloatTensor.of(new float[3], 1, 3))));
        assertTrue(e.getMessage().contains("Sigmoid") && e.getMessage().contains("expected one of"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.withPercentile(40));
        assertThrows(IllegalArgumentException.class, () -> q.withThreads(0));
        // already quantised: QuantizeLinear is not a supported operator
        assertThrows(IllegalArgumentException.class, () -> q.quantize(int8, clips(1, 1, 1)));
        // wrong input rank is reported by ONNX Runtime through an IllegalArgumentException
        assertThrows(IllegalArgumentException.class,
                () -> q.quantize(fp32, List.of(FloatTensor.of(new float[6], 2, 3))));
        assertThrows(IllegalArgumentException.class,
                () -> QuantizationReport.measure(fp32, int8, List.of(), 2));
    }
}
