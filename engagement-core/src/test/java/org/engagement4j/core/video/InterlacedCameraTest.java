package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording made like the paper's camera: interlaced H.264 (top field first) at 1440x1080 with
 * sample aspect 4:3, 25 fps, AC-3 audio, in MPEG-TS. Interlaced coding needs x264, which only a
 * system {@code ffmpeg} has (Debian's; {@code .ci/run} installs it); without one the tests are
 * skipped.
 */
class InterlacedCameraTest {

    @TempDir
    static Path dir;

    static Path mts;

    @BeforeAll
    static void record() throws IOException, InterruptedException {
        Path out = dir.resolve("00000.MTS");
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                "-y", "-f", "lavfi", "-i", "testsrc2=size=1440x1080:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000", "-t", "1", "-c:v", "libx264", "-preset",
                "ultrafast", "-flags", "+ildct+ilme", "-x264opts", "tff=1", "-aspect", "16:9",
                "-b:v", "4M", "-c:a", "ac3", "-f", "mpegts", out.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                mts = out;
            }
        } catch (IOException e) {
            mts = null;
        }
    }

    @Test
    void probeSeesAnInterlacedAnamorphicStream() throws IOException {
        assumeTrue(mts != null, "no system ffmpeg with libx264");
        VideoInfo info = VideoPreprocessor.probe(mts);
        assertEquals("mpegts", info.container());
        assertEquals("tt", info.fieldOrder());
        assertTrue(info.interlaced());
        assertEquals(4, info.sarNum());
        assertEquals(3, info.sarDen());
        assertEquals(1920, info.displayWidth());
    }

    @Test
    void autoDeinterlacingTakesTheTopFieldOfFlaggedFrames() throws IOException {
        assumeTrue(mts != null, "no system ffmpeg with libx264");
        VideoPreprocessor p = VideoPreprocessor.reference();
        Clip off = p.preprocess(mts, dir.resolve("off"), ProgressListener.NONE);
        Clip field = p.withSettings(ClipSettings.reference().withDeinterlace(Deinterlace.TOP_FIELD))
                .preprocess(mts, dir.resolve("field"), ProgressListener.NONE);
        Clip auto = p.withSettings(ClipSettings.reference().withDeinterlace(Deinterlace.AUTO))
                .preprocess(mts, dir.resolve("auto"), ProgressListener.NONE);
        assertEquals(4, off.frames());
        assertEquals(208, off.width());
        assertEquals(160, off.height());
        for (int t = 0; t < off.frames(); t++) {
            assertArrayEquals(field.frame(t), auto.frame(t), "frame " + t);
        }
        assertFalse(java.util.Arrays.equals(off.frame(1), field.frame(1)));
    }
}
