package org.engagement4j.core.transform;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * Per-channel mean and standard deviation of RGB pixel values on the 0–255 scale, accumulated
 * clip by clip over the recordings of the training folds (REFERENCE.md §2): the statistics of
 * {@link Normalization}.
 *
 * <p>The reference loads every frame of a fold at once and calls NumPy's
 * {@code frames.mean(axis=(0, 1, 2))} and {@code frames.std(axis=(0, 1, 2))}: the
 * <em>population</em> standard deviation (divisor {@code n}, {@code ddof=0}) over all pixels of
 * all frames. {@link #std()} is that statistic; {@link #sampleStd()} (divisor {@code n - 1}) is
 * offered as well. The only difference from the reference is the one described in
 * {@link Normalization}: the statistics of the training folds are used for every fold.
 *
 * <p><b>Algorithm.</b> Pixel values are bytes, so the accumulator keeps a 256-bin histogram per
 * channel instead of running sums: adding a pixel is an integer increment, memory use is
 * independent of the amount of video, and {@link #combine merging} two accumulators adds their
 * counts. The counts are exact, so the statistics depend only on which pixels were added, not on
 * the order or chunking in which they arrive (a Welford or Chan update in floating point would
 * depend on both in its last bits). At
 * the end the mean is {@code sum_v v h[v] / n} with an exact integer sum, and the variance is the
 * two-pass {@code sum_v h[v] (v - mean)^2 / n} over the 256 bins in double precision, which has
 * no cancellation problem however many pixels were added. Counts are {@code long}; the integer sum
 * behind the mean stays exact up to {@code (2^63 - 1) / 255}, about {@code 3.6e16} pixels per
 * channel (some 10^8 hours of 160x208 video at 3.125 fps), beyond which the statistics throw an
 * {@link ArithmeticException}.
 *
 * <p>Instances are mutable and not thread-safe; give each thread its own accumulator and
 * {@link #combine} them.
 *
 * @since 0.1.0
 */
public final class ChannelStatistics {

    private static final int CHUNK = 3 << 14;

    /** Bins of channel c at {@code c * 256 + value}. */
    private final long[] histogram = new long[3 * 256];
    private long pixels;

    /** An empty accumulator. */
    public ChannelStatistics() {
    }

    /** @return an empty accumulator */
    public static ChannelStatistics create() {
        return new ChannelStatistics();
    }

    /**
     * Adds every pixel of a clip of RGB frames.
     *
     * @param thwc uint8 RGB values in {@code [T, H, W, 3]} order
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return this accumulator
     * @throws IllegalArgumentException if a dimension is below 1 or {@code thwc.length} is not
     *     {@code T * H * W * 3}
     */
    public ChannelStatistics add(byte[] thwc, int frames, int height, int width) {
        Objects.requireNonNull(thwc, "thwc");
        int n = Checks.rgbBytes("thwc", frames, height, width);
        ClipTensor.requireLength("thwc", thwc.length, n, frames, height, width);
        count(thwc, 0, n);
        return this;
    }

    /**
     * Adds interleaved RGB pixels ({@code R, G, B, R, G, B, ...}) from part of an array.
     *
     * @param rgb the bytes
     * @param offset the index of the first pixel's R byte
     * @param length the number of bytes, a multiple of 3 (0 adds nothing)
     * @return this accumulator
     * @throws IllegalArgumentException if {@code length} is negative or not a multiple of 3
     * @throws IndexOutOfBoundsException if the range is not inside {@code rgb}
     */
    public ChannelStatistics add(byte[] rgb, int offset, int length) {
        Objects.requireNonNull(rgb, "rgb");
        requireWholePixels(length);
        Objects.checkFromIndexSize(offset, length, rgb.length);
        count(rgb, offset, length);
        return this;
    }

    /**
     * Adds the interleaved RGB pixels remaining in a buffer (e.g. a memory-mapped clip cache),
     * from its position to its limit. The buffer's position, limit and mark are not changed.
     *
     * @param rgb the buffer; its remaining bytes must be a multiple of 3
     * @return this accumulator
     * @throws IllegalArgumentException if the remaining bytes are not a multiple of 3
     */
    public ChannelStatistics add(ByteBuffer rgb) {
        Objects.requireNonNull(rgb, "rgb");
        int length = rgb.remaining();
        requireWholePixels(length);
        if (rgb.hasArray()) {
            count(rgb.array(), rgb.arrayOffset() + rgb.position(), length);
            return this;
        }
        byte[] chunk = new byte[Math.min(CHUNK, length)];
        for (int done = 0; done < length;) {
            int n = Math.min(chunk.length, length - done);
            rgb.get(rgb.position() + done, chunk, 0, n);
            count(chunk, 0, n);
            done += n;
        }
        return this;
    }

    private static void requireWholePixels(int length) {
        if (length < 0 || length % 3 != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "length: %d bytes is not a whole number of RGB pixels (a multiple of 3 >= 0)",
                    length));
        }
    }

    private void count(byte[] rgb, int offset, int length) {
        long[] h = histogram;
        for (int i = offset, end = offset + length; i < end; i += 3) {
            h[rgb[i] & 0xff]++;
            h[256 + (rgb[i + 1] & 0xff)]++;
            h[512 + (rgb[i + 2] & 0xff)]++;
        }
        pixels += length / 3;
    }

    /**
     * Adds the pixels of another accumulator to this one (the other is unchanged). The result is
     * exactly that of adding all pixels to one accumulator.
     *
     * @param other another accumulator (may be this one: its pixels are then counted twice)
     * @return this accumulator
     * @throws ArithmeticException if a count would overflow a {@code long}
     */
    public ChannelStatistics combine(ChannelStatistics other) {
        Objects.requireNonNull(other, "other");
        long[] add = other.histogram.clone();
        long total = Math.addExact(pixels, other.pixels);
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] = Math.addExact(histogram[i], add[i]);
        }
        pixels = total;
        return this;
    }

    /** @return the number of pixels added (per channel) */
    public long count() {
        return pixels;
    }

    /**
     * @param channel 0 (R), 1 (G) or 2 (B)
     * @param value a pixel value, 0–255
     * @return how many pixels had that value in that channel
     * @throws IndexOutOfBoundsException if an argument is out of range
     */
    public long count(int channel, int value) {
        Objects.checkIndex(channel, 3);
        Objects.checkIndex(value, 256);
        return histogram[channel * 256 + value];
    }

    /**
     * @return the per-channel means (R, G, B), {@code sum x / n}
     * @throws IllegalStateException if no pixel was added
     */
    public double[] mean() {
        requireNonEmpty();
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            out[c] = channelMean(c);
        }
        return out;
    }

    private double channelMean(int c) {
        long sum = 0;
        for (int v = 1; v < 256; v++) {
            sum = Math.addExact(sum, v * histogram[c * 256 + v]);
        }
        return (double) sum / pixels;
    }

    private double sumOfSquares(int c) {
        double mean = channelMean(c);
        double s = 0;
        for (int v = 0; v < 256; v++) {
            double d = v - mean;
            s += histogram[c * 256 + v] * (d * d);
        }
        return s;
    }

    /**
     * @return the per-channel population variances (R, G, B), {@code sum (x - mean)^2 / n}
     * @throws IllegalStateException if no pixel was added
     */
    public double[] variance() {
        requireNonEmpty();
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            out[c] = sumOfSquares(c) / pixels;
        }
        return out;
    }

    /**
     * The reference's statistic: NumPy's {@code std} with {@code ddof=0}.
     *
     * @return the per-channel population standard deviations (R, G, B),
     *     {@code sqrt(sum (x - mean)^2 / n)}
     * @throws IllegalStateException if no pixel was added
     */
    public double[] std() {
        double[] v = variance();
        for (int c = 0; c < 3; c++) {
            v[c] = Math.sqrt(v[c]);
        }
        return v;
    }

    /**
     * @return the per-channel sample standard deviations (R, G, B),
     *     {@code sqrt(sum (x - mean)^2 / (n - 1))}
     * @throws IllegalStateException if fewer than 2 pixels were added
     */
    public double[] sampleStd() {
        if (pixels < 2) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the sample standard deviation needs at least 2 pixels, %d added", pixels));
        }
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            out[c] = Math.sqrt(sumOfSquares(c) / (pixels - 1));
        }
        return out;
    }

    /**
     * The normalisation with these means and population standard deviations, as the reference
     * computes it.
     *
     * @return the normalisation
     * @throws IllegalStateException if no pixel was added, or a channel has the same value in
     *     every pixel (standard deviation 0: nothing to divide by; the message names the channel)
     */
    public Normalization toNormalization() {
        double[] mean = mean();
        double[] std = std();
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "channel %s has the same value in all %d pixels (standard deviation 0);"
                                + " a normalisation needs varying pixels",
                        Normalization.channelName(c), pixels));
            }
        }
        return Normalization.of(mean, std);
    }

    private void requireNonEmpty() {
        if (pixels == 0) {
            throw new IllegalStateException("no pixels added: the statistics are undefined");
        }
    }

    /** @return the pixel count and, when not empty, the means and standard deviations */
    @Override
    public String toString() {
        if (pixels == 0) {
            return "ChannelStatistics[n=0]";
        }
        double[] m = mean();
        double[] s = std();
        return String.format(Locale.ROOT,
                "ChannelStatistics[n=%d, mean=[%.4f, %.4f, %.4f], std=[%.4f, %.4f, %.4f]]",
                pixels, m[0], m[1], m[2], s[0], s[1], s[2]);
    }
}
