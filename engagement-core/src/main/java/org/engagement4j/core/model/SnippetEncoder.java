package org.engagement4j.core.model;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.video.Clip;

/**
 * Frames to network input: the first step of classification, separate from running the model so
 * it can be tested and reused without ONNX Runtime (DESIGN.md, "separate encoding, running and
 * decoding").
 *
 * <p>A snippet of uint8 RGB frames {@code [T, H, W, 3]} (as the clip cache stores them) is
 * normalised per channel with the <em>training</em> folds' statistics ({@link Normalization})
 * and centre-cropped to {@code size x size} ({@link TestTransform} without flip, the
 * deterministic form of the reference's evaluation transform, REFERENCE.md §5), giving the
 * {@code [3, T, size, size]} clip the classifier takes. Windows of a {@link Clip} are
 * {@link #windowFrames()} frames long (15 at 3.125 fps: 4.8 s, while the reference's label uses a
 * 5 s window; the two numbers are kept separate on purpose, REFERENCE.md §3).
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class SnippetEncoder {

    /** The reference's snippet length in frames: {@code int(5 * 3.125)}. */
    public static final int REFERENCE_WINDOW_FRAMES = 15;

    private final Normalization normalization;
    private final TestTransform crop;
    private final int windowFrames;

    private SnippetEncoder(Normalization normalization, TestTransform crop, int windowFrames) {
        this.normalization = normalization;
        this.crop = crop;
        this.windowFrames = windowFrames;
    }

    /**
     * The reference's encoding: the given statistics, centre crop {@value TestTransform#SIZE},
     * windows of {@value #REFERENCE_WINDOW_FRAMES} frames.
     *
     * @param normalization the training folds' per-channel statistics (stored with the model)
     * @return the encoder
     * @throws NullPointerException if {@code normalization} is null
     */
    public static SnippetEncoder of(Normalization normalization) {
        Objects.requireNonNull(normalization, "normalization");
        return new SnippetEncoder(normalization, TestTransform.of(TestTransform.SIZE),
                REFERENCE_WINDOW_FRAMES);
    }

    /**
     * @param size the side of the square centre crop, at least 1 (frames smaller than that are
     *     zero-padded, as torchvision's {@code CenterCrop})
     * @return an encoder with that crop
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public SnippetEncoder withCropSize(int size) {
        return new SnippetEncoder(normalization, TestTransform.of(size), windowFrames);
    }

    /**
     * @param frames the number of frames of one window, at least 1
     * @return an encoder with that window length
     * @throws IllegalArgumentException if {@code frames} is below 1
     */
    public SnippetEncoder withWindowFrames(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frames: %d, a window needs at least 1 frame", frames));
        }
        return new SnippetEncoder(normalization, crop, frames);
    }

    /** @return the normalisation */
    public Normalization normalization() {
        return normalization;
    }

    /** @return the side of the square centre crop */
    public int cropSize() {
        return crop.size();
    }

    /** @return the number of frames of one window */
    public int windowFrames() {
        return windowFrames;
    }

    /**
     * Encodes frames of any length.
     *
     * @param thwc uint8 RGB values in {@code [T, H, W, 3]} order
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the normalised, centre-cropped {@code [3, T, size, size]} clip
     * @throws IllegalArgumentException if a dimension is below 1 or {@code thwc.length} is not
     *     {@code T * H * W * 3}
     */
    public ClipTensor encode(byte[] thwc, int frames, int height, int width) {
        return crop.apply(normalization.apply(thwc, frames, height, width));
    }

    /**
     * Encodes the window of {@link #windowFrames()} frames of a clip that starts at
     * {@code startFrame}.
     *
     * @param clip the preprocessed recording
     * @param startFrame the window's first frame, {@code 0 <= startFrame <= clip.frames() -
     *     windowFrames()}
     * @return the normalised, centre-cropped {@code [3, windowFrames, size, size]} clip
     * @throws IndexOutOfBoundsException if the window does not lie inside the clip (the message
     *     gives both ranges)
     */
    public ClipTensor encode(Clip clip, int startFrame) {
        Objects.requireNonNull(clip, "clip");
        if (startFrame < 0 || startFrame > clip.frames() - windowFrames) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "window [%d, %d) is not inside the clip's frames [0, %d)", startFrame,
                    (long) startFrame + windowFrames, clip.frames()));
        }
        return encode(clip.snippet(startFrame, windowFrames), windowFrames, clip.height(),
                clip.width());
    }

    /**
     * The reference's conversion of a time to a frame: {@code int(startMs * fps / 1000)}, i.e.
     * rounded towards zero (REFERENCE.md §3).
     *
     * @param startMs a time in milliseconds from the start of the recording, at least 0
     * @param fps the clip's frame rate, finite and positive
     * @return the frame that contains that time
     * @throws IllegalArgumentException if {@code startMs} is negative or {@code fps} is not
     *     finite and positive
     */
    public static int startFrame(long startMs, double fps) {
        if (startMs < 0 || !(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "startMs %d at %s fps: the time must be >= 0 and fps finite and > 0", startMs,
                    fps));
        }
        double f = Math.floor(startMs * fps / 1000.0);
        if (f > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "startMs %d at %s fps is frame %s, beyond the largest frame index", startMs,
                    fps, f));
        }
        return (int) f;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SnippetEncoder[%s, crop %d, %d frames]", normalization,
                crop.size(), windowFrames);
    }
}
