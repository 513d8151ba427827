package org.engagement4j.core.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes through a hidden temporary sibling that is renamed over the target, so a
 * reader (ONNX Runtime loading a model, a concurrent run, a Python process) sees the old file or
 * the complete new one, never half of it. <strong>Internal, not API</strong>: shared by
 * engagement4j's modules and examples, free to change in any release.
 *
 * <p>The sibling is created with {@code CREATE_NEW} under a random hidden name
 * ({@code .NAME.RANDOM.tmp}), not with {@link Files#createTempFile}: that one makes the file
 * owner-only (0600), and the rename would carry that mode to the target, so another account
 * could not read an exported model. Here the target gets the permissions of any file the process
 * creates ({@code 0666} less the umask on POSIX systems, typically 0644).
 *
 * <p>On any failure (the content callback throws, the disk fills, the rename fails) the
 * temporary file is deleted and the target is left exactly as it was. The rename is atomic
 * where the file system supports it; on the rare one that does not, a plain replacing move is
 * used instead. The target's folder is never created here: callers that promise to create it
 * do so first.
 *
 * @since 0.1.0
 */
public final class AtomicFiles {

    /** How hard a write tries to survive a crash of the machine (not just of the process). */
    public enum Sync {
        /**
         * Rename only: a crash of the process leaves the old or the new file; a power loss soon
         * after may, on some file systems, leave an empty or partial one.
         */
        NONE,
        /**
         * Force the content to the device before the rename, so that after a power loss the
         * name holds the old or the complete new content.
         */
        FSYNC
    }

    /**
     * What writes a file's content.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the whole content.
         *
         * @param out a buffered stream into the temporary file; closing it only flushes, so it
         *     may be wrapped in try-with-resources
         * @throws IOException if the content cannot be written; the write is then abandoned
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Name clashes are practically impossible with 64 random bits; more means a bug. */
    private static final int ATTEMPTS = 16;

    /** Keeps {@code .NAME.RANDOM.tmp} under the usual 255-byte limit for a file name. */
    private static final int MAX_NAME_PART = 100;

    private static final int BUFFER = 1 << 16;

    private AtomicFiles() {
    }

    /**
     * Writes a file without forcing it to the device ({@link Sync#NONE}).
     *
     * @param file the target, replaced if it exists; its folder must exist
     * @param content writes the content
     * @throws IOException if the file cannot be written (the target is then untouched), or its
     *     folder does not exist ({@link NoSuchFileException} naming the target)
     * @throws IllegalArgumentException if {@code file} has no file name (a root)
     * @since 0.1.0
     */
    public static void write(Path file, Content content) throws IOException {
        write(file, content, Sync.NONE);
    }

    /**
     * Writes a file.
     *
     * @param file the target, replaced if it exists; its folder must exist
     * @param content writes the content; any exception it throws (checked or not) abandons the
     *     write and is rethrown unchanged
     * @param sync whether to force the content to the device before the rename
     * @throws IOException if the file cannot be written (the target is then untouched), or its
     *     folder does not exist ({@link NoSuchFileException} naming the target)
     * @throws IllegalArgumentException if {@code file} has no file name (a root)
     * @since 0.1.0
     */
    public static void write(Path file, Content content, Sync sync) throws IOException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(sync, "sync");
        Path target = absolute(file);
        Path tmp = createSiblingFile(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(
                        new CloseShield(Channels.newOutputStream(ch)), BUFFER);
                content.writeTo(out);
                out.flush();
                if (sync == Sync.FSYNC) {
                    ch.force(true);
                }
            }
            move(tmp, target);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Writes bytes.
     *
     * @param file the target, replaced if it exists; its folder must exist
     * @param bytes the content (may be empty)
     * @param sync whether to force the content to the device before the rename
     * @throws IOException as {@link #write(Path, Content, Sync)}
     * @since 0.1.0
     */
    public static void writeBytes(Path file, byte[] bytes, Sync sync) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(file, out -> out.write(bytes), sync);
    }

    /**
     * Writes a string as UTF-8, without a byte-order mark ({@link Sync#NONE}).
     *
     * @param file the target, replaced if it exists; its folder must exist
     * @param text the content (may be empty)
     * @throws IOException as {@link #write(Path, Content, Sync)}
     * @since 0.1.0
     */
    public static void writeString(Path file, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8), Sync.NONE);
    }

    /**
     * Creates a new, empty, hidden folder beside {@code target} ({@code .NAME.RANDOM.tmp}) with
     * the default permissions of a new folder, for building a folder's content before
     * {@link #moveDirectory} puts it in place.
     *
     * @param target the folder that will be built
     * @return the new folder
     * @throws IOException if it cannot be created, or {@code target}'s parent does not exist
     * @throws IllegalArgumentException if {@code target} has no file name (a root)
     * @since 0.1.0
     */
    public static Path siblingDirectory(Path target) throws IOException {
        Path abs = absolute(target);
        for (int attempt = 1; ; attempt++) {
            try {
                return Files.createDirectory(siblingName(abs));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Renames a file or folder over {@code to}, replacing a file (or an empty folder) there;
     * atomically where the file system allows it.
     *
     * @param from what to move
     * @param to the new name, normally in the same folder
     * @throws IOException if it cannot be moved
     * @since 0.1.0
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Renames a folder into place without replacing anything there; atomically where the file
     * system allows it.
     *
     * @param from the folder to move
     * @param to the new name, normally in the same folder
     * @throws FileAlreadyExistsException if {@code to} exists (even as an empty folder, which a
     *     plain {@code rename(2)} would silently replace)
     * @throws IOException if it cannot be moved
     * @since 0.1.0
     */
    public static void moveDirectory(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            throw new FileAlreadyExistsException(to.toString(), from.toString(),
                    "the destination exists already; not replaced");
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Deletes a folder and everything in it without following symbolic links (a link is removed,
     * not what it points to); for abandoning a {@link #siblingDirectory} that never got moved
     * into place, or for dropping the old copy after a swap.
     *
     * @param dir the folder (or a file); nothing happens if it does not exist
     * @throws IOException if something in it cannot be deleted
     * @since 0.1.0
     */
    public static void deleteTree(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    deleteTree(p);
                }
            }
        }
        Files.deleteIfExists(dir);
    }

    private static Path absolute(Path file) {
        Objects.requireNonNull(file, "file");
        Path abs = file.toAbsolutePath();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: not a file name (a root folder cannot be written atomically)", file));
        }
        return abs;
    }

    private static Path createSiblingFile(Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path tmp = siblingName(target);
            try {
                // CREATE_NEW, not createTempFile: the mode is then 0666 less the umask.
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            } catch (NoSuchFileException e) {
                if (!Files.isDirectory(target.getParent())) {
                    NoSuchFileException n = new NoSuchFileException(target.toString(), null,
                            "its folder does not exist");
                    n.initCause(e);
                    throw n;
                }
                throw e;
            }
        }
    }

    private static Path siblingName(Path target) {
        String name = target.getFileName().toString();
        if (name.length() > MAX_NAME_PART) {
            name = name.substring(0, MAX_NAME_PART);
        }
        return target.resolveSibling("." + name + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
    }

    /** Lets callers close their wrappers without closing the channel that is still to be forced. */
    private static final class CloseShield extends FilterOutputStream {

        CloseShield(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
