package org.engagement4j.core.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code frames.npy} side of a clip: the NumPy header of a C-order uint8 array
 * {@code [T, H, W, 3]}, written with a fixed length so that {@code T} can be filled in after
 * streaming, and read back to find where the data starts (for memory mapping). The data of a
 * {@code .npy} file starts right after its header, so a reader needs nothing else.
 */
final class NpyFrames {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Room for any frame count up to Long.MAX_VALUE: the header length never changes. */
    private static final int COUNT_DIGITS = 19;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([0-9L,\\s]*)\\)");

    private NpyFrames() {
    }

    /** Where the data starts and the array's shape. */
    record Layout(long dataOffset, long frames, int height, int width) {
        long frameBytes() {
            return 3L * height * width;
        }
    }

    /**
     * @param frames T
     * @param height H
     * @param width W
     * @return a version 1.0 header (magic, version, length, dict, padding, newline) whose length,
     *     a multiple of 64, does not depend on {@code frames}
     */
    static byte[] header(long frames, int height, int width) {
        String dict = dict(Long.toString(frames), height, width);
        String widest = dict("9".repeat(COUNT_DIGITS), height, width);
        int total = (10 + widest.length() + 1 + 63) / 64 * 64;
        int pad = total - 10 - dict.length() - 1;
        String text = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) (total - 10));
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static String dict(String frames, int height, int width) {
        return String.format(Locale.ROOT,
                "{'descr': '|u1', 'fortran_order': False, 'shape': (%s, %d, %d, 3), }", frames,
                height, width);
    }

    /**
     * Reads and checks the header.
     *
     * @param channel the open file
     * @param file the file, for messages
     * @return the layout
     * @throws IllegalArgumentException naming the file if it is not a uint8 C-order
     *     {@code [T, H, W, 3]} array whose data fills the rest of the file exactly
     */
    static Layout read(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, pre, 0, file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                throw bad(file, "not a .npy file (bad magic)");
            }
        }
        int major = pre.get(6);
        long headerLen;
        int preamble;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(pre.getShort(8));
            preamble = 10;
        } else if (major == 2 || major == 3) {
            headerLen = Integer.toUnsignedLong(pre.getInt(8));
            preamble = 12;
        } else {
            throw bad(file, ".npy version " + major + " is not supported");
        }
        if (preamble + headerLen > size || headerLen > 1 << 20) {
            throw bad(file, "truncated .npy header");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(channel, hb, preamble, file);
        String text = new String(hb.array(), StandardCharsets.ISO_8859_1);
        String dict = text.strip();
        String descr = group(DESCR, dict);
        String fo = group(FORTRAN, dict);
        String shape = group(SHAPE, dict);
        if (!dict.startsWith("{") || !dict.endsWith("}") || descr == null || fo == null
                || shape == null) {
            throw bad(file, ".npy header is not a dict with descr, fortran_order and shape: "
                    + dict);
        }
        if (!descr.equals("|u1") && !descr.equals("<u1") && !descr.equals(">u1")
                && !descr.equals("=u1")) {
            throw bad(file, "dtype '" + descr + "' is not uint8");
        }
        if (!fo.equals("False")) {
            throw bad(file, "Fortran-order arrays are not supported");
        }
        String[] parts = shape.replace("L", "").split(",");
        long[] dims = new long[4];
        int n = 0;
        for (String p : parts) {
            String t = p.strip();
            if (t.isEmpty()) {
                continue;
            }
            if (n == 4) {
                throw bad(file, "shape (" + shape + ") is not [T, H, W, 3]");
            }
            try {
                dims[n++] = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw bad(file, "shape (" + shape + ") is not a tuple of integers");
            }
        }
        if (n != 4 || dims[3] != 3 || dims[1] < 1 || dims[2] < 1 || dims[1] > 1 << 15
                || dims[2] > 1 << 15) {
            throw bad(file, "shape (" + shape + ") is not [T, H, W, 3] with H, W in [1, 32768]");
        }
        long offset = preamble + headerLen;
        long frameBytes = 3L * dims[1] * dims[2];
        long expected;
        try {
            expected = Math.addExact(offset, Math.multiplyExact(dims[0], frameBytes));
        } catch (ArithmeticException e) {
            throw bad(file, "shape (" + shape + ") is too large");
        }
        if (expected != size) {
            throw bad(file, String.format(Locale.ROOT,
                    "file holds %d bytes, shape (%s) needs %d: truncated or padded", size,
                    shape.strip(), expected));
        }
        return new Layout(offset, dims[0], (int) dims[1], (int) dims[2]);
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file)
            throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw bad(file, "truncated .npy header");
            }
            p += r;
        }
    }

    private static IllegalArgumentException bad(Path file, String detail) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "clip data %s: %s", file,
                detail));
    }
}
