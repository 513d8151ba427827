package org.engagement4j.xai.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.engagement4j.core.video.ClipSettings;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoInfo;
import org.engagement4j.core.video.VideoPreprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MP4 export: decodes back with the frame count, size, rate and approximate colours. */
class VideoFilesTest {

    @TempDir
    Path tmp;

    private static BufferedImage flat(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void mp4RoundTrip() throws Exception {
        int[] colours = {0xd02020, 0x20c030, 0x2030d0, 0xe0d040};
        List<BufferedImage> imgs = new ArrayList<>();
        for (int c : colours) {
            imgs.add(flat(32, 32, c));
        }
        Path f = tmp.resolve("o.mp4");
        VideoFiles.writeMp4(f, imgs, 3.125);
        VideoInfo info = VideoPreprocessor.probe(f);
        assertEquals(32, info.storedWidth());
        assertEquals(32, info.storedHeight());
        assertEquals(3.125, info.frameRate(), 1e-6);
        List<int[]> centres = new ArrayList<>();
        VideoPreprocessor.reference()
                .withSettings(ClipSettings.reference().withHeight(32).withFps(3.125))
                .decode(f, (i, us, rgb) -> {
                    int p = rgb.position() + 3 * (16 * 32 + 16);
                    centres.add(new int[] {Byte.toUnsignedInt(rgb.get(p)),
                        Byte.toUnsignedInt(rgb.get(p + 1)), Byte.toUnsignedInt(rgb.get(p + 2))});
                }, ProgressListener.NONE);
        assertEquals(colours.length, centres.size());
        for (int t = 0; t < colours.length; t++) {
            for (int k = 0; k < 3; k++) {
                int want = (colours[t] >> (16 - 8 * k)) & 0xFF;
                assertEquals(want, centres.get(t)[k], 12, "frame " + t + " channel " + k);
            }
        }
    }

    @Test
    void badInputLeavesNoFile() throws Exception {
        Path f = tmp.resolve("bad.mp4");
        assertThrows(IllegalArgumentException.class, () -> VideoFiles.writeMp4(f, List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> VideoFiles.writeMp4(f,
                List.of(flat(8, 8, 0), flat(8, 6, 0)), 1));
        assertThrows(IllegalArgumentException.class,
                () -> VideoFiles.writeMp4(f, List.of(flat(8, 8, 0)), -1));
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.findAny().isPresent(), "no target and no temporary file");
        }
    }
}
