package org.engagement4j.metrics.maps;

import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * Histogram intersection, the SIM metric (Bylinskii et al., TPAMI 2019,
 * doi:10.1109/TPAMI.2018.2815601; Swain and Ballard 1991), as the reference computes it:
 *
 * <pre>p(x) = (x - min x + eps) / sum(x - min x + eps),   SIM = sum_i min(p(h)_i, p(m)_i)</pre>
 *
 * <p>with {@code eps = 2.220446049250313e-16}. Each map is shifted to minimum 0, so negative values
 * are accepted. In {@code [0, 1]} (clamped against round-off), higher is better, symmetric, 1 for
 * identical maps.
 *
 * <p>Always defined: epsilon turns a constant (for example all-zero) map into the uniform
 * distribution, as in the reference. Infinite or NaN values are rejected; a map whose mass
 * overflows double precision is rejected with a message.
 *
 * @since 0.1.0
 */
public final class HistogramIntersection implements MapMetric {

    private static final HistogramIntersection INSTANCE = new HistogramIntersection();

    private HistogramIntersection() {
    }

    /** @return the metric */
    public static HistogramIntersection of() {
        return INSTANCE;
    }

    /** @return {@code "sim"} */
    @Override
    public String name() {
        return "sim";
    }

    /** @return true */
    @Override
    public boolean higherIsBetter() {
        return true;
    }

    /**
     * SIM of the two volumes, each normalised as one distribution.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    @Override
    public double volume(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return sim(human.toArray(), machine.toArray());
    }

    /**
     * SIM of every frame, each frame normalised on its own; every frame is defined.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    @Override
    public FrameScores perFrame(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return Frames.each(human, machine, HistogramIntersection::sim);
    }

    private static double sim(double[] h, double[] m) {
        double[] ph = Distributions.shifted(h, "human");
        double[] pm = Distributions.shifted(m, "machine");
        double s = 0;
        for (int i = 0; i < ph.length; i++) {
            s += Math.min(ph[i], pm[i]);
        }
        return Math.max(0.0, Math.min(1.0, s));
    }

    @Override
    public String toString() {
        return name();
    }
}
