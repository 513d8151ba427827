package org.engagement4j.xai.render;

import java.util.Locale;
import java.util.Objects;

/**
 * How a map in {@code [0, 1]} is laid over a frame: each pixel becomes
 * {@code (1 - a) * frame + a * colorMap(v)} with opacity {@code a = alpha * sqrt(v)} when
 * {@code valueWeighted} (the reference's overlay: strong attention is opaque, none is invisible,
 * and the square root makes weak attention visible sooner), or {@code a = alpha} everywhere
 * otherwise (the reference's annotation tool: a constant 25 % tint).
 *
 * @param colorMap the colour map
 * @param alpha the largest opacity, in {@code [0, 1]}
 * @param valueWeighted whether the opacity grows with the value
 * @since 0.1.0
 */
public record OverlayStyle(ColorMap colorMap, double alpha, boolean valueWeighted) {

    /**
     * @throws IllegalArgumentException if {@code alpha} is not in {@code [0, 1]}
     */
    public OverlayStyle {
        Objects.requireNonNull(colorMap, "colorMap");
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "alpha: %s, must be in [0, 1]", alpha));
        }
    }

    /** @return the reference's overlay: jet, opacity {@code sqrt(v)} */
    public static OverlayStyle reference() {
        return new OverlayStyle(ColorMap.JET, 1.0, true);
    }

    /** @return the reference's annotation tool: jet at a constant opacity of 0.25 */
    public static OverlayStyle annotator() {
        return new OverlayStyle(ColorMap.JET, 0.25, false);
    }

    /**
     * @param map another colour map
     * @return this style with that colour map
     */
    public OverlayStyle withColorMap(ColorMap map) {
        return new OverlayStyle(map, alpha, valueWeighted);
    }

    /**
     * @param opacity another largest opacity in {@code [0, 1]}
     * @return this style with that opacity
     * @throws IllegalArgumentException if {@code opacity} is not in {@code [0, 1]}
     */
    public OverlayStyle withAlpha(double opacity) {
        return new OverlayStyle(colorMap, opacity, valueWeighted);
    }

    /**
     * Blends one pixel.
     *
     * @param frameRgb the frame's pixel, {@code 0xRRGGBB}
     * @param value the map's value, {@code [0, 1]} (clamped)
     * @return the blended pixel, {@code 0xRRGGBB}
     */
    public int blend(int frameRgb, double value) {
        double v = value > 0 ? Math.min(value, 1.0) : 0.0;
        double a = valueWeighted ? alpha * Math.sqrt(v) : alpha;
        int c = colorMap.rgb(v);
        int r = mix(frameRgb >> 16, c >> 16, a);
        int g = mix(frameRgb >> 8, c >> 8, a);
        int b = mix(frameRgb, c, a);
        return (r << 16) | (g << 8) | b;
    }

    private static int mix(int frame, int colour, double a) {
        int f = frame & 0xFF;
        int c = colour & 0xFF;
        return (int) Math.round((1 - a) * f + a * c);
    }
}
