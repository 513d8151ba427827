package org.engagement4j.metrics.stats;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Seeded paired bootstrap (Efron 1979, doi:10.1214/aos/1176344552) of the mean difference between
 * two methods' per-sample scores: is one attention-map method's mean EMD really lower than
 * another's (paper Table 4; Fraile et al., ICMI 2022, doi:10.1145/3536221.3556629)?
 *
 * <p>Each of {@code B} resamples draws {@code n} indices uniformly with replacement and takes the
 * mean of {@code x[i] - y[i]} over them; pairs stay together. The interval is the percentile
 * interval: the {@code (1 - c) / 2} and {@code (1 + c) / 2} quantiles of the {@code B} resampled
 * means, interpolated linearly between order statistics as {@code numpy.quantile} does.
 *
 * <p>Reproducible: indices come from a fresh {@code XO_RO_SHI_RO_128_PP} generator
 * ({@link RandomSource#create(Object, Object...)} with the seed) on every call, so the same seed,
 * settings and data always give the same interval. Defaults: {@value #DEFAULT_RESAMPLES}
 * resamples, confidence {@value #DEFAULT_CONFIDENCE}.
 *
 * <p>With a single pair, or when all differences are equal, the interval collapses to the mean
 * difference.
 *
 * @since 0.1.0
 */
public final class PairedBootstrap {

    /** Default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 10_000;

    /** Default confidence level. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    private final long seed;
    private final int resamples;
    private final double confidence;

    private PairedBootstrap(long seed, int resamples, double confidence) {
        this.seed = seed;
        this.resamples = resamples;
        this.confidence = confidence;
    }

    /**
     * @param seed seed of the random generator
     * @return a bootstrap with the default resamples and confidence
     */
    public static PairedBootstrap of(long seed) {
        return new PairedBootstrap(seed, DEFAULT_RESAMPLES, DEFAULT_CONFIDENCE);
    }

    /**
     * @param resamples number of resamples, at least 1 (thousands in practice)
     * @return a new bootstrap with it
     * @throws IllegalArgumentException if {@code resamples < 1}
     */
    public PairedBootstrap withResamples(int resamples) {
        return new PairedBootstrap(seed, requireResamples(resamples), confidence);
    }

    /**
     * @param confidence confidence level in (0, 1), for example 0.95
     * @return a new bootstrap with it
     * @throws IllegalArgumentException if {@code confidence} is not in (0, 1)
     */
    public PairedBootstrap withConfidence(double confidence) {
        return new PairedBootstrap(seed, resamples, requireConfidence(confidence));
    }

    /**
     * @param seed seed of the random generator
     * @return a new bootstrap with it
     */
    public PairedBootstrap withSeed(long seed) {
        return new PairedBootstrap(seed, resamples, confidence);
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the number of resamples */
    public int resamples() {
        return resamples;
    }

    /** @return the confidence level */
    public double confidence() {
        return confidence;
    }

    /**
     * Percentile interval of {@code mean(x - y)}.
     *
     * @param x first method's scores, finite
     * @param y second method's scores, paired with {@code x}, finite
     * @return the interval
     * @throws IllegalArgumentException if the arrays are empty, differ in length or hold a
     *     non-finite value (named with its index)
     * @throws NullPointerException if an array is null
     */
    public BootstrapInterval meanDifference(double[] x, double[] y) {
        Samples.requirePaired("x", x, "y", y);
        double[] d = Samples.differences(x, y);
        int n = d.length;
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += d[rng.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        double lower = Quantiles.linear(means, (1 - confidence) / 2);
        double upper = Quantiles.linear(means, (1 + confidence) / 2);
        return new BootstrapInterval(Samples.mean(d), lower, upper, confidence, resamples, seed);
    }

    static int requireResamples(int resamples) {
        if (resamples < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "resamples = %d: at least one resample is required", resamples));
        }
        return resamples;
    }

    static double requireConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "confidence = %s: must lie in (0, 1)", confidence));
        }
        return confidence;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PairedBootstrap{seed=%d, resamples=%d, confidence=%s}",
                seed, resamples, confidence);
    }
}
