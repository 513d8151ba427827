package org.engagement4j.core.folds;

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

/** Coded sessions built in code for the fold tests. */
final class FoldFixtures {

    private FoldFixtures() {
    }

    /** One coder, one dolls span {@code [0, spanMs)}, engaged from 0 for the given lengths. */
    static CodedSession dolls(String id, long spanMs, long taskEngagedMs, long socialEngagedMs) {
        return new CodedSession(id, Map.of("A", coder("A", spanMs, taskEngagedMs,
                socialEngagedMs, IntervalSet.empty())));
    }

    static CoderAnnotations coder(String name, long spanMs, long taskEngagedMs,
            long socialEngagedMs, IntervalSet masked) {
        Map<Task, Interval> spans = Map.of(Task.DOLLS, Interval.of(0, spanMs));
        Map<Variable, IntervalSet> eng = new EnumMap<>(Variable.class);
        eng.put(Variable.TASK_ENGAGEMENT, IntervalSet.of(Interval.of(0, taskEngagedMs)));
        eng.put(Variable.SOCIAL_ENGAGEMENT, IntervalSet.of(Interval.of(0, socialEngagedMs)));
        return new CoderAnnotations(name, spans, Map.of(Task.DOLLS, eng), masked);
    }

    /**
     * Sessions shaped like the reference: {@code pilots} sessions coded by A, B and C, then
     * {@code perBlock} sessions for each of the blocks {A,B}, {A,C}, {B,C}; every coder marks all
     * three tasks with random engagement. Ids are {@code s00, s01, ...}.
     */
    static List<CodedSession> referenceLike(int pilots, int perBlock, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<String>> blocks = new ArrayList<>();
        for (int i = 0; i < pilots; i++) {
            blocks.add(List.of("A", "B", "C"));
        }
        for (List<String> b : List.of(List.of("A", "B"), List.of("A", "C"), List.of("B", "C"))) {
            for (int i = 0; i < perBlock; i++) {
                blocks.add(b);
            }
        }
        List<CodedSession> out = new ArrayList<>();
        for (int s = 0; s < blocks.size(); s++) {
            Map<String, CoderAnnotations> coders = new LinkedHashMap<>();
            for (String c : blocks.get(s)) {
                coders.put(c, randomCoder(c, rnd));
            }
            out.add(new CodedSession(String.format(java.util.Locale.ROOT, "s%02d", s), coders));
        }
        return out;
    }

    static CoderAnnotations randomCoder(String name, SplittableRandom rnd) {
        Map<Task, Interval> spans = new EnumMap<>(Task.class);
        Map<Task, Map<Variable, IntervalSet>> eng = new EnumMap<>(Task.class);
        long t = rnd.nextLong(0, 20_000);
        for (Task task : Task.values()) {
            long len = rnd.nextLong(30_000, 200_000);
            Interval span = Interval.of(t, t + len);
            spans.put(task, span);
            Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                List<Interval> parts = new ArrayList<>();
                long c = span.startMs();
                while (c < span.endMs()) {
                    long d = Math.min(span.endMs(), c + rnd.nextLong(1_000, 20_000));
                    if (rnd.nextDouble() < 0.6) {
                        parts.add(Interval.of(c, d));
                    }
                    c = d;
                }
                perVar.put(v, IntervalSet.of(parts));
            }
            eng.put(task, perVar);
            t += len + rnd.nextLong(0, 10_000);
        }
        return new CoderAnnotations(name, spans, eng, IntervalSet.empty());
    }
}
