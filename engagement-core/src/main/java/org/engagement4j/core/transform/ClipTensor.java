package org.engagement4j.core.transform;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A video clip as the network sees it: {@code float} values in {@code [C, T, H, W]} order
 * (channels, frames, rows, columns; C order, the last index fastest), the layout of the
 * reference's PyTorch tensors and of the classifier's ONNX input (REFERENCE.md §2, §5).
 *
 * <p>Instances are immutable: factories copy what they are given and {@link #toArray()} returns a
 * copy. Operations in this package read the values without copying and always return a new clip.
 * A clip holds at most {@link #MAX_ELEMENTS} values; every dimension is at least 1.
 *
 * <p>A clip usually has 3 channels (R, G, B), either on the 0–255 scale ({@link #fromRgb}) or
 * normalised ({@link Normalization#apply(byte[], int, int, int)}); the augmentations accept any
 * number of channels except where they say otherwise.
 *
 * @since 0.1.0
 */
public final class ClipTensor {

    /** The most values a clip can hold (the largest safe Java array length). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final float[] data;
    private final int channels;
    private final int frames;
    private final int height;
    private final int width;

    private ClipTensor(float[] data, int channels, int frames, int height, int width) {
        this.data = data;
        this.channels = channels;
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    /**
     * A clip holding a copy of {@code data}.
     *
     * @param data the values in {@code [C, T, H, W]} order, every one finite
     * @param channels C, at least 1
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the clip
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalArgumentException if a dimension is below 1, {@code data.length} is not
     *     {@code C * T * H * W}, or a value is NaN or infinite (the message gives its index)
     */
    public static ClipTensor of(float[] data, int channels, int frames, int height, int width) {
        Objects.requireNonNull(data, "data");
        int n = Checks.elements("clip", channels, frames, height, width);
        if (data.length != n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "data: length %d does not match shape [%d, %d, %d, %d] (%d values)",
                    data.length, channels, frames, height, width, n));
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "data: value %s at index %d (channel %d, frame %d, row %d, column %d)"
                                + " is not finite",
                        data[i], i, i / (frames * height * width), i / (height * width) % frames,
                        i / width % height, i % width));
            }
        }
        return new ClipTensor(data.clone(), channels, frames, height, width);
    }

    /**
     * The raw pixel values of RGB frames as a 3-channel clip on the 0–255 scale: the
     * {@code [T, H, W, 3]} to {@code [3, T, H, W]} transpose of the reference's
     * {@code frames.permute(3, 0, 1, 2).float()}, without normalisation.
     *
     * @param thwc uint8 RGB values in {@code [T, H, W, 3]} order (each byte read as 0–255)
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the clip
     * @throws IllegalArgumentException if a dimension is below 1 or {@code thwc.length} is not
     *     {@code T * H * W * 3}
     */
    public static ClipTensor fromRgb(byte[] thwc, int frames, int height, int width) {
        Objects.requireNonNull(thwc, "thwc");
        int n = Checks.rgbBytes("thwc", frames, height, width);
        requireLength("thwc", thwc.length, n, frames, height, width);
        float[] out = new float[n];
        Rgb.planar(thwc, 0, n / 3, Rgb.IDENTITY, out);
        return new ClipTensor(out, 3, frames, height, width);
    }

    static void requireLength(String name, int actual, int expected, int frames, int height,
            int width) {
        if (actual != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d bytes do not match [T, H, W, 3] = [%d, %d, %d, 3] (%d bytes)",
                    name, actual, frames, height, width, expected));
        }
    }

    /** Wraps without copying or checking: for this package's operations, which own the array. */
    static ClipTensor wrap(float[] data, int channels, int frames, int height, int width) {
        return new ClipTensor(data, channels, frames, height, width);
    }

    /** The backing array itself, never to be modified: for this package's operations. */
    float[] data() {
        return data;
    }

    /** @return C, the number of channels */
    public int channels() {
        return channels;
    }

    /** @return T, the number of frames */
    public int frames() {
        return frames;
    }

    /** @return H, the number of rows per frame */
    public int height() {
        return height;
    }

    /** @return W, the number of columns per frame */
    public int width() {
        return width;
    }

    /** @return a new array {@code {C, T, H, W}} */
    public int[] shape() {
        return new int[] {channels, frames, height, width};
    }

    /** @return {@code C * T * H * W}, the number of values */
    public int size() {
        return data.length;
    }

    /** @return {@code H * W}, the values in one frame of one channel */
    int planeSize() {
        return height * width;
    }

    /** @return {@code C * T}, the number of {@code H x W} planes */
    int planes() {
        return channels * frames;
    }

    /**
     * One value.
     *
     * @param channel the channel, {@code 0 <= channel < C}
     * @param frame the frame, {@code 0 <= frame < T}
     * @param row the row, {@code 0 <= row < H}
     * @param column the column, {@code 0 <= column < W}
     * @return the value
     * @throws IndexOutOfBoundsException if an index is out of range (the message names it)
     */
    public float get(int channel, int frame, int row, int column) {
        Objects.checkIndex(channel, channels);
        Objects.checkIndex(frame, frames);
        Objects.checkIndex(row, height);
        Objects.checkIndex(column, width);
        return data[((channel * frames + frame) * height + row) * width + column];
    }

    /** @return a copy of the values in {@code [C, T, H, W]} order */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * Copies the values into {@code destination} starting at {@code offset}: how a batch
     * {@code [N, C, T, H, W]} for the classifier is filled without an intermediate copy.
     *
     * @param destination the array to write into
     * @param offset the first index written
     * @throws IndexOutOfBoundsException if {@code destination} is too short
     */
    public void copyTo(float[] destination, int offset) {
        Objects.requireNonNull(destination, "destination");
        Objects.checkFromIndexSize(offset, data.length, destination.length);
        System.arraycopy(data, 0, destination, offset, data.length);
    }

    /**
     * A clip of consecutive frames of this one (a copy).
     *
     * @param start the first frame, {@code 0 <= start < T}
     * @param count the number of frames, at least 1, {@code start + count <= T}
     * @return the frames {@code [start, start + count)} of every channel
     * @throws IndexOutOfBoundsException if the range is not inside {@code [0, T)} or empty
     */
    public ClipTensor frames(int start, int count) {
        if (count < 1) {
            throw new IndexOutOfBoundsException(String.format(Locale.ROOT,
                    "count: %d frames requested, at least 1 needed", count));
        }
        Objects.checkFromIndexSize(start, count, frames);
        int plane = height * width;
        float[] out = new float[channels * count * plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(data, (c * frames + start) * plane, out, c * count * plane,
                    count * plane);
        }
        return new ClipTensor(out, channels, count, height, width);
    }

    /**
     * @param o another object
     * @return whether {@code o} is a clip of the same shape with bit-identical values
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ClipTensor)) {
            return false;
        }
        ClipTensor c = (ClipTensor) o;
        return channels == c.channels && frames == c.frames && height == c.height
                && width == c.width && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape()) + Arrays.hashCode(data);
    }

    /** @return the shape, e.g. {@code ClipTensor[3, 15, 160, 208]} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ClipTensor[%d, %d, %d, %d]", channels, frames, height,
                width);
    }
}
