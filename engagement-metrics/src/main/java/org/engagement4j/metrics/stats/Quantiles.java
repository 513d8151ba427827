package org.engagement4j.metrics.stats;

/**
 * Sample quantiles by linear interpolation between order statistics, definition 7 of Hyndman &amp;
 * Fan (1996, doi:10.1080/00031305.1996.10473566): NumPy's default {@code numpy.quantile} and R's
 * default {@code quantile}, so that bootstrap intervals are computed the way readers expect.
 */
final class Quantiles {

    private Quantiles() {
    }

    /**
     * @param sorted values in ascending order, at least one, finite
     * @param q probability in [0, 1]
     * @return {@code x[j] + g * (x[j + 1] - x[j])} with {@code h = (n - 1) q},
     *     {@code j = floor(h)}, {@code g = h - j}
     */
    static double linear(double[] sorted, double q) {
        int n = sorted.length;
        double h = (n - 1) * q;
        int j = (int) Math.floor(h);
        if (j >= n - 1) {
            return sorted[n - 1];
        }
        double g = h - j;
        double lo = sorted[j];
        double hi = sorted[j + 1];
        // NumPy's lerp form; it keeps the result within [lo, hi] and exact at g = 0 and g = 1.
        double diff = hi - lo;
        return g >= 0.5 ? hi - diff * (1 - g) : lo + diff * g;
    }
}
