package org.engagement4j.core.video;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Facts about a recording's video stream, read from its container and codec headers without
 * decoding the pictures ({@link VideoPreprocessor#probe}).
 *
 * <p>The displayed picture is the stored one stretched by the sample aspect ratio, then rotated
 * clockwise by {@code rotation} degrees: {@link #displayWidth()} and {@link #displayHeight()}.
 * For the paper's camera: stored 1440x1080, SAR 4:3, rotation 0, shown 1920x1080.
 *
 * @param container the container format as FFmpeg names it ({@code "mpegts"},
 *     {@code "mov,mp4,m4a,3gp,3g2,mj2"})
 * @param codec the video codec as FFmpeg names it ({@code "h264"})
 * @param storedWidth width of the coded picture in pixels, {@code > 0}
 * @param storedHeight height of the coded picture in pixels, {@code > 0}
 * @param sarNum sample (pixel) aspect ratio numerator, {@code > 0}; 1:1 when the file says nothing
 * @param sarDen sample aspect ratio denominator, {@code > 0}
 * @param rotation clockwise rotation to apply for display from the stream's display matrix:
 *     0, 90, 180 or 270 (other angles are rounded to the nearest of these)
 * @param fieldOrder {@code "progressive"}, {@code "tt"} / {@code "bb"} (interlaced, top or bottom
 *     field first), {@code "tb"} / {@code "bt"} (interlaced, fields coded in the other order) or
 *     {@code "unknown"}
 * @param frameRate the stream's average (or, failing that, nominal) frame rate in frames per
 *     second; {@code 0} when the file does not say. Informational only: selection uses timestamps.
 * @param durationMicros the video stream's declared duration in microseconds, when the container
 *     declares one
 * @since 0.1.0
 */
public record VideoInfo(String container, String codec, int storedWidth, int storedHeight,
        int sarNum, int sarDen, int rotation, String fieldOrder, double frameRate,
        OptionalLong durationMicros) {

    /**
     * @throws IllegalArgumentException if a size or ratio is not positive, the rotation is not a
     *     multiple of 90 in [0, 270], or the frame rate is negative or not finite
     */
    public VideoInfo {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(fieldOrder, "fieldOrder");
        Objects.requireNonNull(durationMicros, "durationMicros");
        if (storedWidth <= 0 || storedHeight <= 0 || sarNum <= 0 || sarDen <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "stored size %dx%d and sample aspect %d:%d must be positive", storedWidth,
                    storedHeight, sarNum, sarDen));
        }
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rotation %d must be 0, 90, 180 or 270", rotation));
        }
        if (!(frameRate >= 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame rate %s must be finite and >= 0", frameRate));
        }
    }

    /** @return whether the stream declares interlaced coding */
    public boolean interlaced() {
        return !fieldOrder.equals("progressive") && !fieldOrder.equals("unknown");
    }

    /** @return whether the picture is turned by 90 or 270 degrees for display */
    public boolean quarterTurned() {
        return rotation == 90 || rotation == 270;
    }

    /**
     * @return the displayed width in pixels: {@code round(storedWidth * sar)}, or the stored height
     *     when the picture is quarter-turned
     */
    public int displayWidth() {
        return quarterTurned() ? storedHeight : sarWidth();
    }

    /** @return the displayed height in pixels (the stretched stored width when quarter-turned) */
    public int displayHeight() {
        return quarterTurned() ? sarWidth() : storedHeight;
    }

    private int sarWidth() {
        return (int) Math.round((double) storedWidth * sarNum / sarDen);
    }
}
