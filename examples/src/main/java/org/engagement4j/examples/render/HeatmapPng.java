package org.engagement4j.examples.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.xai.render.ImageFiles;

/**
 * Renders square matrices, such as the rater agreement matrices of the paper's Figure 1, as
 * annotated heat maps in one PNG: one panel per matrix side by side, each cell coloured by its
 * value on a fixed scale and labelled with the value to three decimals, rater names on both axes,
 * a colour bar per panel. Undefined cells (NaN) are grey and labelled {@code n/a}; values outside
 * the scale are coloured as its nearest end but labelled with their true value (a negative kappa
 * shows as the lowest colour).
 *
 * <p>The colour map interpolates the perceptually uniform "viridis" map of matplotlib between ten
 * anchor colours. Rendering uses only {@code java.awt} off screen, so it works headless.
 */
public final class HeatmapPng {

    /** One matrix and how to draw it. */
    public record Panel(String title, List<String> labels, double[][] values, double min,
            double max) {

        /**
         * @param title text above the panel
         * @param labels row and column names, one per row
         * @param values a square matrix with one row per label; copied
         * @param min value drawn with the lowest colour
         * @param max value drawn with the highest colour, above {@code min}
         * @throws IllegalArgumentException if the matrix is empty or not square, its size differs
         *     from the labels, or the scale is empty or not finite
         */
        public Panel {
            Objects.requireNonNull(title, "title");
            labels = List.copyOf(labels);
            Objects.requireNonNull(values, "values");
            int n = values.length;
            if (n == 0 || n != labels.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "panel '%s': %d rows for %d labels; need one row per label, at least one",
                        title, n, labels.size()));
            }
            double[][] copy = new double[n][];
            for (int i = 0; i < n; i++) {
                if (values[i] == null || values[i].length != n) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "panel '%s': row %d is not of length %d; the matrix must be square",
                            title, i, n));
                }
                copy[i] = values[i].clone();
            }
            values = copy;
            if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "panel '%s': colour scale [%s, %s] must be finite with min < max", title,
                        min, max));
            }
        }

        /** @return a copy of the matrix */
        @Override
        public double[][] values() {
            double[][] copy = new double[values.length][];
            for (int i = 0; i < values.length; i++) {
                copy[i] = values[i].clone();
            }
            return copy;
        }
    }

    /** viridis at 0, 1/9, ..., 1 (matplotlib's colour map). */
    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
        0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};

    private static final Color UNDEFINED = new Color(0xbdbdbd);
    private static final int CELL = 84;
    private static final int MARGIN = 16;
    private static final int TITLE_H = 36;
    private static final int BAR_W = 16;
    private static final int BAR_GAP = 12;
    private static final int BAR_LABEL_W = 44;

    private HeatmapPng() {
    }

    /**
     * @param panels the matrices, drawn left to right
     * @return the image
     * @throws IllegalArgumentException if there is no panel
     */
    public static BufferedImage render(List<Panel> panels) {
        Objects.requireNonNull(panels, "panels");
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("panels: at least one matrix is required");
        }
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        Font cellFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        // A scratch image measures the rater names so that long names get room.
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics fm = probe.getFontMetrics(labelFont);
        int[] labelW = new int[panels.size()];
        int width = MARGIN;
        int height = 0;
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            for (String l : panel.labels()) {
                labelW[p] = Math.max(labelW[p], fm.stringWidth(l));
            }
            labelW[p] += 8;
            int n = panel.labels().size();
            width += labelW[p] + n * CELL + BAR_GAP + BAR_W + BAR_LABEL_W + MARGIN;
            int below = labelW[p] <= CELL ? fm.getHeight() + 8 : labelW[p];
            height = Math.max(height, TITLE_H + n * CELL + below + MARGIN);
        }
        probe.dispose();
        BufferedImage img = new BufferedImage(width, height + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            int x0 = MARGIN;
            for (int p = 0; p < panels.size(); p++) {
                x0 = drawPanel(g, panels.get(p), x0 + labelW[p], MARGIN + TITLE_H, labelFont,
                        cellFont, titleFont) + MARGIN;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Renders and writes the PNG atomically (a temporary file in the same folder, then a move).
     *
     * @param file the PNG to write; its folder must exist
     * @param panels the matrices, drawn left to right
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if there is no panel
     */
    public static void write(Path file, List<Panel> panels) throws IOException {
        Objects.requireNonNull(file, "file");
        write(file, render(panels));
    }

    /**
     * Writes an image as PNG atomically (a temporary file in the same folder, then a move), so
     * that a failure never leaves half a file; shared by this package's renderers.
     *
     * @param file the PNG to write; its folder must exist
     * @param img the image
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static void write(Path file, BufferedImage img) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(img, "img");
        ImageFiles.writePng(file, img);
    }

    /**
     * @param value a value
     * @param min the value of the lowest colour
     * @param max the value of the highest colour
     * @return its colour on the viridis scale (clamped), grey for NaN
     */
    public static Color color(double value, double min, double max) {
        if (Double.isNaN(value)) {
            return UNDEFINED;
        }
        double t = Math.max(0, Math.min(1, (value - min) / (max - min)));
        double pos = t * (VIRIDIS.length - 1);
        int i = Math.min((int) pos, VIRIDIS.length - 2);
        double f = pos - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }

    /** Draws one panel with its grid's top-left corner at (x, y); returns its right edge. */
    private static int drawPanel(Graphics2D g, Panel panel, int x, int y, Font labelFont,
            Font cellFont, Font titleFont) {
        int n = panel.labels().size();
        double[][] v = panel.values;
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        FontMetrics tm = g.getFontMetrics();
        g.drawString(panel.title(), x + (n * CELL - tm.stringWidth(panel.title())) / 2,
                y - TITLE_H / 2 + tm.getAscent() / 2);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                Color c = color(v[i][j], panel.min(), panel.max());
                g.setColor(c);
                g.fillRect(x + j * CELL, y + i * CELL, CELL, CELL);
                String text = Double.isNaN(v[i][j]) ? "n/a"
                        : String.format(Locale.ROOT, "%.3f", v[i][j]);
                g.setColor(luminance(c) > 0.5 ? Color.BLACK : Color.WHITE);
                g.setFont(cellFont);
                FontMetrics cm = g.getFontMetrics();
                g.drawString(text, x + j * CELL + (CELL - cm.stringWidth(text)) / 2,
                        y + i * CELL + (CELL + cm.getAscent() - cm.getDescent()) / 2);
            }
        }
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(1f));
        for (int k = 1; k < n; k++) {
            g.drawLine(x + k * CELL, y, x + k * CELL, y + n * CELL);
            g.drawLine(x, y + k * CELL, x + n * CELL, y + k * CELL);
        }
        g.setColor(Color.BLACK);
        g.setFont(labelFont);
        FontMetrics lm = g.getFontMetrics();
        for (int i = 0; i < n; i++) {
            String l = panel.labels().get(i);
            // Row names to the left, right-aligned.
            g.drawString(l, x - 6 - lm.stringWidth(l),
                    y + i * CELL + (CELL + lm.getAscent() - lm.getDescent()) / 2);
            // Column names below: horizontal when every name fits a cell, else rotated so that
            // long names do not collide.
            if (fitsCell(panel, lm)) {
                g.drawString(l, x + i * CELL + (CELL - lm.stringWidth(l)) / 2,
                        y + n * CELL + 4 + lm.getAscent());
                continue;
            }
            AffineTransform saved = g.getTransform();
            g.translate(x + i * CELL + (CELL + lm.getAscent() - lm.getDescent()) / 2.0,
                    y + n * CELL + 6);
            g.rotate(Math.PI / 2);
            g.drawString(l, 0, 0);
            g.setTransform(saved);
        }
        int bx = x + n * CELL + BAR_GAP;
        int bh = n * CELL;
        for (int k = 0; k < bh; k++) {
            double value = panel.max() - (panel.max() - panel.min()) * k / (bh - 1.0);
            g.setColor(color(value, panel.min(), panel.max()));
            g.drawLine(bx, y + k, bx + BAR_W - 1, y + k);
        }
        g.setColor(Color.BLACK);
        g.drawRect(bx, y, BAR_W - 1, bh - 1);
        g.setFont(labelFont);
        String top = String.format(Locale.ROOT, "%.1f", panel.max());
        String bottom = String.format(Locale.ROOT, "%.1f", panel.min());
        g.drawString(top, bx + BAR_W + 4, y + lm.getAscent());
        g.drawString(bottom, bx + BAR_W + 4, y + bh);
        return bx + BAR_W + BAR_LABEL_W;
    }

    private static boolean fitsCell(Panel panel, FontMetrics fm) {
        for (String l : panel.labels()) {
            if (fm.stringWidth(l) + 8 > CELL) {
                return false;
            }
        }
        return true;
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }
}
