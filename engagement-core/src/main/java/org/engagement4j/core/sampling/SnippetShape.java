package org.engagement4j.core.sampling;

import java.util.Locale;
import org.engagement4j.core.annotation.Interval;

/**
 * The size of a snippet: the label window in milliseconds and the frames fed to the network, kept
 * as two separate, explicit numbers (REFERENCE.md §3).
 *
 * <p>In the reference, the label uses a 5000 ms window while the network sees
 * {@code int(5 * 3.125) = 15} frames at 3.125 fps, which cover only {@code 15 / 3.125 = 4.8} s
 * (see {@link #frameSpanMs()}): the last 200 ms of the labelled window are never shown. This class
 * keeps that behaviour by default and makes it visible instead of deriving one number from the
 * other.
 *
 * <p>Start frame of a snippet starting at {@code startMs}:
 * {@code floor(startMs * fps / 1000)} (the reference's {@code int(...)} on a non-negative value).
 *
 * @param windowMs length of the label window in milliseconds, {@code > 0}
 * @param frameCount frames per snippet, {@code > 0}
 * @param fps frame rate of the (preprocessed) video, finite and {@code > 0}
 * @since 0.1.0
 */
public record SnippetShape(long windowMs, int frameCount, double fps) {

    /** Label window of the reference, 5 s. */
    public static final long REFERENCE_WINDOW_MS = 5000;
    /** Frames per snippet of the reference, {@code int(5 * 3.125)}. */
    public static final int REFERENCE_FRAME_COUNT = 15;
    /** Frame rate of the reference's preprocessed video, 25 / 8. */
    public static final double REFERENCE_FPS = 3.125;

    /**
     * @throws IllegalArgumentException if a value is not positive or {@code fps} is not finite
     */
    public SnippetShape {
        if (windowMs <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippet window must be > 0 ms, got %d", windowMs));
        }
        if (frameCount <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippet frame count must be > 0, got %d", frameCount));
        }
        if (!(fps > 0) || !Double.isFinite(fps)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame rate must be finite and > 0, got %s", fps));
        }
    }

    /** @return the reference shape: 5000 ms window, 15 frames at 3.125 fps */
    public static SnippetShape reference() {
        return new SnippetShape(REFERENCE_WINDOW_MS, REFERENCE_FRAME_COUNT, REFERENCE_FPS);
    }

    /**
     * @param windowMs label window in milliseconds
     * @return a copy with that window (the frame count is unchanged)
     */
    public SnippetShape withWindowMs(long windowMs) {
        return new SnippetShape(windowMs, frameCount, fps);
    }

    /**
     * @param frameCount frames per snippet
     * @return a copy with that frame count (the window is unchanged)
     */
    public SnippetShape withFrameCount(int frameCount) {
        return new SnippetShape(windowMs, frameCount, fps);
    }

    /**
     * @param fps frame rate
     * @return a copy with that frame rate
     */
    public SnippetShape withFps(double fps) {
        return new SnippetShape(windowMs, frameCount, fps);
    }

    /**
     * @param startMs a start time, {@code >= 0}
     * @return {@code floor(startMs * fps / 1000)}
     * @throws IllegalArgumentException if {@code startMs < 0} or the frame index exceeds
     *     {@code Integer.MAX_VALUE}
     */
    public int startFrame(long startMs) {
        if (startMs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippet start must be >= 0 ms, got %d", startMs));
        }
        double f = Math.floor(startMs * fps / 1000.0);
        if (f > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "start %d ms at %s fps is beyond the last representable frame", startMs, fps));
        }
        return (int) f;
    }

    /** @return the time the frames cover, {@code frameCount * 1000 / fps} ms (4800 for the reference) */
    public double frameSpanMs() {
        return frameCount * 1000.0 / fps;
    }

    /**
     * @param startMs a start time
     * @return the label window {@code [startMs, startMs + windowMs)}
     */
    public Interval window(long startMs) {
        return Interval.of(startMs, startMs + windowMs);
    }

    /**
     * The label rule of the reference: engaged iff the engaged time inside the window is more
     * than half the window ({@code 2 * engagedMs > windowMs}; exactly half is not engaged).
     *
     * @param engagedMs engaged milliseconds inside the window
     * @return the binary label
     */
    public boolean label(long engagedMs) {
        return 2 * engagedMs > windowMs;
    }
}
