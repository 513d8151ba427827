package org.engagement4j.core.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * The duration statistics of the paper's Table 1 (Fraile et al., ICMI 2022, §3.2), per task and
 * over all tasks, with the per-session terms behind the mean IoU.
 *
 * <ul>
 *   <li><b>Individual durations</b>: mean ± sample sd of every coder's span of the task in every
 *       session, each counted separately ({@link DurationSummary}).</li>
 *   <li><b>Mean IoU</b>: for each session in which some coder marked the task, the duration of
 *       the minimal interval ({@link CodedSession#sharedSpan(Task)}: the intersection of all the
 *       session's coders' spans, empty if a coder lacks the task) divided by that of the maximal
 *       interval ({@link CodedSession#unionSpan(Task)}); then the unweighted mean over sessions.
 *       The total column averages over all (session, task) pairs.</li>
 *   <li><b>Total duration (intersection)</b>: the sum of the minimal intervals' durations.</li>
 * </ul>
 *
 * @param tasks one column per task, in {@link Task} order
 * @param total the column over all tasks
 * @param overlaps the (session, task) terms of the mean IoU, in the order of the sessions
 *     given, then by task
 * @since 0.1.0
 */
public record DurationTable(Map<Task, TaskDurations> tasks, TaskDurations total,
        List<SessionTaskOverlap> overlaps) {

    /**
     * Validates and copies the components.
     *
     * @param tasks one column per task, in {@link Task} order
     * @param total the column over all tasks
     * @param overlaps the (session, task) terms of the mean IoU, in the order of the sessions
     *     given, then by task
     * @throws IllegalArgumentException if a task has no column
     */
    public DurationTable {
        EnumMap<Task, TaskDurations> copy = new EnumMap<>(Task.class);
        copy.putAll(Objects.requireNonNull(tasks, "tasks"));
        for (Task t : Task.values()) {
            if (copy.get(t) == null) {
                throw new IllegalArgumentException("tasks lacks a column for " + t.paperName());
            }
        }
        tasks = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(total, "total");
        overlaps = List.copyOf(overlaps);
    }

    /**
     * Computes Table 1 over a set of sessions.
     *
     * @param sessions coded sessions with distinct ids, at least one
     * @return the table; a task no coder marked has empty summaries and no IoU
     * @throws IllegalArgumentException if {@code sessions} is empty or two share an id
     */
    public static DurationTable of(Collection<CodedSession> sessions) {
        List<CodedSession> list = Inputs.sessions(sessions);
        Map<Task, Accumulator> perTask = new EnumMap<>(Task.class);
        for (Task task : Task.values()) {
            perTask.put(task, new Accumulator());
        }
        List<SessionTaskOverlap> overlaps = new ArrayList<>();
        for (CodedSession s : list) {
            for (Task task : Task.values()) {
                Accumulator acc = perTask.get(task);
                int with = 0;
                for (CoderAnnotations c : s.coders().values()) {
                    Optional<Interval> span = c.taskSpan(task);
                    if (span.isEmpty()) {
                        continue;
                    }
                    with++;
                    acc.individual.add(span.get().durationMs());
                    for (Variable v : Variable.values()) {
                        for (Interval i : c.engaged(task, v).intervals()) {
                            acc.engaged.get(v).add(i.durationMs());
                        }
                    }
                }
                long maximal = s.unionSpan(task).durationMs();
                if (with == 0 || maximal == 0) {
                    continue;
                }
                long minimal = s.sharedSpan(task).map(Interval::durationMs).orElse(0L);
                SessionTaskOverlap o = new SessionTaskOverlap(s.session(), task,
                        s.coders().size(), with, minimal, maximal, (double) minimal / maximal);
                acc.overlaps.add(o);
                overlaps.add(o);
            }
        }
        Map<Task, TaskDurations> columns = new EnumMap<>(Task.class);
        Accumulator all = new Accumulator();
        for (Task task : Task.values()) {
            columns.put(task, perTask.get(task).toColumn());
            all.addAll(perTask.get(task));
        }
        return new DurationTable(columns, all.toColumn(), overlaps);
    }

    /**
     * @param task a task
     * @return its column
     */
    public TaskDurations task(Task task) {
        return tasks.get(Objects.requireNonNull(task, "task"));
    }

    private static final class Accumulator {
        final LongList individual = new LongList();
        final Map<Variable, LongList> engaged = new EnumMap<>(Variable.class);
        final List<SessionTaskOverlap> overlaps = new ArrayList<>();

        Accumulator() {
            for (Variable v : Variable.values()) {
                engaged.put(v, new LongList());
            }
        }

        void addAll(Accumulator other) {
            individual.addAll(other.individual);
            for (Variable v : Variable.values()) {
                engaged.get(v).addAll(other.engaged.get(v));
            }
            overlaps.addAll(other.overlaps);
        }

        TaskDurations toColumn() {
            Map<Variable, DurationSummary> eng = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                eng.put(v, DurationSummary.of(engaged.get(v).toArray()));
            }
            double iouSum = 0;
            long intersection = 0;
            for (SessionTaskOverlap o : overlaps) {
                iouSum += o.iou();
                intersection += o.minimalMs();
            }
            OptionalDouble meanIou = overlaps.isEmpty() ? OptionalDouble.empty()
                    : OptionalDouble.of(iouSum / overlaps.size());
            return new TaskDurations(DurationSummary.of(individual.toArray()), eng,
                    overlaps.size(), meanIou, intersection);
        }
    }

    /** A growable list of longs, so that durations are not boxed. */
    private static final class LongList {
        private long[] data = new long[16];
        private int size;

        void add(long v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        void addAll(LongList other) {
            for (int i = 0; i < other.size; i++) {
                add(other.data[i]);
            }
        }

        long[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
