package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.engagement4j.core.transform.CenterCrop;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.junit.jupiter.api.Test;

/** Frames to network input, without ONNX Runtime. */
class SnippetEncoderTest {

    private static final Normalization NORM = Normalization.of(new double[] {100, 110, 120},
            new double[] {50, 55, 60});

    private static byte[] frames(int t, int h, int w) {
        byte[] b = new byte[t * h * w * 3];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    @Test
    void normalisesThenCropsTheCentre() {
        byte[] thwc = frames(2, 6, 10);
        SnippetEncoder enc = SnippetEncoder.of(NORM).withCropSize(4);
        ClipTensor got = enc.encode(thwc, 2, 6, 10);
        assertArrayEquals(new int[] {3, 2, 4, 4}, got.shape());
        ClipTensor expected = CenterCrop.of(4, 4).apply(NORM.apply(thwc, 2, 6, 10));
        assertEquals(expected, got);
        // pixel (frame 1, row 1 + 1, column 3 + 0) of channel G, by hand
        int v = Byte.toUnsignedInt(thwc[((1 * 6 + 2) * 10 + 3) * 3 + 1]);
        assertEquals((float) ((v - 110) / 55.0), got.get(1, 1, 1, 0), 0);
    }

    @Test
    void referenceDefaults() {
        SnippetEncoder enc = SnippetEncoder.of(NORM);
        assertEquals(160, enc.cropSize());
        assertEquals(15, enc.windowFrames());
        assertEquals(NORM, enc.normalization());
        assertEquals(7, enc.withWindowFrames(7).windowFrames());
        assertThrows(IllegalArgumentException.class, () -> enc.withWindowFrames(0));
        assertThrows(IllegalArgumentException.class, () -> enc.withCropSize(0));
    }

    @Test
    void windowsOfAClip() {
        int t = 20;
        byte[] thwc = frames(t, 6, 10);
        Clip clip = Clip.of(thwc, t, 6, 10, 3.125);
        SnippetEncoder enc = SnippetEncoder.of(NORM).withCropSize(6).withWindowFrames(15);
        ClipTensor w = enc.encode(clip, 5);
        assertEquals(enc.encode(thwc, t, 6, 10).frames(5, 15), w);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> enc.encode(clip, 6));
        assertEquals("window [6, 21) is not inside the clip's frames [0, 20)", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encode(clip, -1));
    }

    @Test
    void startFrameTruncatesLikeTheReference() {
        // int(start_ms * fps / 1000) at 3.125 fps: one frame every 320 ms
        assertEquals(0, SnippetEncoder.startFrame(0, 3.125));
        assertEquals(0, SnippetEncoder.startFrame(319, 3.125));
        assertEquals(1, SnippetEncoder.startFrame(320, 3.125));
        assertEquals(3, SnippetEncoder.startFrame(1000, 3.125));
        assertEquals(15, SnippetEncoder.startFrame(5000, 3.125));
        assertEquals(2, SnippetEncoder.startFrame(100, 25));
        assertThrows(IllegalArgumentException.class, () -> SnippetEncoder.startFrame(-1, 3.125));
        assertThrows(IllegalArgumentException.class, () -> SnippetEncoder.startFrame(0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> SnippetEncoder.startFrame(0, Double.NaN));
    }
}
