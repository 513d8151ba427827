package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Map;
import org.engagement4j.core.graph.Safetensors;
import org.engagement4j.core.graph.StateDict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every weight gradient of the class-weighted cross-entropy equals torch autograd on the folded narrow
 * mc3 (finetune_fixtures.py: 4 clips [3, 2, 32, 32], LCG seed 41, labels 1 0 1 1, class weights
 * [4, 4/3]) within 1e-4 relative L2 per tensor.
 */
class FineTunerGradientReferenceTest {

    private static JsonNode expected;
    private static StateDict torch;
    private static float[] clips;
    private static boolean[] labels;

    @BeforeAll
    static void load() throws Exception {
        expected = new ObjectMapper().readTree(FineTuneFixtures.file("expected.json").toFile());
        torch = Safetensors.read(FineTuneFixtures.file("gradients.safetensors"));
        clips = FineTuneFixtures.lcg(expected.get("input").get("lcg_seed").asLong(), 4 * 3 * 2 * 32 * 32);
        JsonNode l = expected.get("labels");
        labels = new boolean[l.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = l.get(i).asInt() == 1;
        }
    }

    private static double relL2(double[] ours, float[] ref) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = ours[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    private static void assertMatchesTorch(Map<String, double[]> grads) {
        assertEquals(torch.names(), grads.keySet(), "parameter names and order");
        double worst = 0;
        for (String name : torch.names()) {
            double r = relL2(grads.get(name), torch.tensor(name).data());
            worst = Math.max(worst, r);
            assertTrue(r < 1e-4, name + ": relative L2 " + r);
        }
        System.out.println("worst relative L2 vs torch: " + worst);
    }

    @Test
    void fullBatchGradientAndLossMatchTorch() throws Exception {
        double[] cw = {4, 4.0 / 3};
        double norm = 4 + 3 * 4.0 / 3;
        try (NetworkGradients net = NetworkGradients.of(FineTuneFixtures.narrowModel(), 2)) {
            BatchGradient g = net.compute(net.initialWeights(), clips, new long[] {4, 3, 2, 32, 32}, labels, cw,
                    norm);
            assertEquals(expected.get("loss").asDouble(), g.weightedNll() / g.weightSum(), 1e-5);
            float[] z = g.logits();
            for (int i = 0; i < z.length; i++) {
                assertEquals(expected.get("logits").get(i).asDouble(), z[i], 1e-4, "logit " + i);
            }
            assertMatchesTorch(g.gradients());
        }
    }

    @Test
    void accumulatedMicroBatchesGiveTheFullBatchGradient() throws Exception {
        double[] cw = {4, 4.0 / 3};
        double norm = 4 + 3 * 4.0 / 3;
        try (NetworkGradients net = NetworkGradients.of(FineTuneFixtures.narrowModel(), 2)) {
            int half = clips.length / 2;
            BatchGradient a = net.compute(net.initialWeights(), Arrays.copyOfRange(clips, 0, half),
                    new long[] {2, 3, 2, 32, 32}, Arrays.copyOfRange(labels, 0, 2), cw, norm);
            BatchGradient b = net.compute(net.initialWeights(), Arrays.copyOfRange(clips, half, clips.length),
                    new long[] {2, 3, 2, 32, 32}, Arrays.copyOfRange(labels, 2, 4), cw, norm);
            Map<String, double[]> sum = new java.util.LinkedHashMap<>(a.gradients());
            b.gradients().forEach((k, v) -> {
                double[] s = sum.get(k).clone();
                for (int i = 0; i < s.length; i++) {
                    s[i] += v[i];
                }
                sum.put(k, s);
            });
            assertMatchesTorch(sum);
            assertEquals(expected.get("loss").asDouble(),
                    (a.weightedNll() + b.weightedNll()) / (a.weightSum() + b.weightSum()), 1e-5);
        }
    }
}
