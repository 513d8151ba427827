package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our frames against the {@code ffmpeg} command line running the reference filter
 * ({@code -an -vf scale=-16:160,fps=fps=25/8}, RGB24 out). The command line is the one shipped
 * inside the {@code org.bytedeco:ffmpeg} jar, so both sides use the same FFmpeg libraries; the
 * test is skipped where that executable cannot run (a platform without its shared libraries).
 */
class FfmpegCliConformanceTest {

    @TempDir
    static Path dir;

    static String ffmpeg;

    @BeforeAll
    static void findFfmpeg() {
        try {
            ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            Process p = new ProcessBuilder(ffmpeg, "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                ffmpeg = null;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            ffmpeg = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ffmpeg = null;
        }
    }

    private static byte[] reference(Path video, String filter) throws Exception {
        Path raw = dir.resolve(video.getFileName() + ".raw");
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner",
                "-loglevel", "error", "-y", "-i", video.toString(), "-an", "-vf", filter,
                "-pix_fmt", "rgb24", "-f", "rawvideo", raw.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return Files.readAllBytes(raw);
    }

    private static void assertSameFrames(Path video, ClipSettings settings, String filter)
            throws Exception {
        assertSameFrames(video, settings, filter, 0);
    }

    private static void assertSameFrames(Path video, ClipSettings settings, String filter,
            int tolerance) throws Exception {
        assumeTrue(ffmpeg != null, "the ffmpeg executable of org.bytedeco:ffmpeg cannot run here");
        byte[] expected = reference(video, filter);
        Clip clip = VideoPreprocessor.reference().withSettings(settings)
                .preprocess(video, dir.resolve(video.getFileName() + ".clip"),
                        ProgressListener.NONE);
        assertEquals(expected.length / clip.frameBytes(), clip.frames(), "frame count");
        byte[] ours = clip.snippet(0, clip.frames());
        int maxDiff = 0;
        for (int i = 0; i < ours.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(Byte.toUnsignedInt(ours[i])
                    - Byte.toUnsignedInt(expected[i])));
        }
        assertTrue(maxDiff <= tolerance, "largest pixel difference from the ffmpeg command line: "
                + maxDiff);
    }

    @Test
    void mp4MatchesTheReferenceFilterByteForByte() throws Exception {
        Path mp4 = TestVideos.write(dir.resolve("a.mp4"), TestVideos.Spec.mp4(50));
        assertSameFrames(mp4, ClipSettings.reference()
                .withSelection(FrameSelection.FFMPEG_FPS_FILTER), "scale=-16:160,fps=fps=25/8");
    }

    @Test
    void anamorphicTransportStreamMatchesTheReferenceFilter() throws Exception {
        Path mts = TestVideos.write(dir.resolve("b.mts"), TestVideos.Spec.mp4(25)
                .withFormat("mpegts").withSize(1440, 1080, 4, 3).withAudio()
                .withBitRate(3_000_000));
        assertSameFrames(mts, ClipSettings.reference()
                .withSelection(FrameSelection.FFMPEG_FPS_FILTER), "scale=-16:160,fps=fps=25/8");
    }

    @Test
    void variableFrameRateMatchesTheFpsFilter() throws Exception {
        long[] pts = new long[60];
        int[] gaps = {40, 120, 20, 20, 200, 33, 47, 300, 10, 90};
        for (int i = 1; i < pts.length; i++) {
            pts[i] = pts[i - 1] + gaps[i % gaps.length];
        }
        Path vfr = TestVideos.write(dir.resolve("c.mp4"), TestVideos.Spec.mp4(1).withPts(pts, 50));
        assertSameFrames(vfr, ClipSettings.reference()
                .withSelection(FrameSelection.FFMPEG_FPS_FILTER), "scale=-16:160,fps=fps=25/8");
    }

    @Test
    void rotatedVideoMatchesTheAutorotatedCommandLineWithinTwoLevels() throws Exception {
        // the command line turns the full picture, then scales; we scale, then turn the small
        // one: chroma is sited differently, hence up to 2 levels apart
        Path turned = TestVideos.write(dir.resolve("d.mp4"), TestVideos.Spec.mp4(50)
                .withRotation(90));
        assertSameFrames(turned, ClipSettings.reference()
                .withSelection(FrameSelection.FFMPEG_FPS_FILTER), "scale=-16:160,fps=fps=25/8", 2);
    }
}
