package org.engagement4j.metrics.maps;

import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * Spearman's rank correlation between a human and a machine map: Pearson's r of the pixels' ranks
 * (Fraile et al., ICMI 2022, "rank correlation"; see {@link Pearson}).
 *
 * <p>Ties receive their average rank (Apache Commons Statistics {@code NaturalRanking} with
 * {@code TiesStrategy.AVERAGE}), which is {@code scipy.stats.spearmanr}. The reference ranked with
 * {@code argsort}, which breaks ties by sort order, so its value depended on the pixel order where
 * maps have ties (for example the zeros of an unpainted region); for maps without ties both
 * definitions agree.
 *
 * <p>In {@code [-1, 1]}, higher is better, symmetric, invariant to strictly increasing transforms of
 * either map. A constant map is undefined: marked per frame, rejected for the volume.
 *
 * @since 0.1.0
 */
public final class Spearman implements MapMetric {

    private static final Spearman INSTANCE = new Spearman();

    private Spearman() {
    }

    /** @return the metric */
    public static Spearman of() {
        return INSTANCE;
    }

    /** @return {@code "spearman"} */
    @Override
    public String name() {
        return "spearman";
    }

    /** @return true */
    @Override
    public boolean higherIsBetter() {
        return true;
    }

    /**
     * Spearman's rho over all pixels of all frames.
     *
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, or either map is
     *     constant
     */
    @Override
    public double volume(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        double r = Correlation.spearman(human.toArray(), machine.toArray());
        if (Double.isNaN(r)) {
            throw Pearson.constant(name(), human, machine);
        }
        return r;
    }

    /**
     * Spearman's rho of every frame; a frame where either map is constant is undefined.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    @Override
    public FrameScores perFrame(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return Frames.each(human, machine, Correlation::spearman);
    }

    @Override
    public String toString() {
        return name();
    }
}
