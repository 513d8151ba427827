package org.engagement4j.core.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.engagement4j.core.video.CacheStatus.State;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stale detection and atomic writing of clip directories. */
class ClipCacheTest {

    @TempDir
    Path tmp;

    Path video;
    Path clip;
    final VideoPreprocessor pre = VideoPreprocessor.reference();

    @BeforeEach
    void recording() {
        video = TestVideos.write(tmp.resolve("v.mp4"), TestVideos.Spec.mp4(25));
        clip = tmp.resolve("clips").resolve("v");
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(clip.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))
                    .toList();
        }
    }

    @Test
    void aFreshClipIsReusedAndATouchedButEqualSourceStaysFresh() throws IOException {
        assertEquals(State.MISSING, pre.check(video, clip).state());
        Clip made = pre.cached(video, clip, ProgressListener.NONE);
        ClipInfo info = made.info().orElseThrow();
        assertEquals(State.FRESH, pre.check(video, clip).state());
        Clip again = pre.cached(video, clip, ProgressListener.NONE);
        assertEquals(info.created(), again.info().orElseThrow().created(), "not remade");
        // a copy or a touch changes the modification time only: the hash decides
        Files.setLastModifiedTime(video, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        CacheStatus touched = pre.check(video, clip);
        assertEquals(State.FRESH, touched.state());
        assertTrue(touched.reason().contains("SHA-256"), touched.reason());
    }

    @Test
    void aCachedClipIsAsReadableAsAnyNewFolderAndFile() throws IOException {
        pre.cached(video, clip, ProgressListener.NONE);
        if (Files.getFileAttributeView(clip, PosixFileAttributeView.class) == null) {
            return; // no POSIX modes to compare here
        }
        // The cache may be shared with other accounts: the swap must not make it owner-only.
        Path dir = Files.createDirectory(tmp.resolve("normal-folder"));
        Path file = Files.createFile(tmp.resolve("normal-file"));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(clip)));
        for (String name : List.of(Clip.DATA_FILE, Clip.INFO_FILE)) {
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(
                            clip.resolve(name))), name);
        }
    }

    @Test
    void changedContentSizeOrSettingsMakeItStale() throws IOException {
        pre.preprocess(video, clip, ProgressListener.NONE);
        assertEquals(State.STALE, pre.withSettings(ClipSettings.reference().withHeight(112))
                .check(video, clip).state());
        // same size, one byte changed, new modification time
        try (RandomAccessFile f = new RandomAccessFile(video.toFile(), "rw")) {
            f.seek(f.length() - 10);
            int b = f.read();
            f.seek(f.length() - 10);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(video, FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        CacheStatus changed = pre.check(video, clip);
        assertEquals(State.STALE, changed.state());
        assertTrue(changed.reason().contains("SHA-256"), changed.reason());
        Files.write(video, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        CacheStatus longer = pre.check(video, clip);
        assertEquals(State.STALE, longer.state());
        assertTrue(longer.reason().contains("bytes"), longer.reason());
    }

    @Test
    void aDamagedClipIsCorruptAndRemade() throws IOException {
        pre.preprocess(video, clip, ProgressListener.NONE);
        Files.writeString(clip.resolve(Clip.INFO_FILE), "{\"format\": 1", StandardCharsets.UTF_8);
        CacheStatus s = pre.check(video, clip);
        assertEquals(State.CORRUPT, s.state());
        assertTrue(s.reason().contains(Clip.INFO_FILE), s.reason());
        Clip remade = pre.cached(video, clip, ProgressListener.NONE);
        assertEquals(4, remade.frames());
        assertEquals(State.FRESH, pre.check(video, clip).state());
        // a truncated frames.npy is caught by its length
        try (RandomAccessFile f = new RandomAccessFile(clip.resolve(Clip.DATA_FILE).toFile(),
                "rw")) {
            f.setLength(f.length() - 1);
        }
        assertEquals(State.CORRUPT, pre.check(video, clip).state());
    }

    @Test
    void aFailedRunLeavesTheOldClipAndNoTemporaryFiles() throws IOException {
        Clip old = pre.preprocess(video, clip, ProgressListener.NONE);
        byte[] before = old.snippet(0, old.frames());
        Path broken = tmp.resolve("broken.mp4");
        Files.write(broken, new byte[4096]);
        assertThrows(VideoFormatException.class,
                () -> pre.preprocess(broken, clip, ProgressListener.NONE));
        // a failure in the middle of decoding: the listener throws after the first report
        Path longer = TestVideos.write(tmp.resolve("long.mp4"), TestVideos.Spec.mp4(100));
        RuntimeException stop = new IllegalStateException("stop");
        assertEquals(stop, assertThrows(IllegalStateException.class,
                () -> pre.preprocess(longer, clip, (done, total) -> {
                    throw stop;
                })));
        assertArrayEquals(before, Clip.open(clip).snippet(0, old.frames()));
        assertEquals(List.of(), leftovers());
        assertEquals(State.FRESH, pre.check(video, clip).state());
    }

    @Test
    void replacingAClipSwapsItWhole() throws IOException {
        pre.preprocess(video, clip, ProgressListener.NONE);
        Path other = TestVideos.write(tmp.resolve("w.mp4"), TestVideos.Spec.mp4(50));
        Clip replaced = pre.preprocess(other, clip, ProgressListener.NONE);
        assertEquals(7, replaced.frames());
        assertEquals(List.of(), leftovers());
        assertEquals(State.STALE, pre.check(video, clip).state());
    }

    @Test
    void somethingThatIsNotAClipIsNeverOverwritten() throws IOException {
        Files.createDirectories(clip);
        Path precious = clip.resolve("notes.txt");
        Files.writeString(precious, "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> pre.preprocess(video, clip, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        assertEquals("keep me", Files.readString(precious));
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        assertThrows(IllegalArgumentException.class,
                () -> pre.preprocess(video, file, ProgressListener.NONE));
        assertEquals("x", Files.readString(file));
        assertFalse(Files.exists(clip.resolve(Clip.DATA_FILE)));
    }
}
