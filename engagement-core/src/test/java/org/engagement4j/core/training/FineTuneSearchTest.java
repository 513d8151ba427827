package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fine-tune search and the final fine-tuning on the narrow mc3 at 16 x 16 with tiny folds. */
class FineTuneSearchTest {

    private static final long[] CLIP = {3, 2, 16, 16};
    private static final int SIZE = 3 * 2 * 16 * 16;
    private static NetworkGradients net;

    @BeforeAll
    static void setUp() throws Exception {
        net = NetworkGradients.of(FineTuneFixtures.narrowModel(16), 1);
    }

    @AfterAll
    static void tearDown() {
        net.close();
    }

    /** Fold {@code f} of {@code n} clips, labels alternating from {@code first}. */
    private static LabelledClips fold(String kind, int f, int n, boolean first) {
        List<float[]> clips = new ArrayList<>();
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            clips.add(FineTuneFixtures.lcg(1000L * f + 17 * i + kind.length(), SIZE));
            labels[i] = (i % 2 == 0) == first;
        }
        return LabelledClips.of(kind + " fold " + f, CLIP, clips, labels);
    }

    private static Map<Integer, LabelledClips> folds(String kind, int k) {
        Map<Integer, LabelledClips> m = new HashMap<>();
        for (int f = 0; f < k; f++) {
            m.put(f, fold(kind, f, f % 2 == 0 ? 3 : 2, f % 3 != 1));
        }
        return m;
    }

    private static FineTuner base() {
        return FineTuner.withDefaults().withEpochs(2).withBatchSize(2).withMicroBatchSize(2)
                .withSmoothingWindow(1).withWarmupEpochs(0);
    }

    private static FineTuneSearch small() {
        return FineTuneSearch.withDefaults().withTrials(3).withRepetitions(1).withTuner(base())
                .withSeed(9);
    }

    private static FineTuneSearch.GradientsFactory factory(AtomicInteger opened)
            throws java.io.IOException {
        org.engagement4j.core.onnx.OnnxProtos.ModelProto model = FineTuneFixtures.narrowModel(16);
        return () -> {
            opened.incrementAndGet();
            return NetworkGradients.of(model, 1);
        };
    }

    @Test
    void csvIsIdenticalForOneAndTwoThreadsAndEveryScoreIsAnExplicitRun() throws Exception {
        Map<Integer, LabelledClips> train = folds("train", 3);
        Map<Integer, LabelledClips> val = folds("val", 3);
        AtomicInteger opened = new AtomicInteger();
        List<Integer> reported = new ArrayList<>();
        SearchResult one = small().withThreads(1).run(factory(opened), train, val,
                (t, done, total) -> reported.add(t.trial()));
        assertEquals(1, opened.get(), "one engine per worker");
        SearchResult two = small().withThreads(2).run(factory(opened), train, val,
                (t, done, total) -> { });
        assertEquals(3, opened.get());
        assertEquals(one.toCsv(), two.toCsv());
        assertEquals(one, SearchResult.fromCsv(one.toCsv(), "search.csv"));
        assertEquals(List.of(0, 1, 2), reported.stream().sorted().toList());
        assertEquals(3, one.trials().size());
        assertEquals(1, one.repetitions());
        assertEquals(3, one.folds());
        assertTrue(one.toCsv().startsWith("trial,learning_rate,learning_rate_decay,weight_decay,"
                + "class_weights,mean_f1,sd_f1,non_finite_runs,f1_r0_f0,f1_r0_f1,f1_r0_f2\n"),
                one.toCsv());
        for (SearchResult.Trial t : one.trials()) {
            assertEquals(FineTuneSearch.sample(9, t.trial(), true), t.parameters());
        }
        // Trial 1 with fold 2 for validation: trained on folds 0 and 1 in key order.
        HeadSearch.Parameters p = one.trials().get(1).parameters();
        FineTuneResult explicit = p.applyTo(base()).withSeed(FineTuneSearch.runSeed(9, 0, 2))
                .train(net, LabelledClips.concat(List.of(train.get(0), train.get(1)), "0+1"),
                        Optional.of(val.get(2)), Optional.empty(), (e, s, n, g, l) -> { });
        assertEquals(explicit.best().orElseThrow().validation().orElseThrow().f1(),
                one.trials().get(1).validationF1().get(0).get(2));
        // Best = highest mean validation F1.
        double max = one.trials().stream().mapToDouble(SearchResult.Trial::meanF1).max()
                .orElseThrow();
        assertEquals(max, one.best().meanF1());
    }

    @Test
    void sampledParametersFollowTheFineTuneRangesAndOdds() {
        int n = 20000;
        int zeroDecay = 0;
        int zeroWd = 0;
        double sumLogLr = 0;
        for (int t = 0; t < n; t++) {
            HeadSearch.Parameters p = FineTuneSearch.sample(3, t, false);
            double lr = Math.log10(p.learningRate());
            assertTrue(lr >= -8 && lr <= -2, "lr " + p.learningRate());
            sumLogLr += lr;
            if (p.learningRateDecay() == 0) {
                zeroDecay++;
            } else {
                double d = Math.log10(p.learningRateDecay());
                assertTrue(d >= -4 && d < 0, "decay " + p.learningRateDecay());
            }
            if (p.weightDecay() == 0) {
                zeroWd++;
            } else {
                double w = Math.log10(p.weightDecay());
                assertTrue(w >= -4 && w < 0, "weight decay " + p.weightDecay());
            }
            assertEquals(false, p.classWeights());
        }
        // Odds 1:5: one in six is zero; binomial standard error sqrt(1/6 * 5/6 / n) = 0.0026.
        assertEquals(1 / 6.0, (double) zeroDecay / n, 0.011);
        assertEquals(1 / 6.0, (double) zeroWd / n, 0.011);
        assertEquals(-5.0, sumLogLr / n, 0.05);
        assertNotEquals(FineTuneSearch.sample(3, 7, true), FineTuneSearch.sample(4, 7, true));
    }

    @Test
    void oneClassUnionIsRefusedBeforeAnyNetworkIsOpened() {
        Map<Integer, LabelledClips> train = new HashMap<>();
        train.put(0, LabelledClips.of("pos 0", CLIP, List.of(FineTuneFixtures.lcg(1, SIZE)),
                new boolean[] {true}));
        train.put(1, LabelledClips.of("pos 1", CLIP, List.of(FineTuneFixtures.lcg(2, SIZE)),
                new boolean[] {true}));
        train.put(2, fold("train", 2, 2, true));
        AtomicInteger opened = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> small().run(factory(opened), train, folds("val", 3), (t, d, n) -> { }));
        assertTrue(e.getMessage().contains("fold 2") && e.getMessage().contains("positive"),
                e.getMessage());
        assertEquals(0, opened.get());
        Map<Integer, LabelledClips> gap = new HashMap<>(folds("val", 3));
        gap.remove(1);
        assertThrows(IllegalArgumentException.class,
                () -> small().run(factory(opened), folds("train", 3), gap, (t, d, n) -> { }));
        assertThrows(IllegalArgumentException.class, () -> small().withThreads(0));
    }

    @Test
    void finalFineTuningTrainsOnTheFirstFoldsChecksOnTheNextAndTestsTheLast() throws Exception {
        Map<Integer, LabelledClips> train = folds("train", 5);
        Map<Integer, LabelledClips> eval = folds("eval", 5);
        HeadSearch.Parameters p = FineTuneSearch.sample(9, 0, true);
        FinalFineTuning fin = FinalFineTuning.of(p, base().withSeed(4));
        FinalFineTuning.Result r = fin.run(net, train, eval, Optional.empty(),
                (e, s, n, g, l) -> { });
        assertEquals(List.of(0, 1, 2), r.trainingFolds());
        assertEquals(3, r.validationFold());
        assertEquals(4, r.testFold());
        LabelledClips union = LabelledClips.concat(List.of(train.get(0), train.get(1),
                train.get(2)), "0-2");
        FineTuner tuner = p.applyTo(base().withSeed(4));
        FineTuneResult explicit = tuner.train(net, union, Optional.of(eval.get(3)),
                Optional.empty(), (e, s, n, g, l) -> { });
        assertEquals(explicit.curve(), r.training().curve());
        for (String name : net.parameterNames()) {
            assertArrayEquals(explicit.bestWeights().get(name), r.training().bestWeights().get(name));
        }
        assertEquals(tuner.evaluate(net, explicit.bestWeights(), eval.get(4),
                FineTuner.positiveRate(union)), r.test());
        assertEquals(explicit.best().orElseThrow().validation().orElseThrow(), r.validation());

        // The held-out fold chooses nothing: other clips there change the test metrics only;
        // the training map's folds 3 and 4 are never read.
        Map<Integer, LabelledClips> otherTest = new HashMap<>(eval);
        otherTest.put(4, fold("other", 9, 4, false));
        Map<Integer, LabelledClips> firstThree = new HashMap<>();
        for (int f = 0; f < 3; f++) {
            firstThree.put(f, train.get(f));
        }
        FinalFineTuning.Result again = fin.run(net, firstThree, otherTest, Optional.empty(),
                (e, s, n, g, l) -> { });
        assertEquals(r.training().curve(), again.training().curve());
        assertEquals(r.training().bestEvaluation(), again.training().bestEvaluation());
        assertEquals(tuner.evaluate(net, explicit.bestWeights(), otherTest.get(4),
                FineTuner.positiveRate(union)), again.test());
        assertThrows(IllegalArgumentException.class, () -> fin.run(net, train,
                Map.of(0, eval.get(0), 1, eval.get(1)), Optional.empty(), (e, s, n, g, l) -> { }));
    }
}
