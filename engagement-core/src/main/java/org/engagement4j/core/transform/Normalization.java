package org.engagement4j.core.transform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.internal.AtomicFiles;

/**
 * Per-channel normalisation {@code (x - mean[c]) / std[c]} of RGB values on the 0–255 scale: the
 * first step from decoded frames to the network's input (REFERENCE.md §2).
 *
 * <p>The statistics come from the <em>training</em> folds ({@link ChannelStatistics}) and are
 * applied unchanged to validation, test and inference clips, and stored with the model
 * ({@link #toJson()}, {@link #write(Path)}). The reference instead normalised every fold with its
 * own statistics, which leaks information from validation and test data; this library does not
 * copy that.
 *
 * <p>Values are computed in double precision and rounded once to {@code float}; the reference
 * computes {@code (float(x) - mean) / std} in float32, so results agree to about one unit in the
 * last place (checked against PyTorch to {@code 1e-5}).
 *
 * <p>JSON form, written by {@link #toJson()} and read by {@link #fromJson(String)}:
 * <pre>{@code
 * {
 *   "mean" : [ 123.4, 117.1, 104.2 ],
 *   "std" : [ 58.3, 57.0, 57.5 ]
 * }
 * }</pre>
 * in R, G, B order. Other keys are refused, so that a misspelt key cannot pass unnoticed.
 *
 * @param mean the per-channel means, R, G, B, each finite (a copy is kept and returned)
 * @param std the per-channel standard deviations, R, G, B, each finite and positive
 * @since 0.1.0
 */
public record Normalization(double[] mean, double[] std) {

    /** The number of channels, R, G, B. */
    public static final int CHANNELS = 3;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Validates and copies the arrays.
     *
     * @param mean the per-channel means, R, G, B
     * @param std the per-channel standard deviations, R, G, B
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if an array does not hold 3 values, a value is NaN or
     *     infinite, or a standard deviation is not positive (the message names the array and the
     *     channel)
     */
    public Normalization {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        mean = mean.clone();
        std = std.clone();
        check("mean", mean, false);
        check("std", std, true);
    }

    private static void check(String name, double[] values, boolean positive) {
        if (values.length != CHANNELS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d values given, expected %d (R, G, B)", name, values.length, CHANNELS));
        }
        for (int c = 0; c < CHANNELS; c++) {
            double v = values[c];
            if (!Double.isFinite(v) || positive && !(v > 0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: channel %s is %s, must be finite%s", name, channelName(c), v,
                        positive ? " and > 0" : ""));
            }
        }
    }

    static String channelName(int c) {
        return c == 0 ? "R" : c == 1 ? "G" : "B";
    }

    /**
     * @param mean the per-channel means on the 0–255 scale, R, G, B
     * @param std the per-channel standard deviations on the 0–255 scale, R, G, B
     * @return the normalisation
     * @throws IllegalArgumentException as the {@linkplain Normalization constructor}
     */
    public static Normalization of(double[] mean, double[] std) {
        return new Normalization(mean, std);
    }

    /** @return a copy of the per-channel means, R, G, B */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** @return a copy of the per-channel standard deviations, R, G, B */
    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Normalises RGB frames into a network input.
     *
     * @param thwc uint8 RGB values in {@code [T, H, W, 3]} order, as the clip cache stores them
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the {@code [3, T, H, W]} clip of {@code (x - mean[c]) / std[c]}
     * @throws IllegalArgumentException if a dimension is below 1 or {@code thwc.length} is not
     *     {@code T * H * W * 3}
     */
    public ClipTensor apply(byte[] thwc, int frames, int height, int width) {
        Objects.requireNonNull(thwc, "thwc");
        int n = Checks.rgbBytes("thwc", frames, height, width);
        ClipTensor.requireLength("thwc", thwc.length, n, frames, height, width);
        return apply(thwc, 0, frames, height, width);
    }

    /**
     * Normalises RGB frames stored inside a larger array, such as one snippet of a whole
     * recording: no copy of the bytes is made.
     *
     * @param thwc uint8 RGB values; the clip's {@code T * H * W * 3} bytes start at
     *     {@code offset}, in {@code [T, H, W, 3]} order
     * @param offset the index of the first byte
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the {@code [3, T, H, W]} clip of {@code (x - mean[c]) / std[c]}
     * @throws IllegalArgumentException if a dimension is below 1
     * @throws IndexOutOfBoundsException if the bytes do not lie inside {@code thwc}
     */
    public ClipTensor apply(byte[] thwc, int offset, int frames, int height, int width) {
        Objects.requireNonNull(thwc, "thwc");
        int n = Checks.rgbBytes("thwc", frames, height, width);
        Objects.checkFromIndexSize(offset, n, thwc.length);
        float[] out = new float[n];
        Rgb.planar(thwc, offset, n / 3, table(), out);
        return ClipTensor.wrap(out, CHANNELS, frames, height, width);
    }

    /**
     * Normalises RGB frames read from a buffer, e.g. a memory-mapped clip cache. The
     * {@code T * H * W * 3} bytes are read from the buffer's position on; its position, limit and
     * mark are not changed.
     *
     * @param thwc the buffer, with at least {@code T * H * W * 3} bytes remaining
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the {@code [3, T, H, W]} clip of {@code (x - mean[c]) / std[c]}
     * @throws IllegalArgumentException if a dimension is below 1 or fewer bytes remain
     */
    public ClipTensor apply(ByteBuffer thwc, int frames, int height, int width) {
        Objects.requireNonNull(thwc, "thwc");
        int n = Checks.rgbBytes("thwc", frames, height, width);
        if (thwc.remaining() < n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "thwc: %d bytes remain in the buffer, [T, H, W, 3] = [%d, %d, %d, 3] needs %d",
                    thwc.remaining(), frames, height, width, n));
        }
        float[] out = new float[n];
        Rgb.planar(thwc, thwc.position(), n / 3, table(), out);
        return ClipTensor.wrap(out, CHANNELS, frames, height, width);
    }

    /**
     * Normalises a clip of raw values.
     *
     * @param raw a 3-channel clip on the 0–255 scale (e.g. from {@link ClipTensor#fromRgb})
     * @return the clip of {@code (x - mean[c]) / std[c]}
     * @throws IllegalArgumentException if the clip does not have 3 channels
     */
    public ClipTensor apply(ClipTensor raw) {
        requireRgb("raw", raw);
        float[] in = raw.data();
        float[] out = new float[in.length];
        int plane = in.length / CHANNELS;
        for (int c = 0; c < CHANNELS; c++) {
            double m = mean[c];
            double s = std[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                out[i] = (float) ((in[i] - m) / s);
            }
        }
        return ClipTensor.wrap(out, CHANNELS, raw.frames(), raw.height(), raw.width());
    }

    /**
     * Undoes {@link #apply(ClipTensor)}: {@code x * std[c] + mean[c]}, e.g. to display an
     * augmented clip. Values are not clamped to 0–255.
     *
     * @param normalised a 3-channel normalised clip
     * @return the clip on the 0–255 scale
     * @throws IllegalArgumentException if the clip does not have 3 channels
     */
    public ClipTensor invert(ClipTensor normalised) {
        requireRgb("normalised", normalised);
        float[] in = normalised.data();
        float[] out = new float[in.length];
        int plane = in.length / CHANNELS;
        for (int c = 0; c < CHANNELS; c++) {
            double m = mean[c];
            double s = std[c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                out[i] = (float) (in[i] * s + m);
            }
        }
        return ClipTensor.wrap(out, CHANNELS, normalised.frames(), normalised.height(),
                normalised.width());
    }

    private static void requireRgb(String name, ClipTensor clip) {
        Objects.requireNonNull(clip, name);
        if (clip.channels() != CHANNELS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %s has %d channels, expected %d (R, G, B)", name, clip, clip.channels(),
                    CHANNELS));
        }
    }

    private float[][] table() {
        float[][] lut = new float[CHANNELS][256];
        for (int c = 0; c < CHANNELS; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (float) ((v - mean[c]) / std[c]);
            }
        }
        return lut;
    }

    /** @return the JSON form (see the class description), indented, without a final newline */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode m = root.putArray("mean");
        ArrayNode s = root.putArray("std");
        for (int c = 0; c < CHANNELS; c++) {
            m.add(mean[c]);
            s.add(std[c]);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of numbers could not be written", e);
        }
    }

    /**
     * Reads the JSON form.
     *
     * @param json the text
     * @return the normalisation
     * @throws IllegalArgumentException if the text is not JSON, is not an object with exactly the
     *     keys {@code mean} and {@code std}, an array does not hold 3 numbers, or a value breaks
     *     the rules of the {@linkplain Normalization constructor}
     */
    public static Normalization fromJson(String json) {
        Objects.requireNonNull(json, "json");
        return parse(json, "json");
    }

    /**
     * Reads the JSON form from a UTF-8 file.
     *
     * @param file the file
     * @return the normalisation
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException as {@link #fromJson(String)}, the message starting with
     *     {@code file <name>:}
     */
    public static Normalization read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return parse(Files.readString(file, StandardCharsets.UTF_8), "file " + file);
    }

    /**
     * Writes the JSON form as UTF-8, atomically where the file system allows it: the text goes to
     * a temporary file beside {@code file} which is then renamed, so a reader never sees a
     * half-written file.
     *
     * @param file the file, replaced if it exists
     * @throws IOException if the file cannot be written
     */
    public void write(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    private static Normalization parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: not valid JSON: %s", source, e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: expected a JSON object with keys \"mean\" and \"std\"", source));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!"mean".equals(key) && !"std".equals(key)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: unknown key \"%s\", expected one of [mean, std]", source, key));
            }
        }
        double[] m = numbers(root, "mean", source);
        double[] s = numbers(root, "std", source);
        try {
            return new Normalization(m, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private static double[] numbers(JsonNode root, String key, String source) {
        JsonNode node = root.get(key);
        if (node == null || !node.isArray() || node.size() != CHANNELS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: \"%s\" must be an array of %d numbers (R, G, B), found %s", source, key,
                    CHANNELS, node == null ? "nothing" : node.toString()));
        }
        double[] out = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            JsonNode v = node.get(c);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: \"%s\" channel %s is %s, not a number", source, key, channelName(c),
                        v));
            }
            out[c] = v.doubleValue();
        }
        return out;
    }

    /**
     * @param o another object
     * @return whether {@code o} is a normalisation with bit-identical means and deviations
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization && Arrays.equals(mean, ((Normalization) o).mean)
                && Arrays.equals(std, ((Normalization) o).std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    /** @return e.g. {@code Normalization[mean=[123.4, 117.1, 104.2], std=[58.3, 57.0, 57.5]]} */
    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
