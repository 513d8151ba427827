package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4WriterTest {

    private static final int[][] COLOURS = {
        {220, 30, 30}, {30, 200, 40}, {40, 40, 210}, {230, 220, 40}, {128, 128, 128},
        {20, 20, 20},
    };

    @TempDir
    Path tmp;

    /** Frame i: left half colour i, right half colour i + 1 (mod 6). */
    private static byte[] frame(int i, int w, int h) {
        byte[] b = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = COLOURS[(i + (x < w / 2 ? 0 : 1)) % COLOURS.length];
                for (int k = 0; k < 3; k++) {
                    b[3 * (y * w + x) + k] = (byte) c[k];
                }
            }
        }
        return b;
    }

    private static int[] mean(ByteBuffer rgb, int w, int x0, int x1, int y0, int y1) {
        long[] s = new long[3];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                for (int k = 0; k < 3; k++) {
                    s[k] += Byte.toUnsignedInt(rgb.get(rgb.position() + 3 * (y * w + x) + k));
                }
            }
        }
        int n = (x1 - x0) * (y1 - y0);
        return new int[] {(int) (s[0] / n), (int) (s[1] / n), (int) (s[2] / n)};
    }

    @Test
    void writesFramesThatDecodeBackWithTheirColours() throws Exception {
        Path file = tmp.resolve("out.mp4");
        int w = 64;
        int h = 48;
        try (Mp4Writer mp4 = Mp4Writer.open(file, w, h, 3.125)) {
            for (int i = 0; i < 6; i++) {
                mp4.writeFrame(frame(i, w, h));
            }
            assertEquals(6, mp4.frames());
            assertFalse(Files.exists(file), "nothing at the target before close");
        }
        assertTrue(Files.size(file) > 0);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(file), s.toList(), "no temporary file left behind");
        }
        VideoInfo info = VideoPreprocessor.probe(file);
        assertEquals("h264", info.codec());
        assertEquals(w, info.storedWidth());
        assertEquals(h, info.storedHeight());
        assertEquals(3.125, info.frameRate(), 1e-6);
        assertEquals(6 * 320_000L, info.durationMicros().orElseThrow(), 1_000);

        List<int[][]> got = new ArrayList<>();
        VideoPreprocessor p = VideoPreprocessor.reference().withSettings(
                ClipSettings.reference().withHeight(h).withFps(3.125));
        p.decode(file, (index, micros, rgb) -> {
            assertEquals(3 * w * h, rgb.remaining());
            got.add(new int[][] {mean(rgb, w, 4, w / 2 - 4, 4, h - 4),
                mean(rgb, w, w / 2 + 4, w - 4, 4, h - 4)});
        }, ProgressListener.NONE);
        assertEquals(6, got.size());
        for (int i = 0; i < 6; i++) {
            for (int half = 0; half < 2; half++) {
                int[] want = COLOURS[(i + half) % COLOURS.length];
                int[] have = got.get(i)[half];
                for (int k = 0; k < 3; k++) {
                    assertEquals(want[k], have[k], 12,
                            "frame " + i + " half " + half + " channel " + k);
                }
            }
        }
    }

    @Test
    void oddSizesArePaddedToEven() throws Exception {
        Path file = tmp.resolve("odd.mp4");
        int[] px = new int[33 * 21];
        java.util.Arrays.fill(px, 0xFF3050E0);
        try (Mp4Writer mp4 = Mp4Writer.open(file, 33, 21, 25)) {
            mp4.writeFrame(px);
            mp4.writeFrame(px);
        }
        VideoInfo info = VideoPreprocessor.probe(file);
        assertEquals(34, info.storedWidth());
        assertEquals(22, info.storedHeight());
        assertEquals(25, info.frameRate(), 1e-6);
    }

    @Test
    void picturesUnder16AreEnlargedByAWholeFactor() throws Exception {
        Path file = tmp.resolve("small.mp4");
        // 8 x 5: left half red, right half blue; enlarged 4 times to 32 x 20.
        int[] px = new int[8 * 5];
        for (int i = 0; i < px.length; i++) {
            px[i] = i % 8 < 4 ? 0xE02020 : 0x2020E0;
        }
        try (Mp4Writer mp4 = Mp4Writer.open(file, 8, 5, 10)) {
            assertEquals(32, mp4.storedWidth());
            assertEquals(20, mp4.storedHeight());
            mp4.writeFrame(px);
        }
        VideoInfo info = VideoPreprocessor.probe(file);
        assertEquals(32, info.storedWidth());
        assertEquals(20, info.storedHeight());
        List<int[][]> got = new ArrayList<>();
        VideoPreprocessor.reference().withSettings(ClipSettings.reference().withHeight(20)
                .withFps(10)).decode(file, (i, us, rgb) -> got.add(new int[][] {
                    mean(rgb, 32, 2, 14, 2, 18), mean(rgb, 32, 18, 30, 2, 18)}),
                ProgressListener.NONE);
        assertEquals(1, got.size());
        assertEquals(0xE0, got.get(0)[0][0], 12);
        assertEquals(0xE0, got.get(0)[1][2], 12);
        assertEquals(0x20, got.get(0)[0][2], 12);
        assertEquals(0x20, got.get(0)[1][0], 12);
    }

    @Test
    void failuresLeaveNoFile() throws Exception {
        Path file = tmp.resolve("bad.mp4");
        Mp4Writer mp4 = Mp4Writer.open(file, 16, 16, 10);
        assertThrows(IllegalArgumentException.class, () -> mp4.writeFrame(new byte[5]));
        assertThrows(IllegalStateException.class, mp4::close, "no frame written");
        assertThrows(IllegalStateException.class, () -> mp4.writeFrame(new int[256]));
        try (Mp4Writer aborted = Mp4Writer.open(file, 16, 16, 10)) {
            aborted.writeFrame(new int[256]);
            aborted.abort();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "neither target nor temporary file");
        }
        assertThrows(IllegalArgumentException.class, () -> Mp4Writer.open(file, 0, 16, 10));
        assertThrows(IllegalArgumentException.class, () -> Mp4Writer.open(file, 1, 8192, 10),
                "enlarged 16 times: 16 x 131072");
        assertThrows(IllegalArgumentException.class, () -> Mp4Writer.open(file, 16, 16, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Mp4Writer.open(file, 16, 16, Double.NaN));
    }
}
