package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adam, accumulation, checkpoints and resume on the narrow mc3 at 16 x 16. */
class FineTunerTest {

    private static final long[] CLIP = {3, 2, 16, 16};
    private static NetworkGradients net;
    private static LabelledClips data;

    @BeforeAll
    static void setUp() throws Exception {
        net = NetworkGradients.of(FineTuneFixtures.narrowModel(16), 2);
        List<float[]> clips = new ArrayList<>();
        int size = 3 * 2 * 16 * 16;
        for (int i = 0; i < 6; i++) {
            clips.add(FineTuneFixtures.lcg(100 + i, size));
        }
        data = LabelledClips.of("six clips", CLIP, clips, new boolean[] {true, false, true, true, false, true});
    }

    @AfterAll
    static void tearDown() {
        net.close();
    }

    private static FineTuner tuner() {
        return FineTuner.withDefaults().withEpochs(3).withBatchSize(4).withMicroBatchSize(2).withLearningRate(1e-3)
                .withLearningRateDecay(0.1).withSeed(5).withCheckpointEvery(1);
    }

    @Test
    void firstStepIsAdamsSignStep() throws Exception {
        // One step over all six clips in one batch: with t = 1, m / (1 - b1) = g and
        // sqrt(v / (1 - b2)) = |g|, so theta' = theta - lr g / (|g| + eps) (weight decay 0).
        FineTuner one = FineTuner.withDefaults().withEpochs(1).withBatchSize(6).withMicroBatchSize(4)
                .withLearningRate(1e-3).withWeightDecay(0);
        FineTuneResult r = one.train(net, data, Optional.empty(), (e, s, n, t, l) -> { });
        float[] all = new float[6 * 3 * 2 * 16 * 16];
        boolean[] labels = new boolean[6];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(data.clip(i), 0, all, i * data.clip(i).length, data.clip(i).length);
            labels[i] = data.label(i);
        }
        double[] cw = {1 / (1 - 4.0 / 6), 1 / (4.0 / 6)};
        BatchGradient g = net.compute(net.initialWeights(), all, new long[] {6, 3, 2, 16, 16}, labels, cw,
                2 * cw[0] + 4 * cw[1]);
        assertEquals(1, r.globalSteps());
        assertEquals(g.weightedNll() / g.weightSum(), r.stepLosses().get(0), 1e-12);
        Map<String, float[]> w0 = net.initialWeights();
        for (String name : net.parameterNames()) {
            double[] grad = g.gradients().get(name);
            float[] after = r.weights().get(name);
            for (int i = 0; i < grad.length; i++) {
                double expected = w0.get(name)[i] - 1e-3 * grad[i] / (Math.abs(grad[i]) + 1e-8);
                // The gradient itself is float32 round-off away from ours when |g| is tiny; only
                // entries with a clear sign are checked to 1e-6.
                if (Math.abs(grad[i]) > 1e-6) {
                    assertEquals(expected, after[i], 1e-6, name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void interruptedRunsResumeToTheUninterruptedWeights(@TempDir Path dir) throws Exception {
        FineTuneResult full = tuner().train(net, data, Optional.empty(), (e, s, n, t, l) -> { });
        assertEquals(6, full.globalSteps());
        assertEquals(3, full.completedEpochs());
        for (int crashAfter : new int[] {3, 4}) {
            Path ck = dir.resolve("run" + crashAfter + "/finetune.ckpt");
            RuntimeException crash = assertThrows(RuntimeException.class, () -> tuner().train(net, data,
                    Optional.of(ck), (e, s, n, t, l) -> {
                        if (t == crashAfter) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }));
            assertEquals("simulated crash", crash.getMessage());
            FineTuneCheckpoint c = FineTuneCheckpoint.read(ck);
            assertEquals(crashAfter, c.globalStep());
            FineTuneResult resumed = tuner().train(net, data, Optional.of(ck), (e, s, n, t, l) -> { });
            assertEquals(crashAfter, resumed.resumedFrom());
            assertEquals(6, resumed.globalSteps());
            assertEquals(full.stepLosses().subList(crashAfter, 6), resumed.stepLosses());
            for (String name : net.parameterNames()) {
                assertArrayEquals(full.weights().get(name), resumed.weights().get(name), name);
            }
            assertTrue(Files.list(ck.getParent()).allMatch(p -> p.equals(ck)), "no temporary files left");
        }
        Map<String, float[]> w0 = net.initialWeights();
        assertTrue(!Arrays.equals(w0.get("fc.weight"), full.weights().get("fc.weight")), "training moved fc");
    }

    @Test
    void microBatchSizeDoesNotChangeTheStep() throws Exception {
        FineTuneResult a = tuner().withEpochs(1).train(net, data, Optional.empty(), (e, s, n, t, l) -> { });
        FineTuneResult b = tuner().withEpochs(1).withMicroBatchSize(4).train(net, data, Optional.empty(),
                (e, s, n, t, l) -> { });
        for (int i = 0; i < a.stepLosses().size(); i++) {
            assertEquals(a.stepLosses().get(i), b.stepLosses().get(i), 1e-6);
        }
        float[] wa = a.weights().get("layer4.1.conv2.0.weight");
        float[] wb = b.weights().get("layer4.1.conv2.0.weight");
        double diff = 0;
        for (int i = 0; i < wa.length; i++) {
            diff = Math.max(diff, Math.abs(wa[i] - wb[i]));
        }
        // Per-row gradients are summed in double in row order, so only the grouping of the sum differs
        // (observed: identical float32 weights); Adam's sign-like first steps could amplify a
        // difference only where |g| is near zero.
        assertTrue(diff < 1e-6, "max weight difference " + diff);
    }

    @Test
    void checkpointOfAnotherRunIsRefused(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("c.ckpt");
        tuner().withEpochs(1).train(net, data, Optional.of(ck), (e, s, n, t, l) -> { });
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> tuner().withSeed(6).train(net, data, Optional.of(ck), (e, s, n, t, l) -> { }));
        assertTrue(ex.getMessage().contains("another run"), ex.getMessage());
    }

    @Test
    void damagedCheckpointIsRejected(@TempDir Path dir) throws Exception {
        Path ck = dir.resolve("c.ckpt");
        tuner().withEpochs(1).train(net, data, Optional.of(ck), (e, s, n, t, l) -> { });
        FineTuneCheckpoint good = FineTuneCheckpoint.read(ck);
        assertEquals(2, good.epoch());
        assertEquals(0, good.nextStep());
        byte[] bytes = Files.readAllBytes(ck);
        bytes[bytes.length / 2] ^= 1;
        Files.write(ck, bytes);
        assertThrows(IllegalArgumentException.class, () -> FineTuneCheckpoint.read(ck));
        Files.write(ck, Arrays.copyOf(bytes, 100));
        assertThrows(IllegalArgumentException.class, () -> FineTuneCheckpoint.read(ck));
    }

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodState(@TempDir Path dir) throws Exception {
        List<float[]> clips = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clips.add(data.clip(i).clone());
        }
        clips.get(5)[7] = Float.NaN;
        boolean[] labels = new boolean[6];
        for (int i = 0; i < 6; i++) {
            labels[i] = data.label(i);
        }
        LabelledClips bad = LabelledClips.of("one NaN clip", CLIP, clips, labels);
        Path ck = dir.resolve("c.ckpt");
        // Batch 6: the first step contains the NaN clip.
        FineTuneResult r = tuner().withBatchSize(6).train(net, bad, Optional.of(ck), (e, s, n, t, l) -> { });
        assertEquals(FineTuneResult.StopReason.NON_FINITE, r.stopReason());
        assertTrue(r.stopDetail().contains("epoch 1 step 1"), r.stopDetail());
        assertEquals(0, r.globalSteps());
        assertTrue(!Files.exists(ck), "no checkpoint of a bad step");
        Map<String, float[]> w0 = net.initialWeights();
        for (String name : net.parameterNames()) {
            assertArrayEquals(w0.get(name), r.weights().get(name), name);
        }
    }

    @Test
    void oneClassDataAreRefused() {
        LabelledClips one = LabelledClips.of("all positive", CLIP,
                List.of(FineTuneFixtures.lcg(1, 1536), FineTuneFixtures.lcg(2, 1536)), new boolean[] {true, true});
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> tuner().train(net, one, Optional.empty(), (e, s, n, t, l) -> { }));
        assertTrue(ex.getMessage().contains("all positive"), ex.getMessage());
    }

    /** {@link #data} in epoch 1, {@code epochs.apply(e)} for every epoch e (the first included). */
    private static LabelledClips perEpoch(String name, java.util.function.IntFunction<LabelledClips> epochs) {
        return new LabelledClips() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int size() {
                return data.size();
            }

            @Override
            public long[] clipShape() {
                return data.clipShape();
            }

            @Override
            public float[] clip(int index) {
                return data.clip(index);
            }

            @Override
            public boolean label(int index) {
                return data.label(index);
            }

            @Override
            public LabelledClips forEpoch(int epoch) {
                return epochs.apply(epoch);
            }
        };
    }

    private static LabelledClips validation() {
        List<float[]> clips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clips.add(FineTuneFixtures.lcg(200 + i, 3 * 2 * 16 * 16));
        }
        return LabelledClips.of("four validation clips", CLIP, clips, new boolean[] {true, false, false, true});
    }

    @Test
    void validationCurveAndBestWeightsFollowTheSmoothedRule() throws Exception {
        LabelledClips val = validation();
        FineTuner tuner = tuner().withEpochs(5).withLearningRate(3e-2).withSmoothingWindow(1).withWarmupEpochs(1);
        FineTuneResult r = tuner.train(net, data, Optional.of(val), Optional.empty(), (e, s, n, t, l) -> { });
        assertEquals(6, r.curve().size(), "evaluation 0 and one per epoch");
        // Recompute every evaluation from scratch: raw F1, smoothed F1 and the choice.
        double p = 4.0 / 6;
        double best = r.curve().get(0).validation().orElseThrow().f1();
        int bestIndex = 0;
        for (int e = 0; e < r.curve().size(); e++) {
            FineTuneRecord rec = r.curve().get(e);
            assertEquals(e, rec.evaluation());
            assertEquals(e, rec.epoch());
            assertEquals(2L * e, rec.globalStep());
            if (e > 0) {
                assertEquals((r.stepLosses().get(2 * e - 2) + r.stepLosses().get(2 * e - 1)) / 2, rec.trainLoss(),
                        1e-12);
                double raw = rec.validation().orElseThrow().f1();
                double prev = r.curve().get(e - 1).validation().orElseThrow().f1();
                assertEquals((raw + prev) / 2, rec.smoothedValidationF1().getAsDouble(), 1e-12);
                if (e > 1 && rec.smoothedValidationF1().getAsDouble() > best) {
                    best = rec.smoothedValidationF1().getAsDouble();
                    bestIndex = e;
                }
            }
        }
        assertEquals(bestIndex, r.bestEvaluation());
        // The chosen weights give the recorded validation metrics.
        SplitMetrics again = tuner.evaluate(net, r.bestWeights(), val, p);
        assertEquals(r.curve().get(bestIndex).validation().orElseThrow(), again);
        if (bestIndex == 0) {
            for (String name : net.parameterNames()) {
                assertArrayEquals(net.initialWeights().get(name), r.bestWeights().get(name), name);
            }
        }
        // Every k steps instead of every epoch: evaluation 0 plus one per 3 steps of 10.
        FineTuneResult k = tuner.withValidationEvery(3).train(net, data, Optional.of(val), Optional.empty(),
                (e, s, n, t, l) -> { });
        assertEquals(List.of(0L, 3L, 6L, 9L), k.curve().stream().map(FineTuneRecord::globalStep).toList());
    }

    @Test
    void resumeRestoresTheBestSoFarState(@TempDir Path dir) throws Exception {
        LabelledClips val = validation();
        FineTuner tuner = tuner().withEpochs(4).withLearningRate(3e-2).withSmoothingWindow(1).withWarmupEpochs(0)
                .withValidationEvery(3);
        FineTuneResult full = tuner.train(net, data, Optional.of(val), Optional.empty(), (e, s, n, t, l) -> { });
        for (int crashAfter : new int[] {2, 7}) {
            Path ck = dir.resolve("v" + crashAfter + "/c.ckpt");
            assertThrows(IllegalStateException.class, () -> tuner.train(net, data, Optional.of(val), Optional.of(ck),
                    (e, s, n, t, l) -> {
                        if (t == crashAfter) {
                            throw new IllegalStateException("crash");
                        }
                    }));
            FineTuneCheckpoint c = FineTuneCheckpoint.read(ck);
            assertEquals(crashAfter, c.globalStep());
            assertEquals(1 + crashAfter / 3, c.curve().size());
            assertEquals(crashAfter % 3, c.intervalSteps());
            FineTuneResult resumed = tuner.train(net, data, Optional.of(val), Optional.of(ck),
                    (e, s, n, t, l) -> { });
            assertEquals(full.curve(), resumed.curve());
            assertEquals(full.bestEvaluation(), resumed.bestEvaluation());
            for (String name : net.parameterNames()) {
                assertArrayEquals(full.bestWeights().get(name), resumed.bestWeights().get(name), name);
                assertArrayEquals(full.weights().get(name), resumed.weights().get(name), name);
            }
            // A checkpoint of a validated run does not resume a run without validation.
            assertThrows(IllegalArgumentException.class, () -> tuner.train(net, data, Optional.of(ck),
                    (e, s, n, t, l) -> { }));
        }
    }

    @Test
    void perEpochSetsAreUsedAndResumeRedrawsThem(@TempDir Path dir) throws Exception {
        // A set whose epoch e negates every clip for even e: the losses differ from the fixed set's,
        // and an interrupted run resumes to the same weights.
        LabelledClips varying = perEpoch("varying", epoch -> {
            List<float[]> c = new ArrayList<>();
            boolean[] l = new boolean[data.size()];
            for (int i = 0; i < data.size(); i++) {
                float[] x = data.clip(i).clone();
                for (int j = 0; j < x.length; j++) {
                    x[j] *= epoch % 2 == 0 ? -1 : 1;
                }
                c.add(x);
                l[i] = data.label(i);
            }
            return LabelledClips.of("varying epoch " + epoch, CLIP, c, l);
        });
        FineTuneResult fixed = tuner().train(net, data, Optional.empty(), (e, s, n, t, l) -> { });
        FineTuneResult full = tuner().train(net, varying, Optional.empty(), (e, s, n, t, l) -> { });
        assertEquals(fixed.stepLosses().subList(0, 2), full.stepLosses().subList(0, 2));
        assertTrue(Math.abs(fixed.stepLosses().get(2) - full.stepLosses().get(2)) > 1e-9, "epoch 2 differs");
        Path ck = dir.resolve("c.ckpt");
        assertThrows(IllegalStateException.class, () -> tuner().train(net, varying, Optional.of(ck),
                (e, s, n, t, l) -> {
                    if (t == 3) {
                        throw new IllegalStateException("crash");
                    }
                }));
        FineTuneResult resumed = tuner().train(net, varying, Optional.of(ck), (e, s, n, t, l) -> { });
        assertEquals(full.stepLosses().subList(3, 6), resumed.stepLosses());
        for (String name : net.parameterNames()) {
            assertArrayEquals(full.weights().get(name), resumed.weights().get(name), name);
        }
    }

    @Test
    void nanInALaterEpochStopsWithTheLastGoodCheckpointUntouched(@TempDir Path dir) throws Exception {
        // Epochs 1 and 2 are clean; epoch 3 brings a NaN pixel (as a corrupt clip would).
        LabelledClips poisoned = perEpoch("poisoned in epoch 3", epoch -> {
            if (epoch < 3) {
                return data;
            }
            List<float[]> c = new ArrayList<>();
            boolean[] l = new boolean[data.size()];
            for (int i = 0; i < data.size(); i++) {
                c.add(data.clip(i).clone());
                l[i] = data.label(i);
            }
            for (float[] x : c) {
                x[3] = Float.NaN;
            }
            return LabelledClips.of("poisoned in epoch 3", CLIP, c, l);
        });
        Path ck = dir.resolve("c.ckpt");
        FineTuner tuner = tuner().withEpochs(3).withCheckpointEvery(100);
        List<Long> seen = new ArrayList<>();
        byte[][] atEpoch2 = new byte[1][];
        FineTuneResult r = tuner.train(net, poisoned, Optional.of(validation()), Optional.of(ck), (e, s, n, t, l) -> {
            seen.add(t);
            if (t == 4) {
                try {
                    atEpoch2[0] = Files.readAllBytes(ck);
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        });
        assertEquals(FineTuneResult.StopReason.NON_FINITE, r.stopReason());
        assertTrue(r.stopDetail().contains("epoch 3 step 1"), r.stopDetail());
        assertEquals(List.of(1L, 2L, 3L, 4L), seen);
        assertEquals(4, r.globalSteps());
        assertArrayEquals(atEpoch2[0], Files.readAllBytes(ck), "the last good checkpoint is untouched");
        FineTuneCheckpoint last = FineTuneCheckpoint.read(ck);
        for (String name : net.parameterNames()) {
            float[] expected = r.weights().get(name);
            double[] kept = last.weights().get(name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], (float) kept[i], name);
            }
        }
        assertEquals(3, r.curve().size(), "evaluations 0, 1, 2");
    }

    @Test
    void cudaOnACpuBuildFailsWithTheClassifiersReason() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA), "this build has CUDA");
        var model = FineTuneFixtures.narrowModel(16);
        List<String> params = List.copyOf(net.parameterNames());
        org.engagement4j.core.model.ModelException ex = assertThrows(org.engagement4j.core.model.ModelException.class,
                () -> NetworkGradients.of(model, params, 1, org.engagement4j.core.model.Provider.CUDA));
        assertEquals(org.engagement4j.core.model.ModelException.Reason.PROVIDER_UNAVAILABLE, ex.reason());
        assertTrue(ex.getMessage().contains("provider CUDA requested but this ONNX Runtime build has no CUDA"),
                ex.getMessage());
        try (NetworkGradients cpu = NetworkGradients.of(model, params, 1, org.engagement4j.core.model.Provider.CPU)) {
            assertEquals(net.parameterNames(), cpu.parameterNames());
        }
    }
}
