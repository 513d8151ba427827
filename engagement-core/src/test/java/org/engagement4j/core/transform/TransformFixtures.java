package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;

/**
 * Reads the fixtures written by {@code tools/fixtures/transform_fixtures.py} and re-creates their
 * generated inputs bit for bit ({@link #lcg(int, int...)} mirrors the script's
 * {@code lcg_floats}).
 */
final class TransformFixtures {

    private static final Path DIR = directory();

    private TransformFixtures() {
    }

    private static Path directory() {
        URL url = TransformFixtures.class.getResource("/fixtures/transform/cases.txt");
        if (url == null) {
            throw new IllegalStateException("fixtures/transform/cases.txt is not on the test class path");
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One {@code case ... end} record. */
    static final class Case {
        final String name;
        final Map<String, String> fields;

        Case(String name, Map<String, String> fields) {
            this.name = name;
            this.fields = fields;
        }

        String get(String key) {
            String v = fields.get(key);
            if (v == null) {
                throw new IllegalStateException("fixture case " + name + " has no field " + key);
            }
            return v;
        }

        boolean has(String key) {
            return fields.containsKey(key);
        }

        int[] ints(String key) {
            return Arrays.stream(get(key).trim().split("[\\s,]+")).mapToInt(Integer::parseInt).toArray();
        }

        double[] doubles(String key) {
            return Arrays.stream(get(key).trim().split("[\\s,]+")).mapToDouble(Double::parseDouble)
                    .toArray();
        }

        /** {@code key=value} pairs of the {@code params} field. */
        Map<String, String> params() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String token : get("params").trim().split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    out.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            return out;
        }

        double param(String key) {
            return Double.parseDouble(requireParam(key));
        }

        int intParam(String key) {
            return Integer.parseInt(requireParam(key));
        }

        double[] paramArray(String key) {
            return Arrays.stream(requireParam(key).split(",")).mapToDouble(Double::parseDouble).toArray();
        }

        private String requireParam(String key) {
            String v = params().get(key);
            if (v == null) {
                throw new IllegalStateException("fixture case " + name + " has no parameter " + key);
            }
            return v;
        }

        /** The float input, checked against the stored checksum. */
        ClipTensor input() {
            String spec = get("input");
            ClipTensor clip;
            if (spec.startsWith("file=")) {
                NpyArray a = npy(spec.substring("file=".length()));
                int[] s = a.shape();
                clip = ClipTensor.of(a.toFloatArray(), s[0], s[1], s[2], s[3]);
            } else {
                Map<String, String> kv = new LinkedHashMap<>();
                for (String token : spec.split("\\s+")) {
                    String[] p = token.split("=", 2);
                    kv.put(p[0], p[1]);
                }
                int[] s = Arrays.stream(kv.get("shape").split(",")).mapToInt(Integer::parseInt).toArray();
                clip = ClipTensor.of(lcg(Integer.parseInt(kv.get("lcg")), s), s[0], s[1], s[2], s[3]);
            }
            double[] sums = doubles("input_checksum");
            double s1 = 0;
            double s2 = 0;
            for (float v : clip.toArray()) {
                s1 += v;
                s2 += (double) v * v;
            }
            assertEquals(sums[0], s1, 1e-9 * Math.max(1, Math.abs(sums[0])),
                    name + ": the Java input generator disagrees with the Python one (sum)");
            assertEquals(sums[1], s2, 1e-9 * Math.max(1, Math.abs(sums[1])),
                    name + ": the Java input generator disagrees with the Python one (sum of squares)");
            return clip;
        }

        /** The uint8 input of a normalisation or statistics case, {@code [T, H, W, 3]}. */
        byte[] bytes() {
            NpyArray a = npy(get("bytes"));
            assertArrayEquals(ints("shape"), a.shape(), name + ": stored shape");
            double[] d = a.toDoubleArray();
            byte[] out = new byte[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (byte) (int) d[i];
            }
            return out;
        }

        /** The expected values, flattened (every {@link #stride()}-th value of the result). */
        float[] expected() {
            return npy(get("expected")).toFloatArray();
        }

        int stride() {
            return has("stride") ? Integer.parseInt(get("stride")) : 1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The script's {@code lcg_floats}: {@code 4u - 2}, u the top 24 bits of each state / 2^24. */
    static float[] lcg(int seed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] out = new float[n];
        int state = seed;
        for (int i = 0; i < n; i++) {
            state = 1664525 * state + 1013904223;
            double u = (state >>> 8) / 16777216.0;
            out[i] = (float) (4.0 * u - 2.0);
        }
        return out;
    }

    static NpyArray npy(String file) {
        try {
            return Npy.read(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> cases() {
        List<String> lines;
        try {
            lines = Files.readAllLines(DIR.resolve("cases.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> out = new ArrayList<>();
        String name = null;
        Map<String, String> fields = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("case ")) {
                name = line.substring(5).trim();
                fields = new LinkedHashMap<>();
            } else if (line.equals("end")) {
                out.add(new Case(name, fields));
                name = null;
                fields = null;
            } else {
                int sp = line.indexOf(' ');
                fields.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1));
            }
        }
        return out;
    }
}
