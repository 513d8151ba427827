package org.engagement4j.core.elan;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.engagement4j.core.annotation.Interval;

/**
 * One placed annotation: an {@code ALIGNABLE_ANNOTATION} with its own time slots, or a
 * {@code REF_ANNOTATION} that takes its times from the annotation it references (following
 * chains of references down to an alignable annotation).
 *
 * <p>Times are milliseconds from the start of the recording, {@code [startMs, endMs)}. A reference
 * annotation takes exactly the times of the annotation at the end of its chain; ELAN's display
 * splits a symbolic subdivision evenly over its parent, this model does not (the split is a
 * drawing convention, not data).
 *
 * <p>The value is the raw {@code ANNOTATION_VALUE} text, untrimmed; normalisation (trim, lower
 * case, synonyms) belongs to the role mapping.
 *
 * @param id the {@code ANNOTATION_ID}
 * @param tierId the tier holding it
 * @param startMs start in ms, {@code >= 0}
 * @param endMs end in ms, {@code >= startMs}
 * @param value the raw annotation value (may be empty)
 * @param timeEstimated whether a time slot involved was unaligned and its time estimated
 * @param referencedId for a {@code REF_ANNOTATION}: its {@code ANNOTATION_REF}; empty for an
 *     alignable annotation
 * @param previousId for a {@code REF_ANNOTATION} in a symbolic subdivision: its
 *     {@code PREVIOUS_ANNOTATION}, if given
 * @param startSlotId for an alignable annotation read from a file: its {@code TIME_SLOT_REF1};
 *     empty when built in code (the writer then creates a slot)
 * @param endSlotId likewise {@code TIME_SLOT_REF2}
 * @since 0.1.0
 */
public record Annotation(String id, String tierId, long startMs, long endMs, String value,
        boolean timeEstimated, Optional<String> referencedId, Optional<String> previousId,
        Optional<String> startSlotId, Optional<String> endSlotId) {

    /**
     * @throws IllegalArgumentException if a time is negative or the end is before the start, or
     *     a reference annotation has time slots or an alignable one has a previous annotation
     */
    public Annotation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tierId, "tierId");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(referencedId, "referencedId");
        Objects.requireNonNull(previousId, "previousId");
        Objects.requireNonNull(startSlotId, "startSlotId");
        Objects.requireNonNull(endSlotId, "endSlotId");
        if (startMs < 0 || endMs < startMs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tier '%s', annotation %s: times must satisfy 0 <= start <= end, got [%d, %d) ms",
                    tierId, id, startMs, endMs));
        }
        if (referencedId.isPresent() && (startSlotId.isPresent() || endSlotId.isPresent())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tier '%s', annotation %s: a reference annotation has no time slots of its own",
                    tierId, id));
        }
        if (referencedId.isEmpty() && previousId.isPresent()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tier '%s', annotation %s: only reference annotations have a previous annotation",
                    tierId, id));
        }
        if (startSlotId.isPresent() != endSlotId.isPresent()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tier '%s', annotation %s: give both time slots or none", tierId, id));
        }
    }

    /**
     * The constructor of the API contract: no previous annotation and no slot ids.
     *
     * @param id annotation id
     * @param tierId tier id
     * @param startMs start in ms
     * @param endMs end in ms
     * @param value raw value
     * @param timeEstimated whether the times are estimates
     * @param referencedId the referenced annotation for a reference annotation, else empty
     */
    public Annotation(String id, String tierId, long startMs, long endMs, String value,
            boolean timeEstimated, Optional<String> referencedId) {
        this(id, tierId, startMs, endMs, value, timeEstimated, referencedId, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * @param id annotation id
     * @param tierId tier id
     * @param startMs start in ms
     * @param endMs end in ms
     * @param value raw value
     * @return an alignable annotation without slot ids (the writer creates aligned slots)
     */
    public static Annotation alignable(String id, String tierId, long startMs, long endMs,
            String value) {
        return new Annotation(id, tierId, startMs, endMs, value, false, Optional.empty());
    }

    /**
     * @param id annotation id
     * @param tierId tier id
     * @param startMs start in ms
     * @param endMs end in ms
     * @param value raw value
     * @param startSlotId the slot the annotation starts at (must be in the document's slots)
     * @param endSlotId the slot it ends at
     * @return an alignable annotation anchored to the given slots, not estimated
     */
    public static Annotation alignable(String id, String tierId, long startMs, long endMs,
            String value, String startSlotId, String endSlotId) {
        return new Annotation(id, tierId, startMs, endMs, value, false, Optional.empty(),
                Optional.empty(), Optional.of(startSlotId), Optional.of(endSlotId));
    }

    /**
     * @param id annotation id
     * @param tierId tier id (a tier with a parent)
     * @param referencedId the annotation referenced (on the parent tier)
     * @param startMs start in ms, equal to the referenced annotation's
     * @param endMs end in ms, equal to the referenced annotation's
     * @param value raw value
     * @return a reference annotation
     */
    public static Annotation reference(String id, String tierId, String referencedId,
            long startMs, long endMs, String value) {
        return new Annotation(id, tierId, startMs, endMs, value, false,
                Optional.of(referencedId));
    }

    /** @return whether this is a {@code REF_ANNOTATION} */
    public boolean isReference() {
        return referencedId.isPresent();
    }

    /** @return {@code [startMs, endMs)} as an interval */
    public Interval interval() {
        return Interval.of(startMs, endMs);
    }

    /** @return {@code endMs - startMs} */
    public long durationMs() {
        return endMs - startMs;
    }

    /**
     * @param newValue the new raw value
     * @return a copy with another value
     */
    public Annotation withValue(String newValue) {
        return new Annotation(id, tierId, startMs, endMs, newValue, timeEstimated, referencedId,
                previousId, startSlotId, endSlotId);
    }
}
