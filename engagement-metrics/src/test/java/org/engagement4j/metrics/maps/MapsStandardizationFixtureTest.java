package org.engagement4j.metrics.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crop, blur, antialiased bicubic resize and the full standardisation against torchvision 0.14 /
 * torch 1.13 (fixtures from {@code tools/fixtures/maps_fixtures.py}; each case's {@code call} line
 * names the Python call).
 *
 * <p>Tolerances: against float32 torch results 1e-5 absolute (our double arithmetic versus
 * torch's float32 sums, amplified at most about 10x by min-max); against float64 torch resizing
 * 1e-12; against float64 torch blurring 1e-6, because torchvision rounds its kernel to float32
 * even for float64 images.
 */
class MapsStandardizationFixtureTest {

    static Stream<MapFixtures.Case> blur() {
        return MapFixtures.read("blur.txt").stream();
    }

    static Stream<MapFixtures.Case> crop() {
        return MapFixtures.read("crop.txt").stream();
    }

    static Stream<MapFixtures.Case> resize() {
        return MapFixtures.read("resize.txt").stream();
    }

    static Stream<MapFixtures.Case> standardize() {
        return MapFixtures.read("standardize.txt").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void blur(MapFixtures.Case c) {
        Volume x = c.input("input", "checksum");
        Volume y = GaussianBlur.of(Integer.parseInt(c.get("kernel")), Double.parseDouble(c.get("sigma")))
                .apply(x);
        assertArrayEquals(c.ints("shape"), y.shape(), c.name);
        MapFixtures.assertClose(c.doubles("expected32"), y.toArray(), 1e-5, c.name + " vs float32");
        MapFixtures.assertClose(c.doubles("expected64"), y.toArray(), 1e-6, c.name + " vs float64");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void crop(MapFixtures.Case c) {
        Volume x = c.input("input", "checksum");
        int[] size = c.ints("crop");
        int[] offset = c.ints("offset");
        assertEquals(offset[0], CenterCrop.offset(x.height(), size[0]), c.name + " top");
        assertEquals(offset[1], CenterCrop.offset(x.width(), size[1]), c.name + " left");
        Volume y = CenterCrop.apply(x, size[0], size[1]);
        assertArrayEquals(c.ints("shape"), y.shape(), c.name);
        if (c.has("expected")) {
            assertArrayEquals(c.doubles("expected"), y.toArray(), 0.0, c.name);
        }
        for (int t = 0; t < y.frames(); t++) {
            for (int r = 0; r < y.height(); r++) {
                for (int q = 0; q < y.width(); q++) {
                    assertEquals(x.get(t, r + offset[0], q + offset[1]), y.get(t, r, q), 0.0);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void resize(MapFixtures.Case c) {
        Volume x = c.input("input", "checksum");
        int[] size = c.ints("size");
        Volume y = Resampling.bicubicAntialias(x, size[0], size[1]);
        assertArrayEquals(c.ints("shape"), y.shape(), c.name);
        MapFixtures.assertClose(c.doubles("expected32"), y.toArray(), 1e-5, c.name + " vs float32");
        if (c.has("expected64")) {
            MapFixtures.assertClose(c.doubles("expected64"), y.toArray(), 1e-12, c.name + " vs float64");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void standardize(MapFixtures.Case c) {
        Volume x = c.input("input", "checksum");
        Volume y = MapStandardizer.reference().standardize(x, MapKind.valueOf(c.get("kind")));
        assertArrayEquals(c.ints("shape"), y.shape(), c.name);
        MapFixtures.assertClose(c.doubles("expected32"), y.toArray(), 1e-5, c.name + " vs torchvision");
        assertEquals(0.0, y.min(), 0.0);
        assertEquals(1.0, y.max(), 0.0);
    }

    /** Every fixture file must hold the cases the Python script writes, so a truncated file fails. */
    @org.junit.jupiter.api.Test
    void fixtureFilesAreComplete() {
        assertEquals(List.of(4, 5, 9, 4, 8), List.of(MapFixtures.read("blur.txt").size(),
                MapFixtures.read("crop.txt").size(), MapFixtures.read("resize.txt").size(),
                MapFixtures.read("standardize.txt").size(), MapFixtures.read("metrics.txt").size()));
    }
}
