package org.engagement4j.core.elan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code TIER}: a named row of annotations, e.g. the reference system's {@code task},
 * {@code participating}, {@code attending} and {@code ignore} tiers.
 *
 * <p>The annotations are kept in time order: sorted by start, then end; annotations with equal
 * times keep their order in the file (a symbolic subdivision's parts share their parent's
 * times and stay in the order ELAN wrote them).
 *
 * @param id the {@code TIER_ID}
 * @param participant the {@code PARTICIPANT}, if given
 * @param annotator the {@code ANNOTATOR}, if given
 * @param parentRef the {@code PARENT_REF} (a tier id), if this is a dependent tier
 * @param linguisticType the {@code LINGUISTIC_TYPE_REF}
 * @param annotations the placed annotations of this tier, in time order
 * @since 0.1.0
 */
public record Tier(String id, Optional<String> participant, Optional<String> annotator,
        Optional<String> parentRef, String linguisticType, List<Annotation> annotations) {

    private static final Comparator<Annotation> TIME_ORDER = Comparator
            .comparingLong(Annotation::startMs).thenComparingLong(Annotation::endMs);

    /**
     * Copies and sorts the annotations (stable).
     *
     * @throws IllegalArgumentException if an annotation names another tier
     */
    public Tier {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(annotator, "annotator");
        Objects.requireNonNull(parentRef, "parentRef");
        Objects.requireNonNull(linguisticType, "linguisticType");
        List<Annotation> copy = new ArrayList<>(Objects.requireNonNull(annotations,
                "annotations"));
        boolean sorted = true;
        for (int i = 0; i < copy.size(); i++) {
            Annotation a = Objects.requireNonNull(copy.get(i), "annotation");
            if (!a.tierId().equals(id)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "tier '%s' holds annotation %s, which names tier '%s'", id, a.id(),
                        a.tierId()));
            }
            if (i > 0 && TIME_ORDER.compare(copy.get(i - 1), a) > 0) {
                sorted = false;
            }
        }
        if (!sorted) {
            copy.sort(TIME_ORDER);
        }
        annotations = Collections.unmodifiableList(copy);
    }

    /**
     * @param id tier id
     * @param linguisticType linguistic type id
     * @param annotations the annotations (any order)
     * @return a top-level tier without participant or annotator
     */
    public static Tier of(String id, String linguisticType, List<Annotation> annotations) {
        return new Tier(id, Optional.empty(), Optional.empty(), Optional.empty(), linguisticType,
                annotations);
    }

    /**
     * @param newAnnotations the annotations (any order)
     * @return a copy of this tier holding other annotations
     */
    public Tier withAnnotations(List<Annotation> newAnnotations) {
        return new Tier(id, participant, annotator, parentRef, linguisticType, newAnnotations);
    }

    /** @return the number of {@code ALIGNABLE_ANNOTATION}s */
    public int alignableCount() {
        int n = 0;
        for (Annotation a : annotations) {
            if (!a.isReference()) {
                n++;
            }
        }
        return n;
    }

    /** @return the number of {@code REF_ANNOTATION}s */
    public int referenceCount() {
        return annotations.size() - alignableCount();
    }
}
