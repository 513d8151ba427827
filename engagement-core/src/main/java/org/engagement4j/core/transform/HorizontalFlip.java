package org.engagement4j.core.transform;

/**
 * Mirrors every frame left to right ({@code F.hflip}: column {@code j} becomes column
 * {@code W - 1 - j}), the flip of the reference's train and test transforms (REFERENCE.md §5).
 * Flipping twice gives the original clip exactly.
 *
 * @since 0.1.0
 */
public final class HorizontalFlip implements ClipTransform {

    private static final HorizontalFlip INSTANCE = new HorizontalFlip();

    private HorizontalFlip() {
    }

    /** @return the flip (a shared instance: it has no parameters) */
    public static HorizontalFlip of() {
        return INSTANCE;
    }

    /**
     * @param clip the clip, any shape
     * @return a new clip of the same shape, every row reversed
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        float[] in = clip.data();
        float[] out = new float[in.length];
        int w = clip.width();
        for (int row = 0; row < in.length; row += w) {
            for (int j = 0, k = row + w - 1; j < w; j++, k--) {
                out[row + j] = in[k];
            }
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), clip.height(), w);
    }

    @Override
    public String toString() {
        return "HorizontalFlip";
    }
}
