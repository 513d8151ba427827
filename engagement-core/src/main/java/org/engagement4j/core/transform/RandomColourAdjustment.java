package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * {@code x * U(scaleMin, scaleMax) + U(biasMin, biasMax)} with a scale and a bias drawn
 * independently for each channel: the reference's
 * {@code AdjustColorChannels(bias=(-0.1, +0.1), scale=(0.8, 1.2))} (REFERENCE.md §5), applied by
 * {@link ColourAdjustment}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomColourAdjustment implements ClipAugmentation {

    private final double scaleMin;
    private final double scaleMax;
    private final double biasMin;
    private final double biasMax;

    private RandomColourAdjustment(double scaleMin, double scaleMax, double biasMin,
            double biasMax) {
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.biasMin = biasMin;
        this.biasMax = biasMax;
    }

    /**
     * @param scaleMin the smallest factor, finite
     * @param scaleMax the largest factor, finite and {@code >= scaleMin}
     * @param biasMin the smallest offset, finite
     * @param biasMax the largest offset, finite and {@code >= biasMin}
     * @return the augmentation
     * @throws IllegalArgumentException if a range is not finite or reversed
     */
    public static RandomColourAdjustment of(double scaleMin, double scaleMax, double biasMin,
            double biasMax) {
        Checks.range("scale", scaleMin, scaleMax);
        Checks.range("bias", biasMin, biasMax);
        return new RandomColourAdjustment(scaleMin, scaleMax, biasMin, biasMax);
    }

    /** @return the reference's adjustment: scale (0.8, 1.2), bias (-0.1, 0.1) per channel */
    public static RandomColourAdjustment reference() {
        return of(0.8, 1.2, -0.1, 0.1);
    }

    /** @return {@code {scaleMin, scaleMax}} */
    public double[] scale() {
        return new double[] {scaleMin, scaleMax};
    }

    /** @return {@code {biasMin, biasMax}} */
    public double[] bias() {
        return new double[] {biasMin, biasMax};
    }

    /**
     * Draws all biases, then all scales (the reference's order).
     *
     * @param channels the number of channels, at least 1
     * @param rng the generator ({@code 2 * channels} draws)
     * @return the drawn adjustment
     * @throws IllegalArgumentException if {@code channels} is below 1
     */
    public ColourAdjustment sample(int channels, UniformRandomProvider rng) {
        Checks.positive("channels", channels);
        Checks.rng(rng);
        double[] bias = new double[channels];
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            bias[c] = Checks.uniform(rng, biasMin, biasMax);
        }
        for (int c = 0; c < channels; c++) {
            scale[c] = Checks.uniform(rng, scaleMin, scaleMax);
        }
        return ColourAdjustment.of(scale, bias);
    }

    /**
     * @param clip the clip
     * @param rng the generator
     * @return the adjusted clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return sample(clip.channels(), rng).apply(clip);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomColourAdjustment[scale=(%s, %s), bias=(%s, %s)]",
                scaleMin, scaleMax, biasMin, biasMax);
    }
}
