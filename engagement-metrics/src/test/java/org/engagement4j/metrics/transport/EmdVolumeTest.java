package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The paper's use: per-frame EMD of [T,H,W] maps, batches of pairs, parallel execution. */
// A broken solver must fail, not hang: the timeout interrupts a runaway test.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmdVolumeTest {

    private static Volume blobs(SplittableRandom r, int t, int h, int w) {
        double[] d = new double[t * h * w];
        for (int f = 0; f < t; f++) {
            double cy = r.nextDouble() * h;
            double cx = r.nextDouble() * w;
            double s = 1 + r.nextDouble() * 3;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dy = y - cy;
                    double dx = x - cx;
                    d[(f * h + y) * w + x] = Math.exp(-(dy * dy + dx * dx) / (2 * s * s))
                            + 0.05 * r.nextDouble();
                }
            }
        }
        return Volume.of(d, t, h, w);
    }

    @Test
    void metricContract() {
        MapMetric m = Emd.exact();
        assertEquals("emd", m.name());
        assertFalse(m.higherIsBetter());
        assertFalse(m.supportsVolume());
        Volume v = Volume.filled(1, 1, 2, 2);
        assertThrows(UnsupportedOperationException.class, () -> m.volume(v, v));
        assertEquals(GroundDistance.EUCLIDEAN, Emd.exact().ground());
        assertEquals(MassPolicy.REFERENCE, Emd.exact().massPolicy());
        assertEquals(1, Emd.exact().parallelism());
        assertEquals(Emd.exact(), Emd.exact().withParallelism(1));
        assertEquals(4, Emd.exact().withParallelism(4).parallelism());
    }

    @Test
    void perFrameIsTheFrameByFrameEmdAndItsMean() {
        SplittableRandom r = new SplittableRandom(3);
        Volume h = blobs(r, 15, 16, 16);
        Volume m = blobs(r, 15, 16, 16);
        FrameScores s = Emd.exact().perFrame(h, m);
        assertEquals(15, s.frames());
        double sum = 0;
        for (int t = 0; t < 15; t++) {
            double expected = Emd.exact().frame(h.frame(t), m.frame(t), 16, 16);
            assertEquals(expected, s.value(t));
            sum += expected;
        }
        assertEquals(sum / 15, s.mean().getAsDouble(), 1e-12);
    }

    @Test
    void parallelResultsEqualSequentialBitForBit() {
        SplittableRandom r = new SplittableRandom(5);
        List<Volume> humans = new ArrayList<>();
        List<Volume> machines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int t = 1 + r.nextInt(5);
            humans.add(blobs(r, t, 12, 12));
            machines.add(blobs(r, t, 12, 12));
        }
        humans.add(blobs(r, 3, 8, 5)); // another shape in the same batch
        machines.add(blobs(r, 3, 8, 5));
        List<FrameScores> seq = Emd.exact().perFrame(humans, machines);
        List<FrameScores> par = Emd.exact().withParallelism(4).perFrame(humans, machines);
        assertEquals(seq, par);
        double[] means = Emd.exact().withParallelism(3).meanPerFrame(humans, machines);
        for (int i = 0; i < means.length; i++) {
            assertEquals(seq.get(i).mean().getAsDouble(), means[i]);
            assertEquals(Emd.exact().perFrame(humans.get(i), machines.get(i)), seq.get(i));
        }
    }

    @Test
    void zeroMassFramesAreUndefinedUnderNormalize() {
        double[] d = new double[3 * 4];
        double[] e = new double[3 * 4];
        d[0] = 1; // frame 0: mass in a corner
        e[3] = 1; // frame 0: mass in the opposite corner
        d[4 + 1] = 2; // frame 1: human painted, machine empty -> undefined
        d[8 + 2] = 1; // frame 2: same pixel in both -> 0
        e[8 + 2] = 5;
        Volume h = Volume.of(d, 3, 2, 2);
        Volume m = Volume.of(e, 3, 2, 2);
        FrameScores s = Emd.exact().withMassPolicy(MassPolicy.NORMALIZE).perFrame(h, m);
        assertTrue(s.isDefined(0));
        assertFalse(s.isDefined(1));
        assertEquals(Math.sqrt(2), s.value(0));
        assertEquals(0.0, s.value(2));
        assertEquals(Math.sqrt(2) / 2, s.mean().getAsDouble());
        // REFERENCE defines every frame (eps makes an empty frame uniform)
        assertEquals(3, Emd.exact().perFrame(h, m).definedCount());
    }

    @Test
    void emptyBatch() {
        assertArrayEquals(new double[0], Emd.exact().meanPerFrame(List.of(), List.of()));
    }
}
