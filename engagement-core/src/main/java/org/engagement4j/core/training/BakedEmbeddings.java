package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.internal.AtomicFiles;

/**
 * The bake file: embeddings of many passes of the snippet sampler in one compact, appendable
 * file that survives interruption (REFERENCE.md §6: the reference baked 100 augmented passes to
 * disk, as one {@code torch.save} at the end).
 *
 * <h2>Layout (format version 1, little-endian)</h2>
 * <pre>
 *   offset  0  8 bytes   magic "E4JEMBED"
 *           8  int32     format version (1)
 *          12  int32     n, the length of the JSON header in bytes
 *          16  int32     completed passes
 *          20  int32     0 (reserved)
 *          24  int64     rows of the completed passes
 *          32  n bytes   JSON header (UTF-8, padded with spaces to a multiple of 8), see
 *                        {@link BakeHeader}: task, dimension D, planned passes, sessions,
 *                        coders, seed, sampler, snippet shape, transform, model SHA-256,
 *                        normalisation, library version, creation time
 *      32 + n  rows, each {@code 32 + 4 D} bytes:
 *                int32 pass, int32 session index, int32 coder index, int32 snippet index,
 *                int64 start_ms, int32 start_frame, uint8 task-engagement label,
 *                uint8 social-engagement label, uint16 0, float32[D] embedding
 * </pre>
 * NumPy reads the rows with {@code np.fromfile(f, dtype, offset=32 + n)} and the structured dtype
 * {@code [('pass','<i4'),('session','<i4'),('coder','<i4'),('snippet','<i4'),('start_ms','<i8'),
 * ('start_frame','<i4'),('task','u1'),('social','u1'),('pad','<u2'),('x','<f4',(D,))]}, keeping
 * the first {@code rows} entries.
 *
 * <h2>Durability</h2>
 * The file is created complete with its header (written to a temporary file, then renamed). Each
 * pass is appended, forced to the storage device ({@code fsync}), and only then are the two
 * counters updated in place and forced again. Bytes after the counted rows belong to a pass that
 * was torn by an interruption: readers ignore them and a resumed bake truncates them away.
 *
 * @since 0.1.0
 */
public final class BakedEmbeddings {

    /** The {@code format} value of the JSON header. */
    public static final String FORMAT_NAME = "engagement4j-embeddings";
    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The row layout, also written into every header. */
    public static final String ROW_LAYOUT = "int32 pass, int32 session, int32 coder,"
            + " int32 snippet, int64 start_ms, int32 start_frame, uint8 task_engagement,"
            + " uint8 social_engagement, uint16 0, float32[dimension]; little-endian";

    static final byte[] MAGIC = "E4JEMBED".getBytes(StandardCharsets.US_ASCII);
    static final int PREFIX = 32;
    static final int ROW_PREFIX = 32;

    private BakedEmbeddings() {
    }

    /**
     * @param dimension D
     * @return the bytes of one row
     */
    static int rowBytes(int dimension) {
        return ROW_PREFIX + 4 * dimension;
    }

    /**
     * Reads the header of a bake file.
     *
     * @param file the file
     * @return its header, with the completion counters
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not a bake file of this format (naming the file
     *     and what is wrong)
     */
    public static BakeHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch, file);
        }
    }

    /**
     * Reads the rows of the completed passes.
     *
     * @param file the file
     * @return the table, named after the file
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not a bake file, is shorter than its counters say,
     *     or a row refers to a session or coder the header does not list
     */
    public static EmbeddingTable read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            BakeHeader h = header(ch, file);
            long start = dataStart(ch);
            int d = h.dimension();
            int rowBytes = rowBytes(d);
            if (h.rows() > (Integer.MAX_VALUE - 8) / d) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %d rows of %d values exceed one array", file, h.rows(), d));
            }
            int n = (int) h.rows();
            if (ch.size() < start + (long) n * rowBytes) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: the header counts %d rows (%d bytes) but the file holds %d bytes"
                                + " after the header", file, n, (long) n * rowBytes,
                        ch.size() - start));
            }
            EmbeddingTable.Builder b = new EmbeddingTable.Builder(n, d);
            int perChunk = Math.max(1, (1 << 24) / rowBytes);
            ByteBuffer buf = ByteBuffer.allocate(perChunk * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[d];
            long pos = start;
            for (int done = 0; done < n; ) {
                int k = Math.min(perChunk, n - done);
                buf.clear().limit(k * rowBytes);
                readFully(ch, buf, pos, file);
                buf.flip();
                for (int i = 0; i < k; i++) {
                    int pass = buf.getInt();
                    int s = buf.getInt();
                    int c = buf.getInt();
                    int snippet = buf.getInt();
                    long startMs = buf.getLong();
                    int frame = buf.getInt();
                    byte te = buf.get();
                    byte se = buf.get();
                    buf.getShort();
                    buf.asFloatBuffer().get(x);
                    buf.position(buf.position() + 4 * d);
                    int row = done + i;
                    if (s < 0 || s >= h.sessions().size() || c < 0 || c >= h.coders().size()
                            || pass < 0 || pass >= h.completedPasses()) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "%s: row %d refers to pass %d, session %d, coder %d; the header"
                                        + " has %d completed passes, %d sessions, %d coders",
                                file, row, pass, s, c, h.completedPasses(), h.sessions().size(),
                                h.coders().size()));
                    }
                    b.add(pass, s, c, snippet, startMs, frame, te != 0, se != 0, x, 0);
                }
                pos += (long) k * rowBytes;
                done += k;
            }
            return b.build(file.getFileName().toString(), h.task(), h.sessions(), h.coders());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file)
            throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new EOFException(file + ": ends at byte " + p + ", inside a counted row");
            }
            p += r;
        }
    }

    private static BakeHeader header(FileChannel ch, Path file) throws IOException {
        if (ch.size() < PREFIX) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is not a bake file: %d bytes, shorter than the %d-byte prefix", file,
                    ch.size(), PREFIX));
        }
        ByteBuffer p = ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, p, 0, file);
        p.flip();
        byte[] magic = new byte[MAGIC.length];
        p.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is not a bake file: it does not start with \"E4JEMBED\"", file));
        }
        int version = p.getInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: bake format version %d; this library reads version %d", file, version,
                    FORMAT_VERSION));
        }
        int n = p.getInt();
        int completed = p.getInt();
        p.getInt();
        long rows = p.getLong();
        if (n < 2 || PREFIX + (long) n > ch.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: JSON header length %d does not fit the %d-byte file", file, n,
                    ch.size()));
        }
        ByteBuffer j = ByteBuffer.allocate(n);
        readFully(ch, j, PREFIX, file);
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(new String(j.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the JSON header cannot be parsed: %s", file, e.getMessage()), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file + ": the JSON header is not an object");
        }
        if (completed < 0 || rows < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: negative counters (%d passes, %d rows)", file, completed, rows));
        }
        return BakeHeader.fromJson(node, completed, rows, file.toString());
    }

    private static long dataStart(FileChannel ch) throws IOException {
        ByteBuffer p = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(p, 12);
        p.flip();
        return PREFIX + (long) p.getInt();
    }

    /**
     * Appends passes to a bake file: creates it with its header, or reopens it and cuts a torn
     * pass off.
     */
    static final class Writer implements Closeable {

        private final Path file;
        private final FileChannel ch;
        private final BakeHeader header;
        private final long start;
        private final int rowBytes;
        private int completed;
        private long rows;

        private Writer(Path file, FileChannel ch, BakeHeader header, long start) {
            this.file = file;
            this.ch = ch;
            this.header = header;
            this.start = start;
            this.rowBytes = rowBytes(header.dimension());
            this.completed = header.completedPasses();
            this.rows = header.rows();
        }

        /** Creates a file holding the header and no rows; atomically, through a temporary file. */
        static void create(Path file, BakeHeader header) throws IOException {
            byte[] json = header.toJsonNode().toString().getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8;
            ByteBuffer b = ByteBuffer.allocate(PREFIX + padded).order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC).putInt(FORMAT_VERSION).putInt(padded).putInt(0).putInt(0).putLong(0);
            b.put(json);
            while (b.hasRemaining()) {
                b.put((byte) ' ');
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.writeBytes(file, b.array(), AtomicFiles.Sync.FSYNC);
        }

        /** Opens an existing file for appending and truncates what follows the counted rows. */
        static Writer open(Path file) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                BakeHeader h = BakedEmbeddings.header(ch, file);
                long start = dataStart(ch);
                long end = start + h.rows() * rowBytes(h.dimension());
                if (ch.size() < end) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: the header counts %d rows but the file ends before them; the"
                                    + " file is damaged, delete it to bake again", file,
                            h.rows()));
                }
                if (ch.size() > end) {
                    ch.truncate(end);
                    ch.force(true);
                }
                return new Writer(file, ch, h, start);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        BakeHeader header() {
            return header;
        }

        int completedPasses() {
            return completed;
        }

        long rows() {
            return rows;
        }

        /** Appends rows without committing them (a torn pass if the process dies now). */
        void append(ByteBuffer data) throws IOException {
            long pos = start + rows * rowBytes + pendingBytes;
            while (data.hasRemaining()) {
                pos += ch.write(data, pos);
            }
            pendingBytes = pos - (start + rows * rowBytes);
        }

        private long pendingBytes;

        /** Makes the appended rows durable and counts them as one more completed pass. */
        void commitPass() throws IOException {
            if (pendingBytes % rowBytes != 0) {
                throw new IllegalStateException(pendingBytes + " pending bytes are not whole rows");
            }
            ch.force(true);
            rows += pendingBytes / rowBytes;
            completed++;
            pendingBytes = 0;
            ByteBuffer c = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            c.putInt(completed).putInt(0).putLong(rows).flip();
            long pos = 16;
            while (c.hasRemaining()) {
                pos += ch.write(c, pos);
            }
            ch.force(true);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }

        @Override
        public String toString() {
            return "BakedEmbeddings.Writer[" + file + "]";
        }
    }
}
