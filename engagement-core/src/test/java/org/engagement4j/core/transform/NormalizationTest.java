package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizationTest {

    private static final Normalization N = Normalization.of(new double[] {123.4, 117.1, 104.2},
            new double[] {58.3, 57.0, 57.5});

    private static byte[] pixels(long seed, int n) {
        UniformRandomProvider rng = ClipAugmentation.random(seed);
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    @Test
    void layoutIsCthwAndValuesAreStandardised() {
        // T=1, H=1, W=2: pixels (0, 255, 10) and (20, 30, 40)
        byte[] thwc = {0, (byte) 255, 10, 20, 30, 40};
        ClipTensor out = N.apply(thwc, 1, 1, 2);
        assertArrayEquals(new int[] {3, 1, 1, 2}, out.shape());
        assertEquals((float) ((0 - 123.4) / 58.3), out.get(0, 0, 0, 0));
        assertEquals((float) ((20 - 123.4) / 58.3), out.get(0, 0, 0, 1));
        assertEquals((float) ((255 - 117.1) / 57.0), out.get(1, 0, 0, 0));
        assertEquals((float) ((40 - 104.2) / 57.5), out.get(2, 0, 0, 1));
    }

    @Test
    void everyInputFormGivesTheSameClip() {
        int t = 3;
        int h = 5;
        int w = 7;
        byte[] thwc = pixels(1, t * h * w * 3);
        ClipTensor expected = N.apply(thwc, t, h, w);
        assertEquals(expected, N.apply(ClipTensor.fromRgb(thwc, t, h, w)));
        byte[] bigger = new byte[thwc.length + 11];
        System.arraycopy(thwc, 0, bigger, 5, thwc.length);
        assertEquals(expected, N.apply(bigger, 5, t, h, w));
        ByteBuffer direct = ByteBuffer.allocateDirect(bigger.length).put(bigger);
        direct.position(5);
        assertEquals(expected, N.apply(direct, t, h, w));
        assertEquals(5, direct.position(), "position unchanged");
        ByteBuffer heap = ByteBuffer.wrap(bigger, 5, thwc.length);
        assertEquals(expected, N.apply(heap, t, h, w));
    }

    @Test
    void normaliseThenDenormaliseIsTheIdentity() {
        byte[] thwc = pixels(2, 4 * 6 * 8 * 3);
        ClipTensor raw = ClipTensor.fromRgb(thwc, 4, 6, 8);
        float[] back = N.invert(N.apply(raw)).toArray();
        float[] orig = raw.toArray();
        double[] std = N.std();
        int plane = orig.length / 3;
        for (int i = 0; i < orig.length; i++) {
            // 1e-5 in normalised units
            assertEquals(orig[i], back[i], 1e-5 * std[i / plane]);
        }
    }

    @Test
    void jsonRoundTripsExactly(@TempDir Path dir) throws IOException {
        Normalization awkward = Normalization.of(new double[] {0.1 + 0.2, 1e-300, 255},
                new double[] {Math.PI, 4.9e-324, 1e300});
        assertEquals(awkward, Normalization.fromJson(awkward.toJson()));
        assertEquals(N, Normalization.fromJson(N.toJson()));
        Path file = dir.resolve("normalization.json");
        N.write(file);
        assertEquals(N, Normalization.read(file));
        awkward.write(file);
        assertEquals(awkward, Normalization.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertTrue(N.toJson().contains("\"mean\""));
    }

    @Test
    void badJsonIsRefusedWithTheCulpritNamed(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"not json", "json: not valid JSON"},
            {"[1, 2, 3]", "json: expected a JSON object"},
            {"{\"mean\": [1, 2, 3]}", "json: \"std\" must be an array of 3 numbers"},
            {"{\"mean\": [1, 2], \"std\": [1, 2, 3]}", "json: \"mean\" must be an array of 3"},
            {"{\"mean\": [1, 2, \"x\"], \"std\": [1, 2, 3]}", "json: \"mean\" channel B is \"x\""},
            {"{\"mean\": [1, 2, 3], \"std\": [1, 0, 3]}", "json: std: channel G is 0.0, must be finite and > 0"},
            {"{\"mean\": [1, 2, 3], \"std\": [1, 2, 3], \"sd\": 1}", "json: unknown key \"sd\""},
            {"{\"mean\": [1, 2, 3], \"std\": [1, 2, 3]} {}", "json: not valid JSON"},
            {"{\"mean\": [1, 2, 3], \"mean\": [1, 2, 3], \"std\": [1, 2, 3]}", "json: not valid JSON"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Normalization.fromJson(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
        }
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"mean\": [1, 2, 3]}", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.read(file));
        assertTrue(e.getMessage().startsWith("file " + file + ": \"std\""), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> Normalization.read(dir.resolve("missing.json")));
    }

    @Test
    void constructorChecksEveryValue() {
        double[] ok = {1, 2, 3};
        String[][] expected = {
            {"mean: 2 values given, expected 3"},
            {"std: channel R is 0.0, must be finite and > 0"},
            {"std: channel B is -1.0, must be finite and > 0"},
            {"mean: channel G is NaN, must be finite"},
            {"std: channel G is Infinity"},
        };
        Runnable[] calls = {
            () -> Normalization.of(new double[] {1, 2}, ok),
            () -> Normalization.of(ok, new double[] {0, 1, 1}),
            () -> Normalization.of(ok, new double[] {1, 1, -1}),
            () -> Normalization.of(new double[] {1, Double.NaN, 1}, ok),
            () -> Normalization.of(ok, new double[] {1, Double.POSITIVE_INFINITY, 1}),
        };
        for (int i = 0; i < calls.length; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls[i]::run);
            assertTrue(e.getMessage().startsWith(expected[i][0]), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> Normalization.of(null, ok));
    }

    @Test
    void arraysAreCopiedInAndOut() {
        double[] mean = {1, 2, 3};
        double[] std = {4, 5, 6};
        Normalization n = Normalization.of(mean, std);
        mean[0] = 99;
        std[0] = 99;
        n.mean()[1] = 99;
        n.std()[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, n.mean());
        assertArrayEquals(new double[] {4, 5, 6}, n.std());
        assertEquals(Normalization.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}), n);
        assertEquals(Normalization.of(new double[] {1, 2, 3}, new double[] {4, 5, 6}).hashCode(),
                n.hashCode());
        assertNotEquals(N, n);
        assertTrue(n.toString().contains("[1.0, 2.0, 3.0]"));
    }

    @Test
    void shapesAndLengthsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> N.apply(new byte[11], 1, 2, 2));
        assertTrue(e.getMessage().startsWith("thwc: 11 bytes do not match [T, H, W, 3] = [1, 2, 2, 3]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> N.apply(new byte[12], 1, -2, 2));
        assertTrue(e.getMessage().startsWith("thwc height: -2"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> N.apply(new byte[12], 1, 1, 2, 2));
        e = assertThrows(IllegalArgumentException.class,
                () -> N.apply(ByteBuffer.allocate(11), 1, 2, 2));
        assertTrue(e.getMessage().startsWith("thwc: 11 bytes remain"), e.getMessage());
        ClipTensor gray = ClipTensor.of(new float[4], 1, 1, 2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> N.apply(gray));
        assertTrue(e.getMessage().startsWith("raw: ClipTensor[1, 1, 2, 2] has 1 channels"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> N.invert(gray));
        assertTrue(e.getMessage().startsWith("normalised:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> N.apply(new byte[0], 100_000, 100_000, 100_000));
        assertTrue(e.getMessage().startsWith("thwc: shape [3, 100000, 100000, 100000]"), e.getMessage());
    }
}
