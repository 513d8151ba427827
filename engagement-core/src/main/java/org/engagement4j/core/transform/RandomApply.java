package org.engagement4j.core.transform;

import java.util.Locale;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Applies an augmentation with probability {@code p}, else leaves the clip as it is
 * ({@code transforms.RandomApply([op], p)}; the reference uses {@code p = 0.35} for rotation,
 * contrast, colour, blur and noise, REFERENCE.md §5).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomApply implements ClipAugmentation {

    private final double p;
    private final ClipAugmentation augmentation;

    private RandomApply(double p, ClipAugmentation augmentation) {
        this.p = p;
        this.augmentation = augmentation;
    }

    /**
     * @param p the probability of applying, in [0, 1]
     * @param augmentation the augmentation
     * @return the gated augmentation
     * @throws IllegalArgumentException if {@code p} is not in [0, 1]
     */
    public static RandomApply of(double p, ClipAugmentation augmentation) {
        Checks.probability("p", p);
        return new RandomApply(p, Objects.requireNonNull(augmentation, "augmentation"));
    }

    /** @return the probability of applying */
    public double p() {
        return p;
    }

    /** @return the gated augmentation */
    public ClipAugmentation augmentation() {
        return augmentation;
    }

    /**
     * Draws one uniform number {@code u}; when {@code u < p} applies the augmentation (which then
     * draws its own parameters from the same generator).
     *
     * @param clip the clip
     * @param rng the generator
     * @return the augmented clip, or {@code clip} itself
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return Checks.rng(rng).nextDouble() < p ? augmentation.apply(clip, rng) : clip;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomApply[p=%s, %s]", p, augmentation);
    }
}
