package org.engagement4j.xai.render;

/**
 * Colour maps from {@code [0, 1]} to RGB. Values below 0 (and NaN) take the lowest colour, values
 * above 1 the highest.
 *
 * @since 0.1.0
 */
public enum ColorMap {

    /**
     * MATLAB's "jet" (dark blue, blue, cyan, yellow, red, dark red), piecewise linear: the map the
     * reference's pictures and its annotation tool used (OpenCV's {@code COLORMAP_JET}, which
     * matches this formula up to rounding).
     */
    JET,

    /**
     * matplotlib's perceptually uniform "viridis" (dark purple, blue, green, yellow), linear
     * between nine anchor colours at {@code 0, 1/8, ..., 1}.
     */
    VIRIDIS,

    /** Black to white. */
    GRAY;

    private static final int[] VIRIDIS_ANCHORS = {
        0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

    /**
     * @param value a value, {@code [0, 1]} spanning the whole map
     * @return its colour as {@code 0xRRGGBB}
     */
    public int rgb(double value) {
        double v = value > 0 ? Math.min(value, 1.0) : 0.0;
        switch (this) {
            case JET:
                return pack(clamp(Math.min(4 * v - 1.5, -4 * v + 4.5)),
                        clamp(Math.min(4 * v - 0.5, -4 * v + 3.5)),
                        clamp(Math.min(4 * v + 0.5, -4 * v + 2.5)));
            case VIRIDIS: {
                double x = v * (VIRIDIS_ANCHORS.length - 1);
                int i = Math.min((int) x, VIRIDIS_ANCHORS.length - 2);
                double f = x - i;
                int a = VIRIDIS_ANCHORS[i];
                int b = VIRIDIS_ANCHORS[i + 1];
                return (mix(a >> 16, b >> 16, f) << 16) | (mix(a >> 8, b >> 8, f) << 8)
                        | mix(a, b, f);
            }
            default: {
                int g = (int) Math.round(255 * v);
                return (g << 16) | (g << 8) | g;
            }
        }
    }

    /**
     * @return the 256 colours of {@code rgb(i / 255.0)}, {@code 0xRRGGBB}, for fast lookup
     */
    public int[] table() {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            t[i] = rgb(i / 255.0);
        }
        return t;
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : Math.min(v, 1);
    }

    private static int pack(double r, double g, double b) {
        return ((int) Math.round(255 * r) << 16) | ((int) Math.round(255 * g) << 8)
                | (int) Math.round(255 * b);
    }

    private static int mix(int a, int b, double f) {
        int x = a & 0xFF;
        int y = b & 0xFF;
        return (int) Math.round(x + (y - x) * f);
    }
}
