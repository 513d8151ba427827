package org.engagement4j.metrics.maps;

import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * Kullback-Leibler divergence {@code KL(human || machine)}, the expected excess surprise from using
 * the machine map as a model of the human one (Bylinskii et al., TPAMI 2019,
 * doi:10.1109/TPAMI.2018.2815601), with the reference's (and the MIT Saliency Benchmark's)
 * stabiliser {@code eps = 2.220446049250313e-16}:
 *
 * <pre>q(x) = (x + eps) / sum(x + eps),   KL = sum_i q(h)_i log(eps + q(h)_i / (eps + q(m)_i))</pre>
 *
 * <p>Lower is better; asymmetric. Both maps must be non-negative (the reference asserted it).
 * Always defined: epsilon turns an all-zero map into the uniform distribution, as in the
 * reference. Because of the epsilons the value of two identical maps is not exactly 0 but within
 * about {@code n * eps} of it (n pixels), and may be that slightly negative; it is reported as
 * computed, not clamped.
 *
 * @since 0.1.0
 */
public final class KlDivergence implements MapMetric {

    private static final KlDivergence INSTANCE = new KlDivergence();

    private KlDivergence() {
    }

    /** @return the metric */
    public static KlDivergence of() {
        return INSTANCE;
    }

    /** @return {@code "kl"} */
    @Override
    public String name() {
        return "kl";
    }

    /** @return false: a divergence, 0 for identical maps */
    @Override
    public boolean higherIsBetter() {
        return false;
    }

    /**
     * KL of the two volumes, each normalised as one distribution.
     *
     * @throws IllegalArgumentException if the shapes differ, or a value is not finite or negative
     */
    @Override
    public double volume(Volume human, Volume machine) {
        check(human, machine);
        return kl(human.toArray(), machine.toArray());
    }

    /**
     * KL of every frame, each frame normalised on its own; every frame is defined.
     *
     * @throws IllegalArgumentException if the shapes differ, or a value is not finite or negative
     */
    @Override
    public FrameScores perFrame(Volume human, Volume machine) {
        check(human, machine);
        return Frames.each(human, machine, KlDivergence::kl);
    }

    private void check(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        human.requireNonNegative("human");
        machine.requireNonNegative("machine");
    }

    private static double kl(double[] h, double[] m) {
        double[] qh = Distributions.plain(h, "human");
        double[] qm = Distributions.plain(m, "machine");
        double s = 0;
        for (int i = 0; i < qh.length; i++) {
            s += qh[i] * Math.log(Distributions.EPS + qh[i] / (Distributions.EPS + qm[i]));
        }
        return s;
    }

    @Override
    public String toString() {
        return name();
    }
}
