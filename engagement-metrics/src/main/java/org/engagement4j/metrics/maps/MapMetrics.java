package org.engagement4j.metrics.maps;

import java.util.List;
import org.engagement4j.metrics.MapMetric;

/**
 * The standard set of map similarity metrics of this package.
 *
 * @since 0.1.0
 */
public final class MapMetrics {

    private MapMetrics() {
    }

    /**
     * Pearson, Spearman, histogram intersection (SIM), KL divergence, NSS and AUC-Judd, in this
     * order, with default settings. The first four are the ones the reference computed (besides the
     * per-frame EMD, which lives in the {@code transport} package); NSS and AUC-Judd use the
     * fixation rule of {@link Fixations}.
     *
     * @return an immutable list of six metrics
     */
    public static List<MapMetric> standard() {
        return List.of(Pearson.of(), Spearman.of(), HistogramIntersection.of(), KlDivergence.of(),
                Nss.of(), AucJudd.of());
    }
}
