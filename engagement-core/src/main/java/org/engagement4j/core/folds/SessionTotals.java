package org.engagement4j.core.folds;

import java.util.ArrayList;
import java.util.List;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * What the fold score needs of one session, summed over its coders: per (task, variable) the
 * engaged milliseconds and the task-span milliseconds, both outside masked time; and the session's
 * coder block (its sorted coder names).
 */
final class SessionTotals {

    static final int PAIRS = Task.values().length * Variable.values().length;

    final String session;
    final String block;
    final long[] engagedMs = new long[PAIRS];
    final long[] spanMs = new long[PAIRS];

    private SessionTotals(String session, String block) {
        this.session = session;
        this.block = block;
    }

    static int pair(Task task, Variable variable) {
        return task.ordinal() * Variable.values().length + variable.ordinal();
    }

    static Task taskOf(int pair) {
        return Task.values()[pair / Variable.values().length];
    }

    static Variable variableOf(int pair) {
        return Variable.values()[pair % Variable.values().length];
    }

    static SessionTotals of(CodedSession s) {
        // coderNames() is sorted, so the block key does not depend on map order.
        SessionTotals t = new SessionTotals(s.session(), String.join("+", s.coderNames()));
        for (CoderAnnotations c : s.coders().values()) {
            for (Task task : Task.values()) {
                Interval span = c.taskSpans().get(task);
                if (span == null) {
                    continue;
                }
                long usable = IntervalSet.of(span).minus(c.masked()).durationMs();
                for (Variable v : Variable.values()) {
                    int p = pair(task, v);
                    t.spanMs[p] += usable;
                    t.engagedMs[p] += c.engaged(task, v).minus(c.masked()).durationMs();
                }
            }
        }
        return t;
    }

    static List<SessionTotals> ofAll(List<CodedSession> sorted) {
        List<SessionTotals> out = new ArrayList<>(sorted.size());
        for (CodedSession s : sorted) {
            out.add(of(s));
        }
        return out;
    }
}
