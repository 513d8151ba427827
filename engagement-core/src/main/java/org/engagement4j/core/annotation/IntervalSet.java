package org.engagement4j.core.annotation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable set of time, stored as sorted, disjoint, non-touching, non-empty half-open
 * intervals. The interval algebra of the paper: union, intersection, clipping to a task span,
 * complement within a span ("gaps inside the task span are not engaged"), durations and IoU.
 *
 * @since 0.1.0
 */
public final class IntervalSet {

    private static final IntervalSet EMPTY = new IntervalSet(List.of());

    private final List<Interval> intervals;

    private IntervalSet(List<Interval> normalized) {
        this.intervals = normalized;
    }

    /** @return the empty set */
    public static IntervalSet empty() {
        return EMPTY;
    }

    /**
     * The union of the given intervals (they may overlap, touch or be empty).
     *
     * @param intervals any intervals
     * @return the normalised set
     */
    public static IntervalSet of(Collection<Interval> intervals) {
        Objects.requireNonNull(intervals, "intervals");
        List<Interval> sorted = new ArrayList<>(intervals.size());
        for (Interval i : intervals) {
            if (!Objects.requireNonNull(i, "interval").isEmpty()) {
                sorted.add(i);
            }
        }
        sorted.sort(Comparator.comparingLong(Interval::startMs));
        List<Interval> merged = new ArrayList<>(sorted.size());
        for (Interval i : sorted) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1).endMs() >= i.startMs()) {
                Interval last = merged.remove(merged.size() - 1);
                merged.add(new Interval(last.startMs(), Math.max(last.endMs(), i.endMs())));
            } else {
                merged.add(i);
            }
        }
        return merged.isEmpty() ? EMPTY : new IntervalSet(Collections.unmodifiableList(merged));
    }

    /**
     * @param intervals any intervals
     * @return their union
     */
    public static IntervalSet of(Interval... intervals) {
        return of(List.of(intervals));
    }

    /** @return the disjoint intervals in time order (unmodifiable) */
    public List<Interval> intervals() {
        return intervals;
    }

    /** @return whether the set holds no time */
    public boolean isEmpty() {
        return intervals.isEmpty();
    }

    /** @return the total time in milliseconds */
    public long durationMs() {
        long d = 0;
        for (Interval i : intervals) {
            d += i.durationMs();
        }
        return d;
    }

    /** @return the smallest interval covering the set, or empty for the empty set */
    public Optional<Interval> hull() {
        return isEmpty() ? Optional.empty()
                : Optional.of(new Interval(intervals.get(0).startMs(),
                        intervals.get(intervals.size() - 1).endMs()));
    }

    /**
     * @param ms a time
     * @return whether some interval of the set contains it
     */
    public boolean contains(long ms) {
        int lo = 0;
        int hi = intervals.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Interval i = intervals.get(mid);
            if (ms < i.startMs()) {
                hi = mid - 1;
            } else if (ms >= i.endMs()) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * @param window an interval
     * @return milliseconds of this set inside {@code window}
     */
    public long overlapMs(Interval window) {
        long d = 0;
        for (Interval i : intervals) {
            if (i.startMs() >= window.endMs()) {
                break;
            }
            d += i.overlapMs(window);
        }
        return d;
    }

    /**
     * @param other another set
     * @return the time in either set
     */
    public IntervalSet union(IntervalSet other) {
        List<Interval> all = new ArrayList<>(intervals);
        all.addAll(other.intervals);
        return of(all);
    }

    /**
     * @param other another set
     * @return the time in both sets
     */
    public IntervalSet intersect(IntervalSet other) {
        List<Interval> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < intervals.size() && j < other.intervals.size()) {
            Interval a = intervals.get(i);
            Interval b = other.intervals.get(j);
            a.intersect(b).ifPresent(out::add);
            if (a.endMs() < b.endMs()) {
                i++;
            } else {
                j++;
            }
        }
        return of(out);
    }

    /**
     * @param span the interval to keep
     * @return the part of this set inside {@code span}
     */
    public IntervalSet clip(Interval span) {
        return intersect(of(span));
    }

    /**
     * @param span the reference interval
     * @return the time inside {@code span} not in this set (the "not engaged" gaps)
     */
    public IntervalSet complementWithin(Interval span) {
        List<Interval> out = new ArrayList<>();
        long cursor = span.startMs();
        for (Interval i : clip(span).intervals) {
            if (i.startMs() > cursor) {
                out.add(new Interval(cursor, i.startMs()));
            }
            cursor = i.endMs();
        }
        if (cursor < span.endMs()) {
            out.add(new Interval(cursor, span.endMs()));
        }
        return of(out);
    }

    /**
     * @param other another set
     * @return the time in this set and not in {@code other}
     */
    public IntervalSet minus(IntervalSet other) {
        if (isEmpty()) {
            return this;
        }
        Interval h = hull().orElseThrow();
        return intersect(other.complementWithin(h));
    }

    /**
     * Intersection over union of the time of two sets.
     *
     * @param other another set
     * @return {@code |A ∩ B| / |A ∪ B|} in [0, 1]; 1 when both are empty (identical)
     */
    public double iou(IntervalSet other) {
        long union = union(other).durationMs();
        return union == 0 ? 1.0 : (double) intersect(other).durationMs() / union;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntervalSet && intervals.equals(((IntervalSet) o).intervals);
    }

    @Override
    public int hashCode() {
        return intervals.hashCode();
    }

    @Override
    public String toString() {
        return intervals.toString();
    }
}
