package org.engagement4j.core.elan;

import java.util.Objects;

/**
 * An annotation the reader kept out of its tier because it has no time: it uses an unaligned
 * time slot with no aligned neighbour to estimate from, its estimated end falls before its
 * estimated start, or it references (directly or through a chain) such an annotation. It is
 * reported here rather than dropped silently.
 *
 * @param id the {@code ANNOTATION_ID}
 * @param tierId the tier it was written in
 * @param reason why it could not be placed, naming the slot or annotation involved
 * @since 0.1.0
 */
public record UnplacedAnnotation(String id, String tierId, String reason) {

    /** Checks for null. */
    public UnplacedAnnotation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tierId, "tierId");
        Objects.requireNonNull(reason, "reason");
    }
}
