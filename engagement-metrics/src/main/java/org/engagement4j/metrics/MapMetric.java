package org.engagement4j.metrics;

/**
 * A similarity or distance between a human and a machine attention map of the same shape
 * {@code [T,H,W]}, computed over the whole volume and frame by frame (Fraile et al., ICMI 2022,
 * Section 5; Bylinskii et al., TPAMI 2019, doi:10.1109/TPAMI.2018.2815601).
 *
 * <p>Implementations are immutable and thread-safe. Arguments are ordered (human, machine) because
 * some metrics are asymmetric (KL divergence, NSS, AUC-Judd).
 *
 * @since 0.1.0
 */
public interface MapMetric {

    /** @return a short stable name, used in CSV / JSON columns and on the command line */
    String name();

    /** @return {@code true} if larger values mean more similar maps (correlations), else false */
    boolean higherIsBetter();

    /**
     * @return whether {@link #volume(Volume, Volume)} is available; the exact EMD, for example, is
     *     defined per frame only (as in the paper)
     */
    default boolean supportsVolume() {
        return true;
    }

    /**
     * The metric over the whole volume, treated as one distribution / one sample of values.
     *
     * @param human the human map
     * @param machine the machine map, same shape as {@code human}
     * @return the value
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, or the metric
     *     is undefined for this input (the message says why, e.g. a constant map for Pearson)
     * @throws UnsupportedOperationException if {@link #supportsVolume()} is false
     */
    double volume(Volume human, Volume machine);

    /**
     * The metric on every frame, with undefined frames marked (never a silent NaN).
     *
     * @param human the human map
     * @param machine the machine map, same shape as {@code human}
     * @return one score per frame and their mean over defined frames
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    FrameScores perFrame(Volume human, Volume machine);
}
