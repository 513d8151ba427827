package org.engagement4j.core.annotation;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One coder's annotations of one session, after role mapping: for each task the coder marked,
 * the task span, and inside it the engaged time of each variable; plus time masked out of
 * sampling (the reference's {@code ignore} tier).
 *
 * <p>Invariant (checked): every engaged set lies inside its task span. Time inside the span and
 * outside the engaged set is "not engaged" (REFERENCE.md §1).
 *
 * @param coder the coder's name (e.g. the {@code <coder>} part of the file name)
 * @param taskSpans task span per task this coder marked
 * @param engaged engaged time per task and variable, each inside that task's span; a variable
 *     missing for a task means never engaged
 * @param masked time excluded from sampling (may be empty)
 * @since 0.1.0
 */
public record CoderAnnotations(String coder, Map<Task, Interval> taskSpans,
        Map<Task, Map<Variable, IntervalSet>> engaged, IntervalSet masked) {

    /**
     * @throws IllegalArgumentException if an engaged set has a task without a span, or reaches
     *     outside its task span
     */
    public CoderAnnotations {
        Objects.requireNonNull(coder, "coder");
        Objects.requireNonNull(masked, "masked");
        EnumMap<Task, Interval> spans = new EnumMap<>(Task.class);
        spans.putAll(Objects.requireNonNull(taskSpans, "taskSpans"));
        EnumMap<Task, Map<Variable, IntervalSet>> eng = new EnumMap<>(Task.class);
        for (Map.Entry<Task, Map<Variable, IntervalSet>> e : Objects
                .requireNonNull(engaged, "engaged").entrySet()) {
            Interval span = spans.get(e.getKey());
            if (span == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "coder %s: engagement given for task %s, which has no task span", coder,
                        e.getKey().paperName()));
            }
            EnumMap<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
            for (Map.Entry<Variable, IntervalSet> v : e.getValue().entrySet()) {
                IntervalSet set = v.getValue();
                if (!set.isEmpty() && !span.contains(set.hull().orElseThrow())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "coder %s: %s engagement %s of task %s reaches outside the task span %s",
                            coder, v.getKey().paperName(), set.hull().orElseThrow(),
                            e.getKey().paperName(), span));
                }
                perVar.put(v.getKey(), set);
            }
            eng.put(e.getKey(), Collections.unmodifiableMap(perVar));
        }
        taskSpans = Collections.unmodifiableMap(spans);
        engaged = Collections.unmodifiableMap(eng);
    }

    /** @return the tasks this coder marked a span for */
    public Set<Task> tasks() {
        return taskSpans.keySet();
    }

    /**
     * @param task a task
     * @return this coder's span of the task, if marked
     */
    public Optional<Interval> taskSpan(Task task) {
        return Optional.ofNullable(taskSpans.get(task));
    }

    /**
     * @param task a task
     * @param variable an engagement variable
     * @return engaged time of {@code variable} during {@code task} (empty if none or no span)
     */
    public IntervalSet engaged(Task task, Variable variable) {
        Map<Variable, IntervalSet> m = engaged.get(task);
        IntervalSet s = m == null ? null : m.get(variable);
        return s == null ? IntervalSet.empty() : s;
    }

    /**
     * @param task a task
     * @param variable an engagement variable
     * @param ms a time
     * @return whether this coder marked the infant engaged at {@code ms}
     */
    public boolean isEngaged(Task task, Variable variable, long ms) {
        return engaged(task, variable).contains(ms);
    }
}
