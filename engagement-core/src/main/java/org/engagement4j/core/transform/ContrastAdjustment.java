package org.engagement4j.core.transform;

import java.util.Locale;

/**
 * {@code x * scale + bias} for every value of the clip: the reference's {@code AdjustValues}
 * (contrast and brightness on normalised values), applied once it has drawn its parameters
 * ({@link RandomContrastAdjustment}; REFERENCE.md §5).
 *
 * <p>Computed in double precision and rounded once; the reference's in-place float32
 * {@code x.mul_(scale).add_(bias)} rounds twice, so results agree to one unit in the last place.
 *
 * @since 0.1.0
 */
public final class ContrastAdjustment implements ClipTransform {

    private final double scale;
    private final double bias;

    private ContrastAdjustment(double scale, double bias) {
        this.scale = scale;
        this.bias = bias;
    }

    /**
     * @param scale the factor, finite
     * @param bias the offset added after scaling, finite
     * @return the transform
     * @throws IllegalArgumentException if an argument is NaN or infinite
     */
    public static ContrastAdjustment of(double scale, double bias) {
        return new ContrastAdjustment(Checks.finite("scale", scale), Checks.finite("bias", bias));
    }

    /** @return the factor */
    public double scale() {
        return scale;
    }

    /** @return the offset */
    public double bias() {
        return bias;
    }

    /**
     * @param clip the clip, any shape
     * @return a new clip of {@code x * scale + bias}
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        float[] in = clip.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] * scale + bias);
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), clip.height(), clip.width());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ContrastAdjustment[x * %s + %s]", scale, bias);
    }
}
