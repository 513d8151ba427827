package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.engagement4j.core.transform.ClipTensor;
import org.junit.jupiter.api.Test;

/** The classifier's batch type. */
class ClipBatchTest {

    private static ClipTensor clip(float base) {
        float[] d = new float[3 * 2 * 2 * 2];
        for (int i = 0; i < d.length; i++) {
            d[i] = base + i;
        }
        return ClipTensor.of(d, 3, 2, 2, 2);
    }

    @Test
    void clipsAreStackedInOrder() {
        ClipBatch b = ClipBatch.of(clip(0), clip(100));
        assertArrayEquals(new int[] {2, 3, 2, 2, 2}, b.shape());
        assertArrayEquals(new int[] {3, 2, 2, 2}, b.clipShape());
        assertEquals(2, b.size());
        assertEquals(48, b.elementCount());
        float[] all = b.toArray();
        assertEquals(0f, all[0]);
        assertEquals(100f, all[24]);
        assertEquals(clip(100), b.clip(1));
        assertEquals("ClipBatch[2, 3, 2, 2, 2]", b.toString());
        assertEquals(b, ClipBatch.of(all, 2, 3, 2, 2, 2));
        assertNotEquals(b, ClipBatch.of(clip(0), clip(101)));
    }

    @Test
    void arraysAreCopied() {
        float[] data = new float[24];
        ClipBatch b = ClipBatch.of(data, 1, 3, 2, 2, 2);
        data[0] = 5;
        assertEquals(0f, b.toArray()[0]);
        b.toArray()[0] = 5;
        assertEquals(0f, b.toArray()[0]);
        int[] shape = b.shape();
        shape[0] = 9;
        assertEquals(1, b.size());
    }

    @Test
    void badBatchesAreRefused() {
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(clip(0), ClipTensor.of(new float[12], 3, 1, 2, 2)));
        assertEquals("clips: clip 1 is ClipTensor[3, 1, 2, 2] but clip 0 is ClipTensor[3, 2, 2, 2];"
                + " a batch needs one shape", mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipBatch.of(List.of()));
        assertThrows(NullPointerException.class, () -> ClipBatch.of(Arrays.asList(clip(0), null)));
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(new float[24], 3, 2, 2, 2));
        assertEquals("shape: [3, 2, 2, 2] has rank 4, expected rank 5 [N, C, T, H, W]",
                rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClipBatch.of(new float[24], 1, 3, 2, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> ClipBatch.of(new float[0], 0, 3, 2, 2, 2));
        float[] nan = new float[48];
        nan[30] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(nan, 2, 3, 2, 2, 2));
        assertEquals("data: value NaN at index 30 (clip 1) is not finite", e.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(new float[1], 1000, 3, 1000, 1000, 1000));
        assertEquals("shape: [1000, 3, 1000, 1000, 1000] holds more values than one array can"
                + " (2147483639)", big.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ClipBatch.of(clip(0)).clip(1));
    }
}
