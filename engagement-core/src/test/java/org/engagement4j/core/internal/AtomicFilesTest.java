package org.engagement4j.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(AtomicFiles.Sync.class)
    void streamContentArrivesWholeAndNoTemporaryFileStays(AtomicFiles.Sync sync)
            throws IOException {
        Path f = tmp.resolve("a.bin");
        byte[] big = new byte[200_000]; // larger than the buffer: several flushes
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        AtomicFiles.write(f, out -> {
            out.write(1);
            out.write(big);
        }, sync);
        byte[] got = Files.readAllBytes(f);
        assertEquals(big.length + 1, got.length);
        assertEquals(1, got[0]);
        assertArrayEquals(big, Arrays.copyOfRange(got, 1, got.length));
        assertEquals(List.of("a.bin"), names());
    }

    @Test
    void bytesAndUtf8StringsAreWrittenAsGiven() throws IOException {
        AtomicFiles.writeBytes(tmp.resolve("b"), new byte[] {0, -1, 42}, AtomicFiles.Sync.FSYNC);
        assertArrayEquals(new byte[] {0, -1, 42}, Files.readAllBytes(tmp.resolve("b")));
        AtomicFiles.writeString(tmp.resolve("s.txt"), "Säugling ✓\n");
        assertArrayEquals("Säugling ✓\n".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(tmp.resolve("s.txt")));
        AtomicFiles.writeString(tmp.resolve("empty"), "");
        assertEquals(0, Files.size(tmp.resolve("empty")));
    }

    @Test
    void aCallbackMayCloseItsWrappersBeforeTheSync() throws IOException {
        Path f = tmp.resolve("c.bin");
        AtomicFiles.write(f, raw -> {
            try (DataOutputStream out = new DataOutputStream(raw)) {
                out.writeLong(0x0123456789abcdefL);
            }
        }, AtomicFiles.Sync.FSYNC);
        assertEquals(8, Files.size(f));
    }

    @Test
    void anExistingFileIsReplacedByRenameNotRewrittenInPlace() throws IOException {
        assumeTrue(posix(), "replacing an open file needs POSIX rename semantics");
        Path f = tmp.resolve("model.onnx");
        Files.writeString(f, "old");
        try (InputStream reader = Files.newInputStream(f)) {
            AtomicFiles.writeString(f, "new content");
            // A reader that opened the old file keeps seeing all of it: the name moved on.
            assertEquals("old", new String(reader.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("new content", Files.readString(f));
        assertEquals(List.of("model.onnx"), names());
    }

    @Test
    void aFailingCallbackLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("keep.json");
        Files.writeString(f, "{\"old\":true}");
        IOException io = new IOException("disk full (simulated)");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw io;
        }));
        assertSame(io, thrown);
        UncheckedIOException unchecked = new UncheckedIOException(io);
        assertSame(unchecked, assertThrows(UncheckedIOException.class,
                () -> AtomicFiles.write(f, out -> {
                    out.write('x');
                    throw unchecked;
                }, AtomicFiles.Sync.FSYNC)));
        assertEquals("{\"old\":true}", Files.readString(f));
        assertEquals(List.of("keep.json"), names());
    }

    @Test
    void aFailedFirstWriteLeavesNothing() throws IOException {
        Path f = tmp.resolve("never.txt");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            throw new IllegalStateException("boom");
        }));
        assertFalse(Files.exists(f));
        assertEquals(List.of(), names());
    }

    @Test
    void aMissingFolderIsNamedAndNotCreated() {
        Path f = tmp.resolve("no/such/folder/x.txt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> AtomicFiles.writeString(f, "x"));
        assertEquals(f.toAbsolutePath().toString(), e.getFile());
        assertFalse(Files.exists(tmp.resolve("no")));
    }

    @Test
    void aRootIsNotAFileName() {
        Path root = tmp.getRoot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFiles.writeString(root, "x"));
        assertTrue(e.getMessage().contains("not a file name"), e.getMessage());
    }

    @Test
    void aLongNameStillGetsATemporarySibling() throws IOException {
        String name = "n".repeat(240) + ".json";
        AtomicFiles.writeString(tmp.resolve(name), "{}");
        assertEquals(List.of(name), names());
    }

    @ParameterizedTest
    @EnumSource(AtomicFiles.Sync.class)
    void permissionsAreThoseOfANormallyCreatedFile(AtomicFiles.Sync sync) throws IOException {
        assumeTrue(posix(), "POSIX permissions are not supported here");
        Path normal = Files.createFile(tmp.resolve("normal"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(normal);
        Path f = tmp.resolve("written");
        AtomicFiles.writeBytes(f, new byte[] {1}, sync);
        assertEquals(PosixFilePermissions.toString(expected),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        // An owner-only file being replaced does not pass its mode on either.
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeBytes(f, new byte[] {2}, sync);
        assertEquals(PosixFilePermissions.toString(expected),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void siblingFoldersHaveTheModeOfANormalFolderAndMoveWithoutReplacing() throws IOException {
        Path target = tmp.resolve("snippet");
        Path built = AtomicFiles.siblingDirectory(target);
        assertEquals(tmp, built.getParent());
        assertTrue(built.getFileName().toString().startsWith(".snippet."), built.toString());
        if (posix()) {
            Path normal = Files.createDirectory(tmp.resolve("normal"));
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(normal)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(built)));
            Files.delete(normal);
        }
        AtomicFiles.writeString(built.resolve("info.json"), "{}");
        Files.createDirectory(target);
        assertThrows(FileAlreadyExistsException.class,
                () -> AtomicFiles.moveDirectory(built, target));
        Files.delete(target);
        AtomicFiles.moveDirectory(built, target);
        assertEquals("{}", Files.readString(target.resolve("info.json")));
        assertEquals(List.of("snippet"), names());
    }

    @Test
    void deleteTreeRemovesNestedFoldersButNotWhatALinkPointsTo() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Path dir = Files.createDirectories(tmp.resolve(".x.tmp").resolve("a").resolve("b"));
        Files.writeString(dir.resolve("f"), "x");
        try {
            Files.createSymbolicLink(dir.resolve("link"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            // no symbolic links here (Windows without the right): the rest still holds
        }
        AtomicFiles.deleteTree(tmp.resolve(".x.tmp"));
        AtomicFiles.deleteTree(tmp.resolve("does-not-exist"));
        assertEquals(List.of("outside.txt"), names());
        assertEquals("keep", Files.readString(outside));
    }

    private boolean posix() {
        return Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null;
    }
}
