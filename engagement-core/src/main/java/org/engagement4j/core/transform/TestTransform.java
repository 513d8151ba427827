package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The evaluation transform of the reference: a centre crop of 160 x 160 from the normalised
 * 160 x 208 frames, optionally followed by a random horizontal flip (REFERENCE.md §5).
 *
 * <p>The reference's test transform flips with probability 0.5 ({@link #reference()}); attention
 * maps are computed without the flip, and so is deterministic inference ({@link #of(int)}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TestTransform implements ClipAugmentation {

    /** The side of the reference's square evaluation crop. */
    public static final int SIZE = 160;

    private final CenterCrop crop;
    private final double flipProbability;

    private TestTransform(CenterCrop crop, double flipProbability) {
        this.crop = crop;
        this.flipProbability = flipProbability;
    }

    /**
     * A deterministic centre crop, no flip.
     *
     * @param size the crop's side, at least 1 ({@link #SIZE} in the reference)
     * @return the transform
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public static TestTransform of(int size) {
        return new TestTransform(CenterCrop.of(size, size), 0);
    }

    /** @return the reference's test transform: centre crop 160, then a flip with probability 0.5 */
    public static TestTransform reference() {
        return of(SIZE).withFlipProbability(0.5);
    }

    /**
     * @param p the probability of a horizontal flip after the crop, in [0, 1] (0: none)
     * @return a transform with the same crop and that flip probability
     * @throws IllegalArgumentException if {@code p} is not in [0, 1]
     */
    public TestTransform withFlipProbability(double p) {
        return new TestTransform(crop, Checks.probability("p", p));
    }

    /** @return the crop's side */
    public int size() {
        return crop.height();
    }

    /** @return the probability of a horizontal flip */
    public double flipProbability() {
        return flipProbability;
    }

    /**
     * Applies the crop; valid only without a flip.
     *
     * @param clip a normalised clip
     * @return the cropped clip
     * @throws IllegalStateException if this transform flips at random (use
     *     {@link #apply(ClipTensor, UniformRandomProvider)})
     */
    public ClipTensor apply(ClipTensor clip) {
        if (flipProbability > 0) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "this test transform flips with probability %s and needs a random generator",
                    flipProbability));
        }
        return crop.apply(Checks.clip(clip));
    }

    /**
     * Applies the crop, then, when the flip probability is positive, draws one uniform number and
     * flips when it is below the probability.
     *
     * @param clip a normalised clip
     * @param rng the generator (not used without a flip)
     * @return the transformed clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        ClipTensor out = crop.apply(Checks.clip(clip));
        if (flipProbability > 0 && Checks.rng(rng).nextDouble() < flipProbability) {
            out = HorizontalFlip.of().apply(out);
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TestTransform[centre crop %dx%d, flip p=%s]",
                crop.height(), crop.width(), flipProbability);
    }
}
