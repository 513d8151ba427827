package org.engagement4j.core.transform;

import java.util.Arrays;
import java.util.Locale;

/**
 * Crops a fixed box out of every frame and resizes it bilinearly to a fixed size: what the
 * reference's {@code transforms.RandomResizedCrop((112, 112), ...)} applies once it has drawn a
 * box ({@link RandomResizedCrop} draws it; REFERENCE.md §5).
 *
 * <p><b>Semantics (torchvision 0.14 on tensors,</b>
 * {@code F.resized_crop(x, top, left, height, width, [outHeight, outWidth], BILINEAR)}<b>).</b>
 * The crop is {@code F.crop}: rows {@code [top, top + height)} and columns
 * {@code [left, left + width)}; parts of the box outside the frame read as 0 (torchvision pads
 * with zeros; the random sampler never draws such boxes). The resize is {@code F.resize} with
 * {@code antialias=None}, which for tensors means no antialiasing: bilinear interpolation with
 * {@code align_corners=False}, source position {@code (o + 0.5) * in / out - 0.5} clamped at 0
 * and at the last row or column, so that shrinking by more than 2 skips pixels (aliasing) exactly
 * as the reference did. Weights are PyTorch's float32 weights bit for bit; the interpolation is
 * done in double precision and agrees with torchvision to about {@code 1e-6}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ResizedCrop implements ClipTransform {

    private final int top;
    private final int left;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;

    private ResizedCrop(int top, int left, int height, int width, int outHeight, int outWidth) {
        this.top = top;
        this.left = left;
        this.height = height;
        this.width = width;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
    }

    /**
     * @param top the box's first row (may be negative: rows above the frame read as 0)
     * @param left the box's first column (may be negative)
     * @param height the box's number of rows, at least 1
     * @param width the box's number of columns, at least 1
     * @param outHeight the output's rows, at least 1
     * @param outWidth the output's columns, at least 1
     * @return the transform
     * @throws IllegalArgumentException if a size is below 1
     */
    public static ResizedCrop of(int top, int left, int height, int width, int outHeight,
            int outWidth) {
        Checks.positive("height", height);
        Checks.positive("width", width);
        Checks.positive("outHeight", outHeight);
        Checks.positive("outWidth", outWidth);
        return new ResizedCrop(top, left, height, width, outHeight, outWidth);
    }

    /** @return the box's first row */
    public int top() {
        return top;
    }

    /** @return the box's first column */
    public int left() {
        return left;
    }

    /** @return the box's number of rows */
    public int height() {
        return height;
    }

    /** @return the box's number of columns */
    public int width() {
        return width;
    }

    /** @return the output's number of rows */
    public int outHeight() {
        return outHeight;
    }

    /** @return the output's number of columns */
    public int outWidth() {
        return outWidth;
    }

    /**
     * Crops and resizes every frame of every channel.
     *
     * @param clip the clip, any shape (the box may extend beyond its frames)
     * @return a new {@code [C, T, outHeight, outWidth]} clip
     * @throws IllegalArgumentException if the output would exceed {@link ClipTensor#MAX_ELEMENTS}
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        int planes = clip.planes();
        int outPlane = outHeight * outWidth;
        Checks.elements("output", clip.channels(), clip.frames(), outHeight, outWidth);
        int h = clip.height();
        int w = clip.width();
        LinearAxis rows = new LinearAxis(height, outHeight);
        LinearAxis cols = new LinearAxis(width, outWidth);
        // Absolute source columns; a column outside the frame keeps index 0 and weight 0.
        int[] c0 = new int[outWidth];
        int[] c1 = new int[outWidth];
        double[] w0 = new double[outWidth];
        double[] w1 = new double[outWidth];
        for (int o = 0; o < outWidth; o++) {
            int a = left + cols.i0[o];
            int b = left + cols.i1[o];
            boolean aIn = a >= 0 && a < w;
            boolean bIn = b >= 0 && b < w;
            c0[o] = aIn ? a : 0;
            c1[o] = bIn ? b : 0;
            w0[o] = aIn ? cols.l0[o] : 0;
            w1[o] = bIn ? cols.l1[o] : 0;
        }
        float[] in = clip.data();
        float[] out = new float[planes * outPlane];
        // Only the crop rows some output row reads are resized horizontally.
        double[] tmp = new double[height * outWidth];
        boolean[] needed = new boolean[height];
        for (int o = 0; o < outHeight; o++) {
            needed[rows.i0[o]] = true;
            needed[rows.i1[o]] = true;
        }
        int inPlane = h * w;
        for (int p = 0; p < planes; p++) {
            int base = p * inPlane;
            for (int r = 0; r < height; r++) {
                if (!needed[r]) {
                    continue;
                }
                int y = top + r;
                int t = r * outWidth;
                if (y < 0 || y >= h) {
                    Arrays.fill(tmp, t, t + outWidth, 0.0);
                    continue;
                }
                int row = base + y * w;
                for (int o = 0; o < outWidth; o++) {
                    tmp[t + o] = w0[o] * in[row + c0[o]] + w1[o] * in[row + c1[o]];
                }
            }
            int dst = p * outPlane;
            for (int o = 0; o < outHeight; o++) {
                double a = rows.l0[o];
                double b = rows.l1[o];
                int ra = rows.i0[o] * outWidth;
                int rb = rows.i1[o] * outWidth;
                int d = dst + o * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    out[d + x] = (float) (a * tmp[ra + x] + b * tmp[rb + x]);
                }
            }
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), outHeight, outWidth);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResizedCrop)) {
            return false;
        }
        ResizedCrop r = (ResizedCrop) o;
        return top == r.top && left == r.left && height == r.height && width == r.width
                && outHeight == r.outHeight && outWidth == r.outWidth;
    }

    @Override
    public int hashCode() {
        return ((((top * 31 + left) * 31 + height) * 31 + width) * 31 + outHeight) * 31 + outWidth;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "ResizedCrop[top=%d, left=%d, height=%d, width=%d -> %dx%d]", top, left, height,
                width, outHeight, outWidth);
    }
}
