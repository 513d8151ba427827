package org.engagement4j.examples.annotator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * An unfinished painting, kept so that a snippet resumes where it was left: the map so far, the
 * painter's labels, the frame on screen and the brush size.
 *
 * @param map the map {@code [T, H, W]}, every value finite and in {@code [0, 1]}
 * @param labels the painter's labels per tier so far (e.g. {@code participating -> yes}); may be
 *     empty; copied
 * @param frame the frame on screen, in {@code [0, T)}
 * @param sigma the brush's standard deviation in pixels, finite and {@code > 0}
 * @since 0.1.0
 */
public record Draft(Volume map, Map<String, String> labels, int frame, double sigma) {

    /**
     * @throws NullPointerException if a component, label key or value is null
     * @throws IllegalArgumentException if a map value is not finite or outside {@code [0, 1]},
     *     the frame is out of range or sigma not finite and positive
     */
    public Draft {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(labels, "labels");
        map.requireNonNegative("draft map");
        if (map.max() > 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "draft map: maximum %s is above 1 (a painted map lies in [0, 1])",
                    map.max()));
        }
        if (frame < 0 || frame >= map.frames()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame: %d, must be in [0, %d)", frame, map.frames()));
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sigma: %s, must be finite and > 0", sigma));
        }
        Map<String, String> copy = new LinkedHashMap<>();
        labels.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "label tier"),
                Objects.requireNonNull(v, "label value")));
        labels = Collections.unmodifiableMap(copy);
    }
}
