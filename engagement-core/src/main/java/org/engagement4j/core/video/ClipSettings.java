package org.engagement4j.core.video;

import java.util.Locale;
import java.util.Objects;

/**
 * How a recording is turned into a clip: output height and frame rate, the width rule, the frame
 * selection rule and deinterlacing. Two clips made with equal settings from the same file hold the
 * same frames; a cached clip made with other settings is stale ({@link CacheStatus}).
 *
 * <p>The reference settings ({@link #reference()}) reproduce the paper's preprocessing: height
 * 160, 3.125 frames per second (25/8), width from the stored aspect rounded to a multiple of 16
 * (208 for the paper's camera), no deinterlacing; frames are picked by {@link
 * FrameSelection#NEAREST} (the reference's FFmpeg {@code fps} filter picks 3 source frames later,
 * see {@link FrameSelection#FFMPEG_FPS_FILTER}).
 *
 * @param height output height in pixels, in [16, 4320]
 * @param fps output frames per second, in (0, 240], with at most 6 decimal places (it is used as
 *     the exact fraction its decimal spelling gives: 3.125 = 25/8)
 * @param aspect how the width follows from the height
 * @param selection which source frame fills each output slot
 * @param deinterlace whether and how interlaced frames are deinterlaced
 * @since 0.1.0
 */
public record ClipSettings(int height, double fps, AspectMode aspect, FrameSelection selection,
        Deinterlace deinterlace) {

    /** The paper's output height in pixels. */
    public static final int REFERENCE_HEIGHT = 160;

    /** The paper's output frame rate, 25 / 8 frames per second. */
    public static final double REFERENCE_FPS = 3.125;

    /**
     * @throws IllegalArgumentException if the height or fps is out of range
     */
    public ClipSettings {
        Objects.requireNonNull(aspect, "aspect");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(deinterlace, "deinterlace");
        if (height < 16 || height > 4320) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "height %d must be in [16, 4320] pixels", height));
        }
        Rational.ofFps(fps);
    }

    /** @return height 160, 3.125 fps, {@code STORAGE} aspect, {@code NEAREST}, no deinterlacing */
    public static ClipSettings reference() {
        return new ClipSettings(REFERENCE_HEIGHT, REFERENCE_FPS, AspectMode.STORAGE,
                FrameSelection.NEAREST, Deinterlace.OFF);
    }

    /**
     * @param newHeight the output height
     * @return these settings with another height
     */
    public ClipSettings withHeight(int newHeight) {
        return new ClipSettings(newHeight, fps, aspect, selection, deinterlace);
    }

    /**
     * @param newFps the output frame rate
     * @return these settings with another frame rate
     */
    public ClipSettings withFps(double newFps) {
        return new ClipSettings(height, newFps, aspect, selection, deinterlace);
    }

    /**
     * @param newAspect the width rule
     * @return these settings with another width rule
     */
    public ClipSettings withAspect(AspectMode newAspect) {
        return new ClipSettings(height, fps, newAspect, selection, deinterlace);
    }

    /**
     * @param newSelection the frame selection rule
     * @return these settings with another frame selection rule
     */
    public ClipSettings withSelection(FrameSelection newSelection) {
        return new ClipSettings(height, fps, aspect, newSelection, deinterlace);
    }

    /**
     * @param newDeinterlace the deinterlacing mode
     * @return these settings with another deinterlacing mode
     */
    public ClipSettings withDeinterlace(Deinterlace newDeinterlace) {
        return new ClipSettings(height, fps, aspect, selection, newDeinterlace);
    }

    /**
     * The output size for a recording: height {@link #height()}, width
     * {@code 16 * round(height * inW / (inH * 16))} with halves rounded up, where {@code inW x inH}
     * is the displayed orientation's stored size ({@link AspectMode#STORAGE}) or display size
     * ({@link AspectMode#DISPLAY}). This is FFmpeg's {@code scale=-16:H} arithmetic
     * ({@code av_rescale}, round to nearest, halves away from zero).
     *
     * @param video the recording's facts
     * @return {@code {width, height}}
     * @throws IllegalArgumentException if the width would be below 16 pixels or above 16384
     */
    public int[] outputSize(VideoInfo video) {
        long w;
        long h;
        if (aspect == AspectMode.STORAGE) {
            w = video.quarterTurned() ? video.storedHeight() : video.storedWidth();
            h = video.quarterTurned() ? video.storedWidth() : video.storedHeight();
        } else {
            long sw = (long) video.storedWidth() * video.sarNum();
            long sh = (long) video.storedHeight() * video.sarDen();
            w = video.quarterTurned() ? sh : sw;
            h = video.quarterTurned() ? sw : sh;
        }
        long c = h * 16;
        long blocks = ((long) height * w + c / 2) / c;
        long width = blocks * 16;
        if (width < 16 || width > 16384) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "output width %d for height %d and input %dx%d (%s aspect) must be in "
                            + "[16, 16384]", width, height, w, h, aspect));
        }
        return new int[] {(int) width, height};
    }
}
