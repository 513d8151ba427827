package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The classifier's {@code lowerConv3d} and {@code precision} options on torch's committed
 * width-reduced mc3_18 export ({@code fixtures/mc3/narrow_w8_k2.onnx}, torchvision's seeded
 * initialisation: random, not trained, weights).
 */
class PrecisionAndLoweringTest {

    private static Path model() throws Exception {
        return Paths.get(PrecisionAndLoweringTest.class.getResource("/fixtures/mc3/narrow_w8_k2.onnx").toURI());
    }

    /** Clips [n, 3, 8, 64, 64]: smooth random blobs plus noise, so activations look like video. */
    private static ClipBatch clips(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 3 * 8 * 64 * 64];
        for (int c = 0; c < n * 3; c++) {
            double a = rng.nextDouble(-1.5, 1.5);
            double fx = rng.nextDouble(0.05, 0.3);
            double fy = rng.nextDouble(0.05, 0.3);
            for (int t = 0; t < 8; t++) {
                for (int i = 0; i < 64 * 64; i++) {
                    int base = (c * 8 + t) * 64 * 64;
                    x[base + i] = (float) (a * Math.sin(fx * (i % 64) + 0.3 * t) * Math.cos(fy * (i / 64))
                            + 0.3 * rng.nextGaussian());
                }
            }
        }
        return ClipBatch.of(x, n, 3, 8, 64, 64);
    }

    @Test
    void loweredAndUnloweredGiveTheSameLogitsAndEmbeddings() throws Exception {
        ClipBatch x = clips(1, 3);
        try (EngagementClassifier a = EngagementClassifier.builder().model(model()).intraOpThreads(2).build();
                EngagementClassifier b = EngagementClassifier.builder().model(model()).intraOpThreads(2)
                        .lowerConv3d(false).build()) {
            assertEquals(a.provenance().modelSha256(), b.provenance().modelSha256());
            assertEquals(Precision.FP32, a.provenance().precision());
            float[][] la = a.logits(x);
            float[][] lb = b.logits(x);
            List<Embedding> ea = a.embed(x);
            List<Embedding> eb = b.embed(x);
            for (int r = 0; r < 3; r++) {
                assertArrayEquals(lb[r], la[r], 1e-4f, "row " + r);
                assertArrayEquals(eb.get(r).values(), ea.get(r).values(), 1e-4f, "embedding row " + r);
            }
        }
    }

    @Test
    void int8AtLoadAgreesWithFp32() throws Exception {
        List<ClipBatch> calibration = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calibration.add(clips(100 + i, 2));
        }
        ClipBatch heldOut = clips(7, 12);
        try (EngagementClassifier fp32 = EngagementClassifier.builder().model(model()).intraOpThreads(2).build();
                EngagementClassifier int8 = EngagementClassifier.builder().model(model()).intraOpThreads(2)
                        .precision(Precision.INT8).calibration(calibration).build()) {
            assertEquals(Precision.INT8, int8.provenance().precision());
            assertEquals(fp32.provenance().modelSha256(), int8.provenance().modelSha256());
            List<EngagementScore> a = fp32.predict(heldOut);
            List<EngagementScore> b = int8.predict(heldOut);
            assertEquals(Precision.INT8, b.get(0).provenance().precision());
            int same = 0;
            double worst = 0;
            for (int r = 0; r < a.size(); r++) {
                same += a.get(r).predictedClass() == b.get(r).predictedClass() ? 1 : 0;
                worst = Math.max(worst, Math.abs(a.get(r).probability() - b.get(r).probability()));
            }
            // Quantisation changes the outputs (else the int8 path did not run) but only a little.
            assertTrue(worst > 0 && worst < 0.05, String.format(Locale.ROOT, "largest |dp| %.4f", worst));
            assertTrue(same >= 11, same + "/12 rows with the same class");
            assertEquals(12, int8.embed(heldOut).size());
        }
    }

    @Test
    void int8WithoutCalibrationIsRefused() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EngagementClassifier.builder()
                .model(model()).precision(Precision.INT8).build());
        assertTrue(e.getMessage().contains("calibration"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngagementClassifier.builder().calibration(List.of()));
    }
}
