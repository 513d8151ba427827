package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trainer's contract beyond the torch comparison: bad input, stopping, bookkeeping. */
class HeadTrainerTest {

    /** Two Gaussian clouds in D dimensions, label = cloud, with some label noise. */
    static LabelledEmbeddings clouds(int n, int d, long seed, String name) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean pos = r.nextDouble() < 0.4;
            y[i] = r.nextDouble() < 0.9 ? pos : !pos;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (r.nextGaussian() + (pos && j < 3 ? 1.5 : 0));
            }
        }
        return LabelledEmbeddings.of(x, d, y, name);
    }

    @Test
    void recordsEveryEpochAndChecksPointsOnlyAfterTheWarmup() {
        LabelledEmbeddings train = clouds(400, 8, 1, "train");
        LabelledEmbeddings val = clouds(200, 8, 2, "val");
        List<Integer> seen = new ArrayList<>();
        HeadTrainer t = HeadTrainer.withDefaults().withEpochs(40).withLearningRate(0.05)
                .withWarmupEpochs(10).withSmoothingWindow(3);
        HeadTrainingResult r = t.train(train, Optional.of(val), Optional.empty(),
                LinearHead.initialise(8, 2, 5), (rec, n) -> {
                    assertEquals(40, n);
                    seen.add(rec.epoch());
                });
        assertEquals(41, seen.size());
        assertEquals(0, seen.get(0));
        assertEquals(40, seen.get(40));
        assertTrue(r.bestEpoch() == 0 || r.bestEpoch() > 10, "checkpoint " + r.bestEpoch());
        double best = r.bestRecord().smoothedValidationF1().getAsDouble();
        for (EpochRecord rec : r.history().subList(11, 41)) {
            assertTrue(rec.smoothedValidationF1().getAsDouble() <= best);
        }
        // The loss falls on a separable problem; the training record of epoch e is the head
        // before its step, so epoch 1's equals epoch 0's evaluation.
        assertEquals(r.history().get(0).train().loss(), r.history().get(1).train().loss(), 1e-12);
        assertTrue(r.history().get(40).train().loss() < r.history().get(1).train().loss());
        assertEquals(0.05 * Math.pow(1 - 0.005, 39), r.history().get(40).learningRate(), 1e-15);
        String csv = r.historyCsv();
        assertEquals(42, csv.split("\n").length);
        assertTrue(csv.split("\n")[r.bestEpoch() + 1].endsWith(",1"));
        assertTrue(csv.split("\n")[1].split(",", -1)[16].isEmpty(), "no test set: empty cells");
    }

    @Test
    void withoutValidationTheFinalHeadIsTheResult() {
        LabelledEmbeddings train = clouds(300, 4, 3, "train");
        HeadTrainingResult r = HeadTrainer.withDefaults().withEpochs(15).train(train,
                Optional.empty(), Optional.empty(), LinearHead.initialise(4, 2, 1),
                HeadTrainer.EpochListener.NONE);
        assertEquals(15, r.bestEpoch());
        assertEquals(r.finalHead(), r.bestHead());
        assertTrue(r.bestRecord().validation().isEmpty());
    }

    @Test
    void classWeightsAreTheInversePositiveRate() {
        LabelledEmbeddings train = clouds(250, 4, 4, "train");
        double p = train.positiveRate();
        HeadTrainingResult on = HeadTrainer.withDefaults().withEpochs(3).train(train, train,
                LinearHead.initialise(4, 2, 1));
        assertEquals(List.of(1 / (1 - p), 1 / p), on.classWeights());
        HeadTrainingResult off = HeadTrainer.withDefaults().withEpochs(3).withClassWeights(false)
                .train(train, train, LinearHead.initialise(4, 2, 1));
        assertEquals(List.of(), off.classWeights());
        assertNotEquals(on.history().get(0).train().loss(), off.history().get(0).train().loss());
    }

    @Test
    void aSingleClassIsRefusedNamingTheSet() {
        boolean[] y = new boolean[10];
        LabelledEmbeddings neg = LabelledEmbeddings.of(new float[20], 2, y, "dolls / folds 0-2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeadTrainer.withDefaults().train(neg, neg, LinearHead.initialise(2, 2, 1)));
        assertTrue(e.getMessage().contains("dolls / folds 0-2")
                && e.getMessage().contains("all 10 labels are negative"), e.getMessage());
        java.util.Arrays.fill(y, true);
        LabelledEmbeddings pos = LabelledEmbeddings.of(new float[20], 2, y, "p");
        e = assertThrows(IllegalArgumentException.class,
                () -> HeadTrainer.withDefaults().train(pos, pos, LinearHead.initialise(2, 2, 1)));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        LabelledEmbeddings ok = clouds(20, 3, 1, "three");
        e = assertThrows(IllegalArgumentException.class,
                () -> HeadTrainer.withDefaults().train(ok, ok, LinearHead.initialise(2, 2, 1)));
        assertTrue(e.getMessage().contains("dimension 3"), e.getMessage());
    }

    @Test
    void aDivergingRunStopsAndKeepsItsLastGoodCheckpoint() {
        LabelledEmbeddings train = clouds(200, 4, 6, "train");
        HeadTrainingResult r = HeadTrainer.withDefaults().withEpochs(50).withLearningRate(1e300)
                .withWarmupEpochs(0).train(train, train, LinearHead.initialise(4, 2, 2));
        assertEquals(HeadTrainingResult.StopReason.NON_FINITE, r.stopReason());
        assertTrue(r.lastEpoch() < 50, "stopped at " + r.lastEpoch());
        assertTrue(r.stopDetail().contains("epoch " + (r.lastEpoch() + 1)), r.stopDetail());
        for (double v : r.bestHead().weight()) {
            assertTrue(Double.isFinite(v));
        }
        for (EpochRecord rec : r.history()) {
            assertTrue(Double.isFinite(rec.train().loss()));
        }
    }

    @Test
    void settingsAreValidated() {
        HeadTrainer d = HeadTrainer.withDefaults();
        assertEquals(1500, d.epochs());
        assertEquals(0.01, d.learningRate());
        assertEquals(0.005, d.learningRateDecay());
        assertEquals(0.0011629532351435, d.weightDecay());
        assertTrue(d.classWeights());
        assertEquals(8, d.smoothingWindow());
        assertEquals(8, d.warmupEpochs());
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(0));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withLearningRateDecay(1));
        assertThrows(IllegalArgumentException.class, () -> d.withWeightDecay(-1e-9));
        assertThrows(IllegalArgumentException.class, () -> d.withSmoothingWindow(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withEpochs(-1));
    }

    @Test
    void headsAreSeededTorchLikeAndRoundTripThroughJson() {
        LinearHead a = LinearHead.initialise(512, 2, 9);
        assertEquals(a, LinearHead.initialise(512, 2, 9));
        assertNotEquals(a, LinearHead.initialise(512, 2, 10));
        double bound = 1 / Math.sqrt(512);
        double max = 0;
        for (double w : a.weight()) {
            assertTrue(Math.abs(w) <= bound);
            assertEquals(w, (float) w, 0, "float32 values");
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max > 0.9 * bound, "uses the whole range");
        assertEquals(a, LinearHead.fromJson(a.toJson(), "json"));
        LinearHead tie = LinearHead.of(new double[] {1, 1}, new double[] {0, 0});
        assertEquals(0, tie.predict(new float[] {2}), "argmax takes the first on a tie");
        assertArrayEquals(new double[] {2, 2}, tie.logits(new float[] {2}), 0);
        assertThrows(IllegalArgumentException.class,
                () -> LinearHead.of(new double[] {1, Double.NaN}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> LinearHead.fromJson("{\"format\": \"x\"}", "bad.json"));
    }
}
