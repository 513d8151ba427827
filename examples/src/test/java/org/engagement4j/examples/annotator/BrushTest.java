package org.engagement4j.examples.annotator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The brush against values worked out by hand from the reference's definition (REFERENCE.md §8):
 * side {@code int(5 sigma)}, Gaussian offsets centred on {@code (side - 1) / 2}, peak 0.1, top-left
 * corner at {@code round(c - side / 2)} with ties to even, clipped to the frame and to [0, 1].
 */
class BrushTest {

    /** exp(-0.5 / 0.36): the Gaussian one pixel from the centre at sigma 0.6. */
    private static final double G06 = 0.24935220877729622;

    @Test
    void oddKernelHasPeakInTheMiddleAndGaussianFalloff() {
        Brush b = Brush.of(0.6); // side int(3.0) = 3
        assertEquals(3, b.side());
        double e = 0.1 * G06;
        double c = 0.1 * G06 * G06;
        assertArrayEquals(new double[] {c, e, c, e, 0.1, e, c, e, c}, b.kernel(), 1e-16);
    }

    @Test
    void evenKernelSharesThePeakBetweenTheFourCentralValues() {
        Brush b = Brush.of(0.8); // side 4, offsets -1.5 -0.5 0.5 1.5
        assertEquals(4, b.side());
        double[] k = b.kernel();
        // off-centre over centre: exp(-0.5 (2.25 - 0.25) / 0.64) = exp(-1.5625)
        double e = 0.1 * Math.exp(-1.5625);
        assertEquals(0.1, k[1 * 4 + 1], 1e-16);
        assertEquals(0.1, k[2 * 4 + 2], 1e-16);
        assertEquals(e, k[1 * 4 + 0], 1e-16);
        assertEquals(0.1 * Math.exp(-1.5625) * Math.exp(-1.5625), k[0], 1e-16);
        assertEquals(0.02096113871510978, e, 1e-16);
    }

    @Test
    void tinySigmaGivesOnePixelAndInitialSizeIsOneTwentyFifthOfTheShortSide() {
        assertArrayEquals(new double[] {0.1}, Brush.of(0.1).kernel());
        Brush paper = Brush.initial(160, 208);
        assertEquals(6.4, paper.sigma(), 1e-15);
        assertEquals(32, paper.side());
        assertEquals(1.6, Brush.initial(40, 52).sigma(), 1e-15);
    }

    @Test
    void wheelScalesSigmaByOnePointOneFivePerStep() {
        Brush b = Brush.of(6.4);
        assertEquals(6.4 * 1.15 * 1.15, b.wheel(2).sigma());
        assertEquals(6.4 / 1.15, b.wheel(-1).sigma());
        assertSame(b, b.wheel(0));
        assertEquals(8.463999999999999, b.wheel(2).sigma());
    }

    @Test
    void stampCentresWithPythonRoundingTiesToEven() {
        Brush b = Brush.of(0.6);
        float[] map = new float[10 * 10];
        // y: round(5 - 1.5) = round(3.5) = 4 -> rows 4..6, centre row 5
        // x: round(4 - 1.5) = round(2.5) = 2 -> columns 2..4, centre column 3 (not 4)
        b.stamp(map, 10, 10, 0, 4.0, 5.0, false);
        assertEquals(0.1f, map[5 * 10 + 3]);
        assertEquals((float) (0.1 * G06), map[5 * 10 + 4]);
        assertEquals((float) (0.1 * G06), map[5 * 10 + 2]);
        assertEquals((float) (0.1 * G06 * G06), map[4 * 10 + 4], 1e-9f);
        assertEquals(0f, map[5 * 10 + 5]);
        float sum = 0;
        for (float v : map) {
            sum += v;
        }
        assertEquals(0.1 * (1 + 2 * G06) * (1 + 2 * G06), sum, 1e-6);
        // x 5.2: round(3.7) = 4 -> centre column 5
        float[] m2 = new float[100];
        b.stamp(m2, 10, 10, 0, 5.2, 5.0, false);
        assertEquals(0.1f, m2[5 * 10 + 5]);
    }

    @Test
    void stampIsClippedAtTheFrameBorderAndOnlyTouchesItsFrame() {
        Brush b = Brush.of(0.6);
        float[] map = new float[2 * 4 * 5];
        // (0, 0): round(-1.5) = -2 -> rows/columns -2..0: only the kernel's corner lands, on (0, 0)
        b.stamp(map, 4, 5, 1, 0.0, 0.0, false);
        assertEquals((float) (0.1 * G06 * G06), map[20], 1e-9f);
        for (int i = 0; i < map.length; i++) {
            if (i != 20) {
                assertEquals(0f, map[i], "index " + i);
            }
        }
        // (4, 3) in a 4 x 5 frame: rows round(1.5) = 2 -> 2..4, columns round(2.5) = 2 -> 2..4
        float[] m2 = new float[20];
        b.stamp(m2, 4, 5, 0, 4.0, 3.0, false);
        assertEquals(0.1f, m2[3 * 5 + 3]);
        assertEquals((float) (0.1 * G06), m2[3 * 5 + 4]);
        assertEquals((float) (0.1 * G06), m2[2 * 5 + 3]);
        // entirely outside the frame: nothing
        float[] m3 = new float[20];
        b.stamp(m3, 4, 5, 0, -3.0, 1.0, false);
        b.stamp(m3, 4, 5, 0, 1.0, 9.0, false);
        assertArrayEquals(new float[20], m3);
    }

    @Test
    void valuesAreClippedToZeroAndOne() {
        Brush b = Brush.of(0.6);
        float[] map = new float[9];
        b.stamp(map, 3, 3, 0, 1.2, 1.2, true); // erasing nothing stays 0
        assertArrayEquals(new float[9], map);
        float expect = 0;
        for (int i = 0; i < 12; i++) {
            b.stamp(map, 3, 3, 0, 1.2, 1.2, false);
            expect = (float) Math.min(1.0, expect + 0.1);
        }
        assertEquals(1f, map[4]);
        assertEquals(expect, map[4]);
        b.stamp(map, 3, 3, 0, 1.2, 1.2, true);
        assertEquals((float) (1.0 - 0.1), map[4]);
        for (float v : map) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheRuleBroken() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Brush.of(0))
                .getMessage().contains("sigma"));
        assertThrows(IllegalArgumentException.class, () -> Brush.of(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Brush.of(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Brush.initial(0, 5));
        Brush b = Brush.of(1);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> b.stamp(new float[10], 3, 3, 0, 1, 1, false)).getMessage()
                .contains("cannot hold frames of 3 x 3"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> b.stamp(new float[18], 3, 3, 2, 1, 1, false)).getMessage()
                .contains("frame: 2"));
        assertThrows(IllegalArgumentException.class,
                () -> b.stamp(new float[9], 3, 3, 0, Double.NaN, 1, false));
    }
}
