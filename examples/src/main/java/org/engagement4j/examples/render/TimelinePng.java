package org.engagement4j.examples.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.model.Timeline;
import org.engagement4j.xai.render.ImageFiles;

/**
 * Draws an engagement timeline ({@code engagement score --png}, the demo's timeline figure): one
 * panel per variable, the probability per window over time (raw in grey, smoothed in blue), the
 * threshold dashed and the engaged spans shaded. Written atomically (temporary sibling, then
 * rename).
 *
 * @since 0.1.0
 */
public final class TimelinePng {

    private static final int WIDTH = 1200;
    private static final int PANEL = 170;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private TimelinePng() {
    }

    /**
     * Draws the timeline and writes it as a PNG.
     *
     * @param file the PNG file; its folder must exist; replaced atomically
     * @param tl the timeline
     * @param title the first words of the title line, e.g. the recording's name
     * @throws IOException if the file cannot be written
     * @since 0.1.0
     */
    public static void write(Path file, Timeline tl, String title) throws IOException {
        List<Timeline.Track> tracks = new ArrayList<>(tl.tracks().values());
        int height = TOP + BOTTOM + PANEL * tracks.size();
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING,
                    RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%s: %d windows of %d frames, stride %d"
                    + " ms, smoothing %d, threshold %s", title, tl.windows(),
                    tl.windowFrames(), tl.strideMs(), tl.smoothing(), tl.threshold()),
                    LEFT, 18);
            double duration = Math.max(1, tl.durationMs());
            int plotW = WIDTH - LEFT - RIGHT;
            for (int v = 0; v < tracks.size(); v++) {
                Timeline.Track t = tracks.get(v);
                int y0 = TOP + v * PANEL + 10;
                int h = PANEL - 30;
                g.setColor(new Color(200, 235, 200));
                for (Interval i : t.engaged().intervals()) {
                    int x1 = LEFT + (int) Math.round(i.startMs() / duration * plotW);
                    int x2 = LEFT + (int) Math.round(i.endMs() / duration * plotW);
                    g.fillRect(x1, y0, Math.max(1, x2 - x1), h);
                }
                g.setColor(Color.GRAY);
                g.drawRect(LEFT, y0, plotW, h);
                g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10f, new float[] {4f, 4f}, 0f));
                int yt = y0 + (int) Math.round((1 - tl.threshold()) * h);
                g.drawLine(LEFT, yt, LEFT + plotW, yt);
                g.setStroke(new BasicStroke(1f));
                curve(g, tl, t.probabilities(), duration, plotW, y0, h,
                        new Color(170, 170, 170));
                g.setStroke(new BasicStroke(2f));
                curve(g, tl, t.smoothed(), duration, plotW, y0, h, new Color(30, 90, 200));
                g.setStroke(new BasicStroke(1f));
                g.setColor(Color.BLACK);
                g.drawString(t.variable().paperName().replace('_', ' '), LEFT + 5, y0 + 14);
                g.drawString("1", LEFT - 15, y0 + 5);
                g.drawString("0", LEFT - 15, y0 + h + 4);
                g.drawString("p", LEFT - 40, y0 + h / 2);
            }
            int axis = TOP + PANEL * tracks.size() - 15;
            double stepS = tickStep(duration / 1000.0);
            for (double s = 0; s * 1000 <= duration; s += stepS) {
                int x = LEFT + (int) Math.round(s * 1000 / duration * plotW);
                g.drawLine(x, axis, x, axis + 5);
                g.drawString(String.format(Locale.ROOT, "%.0f", s), x - 8, axis + 18);
            }
            g.drawString("time (s)", LEFT + plotW / 2 - 20, axis + 34);
        } finally {
            g.dispose();
        }
        ImageFiles.writePng(file, img);
    }

    private static void curve(Graphics2D g, Timeline tl, double[] p, double duration,
            int plotW, int y0, int h, Color colour) {
        Path2D.Double path = new Path2D.Double();
        for (int k = 0; k < p.length; k++) {
            Interval w = tl.window(k);
            double x = LEFT + (w.startMs() + w.endMs()) / 2.0 / duration * plotW;
            double y = y0 + (1 - p[k]) * h;
            if (k == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(colour);
        g.draw(path);
    }

    private static double tickStep(double seconds) {
        double[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600};
        for (double s : steps) {
            if (seconds / s <= 15) {
                return s;
            }
        }
        return 7200;
    }
}
