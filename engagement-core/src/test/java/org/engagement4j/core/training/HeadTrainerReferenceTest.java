package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trainer against torch: the same baked tensors (300 x 64 training, 120 x 64 validation), the
 * same initial weights, trained 50 epochs by torch's Linear + Adam(weight_decay) + ExponentialLR +
 * CrossEntropyLoss(weight) in {@code tools/fixtures/head_fixtures.py} and by {@link HeadTrainer}.
 * Measured worst differences (torch 1.13): losses 1.2e-7 / 7.3e-8 / 1.7e-6 / 1.6e-7 and
 * final weights 1.9e-7 / 8.2e-8 / 2.7e-6 / 3.1e-8 for the four cases, lr 1.0 being the largest.
 */
class HeadTrainerReferenceTest {

    private static final double TOLERANCE = 1e-5;

    static Stream<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        HeadFixtures.json(HeadFixtures.head("cases.json")).get("cases").forEach(out::add);
        return out.stream();
    }

    private static HeadTrainer trainer(JsonNode c) {
        return HeadTrainer.withDefaults().withEpochs(c.get("epochs").asInt())
                .withLearningRate(c.get("lr_init").asDouble())
                .withLearningRateDecay(c.get("lr_decay").asDouble())
                .withWeightDecay(c.get("weight_decay").asDouble())
                .withClassWeights(c.get("class_weights").asBoolean())
                .withSmoothingWindow(c.get("smoothing_window").asInt())
                .withWarmupEpochs(c.get("warmup").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithTorchWithin1e5(JsonNode c) {
        LabelledEmbeddings train = HeadFixtures.set("train_x.npy", "train_y.npy", "fixture train");
        LabelledEmbeddings val = HeadFixtures.set("val_x.npy", "val_y.npy", "fixture val");
        HeadTrainingResult r = trainer(c).train(train, val, HeadFixtures.initialHead());
        String name = c.get("name").asText();
        assertEquals(HeadTrainingResult.StopReason.COMPLETED, r.stopReason());
        assertEquals(51, r.history().size());
        assertEquals(c.get("positive_rate").asDouble(), r.positiveRate(), 0);
        double[] trainLoss = HeadFixtures.doubles(c.get("train_loss"));
        double[] valLoss = HeadFixtures.doubles(c.get("val_loss"));
        double[] trainF1 = HeadFixtures.doubles(c.get("train_f1"));
        double[] valF1 = HeadFixtures.doubles(c.get("val_f1"));
        double[] smooth = HeadFixtures.doubles(c.get("val_smoothed_f1"));
        double[] lr = HeadFixtures.doubles(c.get("lr"));
        double worstLoss = 0;
        for (int e = 0; e <= 50; e++) {
            EpochRecord rec = r.history().get(e);
            worstLoss = Math.max(worstLoss, Math.abs(rec.train().loss() - trainLoss[e]));
            worstLoss = Math.max(worstLoss,
                    Math.abs(rec.validation().orElseThrow().loss() - valLoss[e]));
            assertEquals(lr[e], rec.learningRate(), 1e-15 * lr[e], name + " lr epoch " + e);
            // Predictions can only differ on a logit tie within float32 noise: none here.
            assertEquals(trainF1[e], rec.train().f1(), 1e-12, name + " train F1 epoch " + e);
            assertEquals(valF1[e], rec.validation().get().f1(), 1e-12, name + " val F1 " + e);
            assertEquals(smooth[e], rec.smoothedValidationF1().getAsDouble(), 1e-12,
                    name + " smoothed F1 epoch " + e);
        }
        assertTrue(worstLoss < TOLERANCE, name + ": worst loss difference " + worstLoss);
        assertEquals(c.get("best_epoch").asInt(), r.bestEpoch(), name + " checkpoint epoch");
        double worstW = Math.max(
                maxDiff(HeadFixtures.doubles(c.get("final_weight")), r.finalHead().weight()),
                maxDiff(HeadFixtures.doubles(c.get("final_bias")), r.finalHead().bias()));
        double worstBest = Math.max(
                maxDiff(HeadFixtures.doubles(c.get("best_weight")), r.bestHead().weight()),
                maxDiff(HeadFixtures.doubles(c.get("best_bias")), r.bestHead().bias()));
        assertTrue(worstW < TOLERANCE, name + ": worst final weight difference " + worstW);
        assertTrue(worstBest < TOLERANCE, name + ": worst checkpoint weight difference "
                + worstBest);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void testSetIsRecordedButNeverChosenOn(JsonNode c) {
        LabelledEmbeddings train = HeadFixtures.set("train_x.npy", "train_y.npy", "train");
        LabelledEmbeddings val = HeadFixtures.set("val_x.npy", "val_y.npy", "val");
        HeadTrainer t = trainer(c);
        HeadTrainingResult plain = t.train(train, val, HeadFixtures.initialHead());
        HeadTrainingResult withTest = t.train(train, Optional.of(val), Optional.of(train),
                HeadFixtures.initialHead(), HeadTrainer.EpochListener.NONE);
        assertEquals(plain.bestHead(), withTest.bestHead());
        assertEquals(plain.finalHead(), withTest.finalHead());
        for (int e = 0; e < plain.history().size(); e++) {
            // The test set is the training set here: after the step it must differ from the
            // pre-step training record, except at epoch 0.
            EpochRecord rec = withTest.history().get(e);
            assertTrue(rec.test().isPresent());
            if (e == 0) {
                assertEquals(rec.train().loss(), rec.test().get().loss(), 0);
            }
            if (e < plain.history().size() - 1) {
                assertEquals(withTest.history().get(e + 1).train().loss(),
                        rec.test().get().loss(), 1e-12);
            }
        }
    }

    private static double maxDiff(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double m = 0;
        for (int i = 0; i < expected.length; i++) {
            m = Math.max(m, Math.abs(expected[i] - actual[i]));
        }
        return m;
    }
}
