package org.engagement4j.core.sampling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * Evaluation sampling for human-machine agreement (paper Section 4.2; REFERENCE.md §10): per
 * session and task, back-to-back non-overlapping windows over the span shared by all coders (the
 * minimal interval, {@link CodedSession#sharedSpan(Task)}). Window {@code j} is
 * {@code [s + j w, s + (j+1) w)} for {@code j < floor((e - s) / w)}, shared span {@code [s, e)},
 * window length {@code w}; the remainder at the end is not used. Every coder of the session labels
 * every window with the > 50 % rule ({@link SnippetShape#label(long)}).
 *
 * <p>No shared span (a coder lacks the task, or the spans do not overlap), or one shorter than a
 * window, gives no windows. A window overlapping any coder's masked time is left out (every
 * coder's label is used, so every coder's mask applies); the others keep their slot
 * {@link EvaluationWindow#index() index}, so the grid never shifts. There is no randomness.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class EvaluationWindows {

    private final SnippetShape shape;

    private EvaluationWindows(SnippetShape shape) {
        this.shape = shape;
    }

    /** @return windows of the reference shape (5000 ms, 15 frames at 3.125 fps) */
    public static EvaluationWindows withDefaults() {
        return new EvaluationWindows(SnippetShape.reference());
    }

    /**
     * @param shape window length, frame count and frame rate
     * @return a copy with that shape
     */
    public EvaluationWindows withShape(SnippetShape shape) {
        return new EvaluationWindows(Objects.requireNonNull(shape, "shape"));
    }

    /** @return the snippet shape */
    public SnippetShape shape() {
        return shape;
    }

    /**
     * @param session a session
     * @param task a task
     * @return the windows in time order (possibly none)
     */
    public List<EvaluationWindow> windows(CodedSession session, Task task) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(task, "task");
        List<EvaluationWindow> out = new ArrayList<>();
        Optional<Interval> shared = session.sharedSpan(task);
        if (shared.isEmpty()) {
            return out;
        }
        long s = shared.get().startMs();
        // Bounded by the int index; a longer span would need a window under a millisecond.
        int count = (int) Math.min(Integer.MAX_VALUE,
                shared.get().durationMs() / shape.windowMs());
        for (int j = 0; j < count; j++) {
            long start = s + j * shape.windowMs();
            Interval window = shape.window(start);
            boolean masked = false;
            for (CoderAnnotations c : session.coders().values()) {
                masked |= c.masked().overlapMs(window) > 0;
            }
            if (masked) {
                continue;
            }
            Map<String, Map<Variable, Boolean>> labels = new TreeMap<>();
            Map<String, Map<Variable, Long>> engaged = new TreeMap<>();
            for (CoderAnnotations c : session.coders().values()) {
                Map<Variable, Long> e = LabelMaps.engagedMs(c, task, window);
                engaged.put(c.coder(), e);
                labels.put(c.coder(), LabelMaps.labels(e, shape));
            }
            out.add(new EvaluationWindow(session.session(), task, j, start,
                    shape.startFrame(start), shape.frameCount(), shape.windowMs(), labels,
                    engaged));
        }
        return out;
    }

    /**
     * @param sessions sessions (e.g. the test fold)
     * @param task a task
     * @return the windows of every session, sessions in id order
     */
    public List<EvaluationWindow> windows(Collection<CodedSession> sessions, Task task) {
        List<CodedSession> sorted = new ArrayList<>(Objects.requireNonNull(sessions, "sessions"));
        sorted.sort(Comparator.comparing(CodedSession::session));
        List<EvaluationWindow> out = new ArrayList<>();
        for (CodedSession s : sorted) {
            out.addAll(windows(s, task));
        }
        return out;
    }
}
