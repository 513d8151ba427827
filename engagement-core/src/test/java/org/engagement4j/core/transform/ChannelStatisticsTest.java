package org.engagement4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ChannelStatisticsTest {

    /** NumPy's values (fixture cases {@code stats_*}): mean, std (ddof 0) and std (ddof 1). */
    @TestFactory
    Stream<DynamicTest> matchesNumpy() {
        return TransformFixtures.cases().stream().filter(c -> c.get("op").equals("stats"))
                .map(c -> DynamicTest.dynamicTest(c.name, () -> {
                    int[] s = c.ints("shape");
                    ChannelStatistics stats = new ChannelStatistics().add(c.bytes(), s[0], s[1], s[2]);
                    assertEquals((long) s[0] * s[1] * s[2], stats.count());
                    assertClose(c.doubles("mean"), stats.mean(), 1e-13, c.name + " mean");
                    assertClose(c.doubles("std"), stats.std(), 1e-12, c.name + " std");
                    assertClose(c.doubles("sample_std"), stats.sampleStd(), 1e-12, c.name + " sample std");
                }));
    }

    private static void assertClose(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rel * Math.abs(expected[i]), what + " channel " + i);
        }
    }

    private static byte[] randomPixels(UniformRandomProvider rng, int pixels) {
        byte[] b = new byte[3 * pixels];
        for (int i = 0; i < b.length; i++) {
            // skewed and channel-dependent, so that the three channels differ
            int c = i % 3;
            double u = rng.nextDouble();
            b[i] = (byte) Math.min(255, (int) (256 * Math.pow(u, 1 + c)));
        }
        return b;
    }

    @Test
    void streamingInChunksEqualsOneShotExactly() {
        UniformRandomProvider rng = ClipAugmentation.random(7);
        byte[] all = randomPixels(rng, 50_000);
        ChannelStatistics once = new ChannelStatistics().add(all, 0, all.length);
        ChannelStatistics chunked = new ChannelStatistics();
        ChannelStatistics merged = new ChannelStatistics();
        int at = 0;
        while (at < all.length) {
            int n = Math.min(all.length - at, 3 * (1 + rng.nextInt(3000)));
            chunked.add(all, at, n);
            merged.combine(new ChannelStatistics().add(all, at, n));
            at += n;
        }
        assertArrayEquals(once.mean(), chunked.mean());
        assertArrayEquals(once.std(), chunked.std());
        assertArrayEquals(once.mean(), merged.mean());
        assertArrayEquals(once.variance(), merged.variance());
        assertEquals(once.count(), merged.count());
    }

    @Test
    void equalsATwoPassComputation() {
        byte[] all = randomPixels(ClipAugmentation.random(8), 20_000);
        ChannelStatistics stats = new ChannelStatistics().add(all, 0, all.length);
        int n = all.length / 3;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = c; i < all.length; i += 3) {
                sum += all[i] & 0xff;
            }
            double mean = sum / n;
            double ss = 0;
            for (int i = c; i < all.length; i += 3) {
                double d = (all[i] & 0xff) - mean;
                ss += d * d;
            }
            assertEquals(mean, stats.mean()[c], 1e-12 * mean);
            assertEquals(Math.sqrt(ss / n), stats.std()[c], 1e-12 * Math.sqrt(ss / n));
            assertEquals(Math.sqrt(ss / (n - 1)), stats.sampleStd()[c], 1e-12 * Math.sqrt(ss / n));
        }
    }

    /** Doubling the counts 40 times (10^12 pixels) leaves the statistics bit-identical. */
    @Test
    void hugeCountsStayExact() {
        byte[] all = randomPixels(ClipAugmentation.random(9), 1000);
        ChannelStatistics stats = new ChannelStatistics().add(all, 0, all.length);
        double[] mean = stats.mean();
        double[] std = stats.std();
        for (int i = 0; i < 40; i++) {
            stats.combine(stats);
        }
        assertEquals(1000L << 40, stats.count());
        assertArrayEquals(mean, stats.mean());
        assertArrayEquals(std, stats.std());
    }

    @Test
    void buffersOfEveryKindGiveTheSameCounts() {
        byte[] all = randomPixels(ClipAugmentation.random(10), 30_000);
        ChannelStatistics array = new ChannelStatistics().add(all, 0, all.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(all.length + 6);
        direct.put(new byte[] {1, 2, 3}).put(all).put(new byte[] {4, 5, 6});
        direct.position(3).limit(3 + all.length);
        ChannelStatistics fromDirect = new ChannelStatistics().add(direct);
        assertEquals(3, direct.position(), "position unchanged");
        ByteBuffer heap = ByteBuffer.wrap(all, 3, all.length - 3).slice();
        ChannelStatistics fromHeap = new ChannelStatistics().add(heap).add(all, 0, 3);
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                assertEquals(array.count(c, v), fromDirect.count(c, v));
                assertEquals(array.count(c, v), fromHeap.count(c, v));
            }
        }
    }

    @Test
    void clipLayoutIsThwc() {
        // 1 frame, 1 x 2 pixels: (10, 20, 30) and (50, 60, 70)
        byte[] thwc = {10, 20, 30, 50, 60, 70};
        ChannelStatistics stats = new ChannelStatistics().add(thwc, 1, 1, 2);
        assertArrayEquals(new double[] {30, 40, 50}, stats.mean());
        assertArrayEquals(new double[] {20, 20, 20}, stats.std());
        Normalization n = stats.toNormalization();
        assertArrayEquals(new double[] {30, 40, 50}, n.mean());
        assertArrayEquals(new double[] {20, 20, 20}, n.std());
        assertTrue(stats.toString().contains("n=2"));
    }

    @Test
    void badInputIsRefusedWithTheArgumentNamed() {
        ChannelStatistics stats = new ChannelStatistics();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stats.add(new byte[10], 1, 1, 3));
        assertTrue(e.getMessage().startsWith("thwc: 10 bytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stats.add(new byte[9], 0, 1, 3));
        assertTrue(e.getMessage().startsWith("thwc frames: 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stats.add(new byte[9], 0, 4));
        assertTrue(e.getMessage().startsWith("length: 4"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> stats.add(new byte[9], 3, 9));
        e = assertThrows(IllegalArgumentException.class, () -> stats.add(ByteBuffer.allocate(5)));
        assertTrue(e.getMessage().startsWith("length: 5"), e.getMessage());
        assertThrows(NullPointerException.class, () -> stats.add((byte[]) null, 1, 1, 1));
        assertEquals(0, stats.count(), "nothing counted after refused input");
    }

    @Test
    void undefinedStatisticsThrow() {
        ChannelStatistics empty = new ChannelStatistics();
        assertThrows(IllegalStateException.class, empty::mean);
        assertThrows(IllegalStateException.class, empty::std);
        assertThrows(IllegalStateException.class, empty::toNormalization);
        assertEquals("ChannelStatistics[n=0]", empty.toString());
        ChannelStatistics one = new ChannelStatistics().add(new byte[] {1, 2, 3}, 1, 1, 1);
        assertThrows(IllegalStateException.class, one::sampleStd);
        ChannelStatistics flatGreen = new ChannelStatistics().add(new byte[] {1, 9, 3, 2, 9, 4}, 1, 1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, flatGreen::toNormalization);
        assertTrue(e.getMessage().startsWith("channel G"), e.getMessage());
    }

    @Test
    void addReturnsTheSameAccumulator() {
        ChannelStatistics s = ChannelStatistics.create();
        assertSame(s, s.add(new byte[3], 0, 3));
        assertSame(s, s.combine(new ChannelStatistics()));
        assertThrows(IndexOutOfBoundsException.class, () -> s.count(3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.count(0, 256));
    }
}
