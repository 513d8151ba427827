package org.engagement4j.metrics.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing: what a failure leaves behind, for the stream form and the atomic path form. */
class NpyWriteTest {

    @TempDir
    Path dir;

    static final NpyArray BIG = NpyArray.ofDoubles(new double[400_000], 4, 100_000);

    /** Fails once {@code limit} bytes have passed through. */
    static final class FailingStream extends FilterOutputStream {
        private long left;
        long written;

        FailingStream(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                written += left;
                left = 0;
                throw new IOException("disk full (simulated)");
            }
            out.write(b, off, len);
            written += len;
            left -= len;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aStreamFailingMidwayPropagatesTheIoException() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        FailingStream failing = new FailingStream(sink, 1_000_000);
        IOException e = assertThrows(IOException.class, () -> Npy.write(failing, BIG));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals(1_000_000, sink.size());
    }

    @Test
    void aWriteFailingMidwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("map.npy");
        NpyArray old = NpyArray.ofFloats(new float[] {1, 2, 3}, 3);
        Npy.write(target, old);
        byte[] before = Files.readAllBytes(target);
        // The same body as Npy.write(Path, ...), but on a stream that dies after 1 MB.
        IOException e = assertThrows(IOException.class, () -> Npy.writeAtomically(target,
                out -> Npy.write(new FailingStream(out, 1_000_000), BIG)));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of("map.npy"), listing());
        assertEquals(old, Npy.read(target));
    }

    @Test
    void aRuntimeFailureInsideTheWriteAlsoCleansUp() throws IOException {
        Path target = dir.resolve("new.npy");
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Npy.writeAtomically(target, out -> {
                    out.write(new byte[100]);
                    throw boom;
                }));
        assertSame(boom, e);
        assertEquals(List.of(), listing(), "neither the target nor a temporary file");
    }

    @Test
    void aFailedRenameLeavesNoTemporaryFile() throws IOException {
        // A folder cannot be replaced by a file: the final rename fails (EISDIR on Linux).
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "x");
        assertThrows(FileSystemException.class, () -> Npy.write(target, BIG));
        assertEquals(List.of("occupied"), listing());
        assertEquals("x", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void aMissingFolderIsNoSuchFile() {
        Path target = dir.resolve("no/such/folder/map.npy");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Npy.write(target, BIG));
        assertTrue(e.getFile().contains("no/such/folder"), e.getFile());
    }

    @Test
    void aReadOnlyFolderFailsWithoutLeavingAFile() throws IOException {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_EXECUTE));
        try {
            // Root ignores permission bits; then the write succeeds and there is nothing to test.
            boolean enforced = !Files.isWritable(locked);
            if (enforced) {
                assertThrows(FileSystemException.class,
                        () -> Npy.write(locked.resolve("map.npy"), BIG));
                try (Stream<Path> s = Files.list(locked)) {
                    assertEquals(0, s.count());
                }
            }
        } finally {
            Files.setPosixFilePermissions(locked, Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        }
    }

    @Test
    void writingReplacesAnExistingFileAndKeepsOrdinaryPermissions() throws IOException {
        Path target = dir.resolve("map.npy");
        Files.writeString(target, "old content, not even npy");
        Npy.write(target, BIG);
        assertEquals(BIG, Npy.read(target));
        assertEquals(List.of("map.npy"), listing());
        // The temporary file is created like any file, not with createTempFile's owner-only mode.
        Path plain = Files.createFile(dir.resolve("plain"));
        Path fresh = dir.resolve("fresh.npy");
        Npy.write(fresh, BIG);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(fresh));
    }

    @Test
    void relativePathsWork() throws IOException {
        Path relative = Path.of("target-npy-relative-" + ProcessHandle.current().pid() + ".npy");
        try {
            Npy.write(relative, NpyArray.ofBytes(new byte[] {1}, 1));
            assertEquals(NpyArray.ofBytes(new byte[] {1}, 1), Npy.read(relative));
        } finally {
            Files.deleteIfExists(relative);
        }
    }

    @Test
    void theStreamIsFlushedButNotClosed() throws IOException {
        boolean[] state = new boolean[2];
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void flush() {
                state[0] = true;
            }

            @Override
            public void close() {
                state[1] = true;
            }
        };
        Npy.write(out, NpyArray.ofDoubles(new double[] {1}));
        assertTrue(state[0], "flushed");
        assertTrue(!state[1], "not closed");
    }
}
