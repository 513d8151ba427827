package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Crops a random box of random area and aspect ratio and resizes it to a fixed size:
 * torchvision's {@code RandomResizedCrop}, which the reference applies with size 112 x 112,
 * scale (0.6, 1.5) and ratio (0.5, 1.5) (REFERENCE.md §5). One box per clip, used for every frame.
 *
 * <p><b>Drawing the box</b> ({@code RandomResizedCrop.get_params}, torchvision 0.14). With
 * {@code H x W} frames and {@code A = H W}, up to 10 attempts each draw a target area
 * {@code A * U(scaleMin, scaleMax)} and an aspect ratio {@code exp(U(ln ratioMin, ln ratioMax))}
 * (log-uniform), and set {@code w = round(sqrt(area * ratio))},
 * {@code h = round(sqrt(area / ratio))} (Python's {@code round}: halves to even). The first
 * attempt with {@code 0 < w <= W} and {@code 0 < h <= H} wins; its top row is uniform in
 * {@code [0, H - h]} and its left column uniform in {@code [0, W - w]}. If all 10 attempts fail, the
 * box is central: the whole frame when {@code W / H} lies within the ratio range, otherwise the
 * widest (or tallest) box of the extreme ratio, {@code round(W / ratioMin)} rows or
 * {@code round(H * ratioMax)} columns, at offset {@code ((H - h) // 2, (W - w) // 2)}.
 *
 * <p>A scale above 1 asks for more area than the frame has and fits only through rounding, and
 * many other draws are too wide or too tall: with the reference's parameters on 160 x 208 frames
 * only about 15 % of attempts fit, and about 21 % of clips ({@code 0.85^10}) fall back to the
 * whole frame. That is the reference's behaviour and is kept.
 *
 * <p>The random numbers come from this library's generator, not PyTorch's, so the same seed does
 * not give the reference's boxes; the distribution is the same.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomResizedCrop implements ClipAugmentation {

    private static final int ATTEMPTS = 10;

    private final int outHeight;
    private final int outWidth;
    private final double scaleMin;
    private final double scaleMax;
    private final double ratioMin;
    private final double ratioMax;

    private RandomResizedCrop(int outHeight, int outWidth, double scaleMin, double scaleMax,
            double ratioMin, double ratioMax) {
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
    }

    /**
     * @param outHeight the output's rows, at least 1
     * @param outWidth the output's columns, at least 1
     * @param scaleMin the smallest fraction of the frame's area, finite and {@code > 0}
     * @param scaleMax the largest fraction, finite and {@code >= scaleMin}
     * @param ratioMin the smallest aspect ratio width / height, finite and {@code > 0}
     * @param ratioMax the largest aspect ratio, finite and {@code >= ratioMin}
     * @return the augmentation
     * @throws IllegalArgumentException if an argument breaks its rule (the message names it)
     */
    public static RandomResizedCrop of(int outHeight, int outWidth, double scaleMin,
            double scaleMax, double ratioMin, double ratioMax) {
        Checks.positive("outHeight", outHeight);
        Checks.positive("outWidth", outWidth);
        Checks.positiveRange("scale", scaleMin, scaleMax);
        Checks.positiveRange("ratio", ratioMin, ratioMax);
        return new RandomResizedCrop(outHeight, outWidth, scaleMin, scaleMax, ratioMin, ratioMax);
    }

    /** @return the reference's crop: 112 x 112, scale (0.6, 1.5), ratio (0.5, 1.5) */
    public static RandomResizedCrop reference() {
        return of(112, 112, 0.6, 1.5, 0.5, 1.5);
    }

    /** @return the output's number of rows */
    public int outHeight() {
        return outHeight;
    }

    /** @return the output's number of columns */
    public int outWidth() {
        return outWidth;
    }

    /** @return {@code {scaleMin, scaleMax}} */
    public double[] scale() {
        return new double[] {scaleMin, scaleMax};
    }

    /** @return {@code {ratioMin, ratioMax}} */
    public double[] ratio() {
        return new double[] {ratioMin, ratioMax};
    }

    /**
     * Draws a box for frames of the given size (see the class description).
     *
     * @param height the frames' rows, at least 1
     * @param width the frames' columns, at least 1
     * @param rng the generator: 2 draws per attempt, then 2 for the position of a successful one
     * @return the deterministic crop-and-resize with the drawn box
     * @throws IllegalArgumentException if a size is below 1
     */
    public ResizedCrop sample(int height, int width, UniformRandomProvider rng) {
        Checks.positive("height", height);
        Checks.positive("width", width);
        Checks.rng(rng);
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * Checks.uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(Checks.uniform(rng, logMin, logMax));
            double wd = Math.rint(Math.sqrt(target * aspect));
            double hd = Math.rint(Math.sqrt(target / aspect));
            if (wd > 0 && wd <= width && hd > 0 && hd <= height) {
                int w = (int) wd;
                int h = (int) hd;
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return ResizedCrop.of(top, left, h, w, outHeight, outWidth);
            }
        }
        return fallback(height, width);
    }

    /** The central box used when every attempt fails. */
    ResizedCrop fallback(int height, int width) {
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = width;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = height;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = width;
            h = height;
        }
        // A frame of one pixel with an extreme ratio rounds to 0; torchvision would then fail in
        // the resize. One pixel is the smallest meaningful box.
        h = Math.max(h, 1);
        w = Math.max(w, 1);
        return ResizedCrop.of(Math.floorDiv(height - h, 2), Math.floorDiv(width - w, 2), h, w,
                outHeight, outWidth);
    }

    /**
     * Draws a box for the clip's frames and applies it.
     *
     * @param clip the clip
     * @param rng the generator
     * @return a new {@code [C, T, outHeight, outWidth]} clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return sample(clip.height(), clip.width(), rng).apply(clip);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "RandomResizedCrop[%dx%d, scale=(%s, %s), ratio=(%s, %s)]", outHeight, outWidth,
                scaleMin, scaleMax, ratioMin, ratioMax);
    }
}
