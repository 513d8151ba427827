package org.engagement4j.core.graph.backward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.engagement4j.metrics.io.Npy;
import org.junit.jupiter.api.Test;

/**
 * The backward graph of the width-reduced mc3_18 against torch autograd
 * (tools/fixtures/backward_fixtures.py): plain and guided input gradients and the Grad-CAM layer's
 * gradient, both targets from one ONNX Runtime run, for torch's own ONNX export and for the graph
 * built in Java from the same state_dict. Tolerances are the relative L2 bounds.
 */
class Mc3BackwardReferenceTest {

    private static final double PLAIN = 2e-3;
    private static final double GUIDED = 1e-3;
    private static final double GRADCAM = 1e-5;

    private static Path fixture(String name) throws Exception {
        URL url = Mc3BackwardReferenceTest.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("fixtures/" + name + " is not on the test class path; run "
                    + "/usr/bin/python3 tools/fixtures/backward_fixtures.py");
        }
        return Path.of(url.toURI());
    }

    /** The LCG of tools/fixtures/mc3_fixtures.py: x <- 1664525 x + 1013904223 mod 2^32, value 4 (x >> 8) / 2^24 - 2. */
    static double[] lcg(long seed, int count) {
        long state = seed & 0xFFFFFFFFL;
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            state = (1664525L * state + 1013904223L) & 0xFFFFFFFFL;
            out[i] = (float) (4.0 * ((state >>> 8) / 16777216.0) - 2.0);
        }
        return out;
    }

    @Test
    void torchExportMatchesTorchAutograd() throws Exception {
        check(OnnxModels.read(fixture("mc3/narrow_w8_k2.onnx")), "torch export");
    }

    @Test
    void javaBuiltGraphMatchesTorchAutograd() throws Exception {
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(8).withInputSize(64, 64);
        check(Mc3Graph.fromSafetensors(fixture("mc3/narrow_w8_k2.safetensors"), arch), "Mc3Graph");
    }

    private void check(ModelProto forward, String what) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(fixture("backward/expected.json").toFile());
        String layer = ModelInspector.gradCamLayer(forward).name();
        assertEquals(expected.get("gradcam_layer").asText(), layer);
        BackwardModel bw = BackwardGraph.of(forward).withRespectTo(Mc3Graph.INPUT, layer).guided(true).build();
        assertEquals(List.of(Mc3Graph.OUTPUT), bw.forwardOutputs());
        assertEquals("[seeds, 3, time, 64, 64]", declared(bw.model(), bw.gradientOutputs().get(Mc3Graph.INPUT)));
        assertEquals("[seeds, 3, time, 64, 64]",
                declared(bw.model(), bw.guidedGradientOutputs().get(Mc3Graph.INPUT)));
        assertEquals("[seeds, 64, time, 4, 4]", declared(bw.model(), bw.gradientOutputs().get(layer)));
        assertEquals("[seeds, 2]", declared(bw.model(), bw.seedInput()));

        long[] shape = {1, 3, 2, 64, 64};
        double[] x = lcg(expected.get("input").get("lcg_seed").asLong(), Net.count(shape));
        Map<String, Ort.T> feed = new LinkedHashMap<>();
        feed.put(Mc3Graph.INPUT, Ort.f32(x, shape));
        feed.put(bw.seedInput(), Ort.f32(new double[] {1, 0, 0, 1}, 2, 2));
        Map<String, Ort.T> out = Ort.run(bw.model(), feed);

        double[] logits = out.get(Mc3Graph.OUTPUT).data();
        double[] torchLogits = new double[expected.get("logits").size()];
        for (int i = 0; i < torchLogits.length; i++) {
            torchLogits[i] = expected.get("logits").get(i).asDouble();
        }
        assertArrayEquals(torchLogits, logits, 1e-5, what + ": logits");

        compare(what + " plain saliency", out.get(bw.gradientOutputs().get(Mc3Graph.INPUT)),
                "backward/saliency_plain.npy", PLAIN);
        compare(what + " guided saliency", out.get(bw.guidedGradientOutputs().get(Mc3Graph.INPUT)),
                "backward/saliency_guided.npy", GUIDED);
        compare(what + " Grad-CAM layer gradient", out.get(bw.gradientOutputs().get(layer)),
                "backward/gradcam_grad.npy", GRADCAM);
    }

    private static void compare(String what, Ort.T got, String file, double tol) throws Exception {
        float[] ref = Npy.read(fixture(file)).toFloatArray();
        int[] refShape = Npy.read(fixture(file)).shape();
        assertArrayEquals(Arrays.stream(refShape).asLongStream().toArray(), got.shape(), what + ": shape");
        int half = ref.length / 2;
        for (int target = 0; target < 2; target++) {
            double[] a = Arrays.copyOfRange(got.data(), target * half, (target + 1) * half);
            double[] b = new double[half];
            for (int i = 0; i < half; i++) {
                b[i] = ref[target * half + i];
            }
            double err = Ort.relL2(a, b);
            int t = target;
            assertTrue(err <= tol, () -> String.format("%s, target %d: relative L2 %.3g > %.1g", what, t, err, tol));
        }
    }

    private static String declared(ModelProto m, String name) {
        for (ValueInfoProto v : m.getGraph().getOutputList()) {
            if (v.getName().equals(name)) {
                return dims(v);
            }
        }
        for (ValueInfoProto v : m.getGraph().getInputList()) {
            if (v.getName().equals(name)) {
                return dims(v);
            }
        }
        throw new AssertionError(name + " is not a graph input or output");
    }

    private static String dims(ValueInfoProto v) {
        StringBuilder s = new StringBuilder("[");
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.getDimParam());
        }
        return s.append(']').toString();
    }
}
