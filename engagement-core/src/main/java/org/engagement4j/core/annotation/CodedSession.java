package org.engagement4j.core.annotation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One recorded session and the annotations of every coder who coded it (REFERENCE.md §1: one
 * recording, one ELAN file per coder). Coders are kept apart, never merged.
 *
 * @param session the session id (the {@code <session>} part of the file names)
 * @param coders each coder's annotations, by coder name (iterated in name order)
 * @since 0.1.0
 */
public record CodedSession(String session, Map<String, CoderAnnotations> coders) {

    /**
     * @throws IllegalArgumentException if there is no coder, or a key differs from its coder name
     */
    public CodedSession {
        Objects.requireNonNull(session, "session");
        TreeMap<String, CoderAnnotations> sorted = new TreeMap<>(Objects.requireNonNull(coders,
                "coders"));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("session " + session + ": no coder");
        }
        for (Map.Entry<String, CoderAnnotations> e : sorted.entrySet()) {
            if (!e.getKey().equals(e.getValue().coder())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "session %s: key %s holds the annotations of coder %s", session,
                        e.getKey(), e.getValue().coder()));
            }
        }
        coders = Collections.unmodifiableMap(sorted);
    }

    /** @return coder names in order */
    public List<String> coderNames() {
        return new ArrayList<>(coders.keySet());
    }

    /**
     * @param coder a coder name
     * @return that coder's annotations
     * @throws IllegalArgumentException naming the known coders if there is no such coder
     */
    public CoderAnnotations coder(String coder) {
        CoderAnnotations c = coders.get(coder);
        if (c == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s has no coder %s; expected one of %s", session, coder,
                    coders.keySet()));
        }
        return c;
    }

    /**
     * The minimal interval of a task: the time every coder placed inside the task span.
     *
     * @param task a task
     * @return the intersection of all coders' spans, or empty if a coder lacks the task or the
     *     spans do not overlap
     */
    public Optional<Interval> sharedSpan(Task task) {
        Interval acc = null;
        for (CoderAnnotations c : coders.values()) {
            Optional<Interval> s = c.taskSpan(task);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            if (acc == null) {
                acc = s.get();
            } else {
                Optional<Interval> x = acc.intersect(s.get());
                if (x.isEmpty()) {
                    return Optional.empty();
                }
                acc = x.get();
            }
        }
        return Optional.ofNullable(acc);
    }

    /**
     * The maximal interval of a task: the time any coder placed inside the task span.
     *
     * @param task a task
     * @return the union of the coders' spans (may have gaps if spans are disjoint)
     */
    public IntervalSet unionSpan(Task task) {
        List<Interval> spans = new ArrayList<>();
        for (CoderAnnotations c : coders.values()) {
            c.taskSpan(task).ifPresent(spans::add);
        }
        return IntervalSet.of(spans);
    }
}
