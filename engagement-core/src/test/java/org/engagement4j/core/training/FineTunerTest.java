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
}
