package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Rotates the whole clip by an angle drawn uniformly from {@code [minDegrees, maxDegrees)}
 * ({@code transforms.RandomRotation(degrees=(-8, +8), interpolation=BILINEAR)} in the reference,
 * REFERENCE.md §5; the rotation itself is {@link Rotation}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomRotation implements ClipAugmentation {

    private final double minDegrees;
    private final double maxDegrees;

    private RandomRotation(double minDegrees, double maxDegrees) {
        this.minDegrees = minDegrees;
        this.maxDegrees = maxDegrees;
    }

    /**
     * @param minDegrees the smallest angle, finite
     * @param maxDegrees the largest angle, finite and {@code >= minDegrees}
     * @return the augmentation
     * @throws IllegalArgumentException if the range is not finite or reversed
     */
    public static RandomRotation of(double minDegrees, double maxDegrees) {
        Checks.range("degrees", minDegrees, maxDegrees);
        return new RandomRotation(minDegrees, maxDegrees);
    }

    /** @return the reference's rotation: uniform in (-8, 8) degrees */
    public static RandomRotation reference() {
        return of(-8, 8);
    }

    /** @return the smallest angle in degrees */
    public double minDegrees() {
        return minDegrees;
    }

    /** @return the largest angle in degrees */
    public double maxDegrees() {
        return maxDegrees;
    }

    /**
     * @param rng the generator (one draw)
     * @return the rotation by {@code U(minDegrees, maxDegrees)}
     */
    public Rotation sample(UniformRandomProvider rng) {
        return Rotation.of(Checks.uniform(Checks.rng(rng), minDegrees, maxDegrees));
    }

    /**
     * @param clip the clip
     * @param rng the generator
     * @return the rotated clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return sample(rng).apply(clip);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomRotation[%s, %s degrees]", minDegrees,
                maxDegrees);
    }
}
