package org.engagement4j.xai.attention;

import java.util.Locale;

/**
 * Where occlusion blanks the input: around every point of a grid with the given strides, a
 * block reaching {@code radius} samples to each side (so {@code 2 r + 1} long, clipped at the
 * clip's borders) is set to zero in every channel, one forward pass per grid point.
 *
 * <p>This is the reference's {@code occlusion_3d} (which produced the paper's occlusion maps):
 * {@link #reference()} has radius {@code (1, 16, 16)} and stride {@code (1, 16, 16)} along
 * {@code (T, H, W)}, i.e. a {@code 3 x 33 x 33} block (three frames, all three channels) centred
 * on frame {@code t} and pixel {@code (16 i, 16 j)}, giving a {@code [T, ceil(H / 16), ceil(W /
 * 16)]} map: {@code 15 x 10 x 10} for a {@code 15 x 160 x 160} clip, 1500 forward passes. On
 * normalised input, zero is the training folds' mean colour.
 *
 * @param radiusT frames blanked before and after the grid frame, at least 0
 * @param radiusH rows blanked above and below the grid row, at least 0
 * @param radiusW columns blanked left and right of the grid column, at least 0
 * @param strideT grid spacing in frames, at least 1
 * @param strideH grid spacing in rows, at least 1
 * @param strideW grid spacing in columns, at least 1
 * @since 0.1.0
 */
public record OcclusionWindow(int radiusT, int radiusH, int radiusW, int strideT, int strideH,
        int strideW) {

    /**
     * @throws IllegalArgumentException if a radius is negative or a stride below 1
     */
    public OcclusionWindow {
        if (radiusT < 0 || radiusH < 0 || radiusW < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "occlusion radius (%d, %d, %d): every radius must be >= 0", radiusT, radiusH,
                    radiusW));
        }
        if (strideT < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "occlusion stride (%d, %d, %d): every stride must be >= 1", strideT, strideH,
                    strideW));
        }
    }

    /** @return the reference's window: radius (1, 16, 16), stride (1, 16, 16) */
    public static OcclusionWindow reference() {
        return new OcclusionWindow(1, 16, 16, 1, 16, 16);
    }

    /**
     * The map's shape for a clip: {@code [ceil(T / strideT), ceil(H / strideH), ceil(W /
     * strideW)]}.
     *
     * @param frames T, at least 1
     * @param height H, at least 1
     * @param width W, at least 1
     * @return a new array {@code {T', H', W'}}
     * @throws IllegalArgumentException if a dimension is below 1
     */
    public int[] gridShape(int frames, int height, int width) {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip shape [%d, %d, %d]: every dimension must be >= 1", frames, height,
                    width));
        }
        return new int[] {ceilDiv(frames, strideT), ceilDiv(height, strideH),
            ceilDiv(width, strideW)};
    }

    /**
     * @param frames T
     * @param height H
     * @param width W
     * @return the number of forward passes one map costs: the product of {@link #gridShape}
     */
    public long positions(int frames, int height, int width) {
        int[] g = gridShape(frames, height, width);
        return (long) g[0] * g[1] * g[2];
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
