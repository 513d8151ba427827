package org.engagement4j.core.stats;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.annotation.Task;

/**
 * How well the coders of one session agree on where one task lies: the minimal interval
 * (intersection of the coders' task spans), the maximal interval (their union) and the ratio of
 * their durations, one term of the "Mean Intersection Over Union" of the paper's Table 1.
 *
 * @param session the session id
 * @param task the task
 * @param coders number of coders of the session
 * @param codersWithTask number of them who marked the task; when fewer than {@code coders}, the
 *     minimal interval is empty (a coder without the task shares no time)
 * @param minimalMs duration of the minimal interval, 0 when empty
 * @param maximalMs duration of the maximal interval, positive
 * @param iou {@code minimalMs / maximalMs}, in [0, 1]
 * @since 0.1.0
 */
public record SessionTaskOverlap(String session, Task task, int coders, int codersWithTask,
        long minimalMs, long maximalMs, double iou) {

    /**
     * Validates and copies the components.
     *
     * @param session the session id
     * @param task the task
     * @param coders number of coders of the session
     * @param codersWithTask number of them who marked the task; when fewer than {@code coders}, the
     *     minimal interval is empty (a coder without the task shares no time)
     * @param minimalMs duration of the minimal interval, 0 when empty
     * @param maximalMs duration of the maximal interval, positive
     * @param iou {@code minimalMs / maximalMs}, in [0, 1]
     * @throws IllegalArgumentException if the counts or durations are inconsistent or
     *     {@code iou} is not {@code minimalMs / maximalMs}
     */
    public SessionTaskOverlap {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(task, "task");
        if (coders < 1 || codersWithTask < 1 || codersWithTask > coders || minimalMs < 0
                || maximalMs <= 0 || minimalMs > maximalMs
                || iou != (double) minimalMs / maximalMs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session %s, task %s: inconsistent overlap (coders %d, with task %d, minimal"
                            + " %d ms, maximal %d ms, iou %s)", session, task.paperName(), coders,
                    codersWithTask, minimalMs, maximalMs, iou));
        }
    }
}
