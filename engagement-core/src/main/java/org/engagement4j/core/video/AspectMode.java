package org.engagement4j.core.video;

/**
 * How the output width follows from the output height. Both rules round the width to the nearest
 * multiple of 16 pixels, halves away from zero, exactly as FFmpeg's {@code scale=-16:H} computes it
 * ({@code w = 16 * round(H * inW / (inH * 16))}); they differ in which input width they use.
 *
 * <p>For the paper's camera (1440x1080 stored, sample aspect 4:3, shown 16:9) at height 160:
 * {@link #STORAGE} gives 208 (13 x 16, from 160 x 1440 / 1080 = 213.3), the frames the reference
 * network and its annotators saw, horizontally squeezed; {@link #DISPLAY} gives 288 (18 x 16,
 * from 160 x 1920 / 1080 = 284.4), undistorted. For square-pixel video both give the same width.
 *
 * @since 0.1.0
 */
public enum AspectMode {

    /**
     * The stored pixel grid's aspect, ignoring the sample aspect ratio: what FFmpeg's
     * {@code scale=-16:160} does and what the reference preprocessing produced. The default.
     */
    STORAGE,

    /**
     * The display aspect: stored width times the sample aspect ratio (SAR). Pixels of the output
     * are square.
     */
    DISPLAY
}
