package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.engagement4j.core.Engagement4j;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding, frame selection, sizes and the clip written, on recordings generated in code. */
class VideoPreprocessorTest {

    @TempDir
    static Path shared;

    /** 2 s at 25 fps, 320x240 MP4: 50 frames showing their index. */
    static Path mp4;

    @BeforeAll
    static void recordings() {
        mp4 = TestVideos.write(shared.resolve("regular.mp4"), TestVideos.Spec.mp4(50));
    }

    @TempDir
    Path tmp;

    @Test
    void probeReadsTheStreamFacts() throws IOException {
        VideoInfo info = VideoPreprocessor.probe(mp4);
        assertEquals("h264", info.codec());
        assertTrue(info.container().contains("mp4"), info.container());
        assertEquals(320, info.storedWidth());
        assertEquals(240, info.storedHeight());
        assertEquals(1, info.sarNum());
        assertEquals(1, info.sarDen());
        assertEquals(0, info.rotation());
        assertEquals(25.0, info.frameRate(), 1e-9);
        assertEquals(OptionalLong.of(2_000_000), info.durationMicros());
    }

    @Test
    void nearestFrameSelectionPicksEveryEighthFrameAt25Fps() throws IOException {
        Clip clip = VideoPreprocessor.reference().preprocess(mp4, tmp.resolve("c"),
                ProgressListener.NONE);
        // 2 s x 3.125 fps = 6.25 -> slots 0..6 (k / 3.125 < 2 s), frames 0, 8, ..., 48
        assertEquals(7, clip.frames());
        assertEquals(160, clip.height());
        assertEquals(208, clip.width());
        assertEquals(List.of(0, 8, 16, 24, 32, 40, 48), TestVideos.indices(clip));
        ClipInfo info = clip.info().orElseThrow();
        assertArrayEquals(new long[] {0, 320_000, 640_000, 960_000, 1_280_000, 1_600_000,
            1_920_000}, info.frameTimesMicros());
        assertEquals(50, info.decodedFrames());
        assertEquals(0, info.decodeErrors());
        assertEquals(Engagement4j.VERSION, info.libraryVersion());
        assertEquals(Files.size(mp4), info.source().size());
        assertEquals(Hashing.sha256(mp4), info.source().sha256());
    }

    @Test
    void ffmpegFpsFilterSelectionIsThreeFramesLater() throws IOException {
        VideoPreprocessor p = VideoPreprocessor.reference().withSettings(
                ClipSettings.reference().withSelection(FrameSelection.FFMPEG_FPS_FILTER));
        Clip clip = p.preprocess(mp4, tmp.resolve("c"), ProgressListener.NONE);
        assertEquals(List.of(3, 11, 19, 27, 35, 43), TestVideos.indices(clip));
    }

    @Test
    void decodeStreamsTheSameFramesThePreprocessorWrites() throws IOException {
        Clip clip = VideoPreprocessor.reference().preprocess(mp4, tmp.resolve("c"),
                ProgressListener.NONE);
        List<byte[]> frames = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        VideoPreprocessor.reference().decode(mp4, (i, micros, rgb) -> {
            assertEquals(frames.size(), i);
            byte[] b = new byte[rgb.remaining()];
            rgb.get(b);
            frames.add(b);
            times.add(micros);
        }, ProgressListener.NONE);
        assertEquals(clip.frames(), frames.size());
        for (int t = 0; t < clip.frames(); t++) {
            assertArrayEquals(clip.frame(t), frames.get(t), "frame " + t);
            assertEquals(clip.info().orElseThrow().frameTimeMicros(t), times.get(t));
        }
    }

    @Test
    void progressReachesTheDeclaredDuration() throws IOException {
        List<long[]> reports = new ArrayList<>();
        VideoPreprocessor.reference().decode(mp4, (i, m, rgb) -> { },
                (done, total) -> reports.add(new long[] {done, total}));
        assertFalse(reports.isEmpty());
        long[] last = reports.get(reports.size() - 1);
        assertEquals(2000, last[0]);
        assertEquals(2000, last[1]);
        for (int i = 1; i < reports.size(); i++) {
            assertTrue(reports.get(i)[0] >= reports.get(i - 1)[0]);
        }
    }

    @Test
    void cameraLikeTransportStreamKeepsItsStoredAspectByDefault() throws IOException {
        // the paper's camera: MPEG-TS, H.264 1440x1080 with sample aspect 4:3, AC-3 audio, 25 fps
        Path mts = TestVideos.write(tmp.resolve("00001.MTS"), TestVideos.Spec.mp4(25)
                .withFormat("mpegts").withSize(1440, 1080, 4, 3).withAudio()
                .withBitRate(3_000_000));
        VideoInfo info = VideoPreprocessor.probe(mts);
        assertEquals("mpegts", info.container());
        assertEquals("h264", info.codec());
        assertEquals(4, info.sarNum());
        assertEquals(3, info.sarDen());
        assertEquals(1920, info.displayWidth());
        assertEquals(1080, info.displayHeight());
        Clip stored = VideoPreprocessor.reference().preprocess(mts, tmp.resolve("s"),
                ProgressListener.NONE);
        assertEquals(208, stored.width());
        assertEquals(List.of(0, 8, 16, 24), TestVideos.indices(stored));
        Clip display = VideoPreprocessor.reference()
                .withSettings(ClipSettings.reference().withAspect(AspectMode.DISPLAY))
                .preprocess(mts, tmp.resolve("d"), ProgressListener.NONE);
        assertEquals(288, display.width());
        assertEquals(160, display.height());
        assertEquals(List.of(0, 8, 16, 24), TestVideos.indices(display));
    }

    @Test
    void variableFrameRateIsSampledByTimestamp() throws IOException {
        int[] gaps = {40, 40, 120, 20, 20, 200, 33, 47, 300, 10, 90, 60};
        long[] pts = new long[120];
        for (int i = 1; i < pts.length; i++) {
            pts[i] = pts[i - 1] + gaps[i % gaps.length];
        }
        long last = 70;
        Path vfr = TestVideos.write(tmp.resolve("vfr.mp4"), TestVideos.Spec.mp4(1)
                .withPts(pts, last));
        Clip clip = VideoPreprocessor.reference().preprocess(vfr, tmp.resolve("c"),
                ProgressListener.NONE);
        List<Integer> expected = FrameSelectorTest.bruteNearest(pts, pts[pts.length - 1] + last,
                3.125);
        List<Integer> shown = TestVideos.indices(clip);
        // the pattern holds 8 bits: compare modulo 256 (120 frames fit anyway)
        assertEquals(expected, shown);
        long[] times = clip.info().orElseThrow().frameTimesMicros();
        for (int t = 0; t < times.length; t++) {
            assertEquals(pts[expected.get(t)] * 1000, times[t], "frame " + t);
        }
    }

    @Test
    void rotationMetadataTurnsThePicture() throws IOException {
        Path turned = TestVideos.write(tmp.resolve("turned.mp4"), TestVideos.Spec.mp4(25)
                .withRotation(90));
        assertEquals(90, VideoPreprocessor.probe(turned).rotation());
        Clip clip = VideoPreprocessor.reference().preprocess(turned, tmp.resolve("c"),
                ProgressListener.NONE);
        // upright 240x320: 160 * 240 / 320 = 120 = 7.5 blocks of 16 -> 8 -> 128
        assertEquals(128, clip.width());
        assertEquals(160, clip.height());
        for (int t = 0; t < clip.frames(); t++) {
            // turn the output back (90 degrees counter-clockwise) to read the source pattern
            int sw = 160;
            int sh = 128;
            ByteBuffer back = ByteBuffer.allocate(3 * sw * sh);
            for (int sy = 0; sy < sh; sy++) {
                for (int sx = 0; sx < sw; sx++) {
                    int x = sh - 1 - sy;
                    int y = sx;
                    for (int c = 0; c < 3; c++) {
                        back.put(3 * (sy * sw + sx) + c, (byte) clip.value(t, y, x, c));
                    }
                }
            }
            assertEquals(8 * t, TestVideos.readIndex(back, sw, sh), "frame " + t);
        }
    }

    @Test
    void topFieldDeinterlacingKeepsOneFieldOfWovenFrames() throws IOException {
        // even lines show the index, odd lines its inverse: like fast motion between two fields
        Path woven = TestVideos.write(tmp.resolve("woven.mp4"), TestVideos.Spec.mp4(25)
                .withWoven().withBitRate(8_000_000));
        Clip off = VideoPreprocessor.reference().preprocess(woven, tmp.resolve("off"),
                ProgressListener.NONE);
        Clip field = VideoPreprocessor.reference()
                .withSettings(ClipSettings.reference().withDeinterlace(Deinterlace.TOP_FIELD))
                .preprocess(woven, tmp.resolve("field"), ProgressListener.NONE);
        Clip auto = VideoPreprocessor.reference()
                .withSettings(ClipSettings.reference().withDeinterlace(Deinterlace.AUTO))
                .preprocess(woven, tmp.resolve("auto"), ProgressListener.NONE);
        assertEquals(List.of(0, 8, 16, 24), TestVideos.indices(field));
        for (int t = 0; t < field.frames(); t++) {
            assertTrue(TestVideos.blockContrastLoss(field.frameBuffer(t), 208, 160) < 30,
                    "top field is crisp");
            assertTrue(TestVideos.blockContrastLoss(off.frameBuffer(t), 208, 160) > 80,
                    "woven frame blends the fields to grey");
            // progressive-coded frames carry no interlaced flag: AUTO leaves them woven
            assertArrayEquals(off.frame(t), auto.frame(t));
        }
    }
}
