package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;

/** The composite train and test transforms, and the deterministic operations' argument checks. */
class PipelineTest {

    /** A normalised-looking 3 x 15 x 160 x 208 clip, as the reference's loader produces. */
    private static ClipTensor referenceClip(long seed) {
        UniformRandomProvider rng = ClipAugmentation.random(seed);
        byte[] thwc = new byte[15 * 160 * 208 * 3];
        rng.nextBytes(thwc);
        return Normalization.of(new double[] {128, 128, 128}, new double[] {74, 74, 74})
                .apply(thwc, 15, 160, 208);
    }

    @Test
    void trainAugmentationFollowsTheReference() {
        TrainAugmentation aug = TrainAugmentation.reference();
        List<ClipAugmentation> steps = aug.steps();
        assertEquals(7, steps.size());
        assertTrue(steps.get(0) instanceof RandomApply
                && ((RandomApply) steps.get(0)).augmentation() instanceof RandomRotation);
        assertEquals(0.35, ((RandomApply) steps.get(0)).p());
        assertTrue(steps.get(1) instanceof RandomResizedCrop);
        assertTrue(steps.get(2) instanceof RandomHorizontalFlip);
        for (int i = 3; i < 7; i++) {
            assertEquals(0.35, ((RandomApply) steps.get(i)).p());
        }
        assertTrue(((RandomApply) steps.get(6)).augmentation() instanceof RandomGaussianNoise);
        assertThrows(UnsupportedOperationException.class, () -> steps.set(0, null));

        ClipTensor clip = referenceClip(1);
        ClipTensor copy = ClipTensor.of(clip.toArray(), 3, 15, 160, 208);
        ClipTensor out = aug.apply(clip, 42L);
        assertArrayEquals(new int[] {3, 15, 112, 112}, out.shape());
        assertEquals(copy, clip, "the input is not modified");
        assertEquals(out, aug.apply(clip, ClipAugmentation.random(42)));
        assertNotEquals(out, aug.apply(clip, 43L));
    }

    @Test
    void customPipelinesReplaceSteps() {
        List<ClipAugmentation> steps = new ArrayList<>(TrainAugmentation.reference().steps());
        steps.set(1, RandomResizedCrop.of(64, 80, 0.6, 1.0, 0.5, 1.5));
        TrainAugmentation aug = TrainAugmentation.of(steps);
        assertArrayEquals(new int[] {3, 2, 64, 80},
                aug.apply(referenceClip(2).frames(0, 2), 5L).shape());
        ClipTensor c = referenceClip(3);
        assertSame(c, TrainAugmentation.of(List.of()).apply(c, 1L), "no steps: the clip itself");
        assertThrows(NullPointerException.class, () -> TrainAugmentation.of(null));
    }

    @Test
    void augmentationsCompose() {
        ClipTensor c = ClipTensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        ClipAugmentation twice = HorizontalFlip.of().andThen(ContrastAdjustment.of(2, 1));
        assertArrayEquals(new float[] {5, 3, 9, 7}, twice.apply(c, null).toArray());
    }

    @Test
    void testTransformCropsTheCentreAndFlipsOnRequest() {
        ClipTensor clip = referenceClip(4);
        TestTransform plain = TestTransform.of(TestTransform.SIZE);
        ClipTensor out = plain.apply(clip);
        assertArrayEquals(new int[] {3, 15, 160, 160}, out.shape());
        assertEquals(clip.get(1, 7, 80, 24), out.get(1, 7, 80, 0), "left margin (208 - 160) / 2 = 24");
        assertEquals(out, plain.apply(clip, null));
        TestTransform reference = TestTransform.reference();
        assertEquals(0.5, reference.flipProbability());
        assertThrows(IllegalStateException.class, () -> reference.apply(clip));
        UniformRandomProvider rng = ClipAugmentation.random(5);
        int flipped = 0;
        for (int i = 0; i < 40; i++) {
            ClipTensor r = reference.apply(clip, rng);
            if (!r.equals(out)) {
                assertEquals(HorizontalFlip.of().apply(out), r);
                flipped++;
            }
        }
        assertTrue(flipped > 5 && flipped < 35, "flipped " + flipped + " of 40");
        assertEquals(HorizontalFlip.of().apply(out),
                plain.withFlipProbability(1).apply(clip, rng));
        assertThrows(IllegalArgumentException.class, () -> plain.withFlipProbability(-0.1));
    }

    @Test
    void deterministicOperationsCheckTheirArguments() {
        ClipTensor small = ClipTensor.of(new float[3 * 2 * 2], 3, 1, 2, 2);
        String[] expected = {
            "clip: frames of 2x2 are too small for a 5-pixel Gaussian kernel; reflect padding needs"
                    + " kernelSize / 2 = 2 < height and < width",
            "clip: ClipTensor[3, 1, 2, 2] has 3 channels, this adjustment has 2",
            "scale and bias: 2 and 3 values given, expected one of each per channel",
            "bias[1]: NaN must be finite",
            "degrees: Infinity must be finite",
            "width: 0 must be >= 1",
            "outWidth: -1 must be >= 1",
            "height: 0 must be >= 1",
            "sigma: 0.0 must be finite and > 0",
            "std: NaN must be finite and >= 0",
            "scale: NaN must be finite",
        };
        Runnable[] calls = {
            () -> GaussianBlur.of(5, 1).apply(small),
            () -> ColourAdjustment.of(new double[] {1, 1}, new double[] {0, 0}).apply(small),
            () -> ColourAdjustment.of(new double[] {1, 1}, new double[] {0, 0, 0}),
            () -> ColourAdjustment.of(new double[] {1, 1}, new double[] {0, Double.NaN}),
            () -> Rotation.of(Double.POSITIVE_INFINITY),
            () -> ResizedCrop.of(0, 0, 1, 0, 1, 1),
            () -> ResizedCrop.of(0, 0, 1, 1, 1, -1),
            () -> CenterCrop.of(0, 3),
            () -> GaussianBlur.of(5, 0),
            () -> GaussianNoise.of(Double.NaN),
            () -> ContrastAdjustment.of(Double.NaN, 0),
        };
        for (int i = 0; i < calls.length; i++) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, calls[i]::run);
            assertEquals(expected[i], e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> Rotation.of(1).apply(null));
        assertThrows(NullPointerException.class, () -> RandomRotation.reference().apply(small, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResizedCrop.of(0, 0, 1, 1, 100_000, 100_000).apply(small));
        assertTrue(e.getMessage().startsWith("output: shape [3, 1, 100000, 100000]"), e.getMessage());
    }

    @Test
    void valuesDescribeThemselves() {
        assertEquals("Rotation[-3.5 degrees]", Rotation.of(-3.5).toString());
        assertEquals(Rotation.of(2), Rotation.of(2));
        assertEquals(GaussianBlur.of(5, 1.5), GaussianBlur.of(5, 1.5));
        assertEquals(1.0, java.util.Arrays.stream(GaussianBlur.of(5, 1.5).weights()).sum(), 1e-15);
        assertEquals(CenterCrop.of(3, 4), CenterCrop.of(3, 4));
        assertTrue(TrainAugmentation.reference().toString().contains(
                "RandomResizedCrop[112x112, scale=(0.6, 1.5), ratio=(0.5, 1.5)]"));
        assertEquals("TestTransform[centre crop 160x160, flip p=0.5]",
                TestTransform.reference().toString());
    }
}
