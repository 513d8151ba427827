package org.engagement4j.metrics.maps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.api.Test;

/** Behaviour of the standardisation steps beyond the torchvision fixtures: settings, errors, edges. */
class MapsStandardizationTest {

    private static Volume withValue(Volume v, int t, int y, int x, double value) {
        double[] d = v.toArray();
        d[(t * v.height() + y) * v.width() + x] = value;
        return Volume.of(d, v.frames(), v.height(), v.width());
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void referenceSettings() {
        MapStandardizer s = MapStandardizer.reference();
        assertEquals(160, s.cropSize());
        assertEquals(25, s.blur().kernelSize());
        assertEquals(5.0, s.blur().sigma());
        assertEquals(5, s.stride());
        assertEquals(32, s.targetHeight());
        assertEquals(32, s.targetWidth());
        assertEquals(ConstantMapPolicy.REJECT, s.constantMapPolicy());
    }

    @Test
    void withersReturnNewInstancesAndValidate() {
        MapStandardizer s = MapStandardizer.reference();
        MapStandardizer t = s.withCropSize(100).withBlur(7, 1.5).withStride(2).withTargetSize(50, 40)
                .withConstantMapPolicy(ConstantMapPolicy.ZERO);
        assertEquals(160, s.cropSize());
        assertEquals(100, t.cropSize());
        assertEquals(GaussianBlur.of(7, 1.5), t.blur());
        assertEquals(2, t.stride());
        assertEquals(50, t.targetHeight());
        assertEquals(40, t.targetWidth());
        assertEquals(ConstantMapPolicy.ZERO, t.constantMapPolicy());
        assertNotEquals(s, t);
        assertEquals(s, MapStandardizer.reference().withStride(5));
        assertTrue(message(() -> s.withCropSize(0)).contains("cropSize: 0"));
        assertTrue(message(() -> s.withStride(-1)).contains("stride: -1"));
        assertTrue(message(() -> s.withTargetSize(32, 0)).contains("width: 0"));
        assertTrue(message(() -> s.withBlur(24, 5)).contains("kernelSize: 24 must be odd"));
        assertTrue(message(() -> s.withBlur(25, 0)).contains("sigma: 0.0"));
        assertTrue(message(() -> s.withBlur(25, Double.NaN)).contains("sigma: NaN"));
        assertTrue(message(() -> s.withBlur(25, Double.POSITIVE_INFINITY)).contains("sigma: Infinity"));
    }

    @Test
    void fineMapsOfTheWrongSizeAreRejectedClearly() {
        Volume small = MapFixtures.synth("T=2 H=100 W=100 seed=1");
        String msg = message(() -> MapStandardizer.reference().standardize(small, MapKind.FINE));
        assertTrue(msg.contains("100x100") && msg.contains("20x20") && msg.contains("32x32")
                && msg.contains("156 to 160"), msg);
        // 156..160 rows all give 32 samples with stride 5; 161+ is cropped to 160.
        Volume ok = MapFixtures.synth("T=1 H=156 W=171 seed=2");
        assertArrayEquals(new int[] {1, 32, 32},
                MapStandardizer.reference().standardize(ok, MapKind.FINE).shape());
    }

    @Test
    void framesTooSmallForTheKernelAreRejected() {
        Volume v = MapFixtures.synth("T=1 H=10 W=10 seed=3");
        MapStandardizer s = MapStandardizer.reference().withCropSize(10).withTargetSize(2, 2);
        String msg = message(() -> s.standardize(v, MapKind.FINE));
        assertTrue(msg.contains("reflect") && msg.contains("12"), msg);
        assertTrue(message(() -> GaussianBlur.of(25, 5).apply(v)).contains("10x10"));
        assertArrayEquals(new int[] {1, 10, 10}, GaussianBlur.of(19, 3).apply(v).shape());
    }

    @Test
    void fineIsBlurThenStrideThenMinMax() {
        Volume v = MapFixtures.synth("T=2 H=40 W=52 seed=4 blobs=2");
        MapStandardizer s = MapStandardizer.reference().withCropSize(40).withBlur(9, 2).withStride(4)
                .withTargetSize(10, 10);
        Volume blurred = GaussianBlur.of(9, 2).apply(CenterCrop.apply(v, 40, 40));
        double[] strided = new double[2 * 10 * 10];
        for (int t = 0; t < 2; t++) {
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 10; x++) {
                    strided[(t * 10 + y) * 10 + x] = blurred.get(t, 4 * y, 4 * x);
                }
            }
        }
        Volume expected = MinMax.apply(Volume.of(strided, 2, 10, 10));
        MapFixtures.assertClose(expected.toArray(), s.standardize(v, MapKind.FINE).toArray(), 1e-14,
                "strided blur");
    }

    @Test
    void coarseIsResizeThenMinMax() {
        Volume v = MapFixtures.synth("T=3 H=10 W=10 seed=5");
        Volume expected = MinMax.apply(Resampling.bicubicAntialias(v, 32, 32));
        assertEquals(expected, MapStandardizer.reference().standardize(v, MapKind.COARSE));
    }

    @Test
    void constantMapsFollowThePolicy() {
        Volume zeros = Volume.filled(0.0, 15, 10, 10);
        String msg = message(() -> MapStandardizer.reference().standardize(zeros, MapKind.COARSE));
        assertTrue(msg.contains("constant") && msg.contains("ConstantMapPolicy.ZERO"), msg);
        Volume out = MapStandardizer.reference().withConstantMapPolicy(ConstantMapPolicy.ZERO)
                .standardize(Volume.filled(0.3, 2, 160, 208), MapKind.FINE);
        assertEquals(Volume.filled(0.0, 2, 32, 32), out);
        assertTrue(message(() -> MinMax.apply(Volume.filled(7.0, 1, 2, 2))).contains("7.0"));
        assertEquals(Volume.filled(0.0, 1, 2, 2),
                MinMax.apply(Volume.filled(7.0, 1, 2, 2), ConstantMapPolicy.ZERO));
    }

    @Test
    void minMaxScalesOverTheWholeVolume() {
        Volume v = Volume.of(new double[] {1, 2, 3, 5}, 2, 1, 2);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 1}, MinMax.apply(v).toArray(), 0.0);
        Volume huge = Volume.ofFrame(new double[] {-Double.MAX_VALUE, 0, Double.MAX_VALUE}, 1, 3);
        assertArrayEquals(new double[] {0, 0.5, 1}, MinMax.apply(huge).toArray(), 0.0);
    }

    @Test
    void nonFiniteInputIsRejectedWithItsPosition() {
        // A NaN in the margin that the crop removes is still an error, reported at input coordinates.
        Volume fine = withValue(Volume.filled(0.5, 2, 160, 208), 1, 2, 3, Double.NaN);
        String m1 = message(() -> MapStandardizer.reference().standardize(fine, MapKind.FINE));
        assertTrue(m1.startsWith("map: value NaN") && m1.contains("[frame 1, row 2, column 3]"), m1);
        Volume coarse = withValue(Volume.filled(0.5, 2, 10, 10), 1, 7, 8, Double.POSITIVE_INFINITY);
        String m2 = message(() -> MapStandardizer.reference().standardize(coarse, MapKind.COARSE));
        assertTrue(m2.contains("Infinity") && m2.contains("[frame 1, row 7, column 8]"), m2);
        for (Function<Volume, Volume> op : List.<Function<Volume, Volume>>of(
                x -> GaussianBlur.of(3, 1).apply(x), x -> Resampling.bicubicAntialias(x, 4, 4),
                MinMax::apply)) {
            String m = message(() -> op.apply(withValue(Volume.filled(0.5, 2, 8, 9), 1, 2, 3,
                    Double.NEGATIVE_INFINITY)));
            assertTrue(m.contains("[frame 1, row 2, column 3]") && m.contains("-Infinity"), m);
        }
    }

    @Test
    void cropMustFit() {
        Volume v = Volume.filled(1, 1, 5, 6);
        assertTrue(message(() -> CenterCrop.apply(v, 6, 6)).contains("6x6 is larger than the 5x6"));
        assertTrue(message(() -> CenterCrop.apply(v, 0, 6)).contains("height: 0"));
    }

    @Test
    void cropOffsetsRoundHalfToEven() {
        assertEquals(2, CenterCrop.offset(7, 4)); // 1.5 -> 2
        assertEquals(2, CenterCrop.offset(9, 4)); // 2.5 -> 2
        assertEquals(4, CenterCrop.offset(13, 4)); // 4.5 -> 4
        assertEquals(24, CenterCrop.offset(208, 160));
    }

    @Test
    void blurKernelMatchesTorchvisionsFormula() {
        double[] w = GaussianBlur.of(5, 1.3).weights();
        double[] g = new double[5];
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            g[i] = Math.exp(-0.5 * Math.pow((i - 2) / 1.3, 2));
            sum += g[i];
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(g[i] / sum, w[i], 1e-16);
            assertEquals(w[i], w[4 - i], 0.0);
        }
        assertArrayEquals(new double[] {1.0}, GaussianBlur.of(1, 3).weights(), 0.0);
    }

    @Test
    void constantMapsStayConstantUnderBlurAndResampling() {
        Volume c = Volume.filled(0.7, 2, 20, 17);
        for (double x : GaussianBlur.of(25, 5).apply(c).toArray()) {
            assertEquals(0.7, x, 1e-15);
        }
        for (int[] size : new int[][] {{32, 32}, {3, 5}, {1, 1}, {20, 17}, {41, 2}}) {
            for (double x : Resampling.bicubicAntialias(c, size[0], size[1]).toArray()) {
                assertEquals(0.7, x, 1e-15);
            }
        }
    }
}
