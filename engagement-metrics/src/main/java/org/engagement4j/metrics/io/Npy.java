package org.engagement4j.metrics.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.NpyArray.DType;

/**
 * Reads and writes NumPy {@code .npy} files, the format in which the reference tools exchange
 * attention maps and human heat maps (REFERENCE §8–9).
 *
 * <p><b>Reading</b> accepts format versions 1.0, 2.0 and 3.0, any header alignment (64 bytes
 * today, 16 in files from NumPy before 1.9), the Python 2 {@code L} suffix on dimensions, any rank
 * including 0-d, and the types float32 ({@code '<f4'}, {@code '>f4'}), float64 ({@code '<f8'},
 * {@code '>f8'}), uint8 ({@code '|u1'}, also spelled {@code '<u1'}) and bool ({@code '|b1'}, read as
 * 0/1 with any non-zero byte meaning true, as in NumPy). Native-order spellings ({@code '=f4'}) are
 * read in this machine's byte order. Everything else is refused with an
 * {@link IllegalArgumentException} whose message starts with {@code file <name>:} and states the
 * rule: a file that is not {@code .npy}, an unknown version, a truncated preamble, header or data
 * ({@code "file X: truncated, expected N data bytes, found M"}), a header that is not a valid
 * Python dict literal or has other keys than {@code descr}, {@code fortran_order} and
 * {@code shape}, another dtype (integers wider than a byte, complex, strings, structured),
 * Fortran order, negative dimensions, or more than {@link NpyArray#MAX_ELEMENTS} elements. Sizes
 * are checked against the file length before any data array is allocated, so a corrupt header
 * cannot trigger a huge allocation.
 *
 * <p><b>Writing</b> produces exactly what {@code numpy.save} writes for the same array (version 1.0,
 * or 2.0 when the header needs more than 65,535 bytes; little-endian; C order; header padded to 64
 * bytes), so a file written here is byte-identical to NumPy's. The {@link #write(Path, NpyArray)
 * path form} is atomic.
 *
 * <p>I/O errors other than format errors (a missing file, no permission, a full disk) propagate as
 * the {@link IOException} the JDK raises, e.g. {@link java.nio.file.NoSuchFileException} naming the
 * missing file.
 *
 * @since 0.1.0
 */
public final class Npy {

    /** Bytes moved per read or write call: large enough for bulk transfers, small enough to hold. */
    private static final int CHUNK = 1 << 20;

    /**
     * Elements first allocated when the data length is unknown (a stream): arrays then grow by
     * doubling, so a header that lies about the shape costs at most twice the bytes actually sent.
     */
    private static final int INITIAL_ELEMENTS = 1 << 16;

    private Npy() {
    }

    /**
     * Reads a {@code .npy} file.
     *
     * <p>The file must hold exactly one array: bytes after the data are refused (NumPy would ignore
     * them, but they mean the header and the data disagree). Files that are not regular files (a
     * pipe, {@code /dev/stdin}) are read like {@link #read(InputStream, String) streams}.
     *
     * @param file the file
     * @return the array
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not a valid {@code .npy} file of a supported type;
     *     the message names the file and the rule
     * @since 0.1.0
     */
    public static NpyArray read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = Files.isRegularFile(file) ? ch.size() : -1;
            NpyArray array = read(ch, source, length);
            if (length >= 0) {
                long end = ch.position();
                if (end != length) {
                    throw NpyHeader.fail(source, "%d unexpected bytes after the data (the header"
                            + " describes %d bytes in all, the file has %d)",
                            length - end, end, length);
                }
            }
            return array;
        }
    }

    /**
     * Reads one {@code .npy} array from a stream. Exactly the bytes of one array are consumed, so
     * several arrays saved one after the other into the same stream can be read in turn. The stream
     * is not closed.
     *
     * @param in the stream, positioned at the magic string
     * @param sourceName the name used for the file in error messages (a path, a URL, "stdin")
     * @return the array
     * @throws IOException if the stream fails
     * @throws IllegalArgumentException if the bytes are not a valid {@code .npy} array of a
     *     supported type, or the stream ends early; the message names {@code sourceName}
     * @since 0.1.0
     */
    public static NpyArray read(InputStream in, String sourceName) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        return read(Channels.newChannel(in), sourceName, -1);
    }

    /**
     * Reads a {@code .npy} file as a volume; see {@link NpyArray#toVolume()} for the accepted shapes
     * ({@code [H, W]}, {@code [T, H, W]}, leading axes of size 1).
     *
     * @param file the file
     * @return the volume
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the file, if it is not a valid {@code .npy} file or
     *     its shape is not a volume
     * @since 0.1.0
     */
    public static Volume readVolume(Path file) throws IOException {
        NpyArray array = read(file);
        try {
            return array.toVolume();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes an array to a file atomically: the bytes go to a temporary file in the same folder,
     * which is flushed to disk and then renamed over {@code file}. Readers see either the old file
     * or the complete new one; if anything fails, the temporary file is deleted and an existing
     * {@code file} is left untouched. (Where the file system cannot rename atomically the rename is
     * an ordinary replace, still never exposing a partly written file under the final name.) Only
     * if the JVM itself dies mid-write can a hidden {@code .NAME.*.tmp} sibling remain.
     *
     * @param file the target; its folder must exist; an existing file is replaced
     * @param array the array
     * @throws IOException if the folder does not exist, is not writable, the disk is full, or
     *     {@code file} is a non-empty folder
     * @since 0.1.0
     */
    public static void write(Path file, NpyArray array) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(array, "array");
        writeAtomically(file, out -> write(out, array));
    }

    /**
     * Writes an array to a stream in {@code numpy.save}'s format and flushes the stream; the stream
     * is not closed. If the stream fails part-way, what was already written stays written: use
     * {@link #write(Path, NpyArray)} for files.
     *
     * @param out the stream
     * @param array the array
     * @throws IOException if the stream fails
     * @since 0.1.0
     */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(array, "array");
        out.write(NpyHeader.format(array.dtype(), array.shape()));
        int item = array.dtype().itemSize();
        int n = array.length();
        int perChunk = CHUNK / item;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) n * item))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < n; from += perChunk) {
            int count = Math.min(perChunk, n - from);
            buf.clear();
            array.putLittleEndian(buf, from, count);
            out.write(buf.array(), 0, buf.position());
        }
        out.flush();
    }

    /** The body of an atomic write; package-private so tests can make it fail part-way. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    static void writeAtomically(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = createTemp(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.writeTo(Channels.newOutputStream(ch));
                // Without this a crash after the rename could expose an empty or partial file.
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        // A hidden sibling with a random suffix; CREATE_NEW (rather than Files.createTempFile) keeps
        // the default permissions, so the final file is as readable as any other the user writes.
        String base = "." + (name.length() > 100 ? name.substring(0, 100) : name) + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(base + Long.toUnsignedString(
                    ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                        .close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /**
     * @param length bytes the source holds from its current position, or -1 if unknown
     */
    private static NpyArray read(ReadableByteChannel ch, String source, long length)
            throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(NpyHeader.PREAMBLE + 4).order(ByteOrder.LITTLE_ENDIAN);
        pre.limit(NpyHeader.PREAMBLE);
        int got = readFully(ch, pre);
        byte[] magic = NpyHeader.MAGIC;
        for (int i = 0; i < Math.min(got, magic.length); i++) {
            if (pre.get(i) != magic[i]) {
                throw NpyHeader.fail(source, "not a NumPy .npy file (it starts with %s, a .npy"
                        + " file with 93 4e 55 4d 50 59, \"\\x93NUMPY\")", hex(pre, got));
            }
        }
        if (got == 0) {
            throw NpyHeader.fail(source, "not a NumPy .npy file (it is empty)");
        }
        if (got < NpyHeader.PREAMBLE) {
            throw NpyHeader.fail(source, "truncated, expected %d bytes of magic string and"
                    + " version, found %d", NpyHeader.PREAMBLE, got);
        }
        int major = Byte.toUnsignedInt(pre.get(6));
        int minor = Byte.toUnsignedInt(pre.get(7));
        if (major < 1 || major > 3 || minor != 0) {
            throw NpyHeader.fail(source, "unsupported .npy format version %d.%d (supported: 1.0,"
                    + " 2.0, 3.0)", major, minor);
        }
        int field = NpyHeader.lengthFieldSize(major);
        pre.limit(NpyHeader.PREAMBLE + field);
        got = readFully(ch, pre);
        if (got < field) {
            throw NpyHeader.fail(source, "truncated, expected %d bytes of header length, found %d",
                    field, got);
        }
        long headerLength = field == 2 ? Short.toUnsignedLong(pre.getShort(NpyHeader.PREAMBLE))
                : Integer.toUnsignedLong(pre.getInt(NpyHeader.PREAMBLE));
        long start = NpyHeader.PREAMBLE + field;
        if (length >= 0 && headerLength > length - start) {
            throw NpyHeader.fail(source, "truncated, expected %d header bytes, found %d",
                    headerLength, length - start);
        }
        if (headerLength > NpyHeader.MAX_HEADER_LENGTH) {
            throw NpyHeader.fail(source, "header length %d exceeds the %d bytes allowed",
                    headerLength, NpyHeader.MAX_HEADER_LENGTH);
        }
        ByteBuffer raw = ByteBuffer.allocate((int) headerLength);
        got = readFully(ch, raw);
        if (got < headerLength) {
            throw NpyHeader.fail(source, "truncated, expected %d header bytes, found %d",
                    headerLength, got);
        }
        raw.flip();
        String text;
        if (major == 3) {
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw).toString();
            } catch (CharacterCodingException e) {
                throw NpyHeader.fail(source, "version 3.0 header is not valid UTF-8");
            }
        } else {
            text = StandardCharsets.ISO_8859_1.decode(raw).toString();
        }
        NpyHeader header = NpyHeader.parse(text, source);
        long dataBytes = header.dataBytes();
        if (length >= 0 && dataBytes > length - start - headerLength) {
            throw truncated(source, dataBytes, length - start - headerLength);
        }
        return readData(ch, header, source, length >= 0);
    }

    private static NpyArray readData(ReadableByteChannel ch, NpyHeader header, String source,
            boolean lengthKnown) throws IOException {
        DType dtype = header.dtype;
        int n = header.count;
        int item = dtype.itemSize();
        int perChunk = CHUNK / item;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, header.dataBytes()))
                .order(header.order);
        Object data = allocate(dtype, lengthKnown ? n : Math.min(n, INITIAL_ELEMENTS));
        int capacity = lengthKnown ? n : Math.min(n, INITIAL_ELEMENTS);
        for (int filled = 0; filled < n; ) {
            int count = Math.min(perChunk, n - filled);
            buf.clear().limit(count * item);
            int got = readFully(ch, buf);
            if (got < count * item) {
                throw truncated(source, header.dataBytes(), (long) filled * item + got);
            }
            buf.flip();
            if (filled + count > capacity) {
                capacity = (int) Math.min(n, Math.max((long) capacity * 2, filled + count));
                data = grow(data, capacity);
            }
            decode(dtype, buf, data, filled, count);
            filled += count;
        }
        return NpyArray.wrap(dtype, header.shape, data);
    }

    private static Object allocate(DType dtype, int n) {
        switch (dtype) {
            case FLOAT64:
                return new double[n];
            case FLOAT32:
                return new float[n];
            default:
                return new byte[n];
        }
    }

    private static Object grow(Object data, int capacity) {
        if (data instanceof double[]) {
            return Arrays.copyOf((double[]) data, capacity);
        }
        if (data instanceof float[]) {
            return Arrays.copyOf((float[]) data, capacity);
        }
        return Arrays.copyOf((byte[]) data, capacity);
    }

    private static void decode(DType dtype, ByteBuffer buf, Object data, int at, int count) {
        switch (dtype) {
            case FLOAT64:
                buf.asDoubleBuffer().get((double[]) data, at, count);
                break;
            case FLOAT32:
                buf.asFloatBuffer().get((float[]) data, at, count);
                break;
            case BOOL:
                byte[] b = (byte[]) data;
                buf.get(b, at, count);
                for (int i = at; i < at + count; i++) {
                    b[i] = b[i] == 0 ? (byte) 0 : (byte) 1;
                }
                break;
            default:
                buf.get((byte[]) data, at, count);
                break;
        }
    }

    /** Reads until {@code buf} is full or the source ends; returns the bytes read by this call. */
    private static int readFully(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int r = ch.read(buf);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    private static IllegalArgumentException truncated(String source, long expected, long found) {
        return NpyHeader.fail(source, "truncated, expected %d data bytes, found %d", expected,
                found);
    }

    private static String hex(ByteBuffer buf, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ")
                    .append(String.format(Locale.ROOT, "%02x", Byte.toUnsignedInt(buf.get(i))));
        }
        return sb.toString();
    }
}
