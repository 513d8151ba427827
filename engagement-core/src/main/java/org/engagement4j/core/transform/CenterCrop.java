package org.engagement4j.core.transform;

import java.util.Arrays;
import java.util.Locale;

/**
 * Crops the centre of every frame: the reference's test transform
 * {@code transforms.CenterCrop(160)}, which cuts 160 x 160 out of the 160 x 208 frames
 * (REFERENCE.md §5).
 *
 * <p><b>Semantics (torchvision 0.14,</b> {@code F.center_crop(x, [height, width])}<b>).</b> When
 * the crop fits, its top row is {@code round((H - height) / 2)} and its left column
 * {@code round((W - width) / 2)}, with Python's rounding (halves to even: an odd margin of 5 puts
 * the crop at 2, of 7 at 4). When the crop is taller or wider than the frame, the frame is first
 * padded with zeros, {@code (height - H) // 2} rows above and the rest below (columns likewise),
 * so the output's border reads 0.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class CenterCrop implements ClipTransform {

    private final int height;
    private final int width;

    private CenterCrop(int height, int width) {
        this.height = height;
        this.width = width;
    }

    /**
     * @param height the output's rows, at least 1
     * @param width the output's columns, at least 1
     * @return the crop
     * @throws IllegalArgumentException if a size is below 1
     */
    public static CenterCrop of(int height, int width) {
        return new CenterCrop(Checks.positive("height", height), Checks.positive("width", width));
    }

    /** @return the output's number of rows */
    public int height() {
        return height;
    }

    /** @return the output's number of columns */
    public int width() {
        return width;
    }

    /**
     * @param size the frames' number of rows
     * @param crop the crop's number of rows
     * @return the first source row of the crop; negative when it is padded
     */
    static int offset(int size, int crop) {
        return crop > size ? -((crop - size) / 2) : (int) Math.rint((size - crop) / 2.0);
    }

    /**
     * @param clip the clip, any shape
     * @return a new {@code [C, T, height, width]} clip
     * @throws IllegalArgumentException if the output would exceed {@link ClipTensor#MAX_ELEMENTS}
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        Checks.elements("output", clip.channels(), clip.frames(), height, width);
        int h = clip.height();
        int w = clip.width();
        int top = offset(h, height);
        int left = offset(w, width);
        // Columns [x0, x1) of the output come from inside the frame; the rest stay 0.
        int x0 = Math.max(0, -left);
        int x1 = Math.min(width, w - left);
        float[] in = clip.data();
        float[] out = new float[clip.planes() * height * width];
        for (int p = 0; p < clip.planes(); p++) {
            for (int y = 0; y < height; y++) {
                int sy = y + top;
                if (sy < 0 || sy >= h || x0 >= x1) {
                    continue;
                }
                System.arraycopy(in, (p * h + sy) * w + left + x0, out,
                        (p * height + y) * width + x0, x1 - x0);
            }
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), height, width);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CenterCrop && ((CenterCrop) o).height == height
                && ((CenterCrop) o).width == width;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {height, width});
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CenterCrop[%dx%d]", height, width);
    }
}
