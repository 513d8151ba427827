package org.engagement4j.core.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Laws of the interval algebra behind task spans, engaged time, minimal and maximal intervals.
 * Intervals are drawn on a short time line so that overlaps, touches and nesting are common.
 */
class IntervalSetPropertiesTest {

    @Provide
    Arbitrary<Interval> intervals() {
        return Combinators.combine(Arbitraries.longs().between(0, 10_000),
                Arbitraries.longs().between(0, 3_000)).as((s, len) -> Interval.of(s, s + len));
    }

    @Provide
    Arbitrary<IntervalSet> sets() {
        return intervals().list().ofMaxSize(8).map(IntervalSet::of);
    }

    private static void assertNormalised(IntervalSet s) {
        List<Interval> list = s.intervals();
        for (int i = 0; i < list.size(); i++) {
            assertTrue(!list.get(i).isEmpty(), () -> "empty interval in " + s);
            if (i > 0) {
                assertTrue(list.get(i - 1).endMs() < list.get(i).startMs(),
                        () -> "overlapping or touching intervals in " + s);
            }
        }
    }

    /** Whether {@code inner} lies inside {@code outer}, by time. */
    private static boolean within(IntervalSet inner, IntervalSet outer) {
        return inner.minus(outer).isEmpty() && inner.intersect(outer).equals(inner);
    }

    @Property
    void iouLiesInTheUnitIntervalAndIsSymmetric(@ForAll("sets") IntervalSet a,
            @ForAll("sets") IntervalSet b) {
        double iou = a.iou(b);
        assertTrue(iou >= 0 && iou <= 1, () -> "iou " + iou);
        assertEquals(iou, b.iou(a));
        assertEquals(1.0, a.iou(a));
    }

    @Property
    void intersectionLiesWithinUnionAndBothOperands(@ForAll("sets") IntervalSet a,
            @ForAll("sets") IntervalSet b) {
        IntervalSet x = a.intersect(b);
        IntervalSet u = a.union(b);
        assertNormalised(x);
        assertNormalised(u);
        assertTrue(within(x, u));
        assertTrue(within(x, a));
        assertTrue(within(x, b));
        assertTrue(within(a, u));
        assertEquals(x, b.intersect(a));
        assertEquals(u, b.union(a));
        // Inclusion-exclusion on durations.
        assertEquals(a.durationMs() + b.durationMs(), u.durationMs() + x.durationMs());
    }

    @Property
    void clippingIsIdempotentAndStaysInsideTheSpan(@ForAll("sets") IntervalSet s,
            @ForAll("intervals") Interval span) {
        IntervalSet c = s.clip(span);
        assertEquals(c, c.clip(span));
        assertNormalised(c);
        c.hull().ifPresent(h -> assertTrue(span.contains(h), () -> h + " outside " + span));
        assertTrue(within(c, s));
    }

    @Property
    void complementAndSetPartitionTheSpan(@ForAll("sets") IntervalSet s,
            @ForAll("intervals") Interval span) {
        IntervalSet inside = s.clip(span);
        IntervalSet gaps = s.complementWithin(span);
        assertNormalised(gaps);
        assertEquals(IntervalSet.of(span), inside.union(gaps));
        assertTrue(inside.intersect(gaps).isEmpty());
        assertEquals(span.durationMs(), inside.durationMs() + gaps.durationMs());
    }

    @Property
    void minusRemovesExactlyTheSharedTime(@ForAll("sets") IntervalSet a,
            @ForAll("sets") IntervalSet b) {
        IntervalSet d = a.minus(b);
        assertTrue(d.intersect(b).isEmpty());
        assertEquals(a, d.union(a.intersect(b)));
    }

    @Property
    void containsAgreesWithTheIntervals(@ForAll("sets") IntervalSet s,
            @ForAll @LongRange(min = -10, max = 13_010) long ms) {
        boolean expected = s.intervals().stream().anyMatch(i -> i.contains(ms));
        assertEquals(expected, s.contains(ms));
        assertEquals(expected ? 1 : 0, s.overlapMs(Interval.of(ms, ms + 1)));
    }
}
