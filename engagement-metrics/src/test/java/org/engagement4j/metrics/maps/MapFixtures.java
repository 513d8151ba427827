package org.engagement4j.metrics.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.metrics.Volume;

/**
 * Reads the fixtures written by {@code tools/fixtures/maps_fixtures.py} and re-creates their
 * synthetic inputs bit for bit ({@link #synth(String)} mirrors the script's {@code synth}).
 */
final class MapFixtures {

    private MapFixtures() {
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

        double[] doubles(String key) {
            String[] tokens = get(key).trim().split("\\s+");
            double[] out = new double[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                out[i] = "nan".equals(tokens[i]) ? Double.NaN : Double.parseDouble(tokens[i]);
            }
            return out;
        }

        int[] ints(String key) {
            String[] tokens = get(key).trim().split("\\s+");
            int[] out = new int[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                out[i] = Integer.parseInt(tokens[i]);
            }
            return out;
        }

        /** The synthetic input named by {@code key}, checked against the stored checksum. */
        Volume input(String key, String checksumKey) {
            Volume v = synth(get(key));
            double[] sums = doubles(checksumKey);
            double s = 0;
            double s2 = 0;
            for (double x : v.toArray()) {
                s += x;
                s2 += x * x;
            }
            assertEquals(sums[0], s, 1e-9 * Math.max(1, Math.abs(sums[0])),
                    name + ": the Java mirror of synth() disagrees with the Python generator (sum)");
            assertEquals(sums[1], s2, 1e-9 * Math.max(1, Math.abs(sums[1])),
                    name + ": the Java mirror of synth() disagrees with the Python generator (sum of squares)");
            return v;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * @param file a file name under {@code /fixtures/maps/}
     * @return its cases, in order
     */
    static List<Case> read(String file) {
        String path = "/fixtures/maps/" + file;
        List<Case> cases = new ArrayList<>();
        try (InputStream in = MapFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String name = null;
            Map<String, String> fields = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String value = sp < 0 ? "" : line.substring(sp + 1);
                if ("case".equals(key)) {
                    name = value;
                    fields = new LinkedHashMap<>();
                } else if ("end".equals(key)) {
                    cases.add(new Case(name, fields));
                    name = null;
                    fields = null;
                } else if (fields != null) {
                    fields.put(key, value);
                } else {
                    throw new IllegalStateException(path + ": field outside a case: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException(path + " has no cases");
        }
        return cases;
    }

    /** The script's 32-bit LCG: top 24 bits over 2^24, exact in float32. */
    static final class Lcg {
        private int state;

        Lcg(int seed) {
            this.state = seed;
        }

        double next() {
            state = 1664525 * state + 1013904223;
            return (state >>> 8) / 16777216.0;
        }
    }

    /** Java mirror of {@code synth(spec)} in maps_fixtures.py, operation for operation. */
    static Volume synth(String spec) {
        Map<String, String> kv = new HashMap<>();
        for (String tok : spec.trim().split("\\s+")) {
            int eq = tok.indexOf('=');
            kv.put(tok.substring(0, eq), tok.substring(eq + 1));
        }
        int t = Integer.parseInt(kv.get("T"));
        int h = Integer.parseInt(kv.get("H"));
        int w = Integer.parseInt(kv.get("W"));
        Lcg rng = new Lcg(Integer.parseInt(kv.get("seed")));
        int n = t * h * w;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = rng.next();
        }
        double[] base = new double[n];
        double noise = Double.parseDouble(kv.getOrDefault("noise", "1"));
        for (int i = 0; i < n; i++) {
            base[i] = kv.containsKey("levels") ? Math.floor(u[i] * Integer.parseInt(kv.get("levels")))
                    : noise * u[i];
        }
        if (kv.containsKey("sparse")) {
            double p = Double.parseDouble(kv.get("sparse"));
            for (int i = 0; i < n; i++) {
                if (u[i] < p) {
                    base[i] = 0.0;
                }
            }
        }
        int blobs = Integer.parseInt(kv.getOrDefault("blobs", "0"));
        int bigR = Math.max(1, Math.min(h, w) / 3);
        for (int f = 0; f < t; f++) {
            for (int b = 0; b < blobs; b++) {
                double cy = Math.floor(rng.next() * h);
                double cx = Math.floor(rng.next() * w);
                int r = 3 + (int) Math.floor(rng.next() * bigR);
                double amp = 0.25 + 0.75 * rng.next();
                double r2 = r * r;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                        int i = (f * h + y) * w + x;
                        base[i] = base[i] + amp * Math.max(0.0, 1.0 - d2 / r2);
                    }
                }
            }
        }
        if (kv.containsKey("clip")) {
            double c = Double.parseDouble(kv.get("clip"));
            for (int i = 0; i < n; i++) {
                base[i] = Math.min(Math.max(base[i], 0.0), c);
            }
        }
        if (kv.containsKey("setframe")) {
            for (String item : kv.get("setframe").split(",")) {
                String[] p = item.split(":");
                int f = Integer.parseInt(p[0]);
                double val = Double.parseDouble(p[1]);
                for (int i = f * h * w; i < (f + 1) * h * w; i++) {
                    base[i] = val;
                }
            }
        }
        if ("1".equals(kv.get("f32"))) {
            for (int i = 0; i < n; i++) {
                base[i] = (float) base[i];
            }
        }
        return Volume.wrap(base, t, h, w);
    }

    /**
     * Asserts element-wise {@code |actual - expected| <= tol} and returns the largest difference.
     */
    static double assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= tol)) {
            throw new AssertionError(String.format(java.util.Locale.ROOT,
                    "%s: max |difference| %.3g at index %d (expected %s, got %s) exceeds %.1g",
                    what, worst, at, expected[at], actual[at], tol));
        }
        return worst;
    }
}
