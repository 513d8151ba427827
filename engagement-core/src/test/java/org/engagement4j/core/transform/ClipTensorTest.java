package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClipTensorTest {

    @Test
    void fromRgbTransposesThwcToCthw() {
        // T=2, H=1, W=2; pixel (t, x) has R = 10t + x, G = 100 + R, B = 200 + R
        byte[] thwc = new byte[2 * 1 * 2 * 3];
        for (int t = 0; t < 2; t++) {
            for (int x = 0; x < 2; x++) {
                int r = 10 * t + x;
                int at = (t * 2 + x) * 3;
                thwc[at] = (byte) r;
                thwc[at + 1] = (byte) (100 + r);
                thwc[at + 2] = (byte) (200 + r);
            }
        }
        ClipTensor c = ClipTensor.fromRgb(thwc, 2, 1, 2);
        assertArrayEquals(new int[] {3, 2, 1, 2}, c.shape());
        assertArrayEquals(new float[] {0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211},
                c.toArray());
        assertEquals(211f, c.get(2, 1, 0, 1));
    }

    @Test
    void valuesAreCopiedInAndOut() {
        float[] data = {1, 2, 3, 4};
        ClipTensor c = ClipTensor.of(data, 1, 1, 2, 2);
        data[0] = 9;
        c.toArray()[1] = 9;
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.toArray());
        float[] batch = new float[10];
        c.copyTo(batch, 3);
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 4, 0, 0, 0}, batch);
        assertThrows(IndexOutOfBoundsException.class, () -> c.copyTo(batch, 7));
    }

    @Test
    void framesSelectsAcrossChannels() {
        float[] data = new float[2 * 3 * 1 * 1];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        ClipTensor c = ClipTensor.of(data, 2, 3, 1, 1);
        assertArrayEquals(new float[] {1, 2, 4, 5}, c.frames(1, 2).toArray());
        assertArrayEquals(new int[] {2, 2, 1, 1}, c.frames(1, 2).shape());
        assertThrows(IndexOutOfBoundsException.class, () -> c.frames(2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> c.frames(0, 0));
    }

    @Test
    void badInputIsRefusedWithTheArgumentNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipTensor.of(new float[5], 1, 1, 2, 2));
        assertTrue(e.getMessage().startsWith("data: length 5 does not match shape [1, 1, 2, 2]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClipTensor.of(new float[] {0, 0, 0, 0, 0, Float.NaN}, 1, 2, 1, 3));
        assertTrue(e.getMessage().startsWith("data: value NaN at index 5 (channel 0, frame 1, row 0,"
                + " column 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClipTensor.of(new float[0], 3, 0, 2, 2));
        assertTrue(e.getMessage().startsWith("clip frames: 0 must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClipTensor.of(new float[0], 3, 15, 100_000, 100_000));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClipTensor.fromRgb(new byte[5], 1, 1, 2));
        assertTrue(e.getMessage().startsWith("thwc: 5 bytes"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> ClipTensor.of(new float[4], 1, 1, 2, 2).get(0, 0, 2, 0));
        assertThrows(NullPointerException.class, () -> ClipTensor.of(null, 1, 1, 1, 1));
    }

    @Test
    void equalityIsByShapeAndValues() {
        ClipTensor a = ClipTensor.of(new float[] {1, 2}, 1, 1, 1, 2);
        assertEquals(a, ClipTensor.of(new float[] {1, 2}, 1, 1, 1, 2));
        assertEquals(a.hashCode(), ClipTensor.of(new float[] {1, 2}, 1, 1, 1, 2).hashCode());
        assertNotEquals(a, ClipTensor.of(new float[] {1, 2}, 1, 1, 2, 1));
        assertNotEquals(a, ClipTensor.of(new float[] {1, 3}, 1, 1, 1, 2));
        assertEquals("ClipTensor[1, 1, 1, 2]", a.toString());
        assertEquals(2, a.size());
    }
}
