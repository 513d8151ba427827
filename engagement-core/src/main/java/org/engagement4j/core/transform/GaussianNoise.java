package org.engagement4j.core.transform;

import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Adds independent Gaussian noise of a fixed standard deviation to every value: the reference's
 * {@code NormalNoise} ({@code x + randn_like(x) * std}) once it has drawn {@code std}
 * ({@link RandomGaussianNoise}; REFERENCE.md §5). Unlike the other operations, the noise differs
 * from frame to frame and pixel to pixel; only its level is shared by the clip.
 *
 * <p>Standard normal values come from commons-rng's ziggurat sampler, in {@code [C, T, H, W]}
 * order, one per value.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class GaussianNoise implements ClipAugmentation {

    private final double std;

    private GaussianNoise(double std) {
        this.std = std;
    }

    /**
     * @param std the standard deviation, finite and {@code >= 0} (0 adds nothing)
     * @return the noise
     * @throws IllegalArgumentException if {@code std} is negative, NaN or infinite
     */
    public static GaussianNoise of(double std) {
        return new GaussianNoise(Checks.nonNegativeFinite("std", std));
    }

    /** @return the standard deviation */
    public double std() {
        return std;
    }

    /**
     * @param clip the clip
     * @param rng the generator (one normal deviate per value)
     * @return a new clip of {@code x + std * N(0, 1)}
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        ContinuousSampler normal = ZigguratSampler.NormalizedGaussian.of(Checks.rng(rng));
        float[] in = clip.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (in[i] + std * normal.sample());
        }
        return ClipTensor.wrap(out, clip.channels(), clip.frames(), clip.height(), clip.width());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GaussianNoise[std=%s]", std);
    }
}
