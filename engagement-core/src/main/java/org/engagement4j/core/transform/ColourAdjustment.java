package org.engagement4j.core.transform;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code x * scale[c] + bias[c]} per channel {@code c}: the reference's
 * {@code AdjustColorChannels} (a colour shift on normalised values), applied once it has drawn its
 * parameters ({@link RandomColourAdjustment}; REFERENCE.md §5).
 *
 * <p>Computed in double precision and rounded once; the reference's float32
 * {@code x.mul_(scale).add_(bias)} rounds twice, so results agree to one unit in the last place.
 *
 * @since 0.1.0
 */
public final class ColourAdjustment implements ClipTransform {

    private final double[] scale;
    private final double[] bias;

    private ColourAdjustment(double[] scale, double[] bias) {
        this.scale = scale;
        this.bias = bias;
    }

    /**
     * @param scale one finite factor per channel (copied)
     * @param bias one finite offset per channel, added after scaling (copied)
     * @return the transform
     * @throws IllegalArgumentException if the arrays are empty or of different lengths, or a
     *     value is NaN or infinite
     */
    public static ColourAdjustment of(double[] scale, double[] bias) {
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(bias, "bias");
        if (scale.length == 0 || scale.length != bias.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "scale and bias: %d and %d values given, expected one of each per channel",
                    scale.length, bias.length));
        }
        for (int c = 0; c < scale.length; c++) {
            Checks.finite("scale[" + c + "]", scale[c]);
            Checks.finite("bias[" + c + "]", bias[c]);
        }
        return new ColourAdjustment(scale.clone(), bias.clone());
    }

    /** @return a copy of the per-channel factors */
    public double[] scale() {
        return scale.clone();
    }

    /** @return a copy of the per-channel offsets */
    public double[] bias() {
        return bias.clone();
    }

    /**
     * @param clip the clip; its number of channels must equal the number of factors
     * @return a new clip of {@code x * scale[c] + bias[c]}
     * @throws IllegalArgumentException if the channel counts differ
     */
    @Override
    public ClipTensor apply(ClipTensor clip) {
        Checks.clip(clip);
        if (clip.channels() != scale.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip: %s has %d channels, this adjustment has %d", clip, clip.channels(),
                    scale.length));
        }
        float[] in = clip.data();
        float[] out = new float[in.length];
        int perChannel = in.length / scale.length;
        for (int c = 0; c < scale.length; c++) {
            double s = scale[c];
            double b = bias[c];
            for (int i = c * perChannel, end = i + perChannel; i < end; i++) {
                out[i] = (float) (in[i] * s + b);
            }
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), clip.height(), clip.width());
    }

    @Override
    public String toString() {
        return "ColourAdjustment[scale=" + Arrays.toString(scale) + ", bias="
                + Arrays.toString(bias) + "]";
    }
}
