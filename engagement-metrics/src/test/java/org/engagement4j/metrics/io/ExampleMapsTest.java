package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.NpyArray.DType;
import org.junit.jupiter.api.Test;

/**
 * The bundled maps in {@code examples/data} (made by {@code tools/fixtures/example_maps.py}) are
 * what the README's first command reads: they must stay readable and keep their documented form.
 */
class ExampleMapsTest {

    /** Surefire runs with the module folder as working directory. */
    static final Path DATA = Path.of("..", "examples", "data");

    static NpyArray read(String name) throws IOException {
        NpyArray a = Npy.read(DATA.resolve(name));
        assertEquals(DType.FLOAT32, a.dtype(), name);
        return a;
    }

    @Test
    void humanMapIsPaintedInZeroOneWithOneUnpaintedFrame() throws IOException {
        NpyArray a = read("human.npy");
        assertArrayEquals(new int[] {15, 160, 208}, a.shape());
        Volume v = Npy.readVolume(DATA.resolve("human.npy"));
        assertEquals(0.0, v.min());
        assertEquals(1.0, v.max());
        for (int t = 0; t < v.frames(); t++) {
            double max = Volume.of(v.frame(t), 1, v.height(), v.width()).max();
            if (t == 11) {
                assertEquals(0.0, max, "frame 11 is left unpainted");
            } else {
                assertTrue(max > 0.3, "frame " + t + " is painted");
            }
        }
    }

    @Test
    void fineMachineMapsAreMinMaxNormalised() throws IOException {
        for (String name : new String[] {"guided_gradcam.npy", "saliency.npy"}) {
            NpyArray a = read(name);
            assertArrayEquals(new int[] {15, 160, 160}, a.shape(), name);
            Volume v = a.toVolume();
            assertEquals(0.0, v.min(), name);
            assertEquals(1.0, v.max(), name);
        }
    }

    @Test
    void gradCamIsCoarseRawAndNonNegative() throws IOException {
        NpyArray a = read("gradcam.npy");
        assertArrayEquals(new int[] {15, 10, 10}, a.shape());
        Volume v = a.toVolume();
        assertEquals(0.0, v.min());
        assertTrue(v.max() > 1.0, "raw Grad-CAM is not normalised");
    }

    @Test
    void theFilesAreExactlyWhatThisLibraryWouldWrite() throws IOException {
        for (String name : new String[] {"human.npy", "guided_gradcam.npy", "saliency.npy",
            "gradcam.npy"}) {
            NpyArray a = read(name);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            Npy.write(out, a);
            assertArrayEquals(java.nio.file.Files.readAllBytes(DATA.resolve(name)),
                    out.toByteArray(), name);
        }
    }
}
