package org.engagement4j.xai.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.maps.ConstantMapPolicy;
import org.engagement4j.metrics.maps.MinMax;
import org.engagement4j.xai.attention.AttentionMap;
import org.engagement4j.xai.attention.Trilinear;

/**
 * Overlays of attention maps on their frames, and the grid that puts them side by side.
 *
 * <p>A map whose size differs from the frames' (Grad-CAM and occlusion at 10 x 10 on 160 x 160
 * frames) is resized trilinearly to the frames' {@code [T, H, W]} first, with
 * {@code align_corners = false}, as the reference did ({@link AttentionMap#resized}).
 *
 * @since 0.1.0
 */
public final class Overlays {

    private static final int GAP = 2;

    private Overlays() {
    }

    /**
     * One overlay per frame of an attention map's normalised view ({@link AttentionMap#normalized()},
     * min-max over the whole clip; a constant map shows no colour).
     *
     * @param frames the frames the map refers to
     * @param map the map
     * @param style how to blend
     * @return {@code T} new images of the frames' size
     * @throws IllegalArgumentException if the map has a different number of frames than
     *     {@code frames} (a map of another clip)
     */
    public static List<BufferedImage> overlay(RgbFrames frames, AttentionMap map,
            OverlayStyle style) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(frames, "frames");
        requireFrames(frames, map.frames(), map.toString());
        Volume v = map.shape()[1] == frames.height() && map.shape()[2] == frames.width()
                ? map.normalized()
                : MinMax.apply(map.resized(frames.frames(), frames.height(), frames.width()),
                        ConstantMapPolicy.ZERO);
        return overlay(frames, v, style);
    }

    /**
     * One overlay per frame of a map already in {@code [0, 1]} (values outside are clamped).
     *
     * @param frames the frames
     * @param map01 a map with the frames' {@code T}; its {@code H x W} may differ (it is resized
     *     trilinearly)
     * @param style how to blend
     * @return {@code T} new images of the frames' size
     * @throws IllegalArgumentException if the numbers of frames differ or a value is NaN
     */
    public static List<BufferedImage> overlay(RgbFrames frames, Volume map01, OverlayStyle style) {
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(map01, "map01");
        Objects.requireNonNull(style, "style");
        requireFrames(frames, map01.frames(), map01.toString());
        map01.requireFinite("map01");
        Volume v = map01;
        if (v.height() != frames.height() || v.width() != frames.width()) {
            v = Trilinear.resize(v, frames.frames(), frames.height(), frames.width());
        }
        int h = frames.height();
        int w = frames.width();
        List<BufferedImage> out = new ArrayList<>(frames.frames());
        int[] px = new int[h * w];
        for (int t = 0; t < frames.frames(); t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[y * w + x] = style.blend(frames.rgb(t, y, x), v.get(t, y, x));
                }
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, w, h, px, 0, w);
            out.add(img);
        }
        return out;
    }

    /**
     * The map alone, colour-mapped, one image per frame (no frame underneath).
     *
     * @param map01 a map in {@code [0, 1]} (clamped)
     * @param colorMap the colour map
     * @return {@code T} new images of the map's {@code H x W}
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public static List<BufferedImage> colored(Volume map01, ColorMap colorMap) {
        Objects.requireNonNull(map01, "map01");
        Objects.requireNonNull(colorMap, "colorMap");
        map01.requireFinite("map01");
        List<BufferedImage> out = new ArrayList<>();
        int h = map01.height();
        int w = map01.width();
        int[] px = new int[h * w];
        for (int t = 0; t < map01.frames(); t++) {
            for (int i = 0; i < px.length; i++) {
                px[i] = colorMap.rgb(map01.get(t, i / w, i % w));
            }
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, w, h, px, 0, w);
            out.add(img);
        }
        return out;
    }

    /**
     * Images of one size in a grid, row by row, on a black background with a {@value #GAP}-pixel
     * gap, each labelled with its index ({@code 0, 1, ...}) in its top-left corner when
     * {@code numbered}.
     *
     * @param images at least one image, all of the first one's size
     * @param columns images per row, at least 1 (fewer when there are fewer images)
     * @param scale integer enlargement of every image (nearest neighbour), at least 1
     * @param numbered whether to write each image's index on it
     * @return a new image
     * @throws IllegalArgumentException if the list is empty, sizes differ, or {@code columns} or
     *     {@code scale} is below 1
     */
    public static BufferedImage grid(List<BufferedImage> images, int columns, int scale,
            boolean numbered) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty() || columns < 1 || scale < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "grid of %d images, %d columns, scale %d: need at least one image, one column"
                            + " and scale 1", images.size(), columns, scale));
        }
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).getWidth() != w || images.get(i).getHeight() != h) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "image %d is %dx%d, image 0 is %dx%d; a grid needs one size", i,
                        images.get(i).getWidth(), images.get(i).getHeight(), w, h));
            }
        }
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int cw = w * scale;
        int ch = h * scale;
        BufferedImage out = new BufferedImage(cols * cw + (cols + 1) * GAP,
                rows * ch + (rows + 1) * GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(9, Math.min(cw, ch) / 10)));
            for (int i = 0; i < images.size(); i++) {
                int x = GAP + (i % cols) * (cw + GAP);
                int y = GAP + (i / cols) * (ch + GAP);
                g.drawImage(images.get(i), x, y, cw, ch, null);
                if (numbered) {
                    String s = Integer.toString(i);
                    int base = y + g.getFontMetrics().getAscent() + 1;
                    g.setColor(Color.BLACK);
                    g.drawString(s, x + 3, base + 1);
                    g.setColor(Color.WHITE);
                    g.drawString(s, x + 2, base);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * An image enlarged by an integer factor, nearest neighbour (pixels stay sharp squares).
     *
     * @param image the image
     * @param factor at least 1
     * @return a new {@code TYPE_INT_RGB} image, or a copy of {@code image} for factor 1
     * @throws IllegalArgumentException if {@code factor} is below 1
     */
    public static BufferedImage scaled(BufferedImage image, int factor) {
        Objects.requireNonNull(image, "image");
        if (factor < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "factor: %d, must be at least 1", factor));
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w * factor, h * factor, BufferedImage.TYPE_INT_RGB);
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[w * factor * h * factor];
        for (int y = 0; y < h * factor; y++) {
            for (int x = 0; x < w * factor; x++) {
                dst[y * w * factor + x] = src[(y / factor) * w + x / factor];
            }
        }
        out.setRGB(0, 0, w * factor, h * factor, dst, 0, w * factor);
        return out;
    }

    static void requireFrames(RgbFrames frames, int mapFrames, String what) {
        if (mapFrames != frames.frames()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s has %d frames but the frames to draw on have %d (%s); a map is drawn on"
                            + " the clip it was computed from", what, mapFrames, frames.frames(),
                    frames));
        }
    }
}
