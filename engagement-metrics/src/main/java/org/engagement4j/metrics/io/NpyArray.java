package org.engagement4j.metrics.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/**
 * An immutable n-dimensional array as stored in a NumPy {@code .npy} file: an element type, a shape
 * of any rank (including 0-d scalars and 1-d vectors) and the values in C order.
 *
 * <p>This is the in-memory side of {@link Npy}: attention maps, human heat maps and test fixtures
 * travel between the Python reference tools and this library as {@code .npy} files (REFERENCE §8–9).
 * Values are held in their stored type (float32 maps are not widened until asked), so reading and
 * writing back a file is lossless. Arrays passed in are copied and arrays handed out are copies.
 *
 * <p>Dimensions may be zero (NumPy allows empty arrays, e.g. shape {@code (0, 3)}); such an array
 * has {@link #size()} 0 but cannot become a {@link Volume}. At most {@value #MAX_ELEMENTS} elements
 * are supported (the largest Java array).
 *
 * @since 0.1.0
 */
public final class NpyArray {

    /**
     * The largest number of elements an array may hold: the largest length every JVM accepts for a
     * Java array.
     *
     * @since 0.1.0
     */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * The element types this library reads and writes.
     *
     * <p>Writing always uses the little-endian descriptor returned by {@link #descr()}; reading
     * also accepts the big-endian and native-order spellings of the same types (see {@link Npy}).
     *
     * @since 0.1.0
     */
    public enum DType {
        /** IEEE 754 single precision, NumPy {@code float32}, written as {@code '<f4'}. */
        FLOAT32("<f4", 4),
        /** IEEE 754 double precision, NumPy {@code float64}, written as {@code '<f8'}. */
        FLOAT64("<f8", 8),
        /** Unsigned byte 0–255, NumPy {@code uint8}, written as {@code '|u1'}. */
        UINT8("|u1", 1),
        /** Boolean stored as one byte 0 or 1, NumPy {@code bool}, written as {@code '|b1'}. */
        BOOL("|b1", 1);

        private final String descr;
        private final int itemSize;

        DType(String descr, int itemSize) {
            this.descr = descr;
            this.itemSize = itemSize;
        }

        /**
         * The NumPy type descriptor this library writes for the type.
         *
         * @return {@code "<f4"}, {@code "<f8"}, {@code "|u1"} or {@code "|b1"}
         */
        public String descr() {
            return descr;
        }

        /**
         * @return bytes per element: 4, 8, 1 or 1
         */
        public int itemSize() {
            return itemSize;
        }
    }

    private final DType dtype;
    private final int[] shape;
    // Exactly one of these is non-null, chosen by dtype; UINT8 and BOOL share the byte store.
    private final double[] f64;
    private final float[] f32;
    private final byte[] u8;

    private NpyArray(DType dtype, int[] shape, double[] f64, float[] f32, byte[] u8) {
        this.dtype = dtype;
        this.shape = shape;
        this.f64 = f64;
        this.f32 = f32;
        this.u8 = u8;
    }

    /**
     * A float64 array over a copy of {@code data}.
     *
     * @param data values in C order; NaN and infinities are kept as they are
     * @param shape dimensions, each {@code >= 0}; none for a 0-d scalar (then {@code data} has one
     *     value)
     * @return the array
     * @throws NullPointerException if {@code data} or {@code shape} is null
     * @throws IllegalArgumentException if a dimension is negative or the product of the dimensions
     *     differs from {@code data.length}
     * @since 0.1.0
     */
    public static NpyArray ofDoubles(double[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape, data.length);
        return new NpyArray(DType.FLOAT64, s, data.clone(), null, null);
    }

    /**
     * A float32 array over a copy of {@code data}.
     *
     * @param data values in C order; NaN and infinities are kept as they are
     * @param shape dimensions, each {@code >= 0}; none for a 0-d scalar
     * @return the array
     * @throws NullPointerException if {@code data} or {@code shape} is null
     * @throws IllegalArgumentException if a dimension is negative or the product of the dimensions
     *     differs from {@code data.length}
     * @since 0.1.0
     */
    public static NpyArray ofFloats(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape, data.length);
        return new NpyArray(DType.FLOAT32, s, null, data.clone(), null);
    }

    /**
     * A uint8 array over a copy of {@code data}. Java bytes are read as unsigned: {@code (byte) -1}
     * is the value 255.
     *
     * @param data values in C order
     * @param shape dimensions, each {@code >= 0}; none for a 0-d scalar
     * @return the array
     * @throws NullPointerException if {@code data} or {@code shape} is null
     * @throws IllegalArgumentException if a dimension is negative or the product of the dimensions
     *     differs from {@code data.length}
     * @since 0.1.0
     */
    public static NpyArray ofBytes(byte[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape, data.length);
        return new NpyArray(DType.UINT8, s, null, null, data.clone());
    }

    /**
     * A bool array (a mask) over {@code data}.
     *
     * @param data values in C order
     * @param shape dimensions, each {@code >= 0}; none for a 0-d scalar
     * @return the array
     * @throws NullPointerException if {@code data} or {@code shape} is null
     * @throws IllegalArgumentException if a dimension is negative or the product of the dimensions
     *     differs from {@code data.length}
     * @since 0.1.0
     */
    public static NpyArray ofBooleans(boolean[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape, data.length);
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = data[i] ? (byte) 1 : (byte) 0;
        }
        return new NpyArray(DType.BOOL, s, null, null, b);
    }

    /**
     * A 3-d array of shape {@code [T, H, W]} holding the values of {@code volume} in the given type.
     *
     * <p>{@link DType#FLOAT64} is exact. {@link DType#FLOAT32} rounds to the nearest float
     * (magnitudes above {@link Float#MAX_VALUE} become infinite, as in NumPy's {@code astype}).
     * {@link DType#UINT8} and {@link DType#BOOL} never round or clip silently: every value must
     * already be an integer in {@code [0, 255]} (respectively 0 or 1).
     *
     * @param volume the volume
     * @param dtype the element type to store
     * @return the array
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for {@link DType#UINT8} / {@link DType#BOOL}, naming the
     *     position and value of the first value the type cannot hold exactly
     * @since 0.1.0
     */
    public static NpyArray ofVolume(Volume volume, DType dtype) {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(dtype, "dtype");
        int[] s = volume.shape();
        switch (dtype) {
            case FLOAT64:
                return new NpyArray(dtype, s, volume.toArray(), null, null);
            case FLOAT32:
                return new NpyArray(dtype, s, null, volume.toFloatArray(), null);
            case UINT8:
            case BOOL:
                int max = dtype == DType.UINT8 ? 255 : 1;
                byte[] b = new byte[volume.size()];
                for (int i = 0; i < b.length; i++) {
                    double v = volume.getFlat(i);
                    if (!(v >= 0 && v <= max && v == Math.rint(v))) {
                        int t = i / volume.frameSize();
                        int r = i % volume.frameSize();
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "volume value %s at [frame %d, row %d, column %d] cannot be stored"
                                        + " as %s: values must be integers in [0, %d]",
                                v, t, r / volume.width(), r % volume.width(),
                                dtype.name().toLowerCase(Locale.ROOT), max));
                    }
                    b[i] = (byte) (int) v;
                }
                return new NpyArray(dtype, s, null, null, b);
            default:
                throw new AssertionError(dtype);
        }
    }

    /** Takes ownership of an array freshly filled by the reader; no copy, no checks. */
    static NpyArray wrap(DType dtype, int[] shape, Object data) {
        switch (dtype) {
            case FLOAT64:
                return new NpyArray(dtype, shape, (double[]) data, null, null);
            case FLOAT32:
                return new NpyArray(dtype, shape, null, (float[]) data, null);
            default:
                return new NpyArray(dtype, shape, null, null, (byte[]) data);
        }
    }

    private static int[] checkShape(int[] shape, int length) {
        Objects.requireNonNull(shape, "shape");
        int[] s = shape.clone();
        long product = 1;
        boolean empty = false;
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "shape %s: dimension %d is %d, dimensions must be >= 0",
                        Arrays.toString(s), i, s[i]));
            }
            empty |= s[i] == 0;
            // Saturate instead of overflowing: past the int range it is a mismatch anyway.
            product = product > Integer.MAX_VALUE ? product : product * s[i];
        }
        if (empty) {
            product = 0;
        }
        if (product != length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "data length %d does not match shape %s (%s values)", length,
                    Arrays.toString(s), product > Integer.MAX_VALUE
                            ? "more than " + Integer.MAX_VALUE : Long.toString(product)));
        }
        return s;
    }

    /**
     * @return the element type
     * @since 0.1.0
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * @return a copy of the dimensions; empty for a 0-d array
     * @since 0.1.0
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * @return the number of dimensions (0 for a scalar)
     * @since 0.1.0
     */
    public int rank() {
        return shape.length;
    }

    /**
     * @return the number of elements: the product of the dimensions (1 for a 0-d array, 0 if any
     *     dimension is 0)
     * @since 0.1.0
     */
    public long size() {
        return length();
    }

    int length() {
        switch (dtype) {
            case FLOAT64:
                return f64.length;
            case FLOAT32:
                return f32.length;
            default:
                return u8.length;
        }
    }

    /**
     * All values widened to double, in C order. Exact for every type: uint8 gives 0–255, bool 0 or
     * 1.
     *
     * @return a new array of {@link #size()} values
     * @since 0.1.0
     */
    public double[] toDoubleArray() {
        switch (dtype) {
            case FLOAT64:
                return f64.clone();
            case FLOAT32:
                double[] d = new double[f32.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = f32[i];
                }
                return d;
            default:
                double[] b = new double[u8.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = Byte.toUnsignedInt(u8[i]);
                }
                return b;
        }
    }

    /**
     * All values as float, in C order. Exact for float32, uint8 and bool; float64 values are rounded
     * to the nearest float (overflowing to infinity).
     *
     * @return a new array of {@link #size()} values
     * @since 0.1.0
     */
    public float[] toFloatArray() {
        switch (dtype) {
            case FLOAT32:
                return f32.clone();
            case FLOAT64:
                float[] f = new float[f64.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) f64[i];
                }
                return f;
            default:
                float[] b = new float[u8.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = Byte.toUnsignedInt(u8[i]);
                }
                return b;
        }
    }

    /**
     * The values as a {@link Volume} (widened to double as by {@link #toDoubleArray()}).
     *
     * <p>Accepted shapes: {@code [H, W]} becomes a single frame {@code [1, H, W]}; {@code [T, H, W]}
     * is taken as it is; higher ranks are accepted when every dimension before the last three is 1,
     * which covers the batch and channel axes models add ({@code [1, T, H, W]},
     * {@code [1, 1, T, H, W]}): those leading axes are dropped. The values are not checked (a volume
     * may hold NaN).
     *
     * @return the volume
     * @throws IllegalArgumentException naming the shape, if the rank is 0 or 1, if a dimension before
     *     the last three is not 1, or if any dimension is 0
     * @since 0.1.0
     */
    public Volume toVolume() {
        int r = shape.length;
        boolean ok = r >= 2;
        for (int i = 0; ok && i < r - 3; i++) {
            ok = shape[i] == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape %s cannot be read as a volume: expected [H, W], [T, H, W] or"
                            + " [1, ..., 1, T, H, W]", shapeString()));
        }
        int t = r == 2 ? 1 : shape[r - 3];
        int h = shape[r - 2];
        int w = shape[r - 1];
        if (t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape %s cannot be read as a volume: it is empty (every dimension must be >= 1)",
                    shapeString()));
        }
        return Volume.wrap(toDoubleArray(), t, h, w);
    }

    /** Writes the values as little-endian bytes, in C order, into {@code out} (a chunk). */
    void putLittleEndian(ByteBuffer out, int from, int count) {
        switch (dtype) {
            case FLOAT64:
                out.asDoubleBuffer().put(f64, from, count);
                out.position(out.position() + count * 8);
                break;
            case FLOAT32:
                out.asFloatBuffer().put(f32, from, count);
                out.position(out.position() + count * 4);
                break;
            default:
                out.put(u8, from, count);
                break;
        }
    }

    /**
     * The shape as NumPy prints it: {@code ()}, {@code (5,)}, {@code (15, 32, 32)}.
     *
     * @return the shape text
     */
    String shapeString() {
        return NpyHeader.shapeRepr(shape);
    }

    /**
     * Two arrays are equal when they have the same type, shape and values; floating-point values
     * compare as {@link Arrays#equals(double[], double[])} does (NaN equals NaN, 0.0 differs from
     * -0.0).
     *
     * @param o another object
     * @return whether {@code o} is an equal array
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NpyArray)) {
            return false;
        }
        NpyArray a = (NpyArray) o;
        return dtype == a.dtype && Arrays.equals(shape, a.shape) && Arrays.equals(f64, a.f64)
                && Arrays.equals(f32, a.f32) && Arrays.equals(u8, a.u8);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(f64),
                Arrays.hashCode(f32), Arrays.hashCode(u8));
    }

    /** @return the type and shape, e.g. {@code NpyArray[<f4, (15, 32, 32)]} */
    @Override
    public String toString() {
        return "NpyArray[" + dtype.descr() + ", " + shapeString() + "]";
    }
}
