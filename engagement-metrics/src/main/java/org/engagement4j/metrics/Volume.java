package org.engagement4j.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * An immutable {@code [T,H,W]} block of doubles in C order: {@code T} frames of {@code H} rows of
 * {@code W} columns. The value type shared by every metric of this module: an attention map over a
 * snippet, a single 2-D map ({@code T = 1}), or a stack of histograms.
 *
 * <p>Arrays passed in are copied and arrays handed out are copies, so a {@code Volume} can be shared
 * between threads. Values are not validated on construction (a volume may hold NaN, for example a
 * map read from a file); metrics validate what they need with {@link #requireFinite(String)} and
 * {@link #requireNonNegative(String)}, whose messages name the argument, the frame and the pixel.
 *
 * @since 0.1.0
 */
public final class Volume {

    private final double[] data;
    private final int frames;
    private final int height;
    private final int width;

    private Volume(double[] data, int frames, int height, int width) {
        this.data = data;
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    /**
     * A volume over a copy of {@code data}.
     *
     * @param data values in C order, length {@code frames * height * width}
     * @param frames number of frames {@code T}, at least 1
     * @param height rows per frame {@code H}, at least 1
     * @param width columns per frame {@code W}, at least 1
     * @return the volume
     * @throws IllegalArgumentException if a dimension is below 1 or the length does not match
     */
    public static Volume of(double[] data, int frames, int height, int width) {
        Objects.requireNonNull(data, "data");
        checkShape(data.length, frames, height, width);
        return new Volume(data.clone(), frames, height, width);
    }

    /**
     * A volume over a widened copy of float32 {@code data}.
     *
     * @param data values in C order, length {@code frames * height * width}
     * @param frames number of frames, at least 1
     * @param height rows per frame, at least 1
     * @param width columns per frame, at least 1
     * @return the volume
     * @throws IllegalArgumentException if a dimension is below 1 or the length does not match
     */
    public static Volume ofFloats(float[] data, int frames, int height, int width) {
        Objects.requireNonNull(data, "data");
        checkShape(data.length, frames, height, width);
        double[] copy = new double[data.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = data[i];
        }
        return new Volume(copy, frames, height, width);
    }

    /**
     * A single-frame volume ({@code T = 1}) over a copy of a 2-D map.
     *
     * @param data values in row-major order, length {@code height * width}
     * @param height rows, at least 1
     * @param width columns, at least 1
     * @return the volume
     * @throws IllegalArgumentException if a dimension is below 1 or the length does not match
     */
    public static Volume ofFrame(double[] data, int height, int width) {
        return of(data, 1, height, width);
    }

    /**
     * A volume of the given shape filled with {@code value}.
     *
     * @param value the fill value
     * @param frames number of frames, at least 1
     * @param height rows per frame, at least 1
     * @param width columns per frame, at least 1
     * @return the volume
     */
    public static Volume filled(double value, int frames, int height, int width) {
        checkDims(frames, height, width);
        double[] d = new double[Math.multiplyExact(Math.multiplyExact(frames, height), width)];
        Arrays.fill(d, value);
        return new Volume(d, frames, height, width);
    }

    /**
     * Takes ownership of {@code data} without copying. For code that has just allocated the array
     * and never touches it again.
     *
     * @param data values in C order; must not be modified afterwards
     * @param frames number of frames
     * @param height rows per frame
     * @param width columns per frame
     * @return the volume
     */
    public static Volume wrap(double[] data, int frames, int height, int width) {
        Objects.requireNonNull(data, "data");
        checkShape(data.length, frames, height, width);
        return new Volume(data, frames, height, width);
    }

    private static void checkDims(int frames, int height, int width) {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape [%d, %d, %d] must have every dimension >= 1", frames, height, width));
        }
    }

    private static void checkShape(int length, int frames, int height, int width) {
        checkDims(frames, height, width);
        long expected = (long) frames * height * width;
        if (expected != length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "data length %d does not match shape [%d, %d, %d] (expected %d values)",
                    length, frames, height, width, expected));
        }
    }

    /** @return number of frames {@code T} */
    public int frames() {
        return frames;
    }

    /** @return rows per frame {@code H} */
    public int height() {
        return height;
    }

    /** @return columns per frame {@code W} */
    public int width() {
        return width;
    }

    /** @return values per frame, {@code H * W} */
    public int frameSize() {
        return height * width;
    }

    /** @return total number of values, {@code T * H * W} */
    public int size() {
        return data.length;
    }

    /** @return the shape as a new array {@code {T, H, W}} */
    public int[] shape() {
        return new int[] {frames, height, width};
    }

    /**
     * @param other another volume
     * @return whether both volumes have the same {@code [T,H,W]}
     */
    public boolean sameShape(Volume other) {
        return frames == other.frames && height == other.height && width == other.width;
    }

    /**
     * One value.
     *
     * @param t frame index
     * @param y row index
     * @param x column index
     * @return the value at {@code [t, y, x]}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double get(int t, int y, int x) {
        Objects.checkIndex(t, frames);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return data[(t * height + y) * width + x];
    }

    /**
     * One value by flat C-order index.
     *
     * @param index flat index in {@code [0, size())}
     * @return the value
     */
    public double getFlat(int index) {
        return data[index];
    }

    /** @return a copy of all values in C order */
    public double[] toArray() {
        return data.clone();
    }

    /** @return all values narrowed to float32, in C order */
    public float[] toFloatArray() {
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data[i];
        }
        return out;
    }

    /**
     * @param t frame index
     * @return a copy of frame {@code t}, row-major, length {@code H * W}
     */
    public double[] frame(int t) {
        Objects.checkIndex(t, frames);
        return Arrays.copyOfRange(data, t * frameSize(), (t + 1) * frameSize());
    }

    /**
     * Copies frame {@code t} into {@code dst} starting at {@code offset}, without allocating.
     *
     * @param t frame index
     * @param dst destination array
     * @param offset first index written in {@code dst}
     */
    public void copyFrameInto(int t, double[] dst, int offset) {
        Objects.checkIndex(t, frames);
        System.arraycopy(data, t * frameSize(), dst, offset, frameSize());
    }

    /**
     * @param t frame index
     * @return frame {@code t} as a single-frame volume
     */
    public Volume frameVolume(int t) {
        return new Volume(frame(t), 1, height, width);
    }

    /**
     * @param op function applied to every value
     * @return a new volume of the same shape holding {@code op(v)} for every value {@code v}
     */
    public Volume map(DoubleUnaryOperator op) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.applyAsDouble(data[i]);
        }
        return new Volume(out, frames, height, width);
    }

    /** @return the smallest value (NaN if any value is NaN) */
    public double min() {
        double m = Double.POSITIVE_INFINITY;
        for (double v : data) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.min(m, v);
        }
        return m;
    }

    /** @return the largest value (NaN if any value is NaN) */
    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : data) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            m = Math.max(m, v);
        }
        return m;
    }

    /** @return the sum of all values */
    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    /**
     * Checks that every value is finite.
     *
     * @param argument the caller's name for this volume, used in the message
     * @return this volume
     * @throws IllegalArgumentException naming {@code argument}, the frame and pixel of the first
     *     NaN or infinite value
     */
    public Volume requireFinite(String argument) {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: value %s at %s is not finite", argument, data[i], position(i)));
            }
        }
        return this;
    }

    /**
     * Checks that every value is finite and non-negative.
     *
     * @param argument the caller's name for this volume, used in the message
     * @return this volume
     * @throws IllegalArgumentException naming {@code argument}, the frame and pixel of the first
     *     offending value
     */
    public Volume requireNonNegative(String argument) {
        requireFinite(argument);
        for (int i = 0; i < data.length; i++) {
            if (data[i] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: value %s at %s is negative (histograms must be >= 0)",
                        argument, data[i], position(i)));
            }
        }
        return this;
    }

    /**
     * Checks that {@code other} has this volume's shape.
     *
     * @param argument the caller's name for this volume
     * @param other the other volume
     * @param otherArgument the caller's name for the other volume
     * @throws IllegalArgumentException naming both arguments and shapes when they differ
     */
    public void requireSameShape(String argument, Volume other, String otherArgument) {
        if (!sameShape(other)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "shape mismatch: %s is %s but %s is %s", argument, shapeString(),
                    otherArgument, other.shapeString()));
        }
    }

    /** @return the shape as text, {@code [T, H, W]} */
    public String shapeString() {
        return "[" + frames + ", " + height + ", " + width + "]";
    }

    private String position(int flat) {
        int t = flat / frameSize();
        int r = flat % frameSize();
        return String.format(Locale.ROOT, "[frame %d, row %d, column %d]", t, r / width, r % width);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Volume)) {
            return false;
        }
        Volume v = (Volume) o;
        return sameShape(v) && Arrays.equals(data, v.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(frames, height, width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Volume" + shapeString();
    }
}
