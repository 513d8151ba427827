package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.engagement4j.metrics.io.NpyArray.DType;

/** Round trips over random types, ranks and values, specials included. */
class NpyPropertiesTest {

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("npy-props");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Provide
    Arbitrary<NpyArray> arrays() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 5)
                .list().ofMinSize(0).ofMaxSize(4)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<DType> types = Arbitraries.of(DType.class);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(shapes, types, seeds).as(NpyPropertiesTest::array);
    }

    static NpyArray array(int[] shape, DType type, long seed) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        // Raw bit patterns reach NaN payloads, subnormals, -0.0 and infinities.
        switch (type) {
            case FLOAT64:
                return NpyArray.ofDoubles(r.doubles(n).map(x -> r.nextInt(4) == 0
                        ? Double.longBitsToDouble(r.nextLong()) : x * 1e3 - 500).toArray(), shape);
            case FLOAT32:
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = r.nextInt(4) == 0 ? Float.intBitsToFloat(r.nextInt())
                            : (float) (r.nextDouble() - 0.5);
                }
                return NpyArray.ofFloats(f, shape);
            case UINT8:
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
                return NpyArray.ofBytes(b, shape);
            default:
                boolean[] z = new boolean[n];
                for (int i = 0; i < n; i++) {
                    z[i] = r.nextBoolean();
                }
                return NpyArray.ofBooleans(z, shape);
        }
    }

    @Property(tries = 300, seed = "20221107", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    @StatisticsReport(StatisticsReportMode.OFF)
    void streamRoundTripIsExact(@ForAll("arrays") NpyArray a) throws IOException {
        // The generator must reach every type, every rank and empty arrays.
        Statistics.label("dtype").collect(a.dtype());
        Statistics.label("rank").collect(a.rank());
        Statistics.label("empty").collect(a.size() == 0);
        Statistics.label("dtype").coverage(c -> {
            for (DType d : DType.values()) {
                c.check(d).percentage(p -> p > 10);
            }
        });
        Statistics.label("rank").coverage(c -> {
            for (int r = 0; r <= 4; r++) {
                c.check(r).percentage(p -> p > 5);
            }
        });
        Statistics.label("empty").coverage(c -> {
            c.check(true).percentage(p -> p > 5);
            c.check(false).percentage(p -> p > 30);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        byte[] bytes = out.toByteArray();
        NpyArray back = Npy.read(new ByteArrayInputStream(bytes), "memory");
        assertEquals(a, back);
        // Bit-exact, NaN payloads included, because values travel as raw bits.
        if (a.dtype() == DType.FLOAT32) {
            float[] x = a.toFloatArray();
            float[] y = back.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]));
            }
        }
        int headerLength = bytes.length - (int) a.size() * a.dtype().itemSize();
        assertEquals(0, headerLength % 64, "data start 64-byte aligned");
        assertEquals('\n', bytes[headerLength - 1]);
        int declared = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertEquals(headerLength - 10, declared);
        assertEquals(1, bytes[6], "version 1.0");
    }

    @Property(tries = 40, seed = "20221108", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void fileRoundTripIsExactAndLeavesOneFile(@ForAll("arrays") NpyArray a) throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.write(file, a);
        assertEquals(a, Npy.read(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Property(tries = 200, seed = "20221109", afterFailure = AfterFailureMode.PREVIOUS_SEED)
    void volumesSurviveEveryTypeThatCanHoldThem(@ForAll("arrays") NpyArray a) throws IOException {
        if (a.rank() < 2 || a.size() == 0 || a.rank() > 3 && a.shape()[0] != 1) {
            return;
        }
        var v = a.toVolume();
        assertEquals(a.size(), v.size());
        NpyArray again = NpyArray.ofVolume(v, a.dtype());
        assertArrayEquals(a.toDoubleArray(), again.toDoubleArray());
        int[] s = a.shape();
        assertArrayEquals(Arrays.copyOfRange(s, Math.max(0, s.length - 3), s.length),
                Arrays.copyOfRange(again.shape(), 3 - Math.min(3, s.length), 3));
        assertTrue(again.rank() == 3);
    }
}
