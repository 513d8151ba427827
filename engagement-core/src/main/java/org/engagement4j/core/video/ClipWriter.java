package org.engagement4j.core.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import org.engagement4j.core.internal.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a clip directory atomically: frames stream into {@code frames.npy} inside a hidden
 * temporary directory next to the target; {@link #commit} fills in the frame count, writes
 * {@code clip.json}, forces both to disk and renames the directory into place. Until then the
 * target is untouched; {@link #close()} without a commit deletes the temporary directory, so no
 * half-written clip is ever visible under the target's name. A process killed mid-way leaves only
 * a hidden {@code .NAME.RANDOM.tmp} directory behind.
 */
final class ClipWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClipWriter.class);

    private static final Set<String> CLIP_FILES = Set.of(Clip.DATA_FILE, Clip.INFO_FILE);

    private final Path target;
    private final Path temp;
    private final FileChannel data;
    private final int height;
    private final int width;
    private final long frameBytes;
    private long frames;
    private boolean committed;
    private boolean closed;

    private ClipWriter(Path target, Path temp, FileChannel data, int height, int width) {
        this.target = target;
        this.temp = temp;
        this.data = data;
        this.height = height;
        this.width = width;
        this.frameBytes = 3L * height * width;
    }

    /**
     * @param target the clip directory to create or replace
     * @param height frame height
     * @param width frame width
     * @return a writer positioned at the first frame
     * @throws IllegalArgumentException if {@code target} exists and is not a clip (a file, or a
     *     directory holding anything but {@code clip.json} and {@code frames.npy}): it is never
     *     overwritten
     */
    static ClipWriter create(Path target, int height, int width) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        requireReplaceable(abs);
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        // Not createTempDirectory: its 0700 mode would travel with the rename and hide the cached
        // clip from other accounts sharing the cache.
        Path temp = AtomicFiles.siblingDirectory(abs);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(temp.resolve(Clip.DATA_FILE), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            byte[] header = NpyFrames.header(0, height, width);
            writeFully(ch, ByteBuffer.wrap(header), 0);
            ch.position(header.length);
            return new ClipWriter(abs, temp, ch, height, width);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            AtomicFiles.deleteTree(temp);
            throw e;
        }
    }

    /**
     * Appends one frame.
     *
     * @param rgb {@code 3 * height * width} bytes from position to limit
     */
    void append(ByteBuffer rgb) throws IOException {
        if (rgb.remaining() != frameBytes) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "frame of %d bytes, expected %d", rgb.remaining(), frameBytes));
        }
        ByteBuffer b = rgb.duplicate();
        while (b.hasRemaining()) {
            data.write(b);
        }
        frames++;
    }

    /** @return frames appended so far */
    long frames() {
        return frames;
    }

    /**
     * Finishes the clip and moves it into place, replacing an older clip of the same name.
     *
     * @param info the description, whose shape must match what was written
     */
    void commit(ClipInfo info) throws IOException {
        if (info.frames() != frames || info.height() != height || info.width() != width) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "description [%d, %d, %d] does not match the %d frames of %dx%d written",
                    info.frames(), info.height(), info.width(), frames, height, width));
        }
        writeFully(data, ByteBuffer.wrap(NpyFrames.header(frames, height, width)), 0);
        data.force(true);
        data.close();
        Path json = temp.resolve(Clip.INFO_FILE);
        try (FileChannel ch = FileChannel.open(json, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(ClipJson.write(info)), 0);
            ch.force(true);
        }
        requireReplaceable(target);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // the old clip steps aside first, so that the name always holds a whole clip or none
            Path old = AtomicFiles.siblingDirectory(target); // reserves a free hidden name
            Files.delete(old);
            AtomicFiles.moveDirectory(target, old);
            AtomicFiles.moveDirectory(temp, target);
            AtomicFiles.deleteTree(old);
        } else {
            AtomicFiles.moveDirectory(temp, target);
        }
        syncDirectory(target.getParent());
        committed = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            data.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", temp, e);
        }
        if (!committed) {
            try {
                AtomicFiles.deleteTree(temp);
            } catch (IOException e) {
                LOG.warn("could not delete the unfinished clip {}", temp, e);
            }
        }
    }

    private static void requireReplaceable(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip %s: exists and is not a clip directory; not overwritten", target));
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(target)) {
            for (Path p : ds) {
                if (!CLIP_FILES.contains(p.getFileName().toString())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "clip %s: directory holds %s, which is not part of a clip; not "
                                    + "overwritten", target, p.getFileName()));
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not possible on every platform (Windows); the rename itself is already atomic
            LOG.trace("directory {} not synced", dir, e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position)
            throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }
}
