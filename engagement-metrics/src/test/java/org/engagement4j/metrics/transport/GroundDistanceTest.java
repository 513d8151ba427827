package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GroundDistanceTest {

    @Test
    void builtIns() {
        assertEquals(5.0, GroundDistance.EUCLIDEAN.cost(1, 2, 4, 6));
        assertEquals(7.0, GroundDistance.L1.cost(1, 2, 4, 6));
        assertEquals(25.0, GroundDistance.SQEUCLIDEAN.cost(1, 2, 4, 6));
        assertEquals(Math.sqrt(2), GroundDistance.EUCLIDEAN.cost(3, 3, 2, 2));
        assertTrue(GroundDistance.EUCLIDEAN.isMetric());
        assertTrue(GroundDistance.L1.isMetric());
        assertFalse(GroundDistance.SQEUCLIDEAN.isMetric());
        assertEquals("euclidean", GroundDistance.EUCLIDEAN.name());
        assertEquals("l1", GroundDistance.L1.name());
        assertEquals("sqeuclidean", GroundDistance.SQEUCLIDEAN.name());
    }

    @Test
    void parse() {
        assertSame(GroundDistance.EUCLIDEAN, GroundDistance.parse("euclidean"));
        assertSame(GroundDistance.L1, GroundDistance.parse(" L1 "));
        assertSame(GroundDistance.SQEUCLIDEAN, GroundDistance.parse("SqEuclidean"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroundDistance.parse("cosine"));
        assertTrue(e.getMessage().contains("'cosine'"), e.getMessage());
        assertTrue(e.getMessage().contains("[euclidean, l1, sqeuclidean]"), e.getMessage());
        assertThrows(NullPointerException.class, () -> GroundDistance.parse(null));
    }

    @Test
    void custom() {
        GroundDistance chebyshev = GroundDistance.custom("chebyshev", true,
                (y1, x1, y2, x2) -> Math.max(Math.abs(y1 - y2), Math.abs(x1 - x2)));
        assertEquals("chebyshev", chebyshev.name());
        assertTrue(chebyshev.isMetric());
        assertEquals(4.0, chebyshev.cost(1, 2, 4, 6));
        assertThrows(IllegalArgumentException.class,
                () -> GroundDistance.custom(" ", false, (a, b, c, d) -> 0));
        assertThrows(NullPointerException.class, () -> GroundDistance.custom("x", false, null));
        // a one-hot moved by (3, 4) costs max(3, 4) under Chebyshev
        double[] a = new double[5 * 5];
        double[] b = new double[5 * 5];
        a[0] = 1;
        b[3 * 5 + 4] = 1;
        assertEquals(4.0, Emd.exact().withGround(chebyshev).frame(a, b, 5, 5), 1e-12);
    }
}
