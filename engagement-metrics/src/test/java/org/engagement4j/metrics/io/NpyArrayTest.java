package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.NpyArray.DType;
import org.junit.jupiter.api.Test;

class NpyArrayTest {

    @Test
    void factoriesCheckTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofDoubles(new double[6], 2, -3));
        assertEquals("shape [2, -3]: dimension 1 is -3, dimensions must be >= 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofFloats(new float[5], 2, 3));
        assertEquals("data length 5 does not match shape [2, 3] (6 values)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofBytes(new byte[5], 65536, 65536, 65536));
        assertEquals("data length 5 does not match shape [65536, 65536, 65536] (more than"
                + " 2147483647 values)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofBytes(new byte[5], 2147483647, 2147483647, 2147483647, 4));
        assertEquals("data length 5 does not match shape [2147483647, 2147483647, 2147483647, 4]"
                + " (more than 2147483647 values)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofDoubles(new double[2]));
        assertEquals("data length 2 does not match shape [] (1 values)", e.getMessage());
        assertThrows(NullPointerException.class, () -> NpyArray.ofDoubles(null, 1));
        assertThrows(NullPointerException.class,
                () -> NpyArray.ofDoubles(new double[1], (int[]) null));
        // Empty arrays are legal, whatever the other dimensions.
        assertEquals(0, NpyArray.ofFloats(new float[0], 1 << 30, 1 << 30, 0).size());
    }

    @Test
    void inputsAndOutputsAreCopies() {
        double[] d = {1, 2, 3, 4};
        int[] shape = {2, 2};
        NpyArray a = NpyArray.ofDoubles(d, shape);
        d[0] = 99;
        shape[0] = 4;
        a.toDoubleArray()[1] = 99;
        a.shape()[1] = 9;
        assertArrayEquals(new double[] {1, 2, 3, 4}, a.toDoubleArray());
        assertArrayEquals(new int[] {2, 2}, a.shape());
        assertEquals(2, a.rank());
        assertEquals(4, a.size());
        assertEquals("NpyArray[<f8, (2, 2)]", a.toString());
        assertEquals("NpyArray[|u1, (3,)]", NpyArray.ofBytes(new byte[3], 3).toString());
        assertEquals("NpyArray[|b1, ()]", NpyArray.ofBooleans(new boolean[1]).toString());
    }

    @Test
    void conversionsBetweenTypes() {
        NpyArray u8 = NpyArray.ofBytes(new byte[] {0, 1, (byte) 200, (byte) 255}, 4);
        assertArrayEquals(new double[] {0, 1, 200, 255}, u8.toDoubleArray());
        assertArrayEquals(new float[] {0, 1, 200, 255}, u8.toFloatArray());
        NpyArray b = NpyArray.ofBooleans(new boolean[] {true, false}, 2);
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new double[] {1, 0}, b.toDoubleArray());
        NpyArray f64 = NpyArray.ofDoubles(new double[] {0.1, 1e300, -1e300}, 3);
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY},
                f64.toFloatArray());
        NpyArray f32 = NpyArray.ofFloats(new float[] {0.1f}, 1);
        assertArrayEquals(new double[] {(double) 0.1f}, f32.toDoubleArray());
    }

    @Test
    void equalityIsByTypeShapeAndValues() {
        NpyArray a = NpyArray.ofDoubles(new double[] {Double.NaN, 1}, 2);
        assertEquals(a, NpyArray.ofDoubles(new double[] {Double.NaN, 1}, 2));
        assertEquals(a.hashCode(), NpyArray.ofDoubles(new double[] {Double.NaN, 1}, 2).hashCode());
        assertNotEquals(a, NpyArray.ofDoubles(new double[] {Double.NaN, 1}, 1, 2));
        assertNotEquals(a, NpyArray.ofFloats(new float[] {Float.NaN, 1}, 2));
        assertNotEquals(NpyArray.ofDoubles(new double[] {0.0}), NpyArray.ofDoubles(new double[] {-0.0}));
        assertNotEquals(NpyArray.ofBytes(new byte[] {1}, 1),
                NpyArray.ofBooleans(new boolean[] {true}, 1));
    }

    @Test
    void toVolumeAcceptsMapsClipsAndLeadingUnitAxes() {
        double[] six = {1, 2, 3, 4, 5, 6};
        assertEquals(Volume.of(six, 1, 2, 3), NpyArray.ofDoubles(six, 2, 3).toVolume());
        assertEquals(Volume.of(six, 3, 1, 2), NpyArray.ofDoubles(six, 3, 1, 2).toVolume());
        assertEquals(Volume.of(six, 2, 3, 1), NpyArray.ofDoubles(six, 1, 2, 3, 1).toVolume());
        assertEquals(Volume.of(six, 1, 2, 3), NpyArray.ofDoubles(six, 1, 1, 1, 2, 3).toVolume());
        assertEquals(Volume.of(new double[] {0, 255}, 1, 1, 2),
                NpyArray.ofBytes(new byte[] {0, (byte) 255}, 1, 2).toVolume());
    }

    @Test
    void toVolumeRefusesOtherShapesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofDoubles(new double[6], 2, 1, 3, 1).toVolume());
        assertEquals("shape (2, 1, 3, 1) cannot be read as a volume: expected [H, W], [T, H, W] or"
                + " [1, ..., 1, T, H, W]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofDoubles(new double[1]).toVolume());
        assertEquals("shape () cannot be read as a volume: expected [H, W], [T, H, W] or"
                + " [1, ..., 1, T, H, W]", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofDoubles(new double[4], 4).toVolume());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofDoubles(new double[0], 15, 0, 32).toVolume());
        assertEquals("shape (15, 0, 32) cannot be read as a volume: it is empty (every dimension"
                + " must be >= 1)", e.getMessage());
    }

    @Test
    void ofVolumeStoresEachType() {
        Volume v = Volume.of(new double[] {0, 1, 0.1, 255}, 1, 2, 2);
        assertArrayEquals(new int[] {1, 2, 2}, NpyArray.ofVolume(v, DType.FLOAT64).shape());
        assertArrayEquals(v.toArray(), NpyArray.ofVolume(v, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(v.toFloatArray(), NpyArray.ofVolume(v, DType.FLOAT32).toFloatArray());
        Volume ints = Volume.of(new double[] {0, 1, 128, 255}, 1, 2, 2);
        assertArrayEquals(ints.toArray(), NpyArray.ofVolume(ints, DType.UINT8).toDoubleArray());
        Volume mask = Volume.of(new double[] {0, 1, 1, 0}, 2, 1, 2);
        assertArrayEquals(mask.toArray(), NpyArray.ofVolume(mask, DType.BOOL).toDoubleArray());
    }

    @Test
    void ofVolumeNeverRoundsOrClipsIntoIntegerTypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.ofVolume(Volume.of(new double[] {0, 1, 0.1, 255}, 1, 2, 2),
                        DType.UINT8));
        assertEquals("volume value 0.1 at [frame 0, row 1, column 0] cannot be stored as uint8:"
                + " values must be integers in [0, 255]", e.getMessage());
        for (double bad : new double[] {256, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> NpyArray.ofVolume(
                    Volume.of(new double[] {bad}, 1, 1, 1), DType.UINT8));
        }
        e = assertThrows(IllegalArgumentException.class, () -> NpyArray.ofVolume(
                Volume.of(new double[] {0, 2}, 2, 1, 1), DType.BOOL));
        assertEquals("volume value 2.0 at [frame 1, row 0, column 0] cannot be stored as bool:"
                + " values must be integers in [0, 1]", e.getMessage());
    }

    @Test
    void descriptorsAndItemSizes() {
        assertEquals("<f4", DType.FLOAT32.descr());
        assertEquals("<f8", DType.FLOAT64.descr());
        assertEquals("|u1", DType.UINT8.descr());
        assertEquals("|b1", DType.BOOL.descr());
        assertEquals(4, DType.FLOAT32.itemSize());
        assertEquals(8, DType.FLOAT64.itemSize());
        assertEquals(1, DType.UINT8.itemSize());
        assertEquals(1, DType.BOOL.itemSize());
    }
}
