package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Gaussian blur with sigma drawn uniformly from {@code [sigmaMin, sigmaMax)} once per clip:
 * {@code transforms.GaussianBlur(5)} in the reference, whose default sigma range is (0.1, 2.0)
 * (REFERENCE.md §5); the blur itself is {@link GaussianBlur}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RandomGaussianBlur implements ClipAugmentation {

    private final int kernelSize;
    private final double sigmaMin;
    private final double sigmaMax;

    private RandomGaussianBlur(int kernelSize, double sigmaMin, double sigmaMax) {
        this.kernelSize = kernelSize;
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    /**
     * @param kernelSize the kernel's side, odd and at least 1
     * @param sigmaMin the smallest sigma, finite and {@code > 0}
     * @param sigmaMax the largest sigma, finite and {@code >= sigmaMin}
     * @return the augmentation
     * @throws IllegalArgumentException if an argument breaks its rule
     */
    public static RandomGaussianBlur of(int kernelSize, double sigmaMin, double sigmaMax) {
        Checks.oddKernel("kernelSize", kernelSize);
        Checks.positiveRange("sigma", sigmaMin, sigmaMax);
        return new RandomGaussianBlur(kernelSize, sigmaMin, sigmaMax);
    }

    /** @return the reference's blur: kernel 5, sigma (0.1, 2.0) */
    public static RandomGaussianBlur reference() {
        return of(5, 0.1, 2.0);
    }

    /** @return the kernel's side */
    public int kernelSize() {
        return kernelSize;
    }

    /** @return {@code {sigmaMin, sigmaMax}} */
    public double[] sigma() {
        return new double[] {sigmaMin, sigmaMax};
    }

    /**
     * @param rng the generator (one draw)
     * @return the blur with the drawn sigma
     */
    public GaussianBlur sample(UniformRandomProvider rng) {
        return GaussianBlur.of(kernelSize, Checks.uniform(Checks.rng(rng), sigmaMin, sigmaMax));
    }

    /**
     * @param clip the clip
     * @param rng the generator
     * @return the blurred clip
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        return sample(rng).apply(clip);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RandomGaussianBlur[kernel=%d, sigma=(%s, %s)]",
                kernelSize, sigmaMin, sigmaMax);
    }
}
