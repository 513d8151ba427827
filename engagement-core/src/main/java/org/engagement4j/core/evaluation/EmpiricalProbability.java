package org.engagement4j.core.evaluation;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * The empirical probability {@code q} of the positive class in the paper's Table 2: over the
 * continuous-time annotations of a set of sessions (the whole data set in the paper), engaged
 * time divided by annotated time (the reference's {@code calculate_metric_baselines.py}):
 * <pre>
 *   q(t, v) = sum over sessions and their coders |engaged(t, v) \ masked|
 *           / sum over sessions and their coders |span(t) \ masked|
 * </pre>
 * in milliseconds, each coder's own span and engaged time (coders are never merged), masked time
 * left out of both sums because it is never sampled. The same rate the fold splitter balances
 * ({@link org.engagement4j.core.folds.FoldPlan#overallRate()}).
 *
 * @since 0.1.0
 */
public final class EmpiricalProbability {

    private EmpiricalProbability() {
    }

    /**
     * @param sessions the sessions
     * @param task the task
     * @param variable the variable
     * @return {@code q} in [0, 1]
     * @throws IllegalArgumentException if no coder of these sessions annotated the task (no time
     *     to divide by; the message names the task)
     */
    public static double of(Collection<CodedSession> sessions, Task task, Variable variable) {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        long engaged = 0;
        long span = 0;
        for (CodedSession s : sessions) {
            for (CoderAnnotations c : s.coders().values()) {
                Interval t = c.taskSpans().get(task);
                if (t == null) {
                    continue;
                }
                span += IntervalSet.of(t).minus(c.masked()).durationMs();
                engaged += c.engaged(task, variable).minus(c.masked()).durationMs();
            }
        }
        if (span == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "no annotated %s time in %d session(s): the empirical probability of %s is"
                            + " undefined", task.paperName(), sessions.size(),
                    variable.paperName()));
        }
        return (double) engaged / span;
    }
}
