package org.engagement4j.core.elan;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code LINGUISTIC_TYPE}: how the annotations of the tiers of this type relate to time and to
 * their parent tier. Kept so that a document read and written again keeps its tier structure;
 * controlled vocabularies and lexicon links are not kept.
 *
 * @param id the {@code LINGUISTIC_TYPE_ID}
 * @param timeAlignable {@code TIME_ALIGNABLE}: whether annotations of this type have their own
 *     time slots ({@code ALIGNABLE_ANNOTATION}) rather than referencing a parent annotation
 * @param constraint the {@code CONSTRAINTS} stereotype, if any: {@code Time_Subdivision},
 *     {@code Symbolic_Subdivision}, {@code Symbolic_Association} or {@code Included_In}
 * @since 0.1.0
 */
public record LinguisticType(String id, boolean timeAlignable, Optional<String> constraint) {

    /** Checks for null. */
    public LinguisticType {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(constraint, "constraint");
    }

    /**
     * @param id type id
     * @return a time-alignable type without constraint (what ELAN uses for top-level tiers)
     */
    public static LinguisticType topLevel(String id) {
        return new LinguisticType(id, true, Optional.empty());
    }
}
