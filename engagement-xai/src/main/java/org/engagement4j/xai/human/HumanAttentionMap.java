package org.engagement4j.xai.human;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * One painted human attention map: a {@code [T, H, W]} volume in {@code [0, 1]} over the
 * snippet's raw frames and its description. Immutable.
 *
 * <p>For the comparison with machine maps, hand {@link #map()} to engagement-metrics'
 * {@code MapStandardizer.standardize(map, MapKind.FINE)}, which centre-crops it to the model's
 * 160 x 160 first, as the reference did (REFERENCE.md §9).
 *
 * @param info the description
 * @param map the painted map {@code [T, H, W]}, every value finite and in {@code [0, 1]}
 * @since 0.1.0
 */
public record HumanAttentionMap(HumanMapInfo info, Volume map) {

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a value of the map is not finite or outside
     *     {@code [0, 1]} (the message names the session, frame and pixel)
     */
    public HumanAttentionMap {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(map, "map");
        String name = "human map of session " + info.session() + " by " + info.annotator();
        map.requireNonNegative(name);
        for (int i = 0; i < map.size(); i++) {
            if (map.getFlat(i) > 1) {
                int f = i / map.frameSize();
                int r = i % map.frameSize();
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: value %s at [frame %d, row %d, column %d] is above 1 (a painted map"
                                + " lies in [0, 1])", name, map.getFlat(i), f, r / map.width(),
                        r % map.width()));
            }
        }
    }

    /**
     * @return whether nothing was painted on any frame (every value 0): such a map carries no
     *     attention and min-max scaling is undefined for it
     */
    public boolean isBlank() {
        return map.max() == 0;
    }

    /**
     * @return the frames with nothing painted (all zeros), in order; the reference's per-frame
     *     metrics became NaN there
     */
    public int[] blankFrames() {
        return java.util.stream.IntStream.range(0, map.frames()).filter(t -> {
            for (int i = t * map.frameSize(); i < (t + 1) * map.frameSize(); i++) {
                if (map.getFlat(i) != 0) {
                    return false;
                }
            }
            return true;
        }).toArray();
    }
}
