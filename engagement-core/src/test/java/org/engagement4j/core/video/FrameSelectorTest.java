package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The selection rules as pure arithmetic, against brute force. */
class FrameSelectorTest {

    private static final Rational MS = new Rational(1, 1000);
    private static final Rational FPS = Rational.ofFps(3.125);

    /** Runs the selector and returns, per output slot, the index of the source frame chosen. */
    static List<Integer> select(FrameSelection rule, Rational tb, Rational fps, long[] times,
            long end) {
        FrameSelector s = new FrameSelector(rule, tb, fps);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            s.offer(times[i]);
            for (int k = 0; k < s.toPrevious(); k++) {
                out.add(i - 1);
            }
            for (int k = 0; k < s.toCurrent(); k++) {
                out.add(i);
            }
        }
        s.finish(end);
        for (int k = 0; k < s.toPrevious(); k++) {
            out.add(times.length - 1);
        }
        return out;
    }

    /** Nearest frame to k / fps for every k / fps before the end, ties to the earlier frame. */
    static List<Integer> bruteNearest(long[] timesMs, long endMs, double fps) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k * 1000.0 / fps < endMs; k++) {
            double target = k * 1000.0 / fps;
            int best = 0;
            for (int i = 1; i < timesMs.length; i++) {
                if (Math.abs(timesMs[i] - target) < Math.abs(timesMs[best] - target)) {
                    best = i;
                }
            }
            out.add(best);
        }
        return out;
    }

    @Test
    void nearestAt25FpsIsEveryEighthFrame() {
        long[] t = TestVideos.regular(3000, 40);
        List<Integer> got = select(FrameSelection.NEAREST, MS, FPS, t, 120_000);
        assertEquals(375, got.size());
        for (int k = 0; k < got.size(); k++) {
            assertEquals(8 * k, got.get(k));
        }
    }

    @Test
    void ffmpegRuleAt25FpsIsThreeFramesLaterAndRoundsTheEnd() {
        List<Integer> got = select(FrameSelection.FFMPEG_FPS_FILTER, MS, FPS,
                TestVideos.regular(50, 40), 2000);
        assertEquals(List.of(3, 11, 19, 27, 35, 43), got);
        // 120 s: 375 slots, the last one frame 2995
        List<Integer> two = select(FrameSelection.FFMPEG_FPS_FILTER, MS, FPS,
                TestVideos.regular(3000, 40), 120_000);
        assertEquals(375, two.size());
        assertEquals(2995, two.get(374));
    }

    @Test
    void tiesGoToTheEarlierFrame() {
        // frames at 0 and 640 ms: slot 1 (320 ms) is exactly between them
        assertEquals(List.of(0, 0, 1), select(FrameSelection.NEAREST, MS, FPS,
                new long[] {0, 640}, 680));
    }

    @Test
    void slowSourcesRepeatFrames() {
        // 1 fps source: each frame fills the slots nearest to it
        List<Integer> got = select(FrameSelection.NEAREST, MS, FPS, new long[] {0, 1000, 2000},
                3000);
        assertEquals(bruteNearest(new long[] {0, 1000, 2000}, 3000, 3.125), got);
        assertEquals(10, got.size());
    }

    @Test
    void ninetyKilohertzTimeBaseGivesTheSameChoice() {
        long[] ms = TestVideos.regular(250, 40);
        long[] ticks = Arrays.stream(ms).map(m -> m * 90).toArray();
        assertEquals(select(FrameSelection.NEAREST, MS, FPS, ms, 10_000),
                select(FrameSelection.NEAREST, new Rational(1, 90_000), FPS, ticks, 900_000));
    }

    @Property(tries = 300)
    void nearestMatchesBruteForceOnVariableFrameRate(
            @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 1, max = 400) Integer> gaps,
            @ForAll @IntRange(min = 1, max = 400) int lastDuration) {
        long[] t = new long[gaps.size()];
        for (int i = 1; i < t.length; i++) {
            t[i] = t[i - 1] + gaps.get(i);
        }
        long end = t[t.length - 1] + lastDuration;
        assertEquals(bruteNearest(t, end, 3.125),
                select(FrameSelection.NEAREST, MS, FPS, t, end));
    }

    @Property(tries = 300)
    void ffmpegRuleTakesTheLastFrameRoundedToEachSlot(
            @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 1, max = 400) Integer> gaps,
            @ForAll @IntRange(min = 1, max = 400) int lastDuration) {
        long[] t = new long[gaps.size()];
        for (int i = 1; i < t.length; i++) {
            t[i] = t[i - 1] + gaps.get(i);
        }
        long end = t[t.length - 1] + lastDuration;
        // brute force of the fps filter: slot(t) = floor(t * 3.125 / 1000 + 0.5)
        List<Integer> expected = new ArrayList<>();
        long endSlot = Math.floorDiv(end * 25 * 2 + 8000, 16000);
        for (long k = 0; k < endSlot; k++) {
            int last = -1;
            for (int i = 0; i < t.length; i++) {
                if (Math.floorDiv(t[i] * 25 * 2 + 8000, 16000) <= k) {
                    last = i;
                }
            }
            expected.add(last);
        }
        assertEquals(expected, select(FrameSelection.FFMPEG_FPS_FILTER, MS, FPS, t, end));
    }
}
