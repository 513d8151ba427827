package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Output sizes (FFmpeg's scale=-16:H arithmetic) and settings validation. */
class ClipSettingsTest {

    private static VideoInfo video(int w, int h, int sn, int sd, int rotation) {
        return new VideoInfo("mpegts", "h264", w, h, sn, sd, rotation, "tt", 25,
                OptionalLong.empty());
    }

    @Test
    void thePapersCameraGives208StoredAnd288Displayed() {
        VideoInfo camera = video(1440, 1080, 4, 3, 0);
        assertEquals(1920, camera.displayWidth());
        assertArrayEquals(new int[] {208, 160}, ClipSettings.reference().outputSize(camera));
        assertArrayEquals(new int[] {288, 160},
                ClipSettings.reference().withAspect(AspectMode.DISPLAY).outputSize(camera));
    }

    @Test
    void widthsRoundToTheNearestMultipleOf16() {
        ClipSettings s = ClipSettings.reference();
        // 160 * 1920 / 1080 = 284.4 -> 17.8 blocks -> 18 -> 288
        assertArrayEquals(new int[] {288, 160}, s.outputSize(video(1920, 1080, 1, 1, 0)));
        // 160 * 4 / 3 = 213.3 -> 13.3 blocks -> 13 -> 208
        assertArrayEquals(new int[] {208, 160}, s.outputSize(video(320, 240, 1, 1, 0)));
        // 160 * 720 / 576 = 200 -> 12.5 blocks: halves round up -> 13 -> 208 (as av_rescale)
        assertArrayEquals(new int[] {208, 160}, s.outputSize(video(720, 576, 1, 1, 0)));
        assertArrayEquals(new int[] {112, 112},
                s.withHeight(112).outputSize(video(100, 100, 1, 1, 0)));
    }

    @Test
    void quarterTurnsSwapTheInputSides() {
        // 240x320 upright: 160 * 240 / 320 = 120 = 7.5 blocks -> 8 -> 128
        assertArrayEquals(new int[] {128, 160},
                ClipSettings.reference().outputSize(video(320, 240, 1, 1, 90)));
        assertArrayEquals(new int[] {208, 160},
                ClipSettings.reference().outputSize(video(320, 240, 1, 1, 180)));
        VideoInfo turned = video(1440, 1080, 4, 3, 270);
        assertEquals(1080, turned.displayWidth());
        assertEquals(1920, turned.displayHeight());
        assertArrayEquals(new int[] {96, 160},
                ClipSettings.reference().withAspect(AspectMode.DISPLAY).outputSize(turned));
    }

    @Test
    void fpsIsTheExactFractionOfItsDecimalSpelling() {
        assertEquals(new Rational(25, 8), Rational.ofFps(3.125));
        assertEquals(new Rational(2997, 100), Rational.ofFps(29.97));
        assertEquals(new Rational(25, 1), Rational.ofFps(25));
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        ClipSettings s = ClipSettings.reference();
        assertEquals("height 8 must be in [16, 4320] pixels",
                assertThrows(IllegalArgumentException.class, () -> s.withHeight(8)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.withFps(0));
        assertThrows(IllegalArgumentException.class, () -> s.withFps(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> s.withFps(1.0000001));
        assertThrows(IllegalArgumentException.class,
                () -> s.outputSize(video(16, 4000, 1, 1, 0)));
    }
}
