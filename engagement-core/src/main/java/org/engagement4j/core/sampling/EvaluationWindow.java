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
 * One evaluation window (REFERENCE.md §10): a fixed slot of the span shared by all coders, with
 * every coder's label and engaged time for both variables.
 *
 * @param session the session id
 * @param task the task
 * @param index the slot: the window starts {@code index * windowMs} after the shared span's start
 * @param startMs start of the window
 * @param startFrame first frame, {@code floor(startMs * fps / 1000)}
 * @param frameCount number of frames
 * @param windowMs window length in ms
 * @param labels per coder (name order) and variable: engaged iff {@code 2 * engagedMs > windowMs}
 * @param engagedMs per coder and variable: engaged milliseconds inside the window
 * @since 0.1.0
 */
public record EvaluationWindow(String session, Task task, int index, long startMs,
        int startFrame, int frameCount, long windowMs,
        Map<String, Map<Variable, Boolean>> labels, Map<String, Map<Variable, Long>> engagedMs) {

    /**
     * @throws IllegalArgumentException if a number is out of range, the coder sets of the two maps
     *     differ, or a per-variable map misses a variable
     */
    public EvaluationWindow {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(task, "task");
        if (index < 0 || startMs < 0 || startFrame < 0 || frameCount <= 0 || windowMs <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "window %d of session %s: need index >= 0, startMs >= 0, startFrame >= 0,"
                            + " frameCount > 0, windowMs > 0; got %d, %d, %d, %d, %d",
                    index, session, index, startMs, startFrame, frameCount, windowMs));
        }
        TreeMap<String, Map<Variable, Boolean>> l = new TreeMap<>();
        for (Map.Entry<String, Map<Variable, Boolean>> e : Objects.requireNonNull(labels,
                "labels").entrySet()) {
            l.put(Objects.requireNonNull(e.getKey(), "coder"),
                    LabelMaps.copyComplete(e.getValue(), "labels of " + e.getKey()));
        }
        TreeMap<String, Map<Variable, Long>> m = new TreeMap<>();
        for (Map.Entry<String, Map<Variable, Long>> e : Objects.requireNonNull(engagedMs,
                "engagedMs").entrySet()) {
            Map<Variable, Long> c = LabelMaps.copyComplete(e.getValue(),
                    "engagedMs of " + e.getKey());
            LabelMaps.checkEngaged(c, windowMs, "window " + index + " of session " + session);
            m.put(Objects.requireNonNull(e.getKey(), "coder"), c);
        }
        if (!l.keySet().equals(m.keySet())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "window %d of session %s: labels name coders %s, engaged times %s", index,
                    session, l.keySet(), m.keySet()));
        }
        labels = Collections.unmodifiableMap(l);
        engagedMs = Collections.unmodifiableMap(m);
    }

    /** @return the window {@code [startMs, startMs + windowMs)} */
    public Interval window() {
        return Interval.of(startMs, startMs + windowMs);
    }

    /**
     * @param coder a coder of the session
     * @param variable a variable
     * @return that coder's label
     * @throws IllegalArgumentException naming the known coders if there is no such coder
     */
    public boolean label(String coder, Variable variable) {
        Map<Variable, Boolean> m = labels.get(coder);
        if (m == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "window %d of session %s has no coder %s; expected one of %s", index, session,
                    coder, labels.keySet()));
        }
        return m.get(variable);
    }
}
