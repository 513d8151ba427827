package org.engagement4j.core.stats;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.engagement4j.core.annotation.Variable;

/**
 * One column of the paper's Table 1 (one task, or all tasks together).
 *
 * @param individual durations of the coders' task spans, each coder's span in each session
 *     counted separately ("Individual Durations")
 * @param engagedIntervals per variable, durations of the individual engaged intervals (after
 *     clipping to the coder's task span; touching spans count as one interval), over all coders
 *     and sessions; not in the paper, reported because it shows how coders segment engagement
 * @param sessions number of (session, task) pairs averaged in {@code meanIou}
 * @param meanIou unweighted mean over those pairs of the minimal / maximal interval ratio ("Mean
 *     Intersection Over Union"), empty when there is none
 * @param intersectionMs sum of the minimal intervals' durations ("Total Duration
 *     (Intersection)")
 * @since 0.1.0
 */
public record TaskDurations(DurationSummary individual,
        Map<Variable, DurationSummary> engagedIntervals, int sessions, OptionalDouble meanIou,
        long intersectionMs) {

    /**
     * Validates and copies the components.
     *
     * @param individual durations of the coders' task spans, each coder's span in each session
     *     counted separately ("Individual Durations")
     * @param engagedIntervals per variable, durations of the individual engaged intervals (after
     *     clipping to the coder's task span; touching spans count as one interval), over all coders
     *     and sessions; not in the paper, reported because it shows how coders segment engagement
     * @param sessions number of (session, task) pairs averaged in {@code meanIou}
     * @param meanIou unweighted mean over those pairs of the minimal / maximal interval ratio
     *     ("Mean Intersection Over Union"), empty when there is none
     * @param intersectionMs sum of the minimal intervals' durations ("Total Duration
     *     (Intersection)")
     * @throws IllegalArgumentException if a variable is missing from {@code engagedIntervals},
     *     {@code sessions} or {@code intersectionMs} is negative, the mean's presence does not
     *     match {@code sessions > 0}, or the mean lies outside [0, 1]
     */
    public TaskDurations {
        Objects.requireNonNull(individual, "individual");
        Objects.requireNonNull(meanIou, "meanIou");
        EnumMap<Variable, DurationSummary> copy = new EnumMap<>(Variable.class);
        copy.putAll(Objects.requireNonNull(engagedIntervals, "engagedIntervals"));
        for (Variable v : Variable.values()) {
            Objects.requireNonNull(copy.get(v), () -> "engagedIntervals lacks " + v.paperName());
        }
        if (sessions < 0 || intersectionMs < 0 || meanIou.isPresent() != (sessions > 0)
                || (meanIou.isPresent()
                        && !(meanIou.getAsDouble() >= 0 && meanIou.getAsDouble() <= 1))) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sessions = %d, meanIou = %s, intersectionMs = %d: inconsistent", sessions,
                    meanIou, intersectionMs));
        }
        engagedIntervals = Collections.unmodifiableMap(copy);
    }
}
