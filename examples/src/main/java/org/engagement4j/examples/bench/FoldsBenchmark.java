package org.engagement4j.examples.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.folds.FoldPlan;
import org.engagement4j.core.folds.FoldSplitter;

/**
 * Times {@link FoldSplitter} at the reference's scale: 23 synthetic sessions shaped like the
 * paper's data (5 pilot sessions coded by three coders, then three blocks of six sessions each
 * coded by two), a group of six sessions dealt round-robin, every coder block required in the test
 * fold, 100,000 tries. Target: under 5 s per split.
 *
 * <p>Usage: {@code java ... FoldsBenchmark [tries] [repetitions]}. Prints the time of each
 * repetition after one untimed warm-up split, and the best plan's score.
 */
public final class FoldsBenchmark {

    private FoldsBenchmark() {
    }

    /**
     * Entry point.
     *
     * @param args optional tries (default 100000) and timed repetitions (default 5)
     */
    public static void main(String[] args) {
        int tries = args.length > 0 ? Integer.parseInt(args[0]) : FoldSplitter.DEFAULT_TRIES;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        run(tries, reps, out);
    }

    /**
     * Runs the benchmark.
     *
     * @param tries random tries per split
     * @param repetitions timed splits after the warm-up
     * @param out where the timings go
     * @return the slowest timed split in seconds
     */
    public static double run(int tries, int repetitions, PrintWriter out) {
        List<CodedSession> sessions = referenceShapedSessions(2022);
        List<String> group = List.of("s05", "s06", "s11", "s12", "s17", "s18");
        FoldSplitter splitter = FoldSplitter.withDefaults().withTries(tries).withGroup(group);
        splitter.split(sessions, 0);
        double worst = 0;
        FoldPlan plan = null;
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            plan = splitter.split(sessions, r + 1);
            double s = (System.nanoTime() - t0) / 1e9;
            worst = Math.max(worst, s);
            out.printf(Locale.ROOT, "split %d: %d tries (%d accepted) on %d sessions in %.3f s,"
                    + " score %.4f%n", r + 1, plan.tries(), plan.acceptedTries(),
                    sessions.size(), s, plan.score());
        }
        out.printf(Locale.ROOT, "slowest: %.3f s (target < 5 s): %s%n", worst,
                worst < 5 ? "OK" : "TOO SLOW");
        if (plan != null) {
            out.println("test fold of the last split: " + plan.testFold());
        }
        out.flush();
        return worst;
    }

    /** 5 pilots coded by A, B and C, then six sessions each for {A,B}, {A,C}, {B,C}. */
    static List<CodedSession> referenceShapedSessions(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<String>> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            blocks.add(List.of("A", "B", "C"));
        }
        for (List<String> b : List.of(List.of("A", "B"), List.of("A", "C"), List.of("B", "C"))) {
            for (int i = 0; i < 6; i++) {
                blocks.add(b);
            }
        }
        List<CodedSession> out = new ArrayList<>();
        for (int s = 0; s < blocks.size(); s++) {
            Map<String, CoderAnnotations> coders = new LinkedHashMap<>();
            for (String c : blocks.get(s)) {
                coders.put(c, coder(c, rnd));
            }
            out.add(new CodedSession(String.format(Locale.ROOT, "s%02d", s), coders));
        }
        return out;
    }

    private static CoderAnnotations coder(String name, SplittableRandom rnd) {
        Map<Task, Interval> spans = new EnumMap<>(Task.class);
        Map<Task, Map<Variable, IntervalSet>> eng = new EnumMap<>(Task.class);
        long t = rnd.nextLong(0, 20_000);
        for (Task task : Task.values()) {
            Interval span = Interval.of(t, t + rnd.nextLong(60_000, 240_000));
            spans.put(task, span);
            Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                List<Interval> parts = new ArrayList<>();
                double p = rnd.nextDouble(0.3, 0.9);
                for (long c = span.startMs(); c < span.endMs();) {
                    long d = Math.min(span.endMs(), c + rnd.nextLong(500, 20_000));
                    if (rnd.nextDouble() < p) {
                        parts.add(Interval.of(c, d));
                    }
                    c = d;
                }
                perVar.put(v, IntervalSet.of(parts));
            }
            eng.put(task, perVar);
            t = span.endMs() + rnd.nextLong(0, 30_000);
        }
        return new CoderAnnotations(name, spans, eng, IntervalSet.empty());
    }
}
