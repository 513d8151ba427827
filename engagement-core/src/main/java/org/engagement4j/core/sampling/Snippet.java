package org.engagement4j.core.sampling;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * One training snippet (REFERENCE.md §3): a window of one session, labelled by one coder.
 *
 * <p>The frames are {@code [startFrame, startFrame + frameCount)} of the preprocessed video; the
 * label window is {@code [startMs, startMs + windowMs)}. The two are kept apart on purpose (see
 * {@link SnippetShape}): 15 frames at 3.125 fps cover 4.8 s, the label uses 5 s.
 *
 * @param session the session id
 * @param coder the coder whose task span and labels were used
 * @param task the task
 * @param index the snippet's position in its session's epoch plan (its chunk, from 0)
 * @param startMs start of the label window, ms from the start of the recording
 * @param startFrame first frame, {@code floor(startMs * fps / 1000)}
 * @param frameCount number of frames
 * @param windowMs length of the label window in ms
 * @param labels per variable: engaged iff {@code 2 * engagedMs > windowMs}
 * @param engagedMs per variable: the coder's engaged milliseconds inside the window
 * @since 0.1.0
 */
public record Snippet(String session, String coder, Task task, int index, long startMs,
        int startFrame, int frameCount, long windowMs, Map<Variable, Boolean> labels,
        Map<Variable, Long> engagedMs) {

    /**
     * @throws IllegalArgumentException if a number is out of range, or the maps do not give
     *     every variable, or an engaged time lies outside {@code [0, windowMs]}
     */
    public Snippet {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(coder, "coder");
        Objects.requireNonNull(task, "task");
        if (index < 0 || startMs < 0 || startFrame < 0 || frameCount <= 0 || windowMs <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippet %d of session %s: need index >= 0, startMs >= 0, startFrame >= 0,"
                            + " frameCount > 0, windowMs > 0; got %d, %d, %d, %d, %d",
                    index, session, index, startMs, startFrame, frameCount, windowMs));
        }
        labels = LabelMaps.copyComplete(labels, "labels");
        engagedMs = LabelMaps.copyComplete(engagedMs, "engagedMs");
        LabelMaps.checkEngaged(engagedMs, windowMs, "snippet " + index + " of session " + session);
    }

    /** @return the label window {@code [startMs, startMs + windowMs)} */
    public Interval window() {
        return Interval.of(startMs, startMs + windowMs);
    }

    /** @return the first frame after the snippet */
    public int endFrame() {
        return startFrame + frameCount;
    }

    /**
     * @param variable a variable
     * @return the coder's label for it
     */
    public boolean label(Variable variable) {
        return labels.get(variable);
    }

    /**
     * @param variable a variable
     * @return the coder's engaged milliseconds inside the window
     */
    public long engagedMs(Variable variable) {
        return engagedMs.get(variable);
    }
}
