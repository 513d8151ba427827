package org.engagement4j.metrics.maps;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * Min-max scaling over the whole volume, {@code (x - min) / (max - min)}, the last step of every
 * map's standardisation (Fraile et al., ICMI 2022, Section 5): the smallest value becomes exactly 0,
 * the largest exactly 1. The minimum and maximum are taken over all frames together, so relative
 * intensities between frames are kept.
 *
 * <p>A constant volume has no such scaling ({@code 0 / 0}); the reference produced NaN there. See
 * {@link ConstantMapPolicy} for the two documented behaviours; {@link #apply(Volume)} rejects it.
 *
 * @since 0.1.0
 */
public final class MinMax {

    private MinMax() {
    }

    /**
     * Scales {@code map} to {@code [0, 1]}, rejecting a constant volume.
     *
     * @param map the volume, every value finite
     * @return a new volume of the same shape with minimum 0 and maximum 1
     * @throws IllegalArgumentException if a value is not finite, or the volume is constant
     */
    public static Volume apply(Volume map) {
        return apply(map, ConstantMapPolicy.REJECT);
    }

    /**
     * Scales {@code map} to {@code [0, 1]}.
     *
     * @param map the volume, every value finite
     * @param policy what to do with a constant volume
     * @return a new volume of the same shape with minimum 0 and maximum 1, or all zeros for a
     *     constant volume under {@link ConstantMapPolicy#ZERO}
     * @throws IllegalArgumentException if a value is not finite, or the volume is constant and the
     *     policy is {@link ConstantMapPolicy#REJECT}
     */
    public static Volume apply(Volume map, ConstantMapPolicy policy) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(policy, "policy");
        map.requireFinite("map");
        double min = map.min();
        double max = map.max();
        double[] out = map.toArray();
        if (min == max) {
            if (policy == ConstantMapPolicy.REJECT) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "map: every value of the %s volume is %s; min-max scaling of a constant"
                                + " map is undefined (use ConstantMapPolicy.ZERO to map it to zeros)",
                        map.shapeString(), min));
            }
            return Volume.wrap(new double[out.length], map.frames(), map.height(), map.width());
        }
        double range = max - min;
        if (Double.isInfinite(range)) {
            // The range of two finite values can overflow; halving every term keeps it finite.
            range = max / 2 - min / 2;
            for (int i = 0; i < out.length; i++) {
                out[i] = (out[i] / 2 - min / 2) / range;
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = (out[i] - min) / range;
            }
        }
        return Volume.wrap(out, map.frames(), map.height(), map.width());
    }
}
