package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clip type: snippets, the on-disk format and its NumPy compatibility. */
class ClipTest {

    @TempDir
    static Path dir;

    static Path clipDir;

    @BeforeAll
    static void makeClip() throws IOException {
        Path video = TestVideos.write(dir.resolve("v.mp4"), TestVideos.Spec.mp4(125));
        clipDir = dir.resolve("v.clip");
        VideoPreprocessor.reference().preprocess(video, clipDir, ProgressListener.NONE);
    }

    private static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void inMemoryClipsCopyTheirInputAndCutSnippets() {
        byte[] data = ramp(20 * 4 * 5 * 3);
        Clip c = Clip.of(data, 20, 4, 5, 3.125);
        data[0] = 99;
        assertEquals(20, c.frames());
        assertEquals(60, c.frameBytes());
        assertEquals(6.4, c.durationSeconds(), 1e-12);
        byte[] snip = c.snippet(3, 15);
        assertArrayEquals(Arrays.copyOfRange(ramp(1200), 180, 180 + 900), snip);
        assertEquals(Byte.toUnsignedInt(ramp(1200)[60 * 2 + 3 * (1 * 5 + 2) + 1]),
                c.value(2, 1, 2, 1));
        byte[] dst = new byte[900 + 10];
        c.snippet(3, 15, dst, 10);
        assertArrayEquals(snip, Arrays.copyOfRange(dst, 10, 910));
        assertTrue(c.info().isEmpty());
        assertThrows(IndexOutOfBoundsException.class, () -> c.snippet(6, 15));
        assertThrows(IndexOutOfBoundsException.class, () -> c.snippet(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> Clip.of(new byte[5], 1, 1, 1, 1));
    }

    @Test
    void snippetsAcrossMappedPiecesEqualOneCopy() throws IOException {
        Clip whole = Clip.open(clipDir);
        assertEquals(16, whole.frames());
        // pieces of 3 frames: a 15-frame snippet spans 6 of them
        Clip pieces = Clip.open(clipDir, 3L * whole.frameBytes());
        for (int start = 0; start + 15 <= whole.frames(); start++) {
            assertArrayEquals(whole.snippet(start, 15), pieces.snippet(start, 15), "at " + start);
        }
        assertEquals(whole.value(15, 159, 207, 2), pieces.value(15, 159, 207, 2));
    }

    @Test
    void framesNpyIsAPlainNumpyArray() throws IOException {
        Clip clip = Clip.open(clipDir);
        NpyArray a = Npy.read(clipDir.resolve(Clip.DATA_FILE));
        assertArrayEquals(new int[] {16, 160, 208, 3}, a.shape());
        double[] values = a.toDoubleArray();
        byte[] ours = clip.snippet(0, clip.frames());
        for (int i = 0; i < ours.length; i += 997) {
            assertEquals(Byte.toUnsignedInt(ours[i]), values[i], 0);
        }
    }

    @Test
    void aClipWrittenByNumpyIsRead() throws IOException {
        Clip clip = Clip.open(clipDir);
        Path copy = Files.createDirectories(dir.resolve("numpy.clip"));
        Files.copy(clipDir.resolve(Clip.INFO_FILE), copy.resolve(Clip.INFO_FILE));
        byte[] frames = clip.snippet(0, clip.frames());
        // metrics' writer produces numpy.save's exact bytes (64-byte header for this shape)
        Npy.write(copy.resolve(Clip.DATA_FILE), NpyArray.ofBytes(frames, 16, 160, 208, 3));
        assertArrayEquals(frames, Clip.open(copy).snippet(0, 16));
    }

    @Test
    void brokenClipsNameTheFile() throws IOException {
        assertThrows(NoSuchFileException.class, () -> Clip.open(dir.resolve("absent")));
        Path noJson = Files.createDirectories(dir.resolve("nojson.clip"));
        assertThrows(NoSuchFileException.class, () -> Clip.open(noJson));
        Path mismatch = Files.createDirectories(dir.resolve("mismatch.clip"));
        Files.copy(clipDir.resolve(Clip.INFO_FILE), mismatch.resolve(Clip.INFO_FILE));
        Npy.write(mismatch.resolve(Clip.DATA_FILE),
                NpyArray.ofBytes(new byte[2 * 160 * 208 * 3], 2, 160, 208, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clip.open(mismatch));
        assertTrue(e.getMessage().contains("mismatch.clip"), e.getMessage());
        Path floats = Files.createDirectories(dir.resolve("floats.clip"));
        Files.copy(clipDir.resolve(Clip.INFO_FILE), floats.resolve(Clip.INFO_FILE));
        Npy.write(floats.resolve(Clip.DATA_FILE), NpyArray.ofFloats(new float[6], 1, 1, 2, 3));
        e = assertThrows(IllegalArgumentException.class, () -> Clip.open(floats));
        assertTrue(e.getMessage().contains("not uint8"), e.getMessage());
    }

    @Test
    void theDescriptionRoundTrips() throws IOException {
        ClipInfo info = Clip.open(clipDir).info().orElseThrow();
        byte[] json = ClipJson.write(info);
        assertEquals(info, ClipJson.read(json, clipDir.resolve(Clip.INFO_FILE)));
        assertEquals(16, info.frameTimesMicros().length);
        assertEquals(3.125, info.fps());
        assertEquals(ClipInfo.FORMAT_VERSION, info.formatVersion());
    }
}
