package org.engagement4j.core.model;

import java.util.Objects;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.video.Clip;

/**
 * Supplies the normalised network input for a window of a recording: what
 * {@link TimelineScorer} slides over. The usual source is a preprocessed {@link Clip} with a
 * {@link SnippetEncoder} ({@link #of(Clip, SnippetEncoder)}); tests and other frame stores
 * implement the interface directly.
 *
 * <p>Implementations must be safe to call from the scoring thread; they need not be thread-safe.
 *
 * @since 0.1.0
 */
public interface WindowSource {

    /** @return the number of frames of the recording, at least 0 */
    int frames();

    /** @return the frame rate, finite and positive */
    double fps();

    /** @return the number of frames of one window, at least 1 */
    int windowFrames();

    /**
     * The network input for the window {@code [startFrame, startFrame + windowFrames())}.
     *
     * @param startFrame the window's first frame, {@code 0 <= startFrame <= frames() -
     *     windowFrames()}
     * @return a normalised {@code [C, windowFrames(), H, W]} clip
     * @throws IndexOutOfBoundsException if the window does not lie inside the recording
     */
    ClipTensor window(int startFrame);

    /**
     * Windows of a preprocessed recording, encoded (normalised, centre-cropped) on demand.
     *
     * @param clip the recording
     * @param encoder the encoding, with the model's normalisation statistics
     * @return the source
     * @throws NullPointerException if an argument is null
     */
    static WindowSource of(Clip clip, SnippetEncoder encoder) {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(encoder, "encoder");
        return new WindowSource() {
            @Override
            public int frames() {
                return clip.frames();
            }

            @Override
            public double fps() {
                return clip.fps();
            }

            @Override
            public int windowFrames() {
                return encoder.windowFrames();
            }

            @Override
            public ClipTensor window(int startFrame) {
                return encoder.encode(clip, startFrame);
            }

            @Override
            public String toString() {
                return "WindowSource[" + clip + ", " + encoder + "]";
            }
        };
    }
}
