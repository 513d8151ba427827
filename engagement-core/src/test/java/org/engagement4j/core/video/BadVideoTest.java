package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.engagement4j.core.video.VideoFormatException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recordings that cannot become clips: a clear exception naming the file, and no clip. */
class BadVideoTest {

    @TempDir
    Path tmp;

    private VideoFormatException refused(Path video, Reason reason) throws IOException {
        Path clip = tmp.resolve("out").resolve("clip");
        VideoFormatException e = assertThrows(VideoFormatException.class,
                () -> VideoPreprocessor.reference().preprocess(video, clip,
                        ProgressListener.NONE));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(video, e.file());
        assertTrue(e.getMessage().startsWith("video " + video + ": "), e.getMessage());
        assertFalse(Files.exists(clip), "no clip is left behind");
        if (Files.exists(clip.getParent())) {
            try (Stream<Path> s = Files.list(clip.getParent())) {
                assertEquals(0, s.count(), "no temporary directory is left behind");
            }
        }
        return e;
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        Path missing = tmp.resolve("nope.mp4");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> VideoPreprocessor.reference().preprocess(missing, tmp.resolve("c"),
                        ProgressListener.NONE));
        assertTrue(e.getMessage().contains("nope.mp4"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> VideoPreprocessor.probe(missing));
    }

    @Test
    void anEmptyFileOrRandomBytesAreNotAContainer() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.mp4"), new byte[0]);
        refused(empty, Reason.UNREADABLE_CONTAINER);
        byte[] noise = new byte[100_000];
        new Random(1).nextBytes(noise);
        Path random = Files.write(tmp.resolve("random.mts"), noise);
        refused(random, Reason.UNREADABLE_CONTAINER);
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "not a video",
                StandardCharsets.UTF_8);
        refused(text, Reason.UNREADABLE_CONTAINER);
    }

    @Test
    void audioOnlyHasNoVideoStream() throws IOException {
        Path audio = TestVideos.write(tmp.resolve("audio.mts"), TestVideos.Spec.mp4(25)
                .withFormat("mpegts").withAudio().withoutVideo());
        VideoFormatException e = refused(audio, Reason.NO_VIDEO_STREAM);
        assertTrue(e.getMessage().contains("audio ac3"), e.getMessage());
    }

    @Test
    void aZeroLengthVideoStreamHasNoFrames() throws IOException {
        // MPEG-TS lists the video stream in its program table although no packet follows
        Path none = TestVideos.write(tmp.resolve("zero.mts"), TestVideos.Spec.mp4(1)
                .withFormat("mpegts").withAudio().withPts(new long[] {0}, 1000).withNoFrames());
        refused(none, Reason.NO_FRAMES);
        // MP4 drops an empty track altogether
        Path mp4 = TestVideos.write(tmp.resolve("zero.mp4"), TestVideos.Spec.mp4(1)
                .withNoFrames());
        refused(mp4, Reason.NO_VIDEO_STREAM);
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        // index at the end (the camera's and most converters' layout): the index is cut off
        Path whole = TestVideos.write(tmp.resolve("whole.mp4"), TestVideos.Spec.mp4(100));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(tmp.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        refused(cut, Reason.UNREADABLE_CONTAINER);
        // index first ("faststart"): the index promises 4 s, the data stops half-way
        Path fast = TestVideos.write(tmp.resolve("fast.mp4"), TestVideos.Spec.mp4(100)
                .withFaststart());
        byte[] fb = Files.readAllBytes(fast);
        Path fastCut = Files.write(tmp.resolve("fastcut.mp4"), Arrays.copyOf(fb, fb.length / 2));
        VideoFormatException e = refused(fastCut, Reason.TRUNCATED);
        assertTrue(e.getMessage().contains("4.000 s"), e.getMessage());
    }

    @Test
    void aCodecWithoutDecoderIsUnsupported() throws IOException {
        Path mp4 = TestVideos.write(tmp.resolve("ok.mp4"), TestVideos.Spec.mp4(10));
        byte[] b = Files.readAllBytes(mp4);
        // rename the sample entry's codec from avc1 to an unknown four-character code
        for (int i = 0; i + 4 <= b.length; i++) {
            if (b[i] == 'a' && b[i + 1] == 'v' && b[i + 2] == 'c' && b[i + 3] == '1') {
                b[i] = 'z';
                b[i + 1] = 'z';
                b[i + 2] = 'z';
                b[i + 3] = 'z';
            }
        }
        Path odd = Files.write(tmp.resolve("odd.mp4"), b);
        VideoFormatException e = assertThrows(VideoFormatException.class,
                () -> VideoPreprocessor.reference().preprocess(odd, tmp.resolve("c"),
                        ProgressListener.NONE));
        assertTrue(e.reason() == Reason.UNSUPPORTED_CODEC || e.reason() == Reason.NO_VIDEO_STREAM,
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("c")));
    }

    @Test
    void aDirectoryIsNotARecording() throws IOException {
        refused(Files.createDirectories(tmp.resolve("dir.mp4")), Reason.UNREADABLE_CONTAINER);
    }
}
