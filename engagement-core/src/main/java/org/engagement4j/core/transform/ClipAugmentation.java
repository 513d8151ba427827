package org.engagement4j.core.transform;

import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A random operation on a clip: it draws its parameters from the given generator once per call
 * and applies them to every frame of the clip alike, as the reference's augmentations do on a
 * CTHW tensor (REFERENCE.md §5).
 *
 * <p>Given the same clip and a generator in the same state, the result is the same: seed the
 * generator ({@link #random(long)}) to make a training run reproducible. Implementations are
 * immutable and thread-safe; the generator is not, so give each thread its own.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ClipAugmentation {

    /**
     * Applies the operation with freshly drawn parameters.
     *
     * @param clip the clip (not modified)
     * @param rng the source of the random parameters
     * @return the result, a new clip, or {@code clip} itself when the operation draws "do
     *     nothing" (clips are immutable, so sharing is safe)
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the clip's shape does not suit the operation
     */
    ClipTensor apply(ClipTensor clip, UniformRandomProvider rng);

    /**
     * This operation followed by another, both drawing from the same generator in that order.
     *
     * @param next the operation applied to this one's result
     * @return the composition
     */
    default ClipAugmentation andThen(ClipAugmentation next) {
        Objects.requireNonNull(next, "next");
        return (clip, rng) -> next.apply(apply(clip, rng), rng);
    }

    /**
     * The generator this library uses for augmentation: XoRoShiRo128++ seeded from one
     * {@code long} (commons-rng's {@code RandomSource.XO_RO_SHI_RO_128_PP}, which expands the
     * seed with SplitMix64).
     *
     * @param seed the seed
     * @return a new generator; the same seed gives the same sequence on every platform
     */
    static UniformRandomProvider random(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }
}
