package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file under {@code fixtures/npy} was written (or, for the hand-made ones, loaded back) by
 * NumPy 1.24 through {@code tools/fixtures/npy_fixtures.py}; its sidecar {@code .txt} holds what
 * NumPy read from it. The reader must agree value for value, and the writer must reproduce the
 * bytes of every file {@code np.save} wrote.
 */
class NpyFixturesTest {

    @TempDir
    Path tmp;

    /** One fixture: its file and the parsed sidecar. */
    record Fixture(String name, Path npy, Map<String, String> keys, double[] values) {
        int[] shape() {
            String s = keys.get("shape").trim();
            return s.isEmpty() ? new int[0]
                    : Stream.of(s.split(" ")).mapToInt(Integer::parseInt).toArray();
        }

        boolean refused() {
            return keys.containsKey("error");
        }
    }

    static Path folder() throws URISyntaxException {
        return Path.of(NpyFixturesTest.class.getResource("/fixtures/npy").toURI());
    }

    static List<Fixture> fixtures() throws IOException, URISyntaxException {
        List<Fixture> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder())) {
            for (Path txt : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".txt"))
                    .sorted()::iterator) {
                String name = txt.getFileName().toString().replace(".txt", "");
                Map<String, String> keys = new HashMap<>();
                List<String> lines = Files.readAllLines(txt, StandardCharsets.US_ASCII);
                double[] values = null;
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.equals("values")) {
                        values = lines.subList(i + 1, lines.size()).stream()
                                .mapToDouble(NpyFixturesTest::pythonFloat).toArray();
                        break;
                    }
                    int space = line.indexOf(' ');
                    keys.put(space < 0 ? line : line.substring(0, space),
                            space < 0 ? "" : line.substring(space + 1));
                }
                out.add(new Fixture(name, txt.resolveSibling(name + ".npy"), keys, values));
            }
        }
        return out;
    }

    static double pythonFloat(String s) {
        switch (s) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    @Test
    void everyKindOfFixtureIsPresent() throws Exception {
        List<Fixture> all = fixtures();
        // 6 dtypes x 4 ranks (v1) + 2 x 4 (v2, v3) + 2 empty + 5 hand-made + 7 refused;
        // np.save output to reproduce: 4 little-endian or one-byte dtypes x 4 ranks + 2 empty
        assertEquals(46, all.size());
        assertEquals(18, all.stream().filter(f -> "yes".equals(f.keys().get("save"))).count());
        assertEquals(7, all.stream().filter(Fixture::refused).count());
    }

    @TestFactory
    Stream<DynamicTest> readsWhatNumPyRead() throws Exception {
        return fixtures().stream().filter(f -> !f.refused()).map(f -> DynamicTest.dynamicTest(
                f.name(), () -> {
                    NpyArray a = Npy.read(f.npy());
                    assertArrayEquals(f.shape(), a.shape(), "shape");
                    assertEquals(expectedType(f.keys().get("descr")), a.dtype(), "dtype");
                    double[] got = a.toDoubleArray();
                    assertEquals(f.values().length, got.length, "size");
                    for (int i = 0; i < got.length; i++) {
                        // Bitwise: -0.0 and subnormals must survive, NaN equals NaN.
                        assertEquals(Double.doubleToLongBits(f.values()[i]),
                                Double.doubleToLongBits(got[i]),
                                () -> f.name() + ": value mismatch");
                    }
                    try (InputStream in = Files.newInputStream(f.npy())) {
                        assertEquals(a, Npy.read(in, f.name()), "stream read equals file read");
                        assertEquals(-1, in.read(), "the stream is consumed to the end");
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> writesTheBytesNumPyWrote() throws Exception {
        return fixtures().stream().filter(f -> "yes".equals(f.keys().get("save")))
                .map(f -> DynamicTest.dynamicTest(f.name(), () -> {
                    byte[] numpy = Files.readAllBytes(f.npy());
                    NpyArray a = Npy.read(f.npy());
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    Npy.write(out, a);
                    assertArrayEquals(numpy, out.toByteArray());
                    Path file = tmp.resolve(f.name() + ".npy");
                    Npy.write(file, a);
                    assertArrayEquals(numpy, Files.readAllBytes(file));
                }));
    }

    @TestFactory
    Stream<DynamicTest> bigEndianFilesAreWrittenBackAsNumPySavesLittleEndian() throws Exception {
        List<Fixture> all = fixtures();
        return all.stream().filter(f -> f.name().startsWith("be_")).map(f -> DynamicTest
                .dynamicTest(f.name(), () -> {
                    // The little-endian v1 sibling has the same shape (fixtures are made per rank).
                    String sibling = f.name().replace("be_", "le_").replaceAll("_v[23]$", "_v1");
                    Fixture little = all.stream().filter(g -> g.name().equals(sibling))
                            .findFirst().orElseThrow();
                    NpyArray a = Npy.read(f.npy());
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    Npy.write(out, a);
                    byte[] written = out.toByteArray();
                    assertEquals(a, Npy.read(new ByteArrayInputStream(written), "written"));
                    byte[] numpy = Files.readAllBytes(little.npy());
                    int header = numpy.length - (int) a.size() * a.dtype().itemSize();
                    assertArrayEquals(Arrays.copyOf(numpy, header), Arrays.copyOf(written, header));
                    assertEquals(numpy.length, written.length);
                }));
    }

    @TestFactory
    Stream<DynamicTest> refusesWhatThisLibraryDoesNotSupport() throws Exception {
        return fixtures().stream().filter(Fixture::refused).map(f -> DynamicTest.dynamicTest(
                f.name(), () -> {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> Npy.read(f.npy()));
                    assertTrue(e.getMessage().startsWith("file " + f.npy() + ": "), e.getMessage());
                    assertTrue(e.getMessage().contains(f.keys().get("error")), e.getMessage());
                }));
    }

    private static NpyArray.DType expectedType(String descr) {
        switch (descr.substring(1)) {
            case "f4":
                return NpyArray.DType.FLOAT32;
            case "f8":
                return NpyArray.DType.FLOAT64;
            case "u1":
                return NpyArray.DType.UINT8;
            case "b1":
                return NpyArray.DType.BOOL;
            default:
                throw new AssertionError(descr);
        }
    }
}
