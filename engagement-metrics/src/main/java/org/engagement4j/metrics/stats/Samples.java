package org.engagement4j.metrics.stats;

import java.util.Locale;
import java.util.Objects;

/** Argument checks and paired differences shared by this package's tests. */
final class Samples {

    private Samples() {
    }

    /**
     * Checks two paired samples: not null, same non-zero length, finite values.
     *
     * @throws IllegalArgumentException naming the argument, index and value at fault
     */
    static void requirePaired(String nameX, double[] x, String nameY, double[] y) {
        Objects.requireNonNull(x, nameX);
        Objects.requireNonNull(y, nameY);
        if (x.length != y.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s and %s: lengths differ (%d vs %d); paired samples must be aligned",
                    nameX, nameY, x.length, y.length));
        }
        if (x.length == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: at least one paired sample is required", nameX));
        }
        requireFinite(nameX, x);
        requireFinite(nameY, y);
    }

    static void requireFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s[%d] = %s: scores must be finite", name, i, values[i]));
            }
        }
    }

    /** @return {@code x[i] - y[i]} for every {@code i} */
    static double[] differences(double[] x, double[] y) {
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - y[i];
        }
        return d;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
