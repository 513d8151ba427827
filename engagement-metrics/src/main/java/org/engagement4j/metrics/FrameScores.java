package org.engagement4j.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One metric's value for every frame of a {@code [T,H,W]} pair, and their mean, the paper's
 * "mean over frames".
 *
 * <p>A frame can be <em>undefined</em> for a metric: Pearson's r of a constant frame, for example
 * (the reference code produced NaN there and then a NaN mean). Undefined frames are recorded
 * explicitly, are never averaged, and {@link #mean()} is the mean over the defined frames only, or
 * empty when no frame is defined. No NaN ever escapes silently: {@link #values()} uses NaN only in
 * the positions that {@link #isDefined(int)} reports as undefined.
 *
 * @since 0.1.0
 */
public final class FrameScores {

    private final double[] values;
    private final int definedCount;
    private final double mean;

    private FrameScores(double[] values) {
        this.values = values;
        int n = 0;
        double sum = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
                sum += v;
            }
        }
        this.definedCount = n;
        this.mean = n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Scores from per-frame values, NaN marking an undefined frame.
     *
     * @param values one value per frame; NaN means undefined; infinities are allowed (for example a
     *     KL divergence can be very large but is finite with the reference epsilon)
     * @return the scores
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static FrameScores of(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("values: at least one frame is required");
        }
        return new FrameScores(values.clone());
    }

    /** @return the number of frames */
    public int frames() {
        return values.length;
    }

    /**
     * @param t frame index
     * @return whether the metric is defined on frame {@code t}
     */
    public boolean isDefined(int t) {
        return !Double.isNaN(values[Objects.checkIndex(t, values.length)]);
    }

    /**
     * @param t frame index
     * @return the value on frame {@code t}
     * @throws IllegalStateException if the metric is undefined on that frame
     */
    public double value(int t) {
        if (!isDefined(t)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the metric is undefined on frame %d (for example a constant frame)", t));
        }
        return values[t];
    }

    /** @return a copy of all per-frame values, NaN exactly where a frame is undefined */
    public double[] values() {
        return values.clone();
    }

    /** @return how many frames have a defined value */
    public int definedCount() {
        return definedCount;
    }

    /** @return the mean over the defined frames, or empty if no frame is defined */
    public OptionalDouble mean() {
        return definedCount == 0 ? OptionalDouble.empty() : OptionalDouble.of(mean);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameScores && Arrays.equals(values, ((FrameScores) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FrameScores{mean=" + (definedCount == 0 ? "undefined" : mean) + ", defined="
                + definedCount + "/" + values.length + "}";
    }
}
