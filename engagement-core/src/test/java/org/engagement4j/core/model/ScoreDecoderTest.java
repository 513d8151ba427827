package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Decoding logits into scores, without ONNX Runtime. */
class ScoreDecoderTest {

    static final Provenance PROVENANCE = new Provenance("0".repeat(64), 13, Provider.CPU, "dev",
            "1.22.0", "17");

    @Test
    void softmaxOfKnownLogits() {
        // p = [1, 3] / 4 when the logits differ by ln 3
        assertArrayEquals(new double[] {0.25, 0.75},
                ScoreDecoder.softmax(new float[] {0f, (float) Math.log(3)}), 1e-7);
        assertArrayEquals(new double[] {0.5, 0.5}, ScoreDecoder.softmax(new float[] {7f, 7f}), 0);
        double[] p = ScoreDecoder.softmax(new float[] {1f, 2f, 3f});
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z}, p,
                1e-15);
    }

    @Test
    void largeLogitsDoNotOverflow() {
        double[] p = ScoreDecoder.softmax(new float[] {1000f, 1001f});
        assertEquals(1 / (1 + Math.exp(-1)), p[1], 1e-15);
        double[] q = ScoreDecoder.softmax(new float[] {-3e38f, 3e38f});
        assertArrayEquals(new double[] {0, 1}, q, 0);
    }

    @Test
    void labelIsTheArgmaxNotTheSignOfALogit() {
        // The reference's (score > 0) would call this engaged: logit 1 is positive. The argmax
        // says class 0, because logit 0 is larger.
        EngagementScore s = ScoreDecoder.of().decode(new float[] {3f, 1f}, PROVENANCE);
        assertEquals(0, s.predictedClass());
        assertFalse(s.engaged());
        assertTrue(s.probability() < 0.5);
        // and a negative logit 1 can still win
        EngagementScore t = ScoreDecoder.of().decode(new float[] {-5f, -1f}, PROVENANCE);
        assertTrue(t.engaged());
        assertEquals(1 / (1 + Math.exp(-4)), t.probability(), 1e-7);
    }

    @Test
    void tiesGoToTheFirstClass() {
        EngagementScore s = ScoreDecoder.of().decode(new float[] {2f, 2f}, PROVENANCE);
        assertEquals(0, s.predictedClass());
        assertFalse(s.engaged());
        assertEquals(0.5, s.probability(), 0);
        assertEquals(2, ScoreDecoder.argmax(new float[] {0f, 1f, 3f, 3f}));
    }

    @Test
    void otherTargetClasses() {
        ScoreDecoder d = ScoreDecoder.of().withTargetClass(2);
        EngagementScore s = d.decode(new float[] {0f, 1f, 5f}, PROVENANCE);
        assertEquals(2, s.targetClass());
        assertTrue(s.engaged());
        assertEquals(s.probabilities()[2], s.probability(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.decode(new float[] {0f, 1f}, PROVENANCE));
        assertEquals("target class 2 is not one of the model's 2 classes [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScoreDecoder.of().withTargetClass(-1));
    }

    @Test
    void badLogitsAreRefused() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> ScoreDecoder.softmax(new float[] {0f, Float.NaN}));
        assertEquals("logits: value NaN of class 1 is not finite", nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ScoreDecoder.softmax(new float[] {Float.POSITIVE_INFINITY, 0f}));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> ScoreDecoder.softmax(new float[] {1f}));
        assertEquals("logits: 1 values, a classifier has at least 2 classes", one.getMessage());
        assertThrows(NullPointerException.class, () -> ScoreDecoder.softmax(null));
        assertThrows(NullPointerException.class,
                () -> ScoreDecoder.of().decode(new float[] {0f, 1f}, null));
    }

    @Test
    void scoresAreImmutable() {
        float[] logits = {0f, 1f};
        EngagementScore s = ScoreDecoder.of().decode(logits, PROVENANCE);
        logits[1] = 9f;
        assertEquals(1f, s.logits()[1]);
        s.logits()[1] = 9f;
        s.probabilities()[1] = 9;
        assertEquals(1f, s.logits()[1]);
        assertTrue(s.probabilities()[1] < 1);
        assertEquals(s, ScoreDecoder.of().decode(new float[] {0f, 1f}, PROVENANCE));
    }

    @Property(tries = 300)
    void softmaxIsADistributionThatKeepsTheOrder(
            @ForAll @Size(min = 2, max = 12) float @FloatRange(min = -80, max = 80) [] logits) {
        double[] p = ScoreDecoder.softmax(logits);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        for (int i = 0; i < p.length; i++) {
            assertTrue(p[i] >= 0 && p[i] <= 1);
            for (int j = 0; j < p.length; j++) {
                if (logits[i] > logits[j]) {
                    assertTrue(p[i] >= p[j]);
                }
            }
        }
        EngagementScore s = ScoreDecoder.of().decode(logits, PROVENANCE);
        int best = s.predictedClass();
        for (float l : logits) {
            assertTrue(logits[best] >= l);
        }
    }

    @Property(tries = 300)
    void twoClassLabelAgreesWithTheProbability(@ForAll @FloatRange(min = -50, max = 50) float a,
            @ForAll @FloatRange(min = -50, max = 50) float b) {
        EngagementScore s = ScoreDecoder.of().decode(new float[] {a, b}, PROVENANCE);
        assertEquals(b > a, s.engaged());
        if (Math.abs(a - b) > 1e-6) {
            assertEquals(b > a, s.probability() > 0.5);
        }
    }
}
