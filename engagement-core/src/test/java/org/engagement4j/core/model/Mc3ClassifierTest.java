package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.junit.jupiter.api.Test;

/**
 * The classifier on real mc3_18 graphs: the width-reduced torch export committed by
 * {@code tools/fixtures/mc3_fixtures.py} (checked against torch's logits and pooled features), and
 * graphs built in Java by {@link Mc3Graph} with seeded weights.
 */
class Mc3ClassifierTest {

    private static final double TOLERANCE = 1e-4;

    private static Path mc3(String name) {
        try {
            return Paths.get(Mc3ClassifierTest.class.getResource("/fixtures/mc3/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture script's input generator: x <- 1664525 x + 1013904223 (mod 2^32). */
    private static float[] lcg(int seed, int n) {
        long state = seed & 0xFFFFFFFFL;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            state = (1664525L * state + 1013904223L) & 0xFFFFFFFFL;
            out[i] = (float) (4.0 * ((state >>> 8) / 16777216.0) - 2.0);
        }
        return out;
    }

    private static float[] values(JsonNode node) {
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }

    @Test
    void torchExportOfANarrowMc3MatchesTorch() throws IOException, ModelException {
        JsonNode expected = new ObjectMapper().readTree(mc3("narrow_expected.json").toFile());
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(mc3("narrow_w8_k2.onnx")).intraOpThreads(2).build()) {
            ModelSignature s = c.signature();
            assertEquals(expected.get("encoder_output").asText(), s.embeddingName().orElseThrow());
            assertEquals(64, s.embeddingSize());
            assertEquals(expected.get("opset").asInt(), s.opset());
            assertEquals(2, s.classes());
            for (JsonNode cs : expected.get("cases")) {
                int[] shape = new ObjectMapper().convertValue(cs.get("input").get("shape"),
                        int[].class);
                int n = 1;
                for (int d : shape) {
                    n *= d;
                }
                float[] x = lcg(cs.get("input").get("lcg_seed").asInt(), n);
                double sum = 0;
                for (float v : x) {
                    sum += v;
                }
                assertEquals(cs.get("input_checksum").get(0).asDouble(), sum, 1e-6,
                        "input generator");
                ClipBatch batch = ClipBatch.of(x, shape);
                float[] logits = values(cs.get("logits").get("values"));
                float[] pooled = values(cs.get("pooled").get("values"));
                float[][] got = c.logits(batch);
                List<Embedding> emb = c.embed(batch);
                int k = 2;
                int d = 64;
                for (int i = 0; i < shape[0]; i++) {
                    for (int j = 0; j < k; j++) {
                        assertEquals(logits[i * k + j], got[i][j], TOLERANCE, cs.get("name") + " logit");
                    }
                    float[] e = emb.get(i).values();
                    for (int j = 0; j < d; j++) {
                        assertEquals(pooled[i * d + j], e[j], TOLERANCE, cs.get("name") + " pooled");
                    }
                }
            }
        }
    }

    @Test
    void graphsBuiltInJavaLoadAtEveryExportedOpset() throws ModelException {
        float[] x = lcg(3, 2 * 3 * 6 * 32 * 32);
        ClipBatch batch = ClipBatch.of(x, 2, 3, 6, 32, 32);
        float[][] first = null;
        for (int opset = Mc3Architecture.MIN_OPSET; opset <= Mc3Architecture.MAX_OPSET; opset++) {
            Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(4).withInputSize(32, 32)
                    .withOpset(opset);
            byte[] bytes = OnnxModels.toBytes(Mc3Graph.random(arch, 42));
            try (EngagementClassifier c = EngagementClassifier.builder().model(bytes)
                    .intraOpThreads(1).build()) {
                ModelSignature s = c.signature();
                assertEquals(opset, s.opset());
                assertEquals(Mc3Graph.INPUT, s.inputName());
                assertEquals(Mc3Graph.OUTPUT, s.logitsName());
                assertEquals(Optional.of(Mc3Graph.ENCODER_OUTPUT), s.embeddingName());
                assertEquals(arch.featureSize(), s.embeddingSize());
                assertArrayEquals(new long[] {-1, 3, -1, 32, 32}, s.inputShape());
                float[][] logits = c.logits(batch);
                if (first == null) {
                    first = logits;
                } else {
                    // same seeded weights, same graph: the opset does not change the numbers
                    for (int i = 0; i < 2; i++) {
                        assertArrayEquals(first[i], logits[i], 1e-5f);
                    }
                }
                assertEquals(32, c.embed(batch.clip(0)).size());
            }
        }
    }

    @Test
    void kineticsSizedHeadBuiltInJava() throws ModelException {
        Mc3Architecture arch = Mc3Architecture.mc3_18(400).withBaseWidth(2).withInputSize(16, 16);
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(OnnxModels.toBytes(Mc3Graph.random(arch, 7))).intraOpThreads(1).build()) {
            assertEquals(400, c.signature().classes());
            EngagementScore s = c.predict(ClipBatch.of(lcg(5, 3 * 4 * 16 * 16), 1, 3, 4, 16, 16)
                    .clip(0));
            assertEquals(400, s.classes());
        }
    }
}
