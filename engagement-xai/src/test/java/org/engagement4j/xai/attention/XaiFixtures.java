package org.engagement4j.xai.attention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;

/**
 * The expected maps of tools/fixtures/xai_fixtures.py and the committed width-reduced mc3_18 of
 * tools/fixtures/mc3_fixtures.py (8/16/32/64 channels, 2 classes, input [N, 3, T, 64, 64]).
 */
final class XaiFixtures {

    /** Surefire runs in the module folder; the model is core's committed fixture. */
    static final Path MODEL = Path.of("..", "engagement-core", "src", "test", "resources",
            "fixtures", "mc3", "narrow_w8_k2.onnx");

    static final Path DIR = Path.of("src", "test", "resources", "fixtures", "xai");

    static final String LAYER = "/layer4/layer4.1/conv2/conv2.0/Conv_output_0";

    private XaiFixtures() {
    }

    static JsonNode expected() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
    }

    static JsonNode testCase(String name) throws IOException {
        for (JsonNode c : expected().get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no case " + name);
    }

    /** The fixture's input: the LCG of mc3_fixtures.py, x <- 1664525 x + 1013904223 (mod 2^32). */
    static ClipTensor clip(int seed, int frames) {
        return ClipTensor.of(lcg(seed, 3 * frames * 64 * 64), 3, frames, 64, 64);
    }

    static float[] lcg(int seed, int n) {
        long state = seed & 0xFFFFFFFFL;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            state = (1664525L * state + 1013904223L) & 0xFFFFFFFFL;
            out[i] = (float) (4.0 * ((state >>> 8) / 16777216.0) - 2.0);
        }
        return out;
    }

    static Volume map(String caseName, AttentionMethod m, Target t) throws IOException {
        return Npy.readVolume(DIR.resolve(caseName + "_" + m.id() + "_" + t.id() + ".npy"));
    }

    /** ||a - b|| / ||b||. */
    static double relL2(Volume a, Volume b) {
        if (!a.sameShape(b)) {
            throw new AssertionError(a + " vs " + b);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.getFlat(i) - b.getFlat(i);
            num += d * d;
            den += b.getFlat(i) * b.getFlat(i);
        }
        return Math.sqrt(num / den);
    }
}
