package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Gaussian noise whose standard deviation is drawn uniformly from {@code [stdMin, stdMax)} once
 * per clip: the reference's {@code NormalNoise(std=(0.01, 0.03))} (REFERENCE.md §5); the noise
 * itself is {@link GaussianNoise}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomGaussianNoise implements ClipAugmentation {

    private final double stdMin;
    private final double stdMax;

    private RandomGaussianNoise(double stdMin, double stdMax) {
        this.stdMin = stdMin;
        this.stdMax = stdMax;
    }

    /**
     * @param stdMin the smallest standard deviation, finite and {@code >= 0}
     * @param stdMax the largest, finite and {@code >= stdMin}
     * @return the augmentation
     * @throws IllegalArgumentException if an argument breaks its rule
     */
    public static RandomGaussianNoise of(double stdMin, double stdMax) {
        Checks.nonNegativeFinite("std minimum", stdMin);
        Checks.range("std", stdMin, stdMax);
        return new RandomGaussianNoise(stdMin, stdMax);
    }

    /** @return the reference's noise: std (0.01, 0.03) */
    public static RandomGaussianNoise reference() {
        return of(0.01, 0.03);
    }

    /** @return {@code {stdMin, stdMax}} */
    public double[] std() {
        return new double[] {stdMin, stdMax};
    }

    /**
     * @param rng the generator (one draw)
     * @return the noise with the drawn standard deviation
     */
    public GaussianNoise sample(UniformRandomProvider rng) {
        return GaussianNoise.of(Checks.uniform(Checks.rng(rng), stdMin, stdMax));
    }

    /**
     * Draws the standard deviation, then the noise, from the same generator.
     *
     * @param clip the clip
     * @param rng the generator
     * @return the noisy clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return sample(rng).apply(clip, rng);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomGaussianNoise[std=(%s, %s)]", stdMin, stdMax);
    }
}
