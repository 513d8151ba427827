package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * {@code x * U(scaleMin, scaleMax) + U(biasMin, biasMax)} with one scale and one bias for the whole
 * clip: the reference's {@code AdjustValues(bias=(-0.15, +0.15), scale=(0.75, 1.25))}
 * (REFERENCE.md §5), applied by {@link ContrastAdjustment}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomContrastAdjustment implements ClipAugmentation {

    private final double scaleMin;
    private final double scaleMax;
    private final double biasMin;
    private final double biasMax;

    private RandomContrastAdjustment(double scaleMin, double scaleMax, double biasMin,
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
    public static RandomContrastAdjustment of(double scaleMin, double scaleMax, double biasMin,
            double biasMax) {
        Checks.range("scale", scaleMin, scaleMax);
        Checks.range("bias", biasMin, biasMax);
        return new RandomContrastAdjustment(scaleMin, scaleMax, biasMin, biasMax);
    }

    /** @return the reference's adjustment: scale (0.75, 1.25), bias (-0.15, 0.15) */
    public static RandomContrastAdjustment reference() {
        return of(0.75, 1.25, -0.15, 0.15);
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
     * Draws the bias, then the scale (the reference's order).
     *
     * @param rng the generator (two draws)
     * @return the drawn adjustment
     */
    public ContrastAdjustment sample(UniformRandomProvider rng) {
        Checks.rng(rng);
        double bias = Checks.uniform(rng, biasMin, biasMax);
        double scale = Checks.uniform(rng, scaleMin, scaleMax);
        return ContrastAdjustment.of(scale, bias);
    }

    /**
     * @param clip the clip
     * @param rng the generator
     * @return the adjusted clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return sample(rng).apply(clip);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "RandomContrastAdjustment[scale=(%s, %s), bias=(%s, %s)]", scaleMin, scaleMax,
                biasMin, biasMax);
    }
}
