package org.engagement4j.core.annotation;

import java.util.Locale;
import java.util.Optional;

/**
 * A half-open time interval {@code [startMs, endMs)} in milliseconds from the start of the
 * recording. Empty intervals ({@code startMs == endMs}) are allowed; reversed ones are not.
 *
 * @param startMs first millisecond inside the interval
 * @param endMs first millisecond after the interval, {@code >= startMs}
 * @since 0.1.0
 */
public record Interval(long startMs, long endMs) {

    /**
     * @throws IllegalArgumentException if {@code endMs < startMs}
     */
    public Interval {
        if (endMs < startMs) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "interval end %d ms is before its start %d ms", endMs, startMs));
        }
    }

    /**
     * @param startMs first millisecond inside
     * @param endMs first millisecond after
     * @return the interval {@code [startMs, endMs)}
     */
    public static Interval of(long startMs, long endMs) {
        return new Interval(startMs, endMs);
    }

    /** @return {@code endMs - startMs} */
    public long durationMs() {
        return endMs - startMs;
    }

    /** @return whether the interval holds no time */
    public boolean isEmpty() {
        return endMs == startMs;
    }

    /**
     * @param ms a time in milliseconds
     * @return whether {@code startMs <= ms < endMs}
     */
    public boolean contains(long ms) {
        return ms >= startMs && ms < endMs;
    }

    /**
     * @param other another interval
     * @return whether {@code other} lies entirely inside this interval
     */
    public boolean contains(Interval other) {
        return other.startMs >= startMs && other.endMs <= endMs;
    }

    /**
     * @param other another interval
     * @return whether the two share a positive amount of time
     */
    public boolean overlaps(Interval other) {
        return Math.max(startMs, other.startMs) < Math.min(endMs, other.endMs);
    }

    /**
     * @param other another interval
     * @return the shared time, or empty if they share none
     */
    public Optional<Interval> intersect(Interval other) {
        long s = Math.max(startMs, other.startMs);
        long e = Math.min(endMs, other.endMs);
        return s < e ? Optional.of(new Interval(s, e)) : Optional.empty();
    }

    /**
     * @param other another interval
     * @return milliseconds shared by both, {@code >= 0}
     */
    public long overlapMs(Interval other) {
        return Math.max(0, Math.min(endMs, other.endMs) - Math.max(startMs, other.startMs));
    }

    @Override
    public String toString() {
        return "[" + startMs + ", " + endMs + ") ms";
    }
}
