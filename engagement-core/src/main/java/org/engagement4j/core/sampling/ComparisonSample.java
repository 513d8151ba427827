package org.engagement4j.core.sampling;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * One snippet of the comparison set (paper Section 3.4; REFERENCE.md §8): a window of a session
 * the painter never coded, on whose label every coder of that session agrees.
 *
 * @param painter the coder who will paint the attention map
 * @param session the session id (one the painter did not code)
 * @param task the task
 * @param variable the target variable
 * @param label the consensus label of the session's coders
 * @param startMs start of the window
 * @param startFrame first frame, {@code floor(startMs * fps / 1000)}
 * @param frameCount number of frames
 * @param windowMs window length in ms
 * @param engagedMs per coder of the session: engaged ms of {@code variable} inside the window
 * @since 0.1.0
 */
public record ComparisonSample(String painter, String session, Task task, Variable variable,
        boolean label, long startMs, int startFrame, int frameCount, long windowMs,
        Map<String, Long> engagedMs) {

    /**
     * @throws IllegalArgumentException if a number is out of range or an engaged time lies
     *     outside {@code [0, windowMs]}
     */
    public ComparisonSample {
        Objects.requireNonNull(painter, "painter");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        if (startMs < 0 || startFrame < 0 || frameCount <= 0 || windowMs <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "comparison sample of session %s: need startMs >= 0, startFrame >= 0,"
                            + " frameCount > 0, windowMs > 0; got %d, %d, %d, %d",
                    session, startMs, startFrame, frameCount, windowMs));
        }
        TreeMap<String, Long> m = new TreeMap<>();
        for (Map.Entry<String, Long> e : Objects.requireNonNull(engagedMs, "engagedMs")
                .entrySet()) {
            long v = Objects.requireNonNull(e.getValue(), "engaged ms");
            if (v < 0 || v > windowMs) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "comparison sample of session %s: engaged time %d ms of coder %s outside"
                                + " [0, %d]", session, v, e.getKey(), windowMs));
            }
            m.put(Objects.requireNonNull(e.getKey(), "coder"), v);
        }
        engagedMs = Collections.unmodifiableMap(m);
    }

    /** @return the window {@code [startMs, startMs + windowMs)} */
    public Interval window() {
        return Interval.of(startMs, startMs + windowMs);
    }
}
