package org.engagement4j.core.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A preprocessed recording: {@code T} frames of {@code H x W} RGB pixels, uint8, at a fixed frame
 * rate (the paper's {@code 160 x 208} at 3.125 fps), the tensor the snippet sampler cuts 15-frame
 * snippets from (REFERENCE.md §2–3). Immutable and safe to share between threads.
 *
 * <h2>On-disk format (format version 1)</h2>
 * A clip is a directory holding two files:
 * <ul>
 *   <li>{@code frames.npy}: a NumPy {@code .npy} file (version 1.0) with one C-order uint8 array
 *       of shape {@code [T, H, W, 3]}, RGB, row-major; {@code numpy.load("frames.npy",
 *       mmap_mode="r")} reads it. The header is padded so its length does not depend on
 *       {@code T} (128 bytes for usual sizes); the data fills the rest of the file exactly.</li>
 *   <li>{@code clip.json}: UTF-8 JSON written by {@link ClipInfo}: {@code "format":
 *       "engagement4j-clip"}, {@code format_version}, {@code frames}, {@code height},
 *       {@code width}, {@code channels} (3), {@code dtype} ({@code "uint8"}), {@code layout}
 *       ({@code "THWC"}), {@code fps}, {@code settings} (height, fps, aspect, selection,
 *       deinterlace), {@code source} (path, size, modified, sha256), {@code video} (container,
 *       codec, stored and display size, sample aspect, rotation, field order, frame rate,
 *       duration), {@code decoded_frames}, {@code decode_errors}, {@code frame_times_us} (the
 *       source timestamp of every frame), {@code library_version} and {@code created}.</li>
 * </ul>
 * Both are written into a hidden temporary directory beside the clip and renamed into place in
 * one step, so a clip directory is never half-written; see {@link VideoPreprocessor}.
 *
 * <h2>Access</h2>
 * {@link #open(Path)} memory-maps {@code frames.npy} read-only (in pieces of whole frames of at
 * most 1 GiB each, so clips over 2 GiB work too): nothing is read until a frame is asked for, and
 * a snippet costs one copy of {@code count * H * W * 3} bytes whatever the clip's length.
 *
 * @since 0.1.0
 */
public final class Clip {

    /** The name of the frame data file inside a clip directory. */
    public static final String DATA_FILE = "frames.npy";

    /** The name of the description file inside a clip directory. */
    public static final String INFO_FILE = "clip.json";

    /** Upper bound of one mapped piece. */
    private static final long MAX_CHUNK = 1L << 30;

    private final int frames;
    private final int height;
    private final int width;
    private final double fps;
    private final int frameBytes;
    private final int framesPerChunk;
    private final ByteBuffer[] chunks;
    private final ClipInfo info;
    private final Path location;

    private Clip(int frames, int height, int width, double fps, ByteBuffer[] chunks,
            int framesPerChunk, ClipInfo info, Path location) {
        this.frames = frames;
        this.height = height;
        this.width = width;
        this.fps = fps;
        this.frameBytes = 3 * height * width;
        this.chunks = chunks;
        this.framesPerChunk = framesPerChunk;
        this.info = info;
        this.location = location;
    }

    /**
     * Opens a clip directory written by {@link VideoPreprocessor} (or by anyone following the
     * format above).
     *
     * @param directory the clip directory
     * @return the clip, memory-mapped
     * @throws NoSuchFileException if the directory or one of its two files does not exist
     * @throws IllegalArgumentException naming the file if {@code clip.json} is not a valid
     *     description, {@code frames.npy} is not a uint8 {@code [T, H, W, 3]} array, the file
     *     length does not match its header, or the two disagree on the shape
     * @throws IOException on other I/O failures
     */
    public static Clip open(Path directory) throws IOException {
        return open(directory, MAX_CHUNK);
    }

    /** {@link #open(Path)} with another piece size (tests use small pieces). */
    static Clip open(Path directory, long maxChunk) throws IOException {
        Path data = directory.resolve(DATA_FILE);
        ClipInfo info = readInfo(directory);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            NpyFrames.Layout layout = checkedLayout(ch, directory, info);
            int fb = 3 * info.height() * info.width();
            int perChunk = (int) Math.max(1, Math.min(info.frames(), maxChunk / fb));
            int n = (info.frames() + perChunk - 1) / perChunk;
            ByteBuffer[] chunks = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                int first = i * perChunk;
                int count = Math.min(perChunk, info.frames() - first);
                chunks[i] = ch.map(FileChannel.MapMode.READ_ONLY,
                        layout.dataOffset() + (long) first * fb, (long) count * fb);
            }
            return new Clip(info.frames(), info.height(), info.width(), info.fps(), chunks,
                    perChunk, info, directory);
        }
    }

    /**
     * Reads and checks a clip directory's description and the header and length of its frame
     * data, without mapping anything (for cache checks).
     *
     * @param directory the clip directory
     * @return the description
     * @throws NoSuchFileException if the directory or one of its files does not exist
     * @throws IllegalArgumentException naming the file if the clip is damaged (see {@link #open})
     * @throws IOException on other I/O failures
     */
    static ClipInfo validate(Path directory) throws IOException {
        ClipInfo info = readInfo(directory);
        try (FileChannel ch = FileChannel.open(directory.resolve(DATA_FILE),
                StandardOpenOption.READ)) {
            checkedLayout(ch, directory, info);
        }
        return info;
    }

    private static ClipInfo readInfo(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            if (!Files.exists(directory)) {
                throw new NoSuchFileException(directory.toString(), null,
                        "clip directory does not exist");
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip %s: not a directory (a clip is a directory with %s and %s)", directory,
                    INFO_FILE, DATA_FILE));
        }
        Path json = directory.resolve(INFO_FILE);
        if (!Files.exists(json)) {
            throw new NoSuchFileException(json.toString(), null, "clip description missing");
        }
        return ClipJson.read(Files.readAllBytes(json), json);
    }

    private static NpyFrames.Layout checkedLayout(FileChannel ch, Path directory, ClipInfo info)
            throws IOException {
        NpyFrames.Layout layout = NpyFrames.read(ch, directory.resolve(DATA_FILE));
        if (layout.frames() != info.frames() || layout.height() != info.height()
                || layout.width() != info.width()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip %s: %s says [%d, %d, %d, 3] but %s holds [%d, %d, %d, 3]",
                    directory, INFO_FILE, info.frames(), info.height(), info.width(),
                    DATA_FILE, layout.frames(), layout.height(), layout.width()));
        }
        return layout;
    }

    /**
     * A clip held in memory, from frames made elsewhere (tests, synthetic data).
     *
     * @param rgb {@code frames * height * width * 3} bytes, {@code [T, H, W, 3]} row-major RGB;
     *     copied
     * @param frames T, {@code >= 1}
     * @param height H, {@code >= 1}
     * @param width W, {@code >= 1}
     * @param fps frames per second, finite and {@code > 0}
     * @return the clip, without a {@link #info() description}
     * @throws IllegalArgumentException if a size is not positive, the array length does not
     *     match or the clip would exceed 2 GiB
     */
    public static Clip of(byte[] rgb, int frames, int height, int width, double fps) {
        Objects.requireNonNull(rgb, "rgb");
        if (frames < 1 || height < 1 || width < 1 || !(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip [%d, %d, %d, 3] at %s fps: sizes and fps must be positive", frames,
                    height, width, fps));
        }
        long need = 3L * frames * height * width;
        if (need != rgb.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip [%d, %d, %d, 3] needs %d bytes, got %d", frames, height, width, need,
                    rgb.length));
        }
        ByteBuffer b = ByteBuffer.wrap(rgb.clone()).asReadOnlyBuffer();
        return new Clip(frames, height, width, fps, new ByteBuffer[] {b}, frames, null, null);
    }

    /** @return the number of frames {@code T} */
    public int frames() {
        return frames;
    }

    /** @return the frame height {@code H} in pixels */
    public int height() {
        return height;
    }

    /** @return the frame width {@code W} in pixels */
    public int width() {
        return width;
    }

    /** @return frames per second */
    public double fps() {
        return fps;
    }

    /** @return {@code frames / fps}, the time the clip covers in seconds */
    public double durationSeconds() {
        return frames / fps;
    }

    /** @return bytes of one frame, {@code H * W * 3} */
    public int frameBytes() {
        return frameBytes;
    }

    /** @return the description read from {@code clip.json}; empty for {@link #of in-memory} clips */
    public Optional<ClipInfo> info() {
        return Optional.ofNullable(info);
    }

    /** @return the clip directory; empty for in-memory clips */
    public Optional<Path> location() {
        return Optional.ofNullable(location);
    }

    /**
     * Copies frames {@code [start, start + count)}, e.g. one 15-frame snippet (REFERENCE.md §3).
     *
     * @param start first frame, {@code >= 0}
     * @param count number of frames, {@code >= 0}, with {@code start + count <= frames()}
     * @return {@code count * H * W * 3} bytes, {@code [count, H, W, 3]} row-major RGB
     * @throws IndexOutOfBoundsException if the range is not inside the clip
     */
    public byte[] snippet(int start, int count) {
        checkRange(start, count);
        byte[] out = new byte[count * frameBytes];
        copy(start, count, out, 0);
        return out;
    }

    /**
     * Copies frames {@code [start, start + count)} into {@code dst} without allocating.
     *
     * @param start first frame
     * @param count number of frames
     * @param dst destination
     * @param offset where in {@code dst} the first byte goes
     * @throws IndexOutOfBoundsException if the range is not inside the clip or {@code dst} is too
     *     short
     */
    public void snippet(int start, int count, byte[] dst, int offset) {
        checkRange(start, count);
        Objects.checkFromIndexSize(offset, count * frameBytes, dst.length);
        copy(start, count, dst, offset);
    }

    /**
     * @param index frame number in {@code [0, frames)}
     * @return a copy of that frame, {@code [H, W, 3]}
     */
    public byte[] frame(int index) {
        return snippet(index, 1);
    }

    /**
     * A read-only view of one frame without copying.
     *
     * @param index frame number in {@code [0, frames)}
     * @return {@code H * W * 3} bytes from position 0
     */
    public ByteBuffer frameBuffer(int index) {
        checkRange(index, 1);
        ByteBuffer chunk = chunks[index / framesPerChunk];
        int off = (index % framesPerChunk) * frameBytes;
        return chunk.slice(off, frameBytes).asReadOnlyBuffer();
    }

    /**
     * @param t frame
     * @param y row in {@code [0, H)}
     * @param x column in {@code [0, W)}
     * @param c channel in {@code [0, 3)}: 0 red, 1 green, 2 blue
     * @return the pixel value in {@code [0, 255]}
     */
    public int value(int t, int y, int x, int c) {
        Objects.checkIndex(t, frames);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        Objects.checkIndex(c, 3);
        ByteBuffer chunk = chunks[t / framesPerChunk];
        return Byte.toUnsignedInt(chunk.get((t % framesPerChunk) * frameBytes
                + 3 * (y * width + x) + c));
    }

    private void checkRange(int start, int count) {
        if (start < 0 || count < 0 || start > frames - count) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "frames [%d, %d) are not inside the clip's [0, %d)", start,
                    (long) start + count, frames));
        }
        if ((long) count * frameBytes > Integer.MAX_VALUE - 8) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "%d frames of %d bytes do not fit in one array", count, frameBytes));
        }
    }

    private void copy(int start, int count, byte[] dst, int offset) {
        int t = start;
        int o = offset;
        int left = count;
        while (left > 0) {
            int chunk = t / framesPerChunk;
            int inChunk = t % framesPerChunk;
            int n = Math.min(left, framesPerChunk - inChunk);
            // absolute bulk get: no shared position is touched, so threads may read at once
            chunks[chunk].get(inChunk * frameBytes, dst, o, n * frameBytes);
            t += n;
            o += n * frameBytes;
            left -= n;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Clip[%d x %dx%d at %s fps%s]", frames, width, height,
                fps, location == null ? "" : ", " + location);
    }
}
