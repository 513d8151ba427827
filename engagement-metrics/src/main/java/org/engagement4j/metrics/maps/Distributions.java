package org.engagement4j.metrics.maps;

import java.util.Locale;

/**
 * The reference's map-to-distribution step ({@code _make_probability} in the authors'
 * {@code comparison.py}, after Bylinskii et al. 2019): add epsilon, divide by the sum.
 */
final class Distributions {

    /** MATLAB's / NumPy's float64 machine epsilon, the reference's stabiliser. */
    static final double EPS = 0x1.0p-52;

    private Distributions() {
    }

    /** {@code (x - min x + eps) / sum(x - min x + eps)}, in place. */
    static double[] shifted(double[] x, String argument) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] - min + EPS;
        }
        return normalise(x, argument);
    }

    /** {@code (x + eps) / sum(x + eps)} for non-negative x, in place. */
    static double[] plain(double[] x, String argument) {
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] + EPS;
        }
        return normalise(x, argument);
    }

    private static double[] normalise(double[] x, String argument) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the map's mass overflows double precision (sum %s); rescale the map",
                    argument, sum));
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= sum;
        }
        return x;
    }
}
