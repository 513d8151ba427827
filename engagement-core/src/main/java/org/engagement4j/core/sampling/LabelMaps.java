package org.engagement4j.core.sampling;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/** Per-variable engaged time and labels of one coder in one window, and their checks. */
final class LabelMaps {

    private LabelMaps() {
    }

    static Map<Variable, Long> engagedMs(CoderAnnotations coder, Task task, Interval window) {
        EnumMap<Variable, Long> out = new EnumMap<>(Variable.class);
        for (Variable v : Variable.values()) {
            out.put(v, coder.engaged(task, v).overlapMs(window));
        }
        return Collections.unmodifiableMap(out);
    }

    static Map<Variable, Boolean> labels(Map<Variable, Long> engaged, SnippetShape shape) {
        EnumMap<Variable, Boolean> out = new EnumMap<>(Variable.class);
        for (Map.Entry<Variable, Long> e : engaged.entrySet()) {
            out.put(e.getKey(), shape.label(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Copies a per-variable map that must name every variable. */
    static <T> Map<Variable, T> copyComplete(Map<Variable, T> in, String what) {
        EnumMap<Variable, T> out = new EnumMap<>(Variable.class);
        for (Map.Entry<Variable, T> e : Objects.requireNonNull(in, what).entrySet()) {
            out.put(Objects.requireNonNull(e.getKey(), what), Objects.requireNonNull(e.getValue(),
                    what));
        }
        if (out.size() != Variable.values().length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must give every variable %s, got %s", what,
                    java.util.Arrays.toString(Variable.values()), out.keySet()));
        }
        return Collections.unmodifiableMap(out);
    }

    static void checkEngaged(Map<Variable, Long> engaged, long windowMs, String owner) {
        for (Map.Entry<Variable, Long> e : engaged.entrySet()) {
            if (e.getValue() < 0 || e.getValue() > windowMs) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: engaged time %d ms of %s outside [0, %d]", owner, e.getValue(),
                        e.getKey().paperName(), windowMs));
            }
        }
    }
}
