package org.engagement4j.xai.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;
import org.engagement4j.xai.attention.AttentionMap;

/**
 * A methods-by-frames figure in one picture, like the paper's Figures 4 and 5 (which show the
 * four methods on one frame of a snippet): the first row shows the frames themselves, each further
 * row one map overlaid on the same frames, labelled on the left; the columns are the chosen frame
 * indices, labelled on top; an optional title above.
 *
 * <p>Immutable: every {@code with...} method returns a new figure.
 *
 * @since 0.1.0
 */
public final class AttentionFigure {

    private static final int GAP = 3;
    private static final int PAD = 6;

    /** One labelled row. */
    private record Row(String label, List<BufferedImage> images) {
    }

    private final RgbFrames frames;
    private final int[] columns;
    private final int scale;
    private final OverlayStyle style;
    private final String title;
    private final List<Row> rows;

    private AttentionFigure(RgbFrames frames, int[] columns, int scale, OverlayStyle style,
            String title, List<Row> rows) {
        this.frames = frames;
        this.columns = columns;
        this.scale = scale;
        this.style = style;
        this.title = title;
        this.rows = rows;
    }

    /**
     * A figure of all frames, no rows of maps yet, scale 1, the reference's overlay style, no
     * title.
     *
     * @param frames the frames the maps refer to
     * @return the figure
     */
    public static AttentionFigure of(RgbFrames frames) {
        Objects.requireNonNull(frames, "frames");
        int[] all = new int[frames.frames()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return new AttentionFigure(frames, all, 1, OverlayStyle.reference(), "", List.of());
    }

    /**
     * @param indices the frames shown, one column each, in this order (at least one)
     * @return a figure with those columns
     * @throws IndexOutOfBoundsException if an index is not a frame
     * @throws IllegalArgumentException if no index is given
     */
    public AttentionFigure withFrames(int... indices) {
        Objects.requireNonNull(indices, "indices");
        if (indices.length == 0) {
            throw new IllegalArgumentException("indices: at least one frame is needed");
        }
        for (int i : indices) {
            Objects.checkIndex(i, frames.frames());
        }
        return new AttentionFigure(frames, indices.clone(), scale, style, title, rows);
    }

    /**
     * @param factor integer enlargement of every frame (nearest neighbour), at least 1
     * @return a figure with that scale
     * @throws IllegalArgumentException if {@code factor} is below 1
     */
    public AttentionFigure withScale(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "scale: %d, must be at least 1", factor));
        }
        return new AttentionFigure(frames, columns, factor, style, title, rows);
    }

    /**
     * @param overlayStyle how maps are blended over the frames (applies to rows added after it)
     * @return a figure with that style
     */
    public AttentionFigure withStyle(OverlayStyle overlayStyle) {
        return new AttentionFigure(frames, columns, scale,
                Objects.requireNonNull(overlayStyle, "overlayStyle"), title, rows);
    }

    /**
     * @param text a title drawn above the figure; empty for none
     * @return a figure with that title
     */
    public AttentionFigure withTitle(String text) {
        return new AttentionFigure(frames, columns, scale, style,
                Objects.requireNonNull(text, "text"), rows);
    }

    /**
     * Adds a row showing a map's normalised view ({@link AttentionMap#normalized()}) over the
     * frames.
     *
     * @param label the row's label, e.g. {@code Grad-CAM}
     * @param map a map of these frames
     * @return a figure with that row at the bottom
     * @throws IllegalArgumentException if the map has another number of frames
     */
    public AttentionFigure withRow(String label, AttentionMap map) {
        return add(label, Overlays.overlay(frames, map, style));
    }

    /**
     * Adds a row showing a map in {@code [0, 1]} over the frames (a human map, for instance).
     *
     * @param label the row's label
     * @param map01 a map of these frames, values in {@code [0, 1]}
     * @return a figure with that row at the bottom
     * @throws IllegalArgumentException if the map has another number of frames or a value is NaN
     */
    public AttentionFigure withRow(String label, Volume map01) {
        return add(label, Overlays.overlay(frames, map01, style));
    }

    private AttentionFigure add(String label, List<BufferedImage> images) {
        Objects.requireNonNull(label, "label");
        List<Row> r = new ArrayList<>(rows);
        r.add(new Row(label, List.copyOf(images)));
        return new AttentionFigure(frames, columns, scale, style, title, List.copyOf(r));
    }

    /** @return the number of rows of maps (the frames' own row not counted) */
    public int rows() {
        return rows.size();
    }

    /**
     * Draws the figure.
     *
     * @return a new image: a header, then {@code 1 + rows()} rows of {@code columns} cells of
     *     {@code (W * scale) x (H * scale)} pixels, on white
     */
    public BufferedImage render() {
        int cw = frames.width() * scale;
        int ch = frames.height() * scale;
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        List<String> labels = new ArrayList<>();
        labels.add("frames");
        rows.forEach(r -> labels.add(r.label()));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics lm = pg.getFontMetrics(labelFont);
        FontMetrics tm = pg.getFontMetrics(titleFont);
        int labelWidth = 0;
        for (String l : labels) {
            labelWidth = Math.max(labelWidth, lm.stringWidth(l));
        }
        pg.dispose();
        int left = labelWidth + 2 * PAD;
        int titleHeight = title.isEmpty() ? 0 : tm.getHeight() + PAD;
        int header = PAD + titleHeight + lm.getHeight() + GAP;
        int width = left + columns.length * (cw + GAP) + PAD;
        int height = header + labels.size() * (ch + GAP) + PAD;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            if (!title.isEmpty()) {
                g.setFont(titleFont);
                g.drawString(title, PAD, PAD + tm.getAscent());
            }
            g.setFont(labelFont);
            int headY = PAD + titleHeight + lm.getAscent();
            for (int j = 0; j < columns.length; j++) {
                String s = "frame " + columns[j];
                int x = left + j * (cw + GAP) + (cw - lm.stringWidth(s)) / 2;
                g.drawString(s, x, headY);
            }
            for (int i = 0; i < labels.size(); i++) {
                int y = header + i * (ch + GAP);
                g.drawString(labels.get(i), PAD, y + (ch + lm.getAscent()) / 2);
                for (int j = 0; j < columns.length; j++) {
                    BufferedImage cell = i == 0 ? frames.image(columns[j])
                            : rows.get(i - 1).images().get(columns[j]);
                    g.drawImage(cell, left + j * (cw + GAP), y, cw, ch, null);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
