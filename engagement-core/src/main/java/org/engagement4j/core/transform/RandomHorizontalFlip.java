package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Flips the whole clip left to right with probability {@code p} ({@code RandomHorizontalFlip},
 * {@code p = 0.5} in the reference's train and test transforms, REFERENCE.md §5).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomHorizontalFlip implements ClipAugmentation {

    private final double p;

    private RandomHorizontalFlip(double p) {
        this.p = p;
    }

    /**
     * @param p the probability of flipping, in [0, 1]
     * @return the augmentation
     * @throws IllegalArgumentException if {@code p} is not in [0, 1]
     */
    public static RandomHorizontalFlip of(double p) {
        return new RandomHorizontalFlip(Checks.probability("p", p));
    }

    /** @return the probability of flipping */
    public double p() {
        return p;
    }

    /**
     * Draws one uniform number {@code u} and flips when {@code u < p}.
     *
     * @param clip the clip
     * @param rng the generator
     * @return the flipped clip, or {@code clip} itself
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return Checks.rng(rng).nextDouble() < p ? HorizontalFlip.of().apply(clip) : clip;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomHorizontalFlip[p=%s]", p);
    }
}
