package org.engagement4j.core.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The files written by {@code tools/fixtures/mc3_fixtures.py} (torch 1.13 / torchvision 0.14):
 * a width-reduced mc3_18 export and its state_dict, torch's outputs, the full-size export's
 * structure. See the script's docstring for how each was produced.
 */
final class Mc3Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Mc3Fixtures() {
    }

    static Path file(String name) {
        URL url = Mc3Fixtures.class.getResource("/fixtures/mc3/" + name);
        if (url == null) {
            throw new IllegalStateException("fixtures/mc3/" + name + " is not on the test class path; "
                    + "run /usr/bin/python3 tools/fixtures/mc3_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String name) throws IOException {
        return JSON.readTree(file(name).toFile());
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /**
     * The fixture script's input generator, bit for bit: x <- 1664525 x + 1013904223 (mod 2^32),
     * u = (x >> 8) / 2^24, value = 4u - 2.
     */
    static float[] lcgInput(long seed, int count) {
        long state = seed & 0xFFFFFFFFL;
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            state = (1664525L * state + 1013904223L) & 0xFFFFFFFFL;
            double u = (state >>> 8) / 16777216.0;
            out[i] = (float) (4.0 * u - 2.0);
        }
        return out;
    }

    static int count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
