package org.engagement4j.core.elan;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One {@code TIME_SLOT} of the document's {@code TIME_ORDER}: an anchor that alignable
 * annotations start and end at.
 *
 * <p>An <em>aligned</em> slot has a {@code TIME_VALUE}; {@link #resolvedMs()} is that value. An
 * <em>unaligned</em> slot has none (ELAN writes them for time subdivisions that the annotator did
 * not align); the reader then estimates its time, see {@link ElanReader} for the rule, and marks
 * it {@link #estimated()}. When no estimate is possible (no aligned neighbour on one side) the
 * slot is <em>unresolved</em>: {@link #resolvedMs()} is {@link #UNRESOLVED} and the annotations
 * using it are reported in {@link ElanDocument#unplaced()}.
 *
 * @param id the {@code TIME_SLOT_ID}
 * @param valueMs the {@code TIME_VALUE} in milliseconds; empty for an unaligned slot
 * @param resolvedMs the time used for annotations: the value, the estimate, or
 *     {@link #UNRESOLVED}
 * @param estimated whether {@code resolvedMs} is an estimate (unaligned and resolved)
 * @since 0.1.0
 */
public record TimeSlot(String id, OptionalLong valueMs, long resolvedMs, boolean estimated) {

    /** {@link #resolvedMs()} of an unaligned slot whose time could not be estimated. */
    public static final long UNRESOLVED = -1L;

    /**
     * @throws IllegalArgumentException if a time is negative, an aligned slot's resolved time
     *     differs from its value or is marked estimated, or an unaligned slot's estimated flag
     *     does not say whether it was resolved
     */
    public TimeSlot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(valueMs, "valueMs");
        if (valueMs.isPresent()) {
            long v = valueMs.getAsLong();
            if (v < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "time slot %s: negative time value %d ms", id, v));
            }
            if (resolvedMs != v || estimated) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "time slot %s: aligned at %d ms, so its resolved time must be %d ms and"
                                + " not estimated (got %d ms, estimated=%b)",
                        id, v, v, resolvedMs, estimated));
            }
        } else {
            if (resolvedMs < UNRESOLVED) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "time slot %s: negative resolved time %d ms", id, resolvedMs));
            }
            if (estimated != (resolvedMs != UNRESOLVED)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "time slot %s: an unaligned slot is estimated exactly when it is resolved"
                                + " (resolved=%d ms, estimated=%b)", id, resolvedMs, estimated));
            }
        }
    }

    /**
     * @param id slot id
     * @param ms its time value, {@code >= 0}
     * @return an aligned slot
     */
    public static TimeSlot aligned(String id, long ms) {
        return new TimeSlot(id, OptionalLong.of(ms), ms, false);
    }

    /**
     * @param id slot id
     * @param estimateMs the estimated time, {@code >= 0}
     * @return an unaligned slot with an estimated time
     */
    public static TimeSlot estimated(String id, long estimateMs) {
        if (estimateMs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "time slot %s: negative estimate %d ms", id, estimateMs));
        }
        return new TimeSlot(id, OptionalLong.empty(), estimateMs, true);
    }

    /**
     * @param id slot id
     * @return an unaligned slot whose time could not be estimated
     */
    public static TimeSlot unresolved(String id) {
        return new TimeSlot(id, OptionalLong.empty(), UNRESOLVED, false);
    }

    /** @return whether the slot has a {@code TIME_VALUE} */
    public boolean isAligned() {
        return valueMs.isPresent();
    }

    /** @return whether the slot has a time, given or estimated */
    public boolean isResolved() {
        return resolvedMs != UNRESOLVED;
    }
}
