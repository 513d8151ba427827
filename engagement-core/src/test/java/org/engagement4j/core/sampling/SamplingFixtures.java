package org.engagement4j.core.sampling;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/** Coded sessions built in code, and brute-force counterparts of the sampling rules. */
final class SamplingFixtures {

    static final List<String> CODERS = List.of("A", "B", "C");

    private SamplingFixtures() {
    }

    /**
     * A random session: a random non-empty subset of coders A, B, C; each marks each task with
     * probability 0.9, spans of 2 s to 2 min around a common start (so they mostly overlap, and
     * some are shorter than a window), random engaged stretches and, with probability
     * {@code maskProb}, one to three masked stretches.
     */
    static CodedSession randomSession(String id, SplittableRandom rnd, double maskProb) {
        Map<String, CoderAnnotations> coders = new LinkedHashMap<>();
        while (coders.isEmpty()) {
            for (String c : CODERS) {
                if (rnd.nextDouble() < 0.7) {
                    coders.put(c, null);
                }
            }
        }
        long[] taskStart = new long[Task.values().length];
        long t = rnd.nextLong(0, 30_000);
        for (Task task : Task.values()) {
            taskStart[task.ordinal()] = t;
            t += 150_000;
        }
        for (String c : new ArrayList<>(coders.keySet())) {
            Map<Task, Interval> spans = new EnumMap<>(Task.class);
            Map<Task, Map<Variable, IntervalSet>> eng = new EnumMap<>(Task.class);
            List<Interval> masks = new ArrayList<>();
            for (Task task : Task.values()) {
                if (rnd.nextDouble() >= 0.9) {
                    continue;
                }
                long s = taskStart[task.ordinal()] + rnd.nextLong(0, 4_000);
                long len = rnd.nextDouble() < 0.1 ? rnd.nextLong(2_000, 6_000)
                        : rnd.nextLong(6_000, 120_000);
                Interval span = Interval.of(s, s + len);
                spans.put(task, span);
                Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
                for (Variable v : Variable.values()) {
                    perVar.put(v, randomInside(span, rnd, rnd.nextDouble()));
                }
                eng.put(task, perVar);
                if (rnd.nextDouble() < maskProb) {
                    int k = rnd.nextInt(1, 4);
                    for (int i = 0; i < k; i++) {
                        long ms = rnd.nextLong(span.startMs(), span.endMs());
                        masks.add(Interval.of(ms, ms + rnd.nextLong(100, 8_000)));
                    }
                }
            }
            coders.put(c, new CoderAnnotations(c, spans, eng, IntervalSet.of(masks)));
        }
        return new CodedSession(id, coders);
    }

    /** Alternating engaged / not engaged stretches of 0.2 to 15 s; engaged with {@code p}. */
    static IntervalSet randomInside(Interval span, SplittableRandom rnd, double p) {
        List<Interval> parts = new ArrayList<>();
        long c = span.startMs();
        while (c < span.endMs()) {
            long d = Math.min(span.endMs(), c + rnd.nextLong(200, 15_000));
            if (rnd.nextDouble() < p) {
                parts.add(Interval.of(c, d));
            }
            c = d;
        }
        return IntervalSet.of(parts);
    }

    static List<CodedSession> randomSessions(long seed, int n, double maskProb) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<CodedSession> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(randomSession(String.format(java.util.Locale.ROOT, "s%02d", i), rnd, maskProb));
        }
        return out;
    }

    /** One coder, one task span, given engaged sets. */
    static CoderAnnotations coder(String name, Task task, Interval span, IntervalSet taskEng,
            IntervalSet socialEng, IntervalSet masked) {
        Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
        perVar.put(Variable.TASK_ENGAGEMENT, taskEng);
        perVar.put(Variable.SOCIAL_ENGAGEMENT, socialEng);
        return new CoderAnnotations(name, Map.of(task, span), Map.of(task, perVar), masked);
    }

    /** Engaged milliseconds in a window, counted one millisecond at a time. */
    static long bruteEngagedMs(CoderAnnotations c, Task task, Variable v, long start, long len) {
        long n = 0;
        for (long ms = start; ms < start + len; ms++) {
            if (c.isEngaged(task, v, ms)) {
                n++;
            }
        }
        return n;
    }

    static boolean bruteMasked(CoderAnnotations c, long start, long len) {
        for (Interval m : c.masked().intervals()) {
            if (m.startMs() < start + len && start < m.endMs()) {
                return true;
            }
        }
        return false;
    }
}
