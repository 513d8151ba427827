package org.engagement4j.core.video;

/**
 * Decides, while frames stream past, which source frame fills each output slot (the rules of
 * {@link FrameSelection}). Pure arithmetic on timestamps, so it is tested without FFmpeg.
 *
 * <p>Times are ticks of a time base {@code tb} relative to the first frame; slot {@code k} is at
 * {@code k / fps} s. Both are compared exactly after scaling to a common unit:
 * {@code a(t) = t * tb.num * fps.num} and {@code b(k) = k * fps.den * tb.den}, so that
 * {@code t * tb <= k / fps} iff {@code a(t) <= b(k)}.
 *
 * <p>Protocol: {@link #offer(long)} for every frame in order (strictly increasing times), then
 * {@link #finish(long)} with the end of the last frame. Each call returns how many of the next
 * slots go to the <em>previous</em> frame and how many to the <em>current</em> one; slots are
 * emitted in order, so the caller keeps the previous frame until the next call.
 */
final class FrameSelector {

    private final FrameSelection rule;
    private final long tbScale;
    private final long slotScale;
    private long nextSlot;
    private long previousA = -1;
    private boolean started;

    /** Slots for the previous frame from the last call. */
    private int toPrevious;

    /** Slots for the current frame from the last call. */
    private int toCurrent;

    FrameSelector(FrameSelection rule, Rational timeBase, Rational fps) {
        this.rule = rule;
        this.tbScale = Math.multiplyExact(timeBase.num(), fps.num());
        this.slotScale = Math.multiplyExact(fps.den(), timeBase.den());
    }

    /** @return slots the previous frame fills, from the last {@code offer} or {@code finish} */
    int toPrevious() {
        return toPrevious;
    }

    /** @return slots the current frame fills, from the last {@code offer} */
    int toCurrent() {
        return toCurrent;
    }

    /** @return slots decided so far */
    long slotsDecided() {
        return nextSlot;
    }

    /**
     * A frame at relative time {@code t}; sets {@link #toPrevious()} and {@link #toCurrent()}.
     *
     * @param t ticks since the first frame, {@code >= 0}, greater than the previous frame's
     * @throws ArithmeticException if the scaled time overflows a long
     */
    void offer(long t) {
        long a = Math.multiplyExact(t, tbScale);
        toPrevious = 0;
        toCurrent = 0;
        if (rule == FrameSelection.NEAREST) {
            // every pending slot at or before this frame is decided now: nothing later is nearer
            while (slotTime(nextSlot) <= a) {
                long b = slotTime(nextSlot);
                if (started && b - previousA <= a - b) {
                    toPrevious++;
                } else {
                    toCurrent++;
                }
                nextSlot++;
            }
        } else {
            long slot = roundToSlot(a);
            if (!started) {
                nextSlot = slot;
            } else {
                // slots before this frame's rounded slot keep the previous frame
                while (nextSlot < slot) {
                    toPrevious++;
                    nextSlot++;
                }
            }
        }
        started = true;
        previousA = a;
    }

    /**
     * The end of the stream; sets {@link #toPrevious()} to the slots the last frame fills and
     * {@link #toCurrent()} to 0.
     *
     * @param end ticks since the first frame at which the last frame stops being shown
     */
    void finish(long end) {
        toPrevious = 0;
        toCurrent = 0;
        if (!started) {
            return;
        }
        long a = Math.multiplyExact(end, tbScale);
        if (rule == FrameSelection.NEAREST) {
            while (slotTime(nextSlot) < a) {
                toPrevious++;
                nextSlot++;
            }
        } else {
            long last = roundToSlot(a);
            while (nextSlot < last) {
                toPrevious++;
                nextSlot++;
            }
        }
    }

    private long slotTime(long k) {
        return Math.multiplyExact(k, slotScale);
    }

    /** FFmpeg's {@code av_rescale_q_rnd(..., AV_ROUND_NEAR_INF)} for non-negative times. */
    private long roundToSlot(long a) {
        return Math.floorDiv(Math.addExact(Math.multiplyExact(a, 2), slotScale),
                Math.multiplyExact(slotScale, 2));
    }
}
