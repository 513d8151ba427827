package org.engagement4j.core.training;

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
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;

/** Hand-built sessions, synthetic in-memory clips and a narrow mc3_18 for the training tests. */
final class TrainingFixtures {

    static final double FPS = 3.125;
    static final int HEIGHT = 24;
    static final int WIDTH = 32;
    static final Normalization NORM = Normalization.of(new double[] {120, 115, 110},
            new double[] {60, 58, 57});

    private TrainingFixtures() {
    }

    /** mc3_18 of base width 2 (embedding 16), any input height and width, seeded weights. */
    static byte[] narrowModel(long seed) {
        Mc3Architecture arch = Mc3Architecture.mc3_18(2).withBaseWidth(2)
                .withInputSize(Dim.symbolic("height"), Dim.symbolic("width"));
        return OnnxModels.toBytes(Mc3Graph.random(arch, seed));
    }

    static EngagementClassifier encoder(long seed) throws ModelException {
        return EngagementClassifier.builder().model(narrowModel(seed)).intraOpThreads(1).build();
    }

    /**
     * A session with coders A and B (and C when {@code three}): dolls spans around
     * [2 s, 32 s), engaged stretches drawn from the seed.
     */
    static CodedSession session(String id, long seed, boolean three) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, CoderAnnotations> coders = new LinkedHashMap<>();
        for (String c : three ? List.of("A", "B", "C") : List.of("A", "B")) {
            long s = 2_000 + rnd.nextLong(0, 1_000);
            Interval span = Interval.of(s, 32_000 - rnd.nextLong(0, 1_000));
            Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                List<Interval> parts = new ArrayList<>();
                long t = span.startMs();
                while (t < span.endMs()) {
                    long e = Math.min(span.endMs(), t + rnd.nextLong(1_000, 8_000));
                    if (rnd.nextDouble() < 0.55) {
                        parts.add(Interval.of(t, e));
                    }
                    t = e;
                }
                perVar.put(v, IntervalSet.of(parts));
            }
            coders.put(c, new CoderAnnotations(c, Map.of(Task.DOLLS, span),
                    Map.of(Task.DOLLS, perVar), IntervalSet.empty()));
        }
        return new CodedSession(id, coders);
    }

    /** 35 s of random RGB frames at 3.125 fps (110 frames of 24 x 32). */
    static Clip clip(long seed) {
        int frames = 110;
        byte[] rgb = new byte[frames * HEIGHT * WIDTH * 3];
        new SplittableRandom(seed).nextBytes(rgb);
        return Clip.of(rgb, frames, HEIGHT, WIDTH, FPS);
    }

    static Map<String, Clip> clips(List<CodedSession> sessions) {
        Map<String, Clip> m = new LinkedHashMap<>();
        long seed = 100;
        for (CodedSession s : sessions) {
            m.put(s.session(), clip(seed++));
        }
        return m;
    }
}
