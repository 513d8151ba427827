package org.engagement4j.metrics.io;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.engagement4j.metrics.io.NpyArray.DType;

/**
 * The {@code .npy} header: its binary preamble, the Python dict it holds, and the validation of
 * that dict into a type, a byte order and a shape.
 *
 * <p>Layout (NumPy format specification, versions 1.0 to 3.0): the 6 magic bytes
 * {@code \x93NUMPY}, a major and a minor version byte, the header length as a little-endian
 * {@code uint16} (1.0) or {@code uint32} (2.0, 3.0), then the header text (latin-1, or UTF-8 in 3.0)
 * padded with spaces and a final newline so that the data start on a 64-byte boundary.
 */
final class NpyHeader {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Magic plus the two version bytes. */
    static final int PREAMBLE = 8;

    /**
     * Headers longer than this are refused before anything is allocated. NumPy itself refuses
     * headers over 10,000 characters by default; this bound leaves room for any legitimate array
     * while keeping a corrupt length field from costing more than a megabyte.
     */
    static final int MAX_HEADER_LENGTH = 1 << 20;

    private static final int ALIGN = 64;

    /** NumPy 1.23+ pads the dict so the first axis can grow in place to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    static final String SUPPORTED = "'<f4', '>f4', '<f8', '>f8', '|u1', '|b1'";

    final DType dtype;
    final ByteOrder order;
    final int[] shape;
    /** Number of elements, at most {@link NpyArray#MAX_ELEMENTS}. */
    final int count;

    private NpyHeader(DType dtype, ByteOrder order, int[] shape, int count) {
        this.dtype = dtype;
        this.order = order;
        this.shape = shape;
        this.count = count;
    }

    long dataBytes() {
        return (long) count * dtype.itemSize();
    }

    /** Bytes of the length field for a format version (already checked to be 1, 2 or 3). */
    static int lengthFieldSize(int major) {
        return major == 1 ? 2 : 4;
    }

    /**
     * Validates the header text.
     *
     * @param text the decoded header, padding included
     * @param source the file name for messages
     * @throws IllegalArgumentException naming {@code source} and the broken rule
     */
    static NpyHeader parse(String text, String source) {
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(source, "bad header syntax, %s; header: %s", e.getMessage(), clip(text));
        }
        if (!(parsed instanceof Map)) {
            throw fail(source, "header is not a Python dict: %s", clip(text));
        }
        Map<?, ?> dict = (Map<?, ?>) parsed;
        if (!dict.keySet().equals(KEYS)) {
            throw fail(source, "header keys %s must be exactly 'descr', 'fortran_order' and"
                    + " 'shape'", PyLiteral.repr(List.copyOf(dict.keySet())));
        }
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean)) {
            throw fail(source, "fortran_order %s must be True or False", PyLiteral.repr(fortran));
        }
        if ((Boolean) fortran) {
            throw fail(source, "Fortran-order arrays (fortran_order: True) are not supported,"
                    + " only C order; save np.ascontiguousarray(a) instead");
        }
        Object descr = dict.get("descr");
        DType dtype = null;
        ByteOrder order = null;
        if (descr instanceof String) {
            String d = (String) descr;
            String code = d;
            char prefix = d.isEmpty() ? ' ' : d.charAt(0);
            if (prefix == '<' || prefix == '>' || prefix == '=' || prefix == '|') {
                code = d.substring(1);
            } else {
                prefix = '=';
            }
            switch (code) {
                case "f4":
                    dtype = prefix == '|' ? null : DType.FLOAT32;
                    break;
                case "f8":
                    dtype = prefix == '|' ? null : DType.FLOAT64;
                    break;
                case "u1":
                    dtype = DType.UINT8;
                    break;
                case "b1":
                    dtype = DType.BOOL;
                    break;
                default:
                    break;
            }
            order = prefix == '>' ? ByteOrder.BIG_ENDIAN
                    : prefix == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
        }
        if (dtype == null) {
            throw fail(source, "unsupported dtype %s (supported: %s)", PyLiteral.repr(descr),
                    SUPPORTED);
        }
        Object shapeValue = dict.get("shape");
        if (!(shapeValue instanceof PyLiteral.Tuple)) {
            throw fail(source, "shape %s must be a tuple of integers", PyLiteral.repr(shapeValue));
        }
        List<Object> items = ((PyLiteral.Tuple) shapeValue).items();
        int[] shape = new int[items.size()];
        long count = 1;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            Object item = items.get(i);
            if (!(item instanceof BigInteger)) {
                throw fail(source, "shape %s must be a tuple of integers",
                        PyLiteral.repr(shapeValue));
            }
            BigInteger dim = (BigInteger) item;
            if (dim.signum() < 0) {
                throw fail(source, "shape %s has negative dimension %s; dimensions must be >= 0",
                        PyLiteral.repr(shapeValue), dim);
            }
            if (dim.bitLength() > 31) {
                throw fail(source, "shape %s has dimension %s, more than %d elements",
                        PyLiteral.repr(shapeValue), dim, NpyArray.MAX_ELEMENTS);
            }
            shape[i] = dim.intValue();
            empty |= shape[i] == 0;
            // Saturate: once past the limit only a later zero dimension can make the array valid.
            count = count > NpyArray.MAX_ELEMENTS ? count : count * shape[i];
        }
        if (empty) {
            count = 0;
        }
        if (count > NpyArray.MAX_ELEMENTS) {
            throw fail(source, "shape %s has more than %d elements, the most a Java array holds",
                    PyLiteral.repr(shapeValue), NpyArray.MAX_ELEMENTS);
        }
        return new NpyHeader(dtype, order, shape, (int) count);
    }

    /**
     * The complete preamble and header NumPy writes for a C-order little-endian array: version 1.0,
     * or 2.0 when the header does not fit a 16-bit length. Byte-identical to
     * {@code numpy.save} (NumPy 1.23 and later, which pad for in-place growth of the first axis).
     */
    static byte[] format(DType dtype, int[] shape) {
        StringBuilder dict = new StringBuilder(128);
        dict.append("{'descr': '").append(dtype.descr()).append("', 'fortran_order': False, ")
                .append("'shape': ").append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0,
                    GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length())));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int major = 1;
        int total = aligned(text.length, 2);
        if (total - PREAMBLE - 2 > 0xFFFF) {
            major = 2;
            total = aligned(text.length, 4);
        }
        int lengthField = lengthFieldSize(major);
        int headerLength = total - PREAMBLE - lengthField;
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) major;
        out[7] = 0;
        for (int i = 0; i < lengthField; i++) {
            out[PREAMBLE + i] = (byte) (headerLength >>> (8 * i));
        }
        int at = PREAMBLE + lengthField;
        System.arraycopy(text, 0, out, at, text.length);
        for (int i = at + text.length; i < total - 1; i++) {
            out[i] = ' ';
        }
        out[total - 1] = '\n';
        return out;
    }

    /** Total preamble + header size: the text plus a newline, padded up to the alignment. */
    private static int aligned(int textLength, int lengthField) {
        int unpadded = PREAMBLE + lengthField + textLength + 1;
        // Like NumPy, a header that is already aligned still gets a full block of padding.
        return unpadded + (ALIGN - unpadded % ALIGN);
    }

    /** Python's repr of the shape tuple: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    static String shapeRepr(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String clip(String text) {
        String t = text.strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    static IllegalArgumentException fail(String source, String format, Object... args) {
        return new IllegalArgumentException(
                "file " + source + ": " + String.format(Locale.ROOT, format, args));
    }
}
