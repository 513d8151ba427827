package org.engagement4j.core.transform;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * A deterministic operation on a clip, with all its parameters fixed: what a random
 * {@link ClipAugmentation} applies once it has drawn them. Because it ignores the generator, a
 * transform can stand wherever an augmentation is expected.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ClipTransform extends ClipAugmentation {

    /**
     * Applies the operation.
     *
     * @param clip the clip (not modified)
     * @return the result, a new clip
     * @throws NullPointerException if {@code clip} is null
     * @throws IllegalArgumentException if the clip's shape does not suit the operation
     */
    ClipTensor apply(ClipTensor clip);

    /**
     * {@link #apply(ClipTensor)}; the generator is not used.
     *
     * @param clip the clip
     * @param rng ignored (may be null)
     * @return {@code apply(clip)}
     */
    @Override
    default ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        return apply(clip);
    }
}
