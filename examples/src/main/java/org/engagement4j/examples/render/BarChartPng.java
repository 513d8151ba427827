package org.engagement4j.examples.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders grouped bar charts, such as the paper's Table 2 (accuracy and F1 of each classifier
 * next to the random baselines) and Table 3 (human-human and human-machine kappa), as one PNG:
 * one chart per row, each with a title, a legend, a value axis with grid lines every quarter of
 * its range, and one group of bars per classifier.
 *
 * <p>The image size depends only on the counts: every group is {@value #GROUP_W} px wide, every
 * chart {@value #CHART_H} px high, so that {@code width = LEFT + groups x GROUP_W + RIGHT} (the
 * widest chart) and {@code height = charts x CHART_H}. A bar spans from the value 0 (or the
 * nearer end of the scale) to its value; values outside the scale are clamped to it, and a NaN
 * value draws no bar but {@code n/a} in its place. Series take colours from the viridis map of
 * {@link HeatmapPng}. Rendering uses only {@code java.awt} off screen, so it works headless.
 *
 * @since 0.1.0
 */
public final class BarChartPng {

    /** Width of one group of bars, in pixels. */
    public static final int GROUP_W = 120;
    /** Height of one chart (title, legend, plot, group labels), in pixels. */
    public static final int CHART_H = 340;
    /** Room left of the plot for the axis labels, in pixels. */
    public static final int LEFT = 60;
    /** Room right of the plot, in pixels. */
    public static final int RIGHT = 20;

    private static final int TITLE_H = 30;
    private static final int LEGEND_H = 24;
    private static final int PLOT_H = 236;
    private static final int MAX_BAR_W = 26;
    private static final int GROUP_PAD = 16;
    private static final Color GRID = new Color(0xdddddd);

    /**
     * One chart.
     *
     * @param title text above the chart
     * @param groups the group names (e.g. "dolls\nsocial engagement"); a newline splits a name
     *     over two lines
     * @param series the series names, shown in the legend
     * @param values {@code values[s][g]}: series {@code s} in group {@code g}; copied
     * @param min the value at the bottom of the axis
     * @param max the value at the top, above {@code min}
     * @since 0.1.0
     */
    public record Chart(String title, List<String> groups, List<String> series, double[][] values,
            double min, double max) {

        /**
         * Copies the lists and the values.
         *
         * @throws IllegalArgumentException if there is no group or no series, the values are not
         *     {@code series x groups}, or the scale is empty or not finite
         */
        public Chart {
            Objects.requireNonNull(title, "title");
            groups = List.copyOf(groups);
            series = List.copyOf(series);
            Objects.requireNonNull(values, "values");
            if (groups.isEmpty() || series.isEmpty() || values.length != series.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "chart '%s': %d groups, %d series and %d value rows; need at least one"
                                + " group and one row per series", title, groups.size(),
                        series.size(), values.length));
            }
            double[][] copy = new double[values.length][];
            for (int s = 0; s < values.length; s++) {
                if (values[s] == null || values[s].length != groups.size()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "chart '%s': series %d ('%s') has %s values for %d groups", title, s,
                            series.get(s), values[s] == null ? "no" : values[s].length,
                            groups.size()));
                }
                copy[s] = values[s].clone();
            }
            values = copy;
            if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "chart '%s': scale [%s, %s] must be finite with min < max", title, min,
                        max));
            }
        }

        /** @return a copy of the values */
        @Override
        public double[][] values() {
            double[][] copy = new double[values.length][];
            for (int s = 0; s < values.length; s++) {
                copy[s] = values[s].clone();
            }
            return copy;
        }
    }

    private BarChartPng() {
    }

    /**
     * @param charts the charts, top to bottom
     * @return the image
     * @throws IllegalArgumentException if there is no chart
     */
    public static BufferedImage render(List<Chart> charts) {
        Objects.requireNonNull(charts, "charts");
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("charts: at least one chart is required");
        }
        int groups = 0;
        for (Chart c : charts) {
            groups = Math.max(groups, c.groups().size());
        }
        BufferedImage img = new BufferedImage(LEFT + groups * GROUP_W + RIGHT,
                charts.size() * CHART_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int c = 0; c < charts.size(); c++) {
                draw(g, charts.get(c), c * CHART_H);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Renders and writes the PNG atomically (see {@link HeatmapPng#write(Path, BufferedImage)}).
     *
     * @param file the PNG to write; its folder must exist
     * @param charts the charts, top to bottom
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if there is no chart
     */
    public static void write(Path file, List<Chart> charts) throws IOException {
        HeatmapPng.write(file, render(charts));
    }

    /**
     * @param series the series index
     * @param count the number of series
     * @return the colour of that series: viridis from its dark end, evenly spaced
     */
    public static Color seriesColor(int series, int count) {
        return HeatmapPng.color(count == 1 ? 0 : series * 0.85 / (count - 1), 0, 1);
    }

    /**
     * Where a bar lies in the image of {@link #render} (empty for NaN).
     *
     * @param charts the rendered charts
     * @param chart the chart index
     * @param series the series index
     * @param group the group index
     * @return the bar's rectangle
     */
    static Rectangle bar(List<Chart> charts, int chart, int series, int group) {
        return bar(charts.get(chart), chart * CHART_H, series, group);
    }

    private static Rectangle bar(Chart c, int y0, int series, int group) {
        int n = c.series().size();
        int w = Math.min(MAX_BAR_W, (GROUP_W - GROUP_PAD) / n);
        int x = LEFT + group * GROUP_W + (GROUP_W - n * w) / 2 + series * w;
        double v = c.values[series][group];
        if (Double.isNaN(v)) {
            return new Rectangle(x, y(c, y0, 0), 0, 0);
        }
        int zero = y(c, y0, 0);
        int top = y(c, y0, v);
        return new Rectangle(x, Math.min(zero, top), w, Math.abs(zero - top));
    }

    /** The pixel row of a value, clamped to the plot. */
    private static int y(Chart c, int y0, double v) {
        double t = Math.max(0, Math.min(1, (v - c.min()) / (c.max() - c.min())));
        return y0 + TITLE_H + LEGEND_H + (int) Math.round((1 - t) * PLOT_H);
    }

    private static void draw(Graphics2D g, Chart c, int y0) {
        Font title = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        int plotW = c.groups().size() * GROUP_W;
        g.setColor(Color.BLACK);
        g.setFont(title);
        FontMetrics tm = g.getFontMetrics();
        g.drawString(c.title(), LEFT + (plotW - tm.stringWidth(c.title())) / 2,
                y0 + TITLE_H - 8);
        g.setFont(label);
        FontMetrics lm = g.getFontMetrics();
        int lx = LEFT;
        for (int s = 0; s < c.series().size(); s++) {
            g.setColor(seriesColor(s, c.series().size()));
            g.fillRect(lx, y0 + TITLE_H + 5, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(c.series().get(s), lx + 16, y0 + TITLE_H + 5 + lm.getAscent() - 1);
            lx += 16 + lm.stringWidth(c.series().get(s)) + 16;
        }
        for (int q = 0; q <= 4; q++) {
            double v = c.min() + (c.max() - c.min()) * q / 4;
            int yy = y(c, y0, v);
            g.setColor(GRID);
            g.drawLine(LEFT, yy, LEFT + plotW, yy);
            g.setColor(Color.BLACK);
            String t = String.format(Locale.ROOT, "%.2f", v);
            g.drawString(t, LEFT - 6 - lm.stringWidth(t), yy + lm.getAscent() / 2 - 1);
        }
        for (int gr = 0; gr < c.groups().size(); gr++) {
            for (int s = 0; s < c.series().size(); s++) {
                Rectangle r = bar(c, y0, s, gr);
                if (Double.isNaN(c.values[s][gr])) {
                    g.setColor(Color.GRAY);
                    g.drawString("n/a", r.x, r.y - 2);
                    continue;
                }
                g.setColor(seriesColor(s, c.series().size()));
                g.fillRect(r.x, r.y, r.width, r.height);
            }
            String[] lines = c.groups().get(gr).split("\n", 2);
            g.setColor(Color.BLACK);
            for (int i = 0; i < lines.length; i++) {
                int cx = LEFT + gr * GROUP_W + GROUP_W / 2;
                g.drawString(lines[i], cx - lm.stringWidth(lines[i]) / 2,
                        y0 + TITLE_H + LEGEND_H + PLOT_H + 4 + (i + 1) * lm.getHeight());
            }
        }
        g.setColor(Color.BLACK);
        int zero = y(c, y0, 0);
        g.drawLine(LEFT, zero, LEFT + plotW, zero);
        g.drawLine(LEFT, y(c, y0, c.max()), LEFT, y(c, y0, c.min()));
    }
}
