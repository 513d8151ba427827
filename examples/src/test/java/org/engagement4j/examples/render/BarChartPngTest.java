package org.engagement4j.examples.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartPngTest {

    private static List<BarChartPng.Chart> charts(double first) {
        return List.of(new BarChartPng.Chart("acc", List.of("dolls\ntask engagement", "drum"),
                List.of("validation", "test", "baseline"),
                new double[][] {{first, 0.5}, {0.6, Double.NaN}, {0.5, 0.5}}, 0, 1),
                new BarChartPng.Chart("kappa", List.of("g"), List.of("h", "m"),
                        new double[][] {{0.4}, {-0.2}}, -1, 1));
    }

    @Test
    void pngDecodesWithTheDocumentedSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bars.png");
        BarChartPng.write(file, charts(0.25));
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(BarChartPng.LEFT + 2 * BarChartPng.GROUP_W + BarChartPng.RIGHT,
                img.getWidth());
        assertEquals(2 * BarChartPng.CHART_H, img.getHeight());
        assertEquals(List.of("bars.png"), Files.list(dir).map(p -> p.getFileName().toString())
                .toList(), "no temporary file left");
    }

    @Test
    void aBarsHeightFollowsItsValueAndThePixelsChangeWithTheData() {
        List<BarChartPng.Chart> low = charts(0.25);
        List<BarChartPng.Chart> high = charts(0.75);
        BufferedImage a = BarChartPng.render(low);
        BufferedImage b = BarChartPng.render(high);
        Rectangle ra = BarChartPng.bar(low, 0, 0, 0);
        Rectangle rb = BarChartPng.bar(high, 0, 0, 0);
        assertEquals(3 * ra.height, rb.height, 1.0);
        assertEquals(ra.y + ra.height, rb.y + rb.height, "both stand on the zero line");
        int colour = BarChartPng.seriesColor(0, 3).getRGB();
        int x = ra.x + ra.width / 2;
        // The painted column of the series colour is exactly the bar, in both images.
        assertEquals(ra.height, run(a, x, colour));
        assertEquals(rb.height, run(b, x, colour));
        assertFalse(Arrays.equals(pixels(a), pixels(b)));
        // A negative kappa hangs below the zero line of its chart.
        Rectangle neg = BarChartPng.bar(low, 1, 1, 0);
        Rectangle pos = BarChartPng.bar(low, 1, 0, 0);
        assertEquals(pos.y + pos.height, neg.y);
        assertEquals(2 * neg.height, pos.height, 1.0);
        assertEquals(0, BarChartPng.bar(low, 0, 1, 1).height, "NaN draws no bar");
    }

    @Test
    void badChartsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BarChartPng.render(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BarChartPng.Chart("t",
                List.of("a", "b"), List.of("s"), new double[][] {{1}}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BarChartPng.Chart("t",
                List.of("a"), List.of("s"), new double[][] {{1}}, 1, 1));
        assertNotEquals(BarChartPng.seriesColor(0, 2), BarChartPng.seriesColor(1, 2));
        assertTrue(BarChartPng.GROUP_W > 0);
    }

    private static int run(BufferedImage img, int x, int rgb) {
        int n = 0;
        // Chart 0 only: the other chart's first series has the same colour.
        for (int y = 0; y < BarChartPng.CHART_H; y++) {
            if (img.getRGB(x, y) == rgb) {
                n++;
            }
        }
        return n;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
