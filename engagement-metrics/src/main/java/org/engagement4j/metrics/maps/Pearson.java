package org.engagement4j.metrics.maps;

import java.util.Locale;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * Pearson's linear correlation coefficient (CC) between a human and a machine map, treating the
 * pixels as paired samples (Bylinskii et al., TPAMI 2019, doi:10.1109/TPAMI.2018.2815601; the
 * "linear correlation" of Fraile et al., ICMI 2022):
 *
 * <pre>r = mean((h - mean h)(m - mean m)) / (sd(h) sd(m))</pre>
 *
 * <p>with population moments. In {@code [-1, 1]}, higher is better, symmetric, and invariant to
 * positive affine transforms of either map. Computed in double precision (the reference cast to
 * float32); the result is clamped to {@code [-1, 1]} against round-off.
 *
 * <p>A constant map (including an all-zero, unpainted frame) has no standard deviation and r is
 * undefined: the reference produced NaN there and a NaN mean over frames. Here
 * {@link #perFrame(Volume, Volume)} marks such frames undefined (their mean skips them), and
 * {@link #volume(Volume, Volume)} throws.
 *
 * @since 0.1.0
 */
public final class Pearson implements MapMetric {

    private static final Pearson INSTANCE = new Pearson();

    private Pearson() {
    }

    /** @return the metric */
    public static Pearson of() {
        return INSTANCE;
    }

    /** @return {@code "pearson"} */
    @Override
    public String name() {
        return "pearson";
    }

    /** @return true */
    @Override
    public boolean higherIsBetter() {
        return true;
    }

    /**
     * Pearson's r over all pixels of all frames.
     *
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, or either map is
     *     constant
     */
    @Override
    public double volume(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        double r = Correlation.pearson(human.toArray(), machine.toArray());
        if (Double.isNaN(r)) {
            throw constant(name(), human, machine);
        }
        return r;
    }

    /**
     * Pearson's r of every frame; a frame where either map is constant is undefined.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    @Override
    public FrameScores perFrame(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return Frames.each(human, machine, Correlation::pearson);
    }

    /** The exception for a correlation of a constant volume. */
    static IllegalArgumentException constant(String metric, Volume human, Volume machine) {
        boolean humanConstant = human.min() == human.max();
        Volume c = humanConstant ? human : machine;
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: the %s map is constant (every value is %s), so the correlation is undefined",
                metric, humanConstant ? "human" : "machine", c.getFlat(0)));
    }

    @Override
    public String toString() {
        return name();
    }
}
