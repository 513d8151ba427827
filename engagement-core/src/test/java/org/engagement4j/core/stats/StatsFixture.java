package org.engagement4j.core.stats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * Three hand-built sessions: s1 coded by A, B and C, s2 by A and B, s3 by B and C, so that every
 * pair shares some sessions but not all. Spans deliberately end off the 100 ms grid (s1 dolls:
 * minimal interval [150, 1960), 19 samples). The same data, written as a Python dict, produced
 * the expected values of the tests (the script is in {@link HumanAgreementTest}).
 */
final class StatsFixture {

    private StatsFixture() {
    }

    static final class Coder {
        private final String name;
        private final Map<Task, Interval> spans = new EnumMap<>(Task.class);
        private final List<Interval> te = new ArrayList<>();
        private final List<Interval> se = new ArrayList<>();
        private IntervalSet masked = IntervalSet.empty();

        Coder(String name) {
            this.name = name;
        }

        Coder spans(long d0, long d1, long s0, long s1, long r0, long r1) {
            spans.put(Task.DOLLS, Interval.of(d0, d1));
            spans.put(Task.SHAKER, Interval.of(s0, s1));
            spans.put(Task.DRUM, Interval.of(r0, r1));
            return this;
        }

        Coder te(long start, long end) {
            te.add(Interval.of(start, end));
            return this;
        }

        Coder se(long start, long end) {
            se.add(Interval.of(start, end));
            return this;
        }

        Coder masked(long start, long end) {
            masked = masked.union(IntervalSet.of(Interval.of(start, end)));
            return this;
        }

        CoderAnnotations build() {
            IntervalSet teSet = IntervalSet.of(te);
            IntervalSet seSet = IntervalSet.of(se);
            Map<Task, Map<Variable, IntervalSet>> engaged = new EnumMap<>(Task.class);
            for (Map.Entry<Task, Interval> e : spans.entrySet()) {
                Map<Variable, IntervalSet> m = new EnumMap<>(Variable.class);
                m.put(Variable.TASK_ENGAGEMENT, teSet.clip(e.getValue()));
                m.put(Variable.SOCIAL_ENGAGEMENT, seSet.clip(e.getValue()));
                engaged.put(e.getKey(), m);
            }
            return new CoderAnnotations(name, spans, engaged, masked);
        }
    }

    static CodedSession session(String id, Coder... coders) {
        Map<String, CoderAnnotations> m = new TreeMap<>();
        for (Coder c : coders) {
            CoderAnnotations a = c.build();
            m.put(a.coder(), a);
        }
        return new CodedSession(id, m);
    }

    /** The fixture of the Python script. */
    static List<CodedSession> sessions() {
        CodedSession s1 = session("s1",
                new Coder("A").spans(0, 2000, 3000, 4000, 5000, 6000)
                        .te(0, 1000).te(3000, 3500).se(500, 1500).se(5000, 5200),
                new Coder("B").spans(100, 2000, 3000, 4100, 4900, 6000)
                        .te(200, 1000).te(3200, 3600).se(600, 1500).se(5000, 5300),
                new Coder("C").spans(150, 1960, 2950, 4000, 5000, 5950)
                        .te(150, 900).te(3000, 3500).se(500, 1400).se(5100, 5200));
        CodedSession s2 = session("s2",
                new Coder("A").spans(0, 1000, 1000, 2000, 2000, 3000)
                        .te(0, 500).te(1200, 2000).te(2000, 2500).se(300, 700).se(1000, 1100),
                new Coder("B").spans(0, 1000, 1000, 2000, 2050, 3000)
                        .te(0, 400).te(1300, 2000).te(2050, 2400).se(300, 800));
        CodedSession s3 = session("s3",
                new Coder("B").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 1000),
                new Coder("C").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 600)
                        .se(1500, 2000));
        return List.of(s1, s2, s3);
    }
}
