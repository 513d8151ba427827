package org.engagement4j.xai.render;

import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;

/**
 * The frames an attention map is drawn on: {@code T} RGB frames of {@code H x W} pixels, uint8 in
 * {@code [T, H, W, 3]} order (the layout of the clip cache). Immutable.
 *
 * <p>A map refers to the clip the model saw (normalised and centre-cropped), so the usual source
 * is that clip itself, brought back to pixels with {@link #fromNormalized}.
 *
 * @since 0.1.0
 */
public final class RgbFrames {

    private final byte[] thwc;
    private final int frames;
    private final int height;
    private final int width;

    private RgbFrames(byte[] thwc, int frames, int height, int width) {
        this.thwc = thwc;
        this.frames = frames;
        this.height = height;
        this.width = width;
    }

    /**
     * @param thwc uint8 RGB values in {@code [T, H, W, 3]} order (copied)
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return the frames
     * @throws IllegalArgumentException if a dimension is below 1 or the length does not match
     */
    public static RgbFrames of(byte[] thwc, int frames, int height, int width) {
        Objects.requireNonNull(thwc, "thwc");
        if (frames < 1 || height < 1 || width < 1
                || (long) frames * height * width * 3 != thwc.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "thwc: %d bytes for [T, H, W, 3] = [%d, %d, %d, 3]; every dimension must be"
                            + " >= 1 and the length T * H * W * 3", thwc.length, frames, height,
                    width));
        }
        return new RgbFrames(thwc.clone(), frames, height, width);
    }

    /**
     * A 3-channel clip on the 0–255 scale, rounded and clamped to bytes.
     *
     * @param rgb a {@code [3, T, H, W]} clip with values on the 0–255 scale
     * @return the frames
     * @throws IllegalArgumentException if the clip does not have 3 channels
     */
    public static RgbFrames fromRgb(ClipTensor rgb) {
        requireRgb(rgb);
        return convert(rgb, 1.0, 0.0);
    }

    /**
     * A normalised clip brought back to pixels with the statistics that normalised it
     * ({@code x * std + mean}, rounded and clamped).
     *
     * @param normalized a normalised {@code [3, T, H, W]} clip
     * @param normalization the statistics that produced it
     * @return the frames
     * @throws IllegalArgumentException if the clip does not have 3 channels
     */
    public static RgbFrames fromNormalized(ClipTensor normalized, Normalization normalization) {
        Objects.requireNonNull(normalization, "normalization");
        requireRgb(normalized);
        return fromRgb(normalization.invert(normalized));
    }

    /**
     * A clip of unknown scale shown by stretching its values linearly so that the smallest
     * becomes 0 and the largest 255 (one scale for all channels and frames, so colours keep their
     * balance); a constant clip becomes mid-grey. For normalised input whose statistics are not
     * known.
     *
     * @param clip a {@code [3, T, H, W]} clip
     * @return the frames
     * @throws IllegalArgumentException if the clip does not have 3 channels
     */
    public static RgbFrames stretched(ClipTensor clip) {
        requireRgb(clip);
        float[] v = clip.toArray();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (max == min) {
            return convert(clip, 0.0, 127.5);
        }
        double scale = 255.0 / (max - min);
        return convert(clip, scale, -min * scale);
    }

    private static void requireRgb(ClipTensor clip) {
        Objects.requireNonNull(clip, "clip");
        if (clip.channels() != 3) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip %s has %d channels; frames to draw on need 3 (R, G, B)", clip,
                    clip.channels()));
        }
    }

    private static RgbFrames convert(ClipTensor clip, double scale, double offset) {
        int t = clip.frames();
        int h = clip.height();
        int w = clip.width();
        float[] v = clip.toArray();
        int plane = t * h * w;
        byte[] out = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                long p = Math.round(v[c * plane + i] * scale + offset);
                out[i * 3 + c] = (byte) Math.max(0, Math.min(255, p));
            }
        }
        return new RgbFrames(out, t, h, w);
    }

    /** @return T */
    public int frames() {
        return frames;
    }

    /** @return H */
    public int height() {
        return height;
    }

    /** @return W */
    public int width() {
        return width;
    }

    /**
     * @param t a frame index
     * @param y a row
     * @param x a column
     * @return the pixel as {@code 0xRRGGBB}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public int rgb(int t, int y, int x) {
        Objects.checkIndex(t, frames);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        int i = ((t * height + y) * width + x) * 3;
        return ((thwc[i] & 0xFF) << 16) | ((thwc[i + 1] & 0xFF) << 8) | (thwc[i + 2] & 0xFF);
    }

    /**
     * @param t a frame index
     * @return the frame as a new {@code TYPE_INT_RGB} image
     * @throws IndexOutOfBoundsException if {@code t} is out of range
     */
    public BufferedImage image(int t) {
        Objects.checkIndex(t, frames);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[width * height];
        int base = t * height * width * 3;
        for (int i = 0; i < px.length; i++) {
            int j = base + i * 3;
            px[i] = ((thwc[j] & 0xFF) << 16) | ((thwc[j + 1] & 0xFF) << 8) | (thwc[j + 2] & 0xFF);
        }
        img.setRGB(0, 0, width, height, px, 0, width);
        return img;
    }

    /** @return a copy of the bytes, {@code [T, H, W, 3]} */
    public byte[] toArray() {
        return thwc.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RgbFrames[%d, %d, %d]", frames, height, width);
    }
}
