package org.engagement4j.xai.render;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.video.Mp4Writer;

/**
 * Writes pictures as a video: an H.264 MP4 through core's {@link Mp4Writer} (OpenH264, YUV 4:2:0,
 * BT.601 limited range), so overlays can be played at the snippet's own frame rate in any player.
 * Like {@link ImageFiles}, the write is atomic: the target appears complete or not at all.
 *
 * @since 0.1.0
 */
public final class VideoFiles {

    private VideoFiles() {
    }

    /**
     * An MP4 showing each image for {@code 1 / fps} seconds. Colours come back approximately
     * (lossy coding, chroma at half resolution); an odd width or height is padded to even by
     * repeating the last column or row (see {@link Mp4Writer}).
     *
     * @param file the target, replaced if it exists; its folder must exist
     * @param images at least one image, all of the first one's size, at least 2 x 2
     * @param fps frames per second, finite, in (0, 1000] (3.125 for the paper's snippets)
     * @throws IllegalArgumentException if {@code images} is empty, the sizes differ or are
     *     below 2 x 2, or {@code fps} is out of range; the target is then left alone
     * @throws IOException if the file cannot be written or FFmpeg fails; the target is then
     *     left alone
     */
    public static void writeMp4(Path file, List<BufferedImage> images, double fps)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "MP4 %s: need at least one image", file));
        }
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        for (int i = 1; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            if (img.getWidth() != w || img.getHeight() != h) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "MP4 %s: image %d is %dx%d, image 0 is %dx%d; all must have one size",
                        file, i, img.getWidth(), img.getHeight(), w, h));
            }
        }
        int[] px = new int[w * h];
        Mp4Writer mp4 = Mp4Writer.open(file, w, h, fps);
        try {
            for (BufferedImage img : images) {
                img.getRGB(0, 0, w, h, px, 0, w);
                mp4.writeFrame(px);
            }
        } catch (IOException | RuntimeException | Error e) {
            mp4.abort();
            throw e;
        }
        mp4.close();
    }
}
