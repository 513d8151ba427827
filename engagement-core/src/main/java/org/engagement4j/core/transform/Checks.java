package org.engagement4j.core.transform;

import java.util.Locale;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/** Argument checks shared by the transform classes; every message names the argument. */
final class Checks {

    private Checks() {
    }

    static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d must be >= 1", name, value));
        }
        return value;
    }

    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %s must be finite", name, value));
        }
        return value;
    }

    static double positiveFinite(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %s must be finite and > 0", name, value));
        }
        return value;
    }

    static double nonNegativeFinite(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %s must be finite and >= 0", name, value));
        }
        return value;
    }

    static double probability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %s must be a probability in [0, 1]", name, p));
        }
        return p;
    }

    /** A closed range {@code [min, max]} of finite values, {@code min <= max}. */
    static void range(String name, double min, double max) {
        finite(name + " minimum", min);
        finite(name + " maximum", max);
        if (min > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: minimum %s must be <= maximum %s", name, min, max));
        }
    }

    /** A range of positive finite values, {@code 0 < min <= max}. */
    static void positiveRange(String name, double min, double max) {
        positiveFinite(name + " minimum", min);
        positiveFinite(name + " maximum", max);
        range(name, min, max);
    }

    static int oddKernel(String name, int kernelSize) {
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d must be odd and >= 1", name, kernelSize));
        }
        return kernelSize;
    }

    static ClipTensor clip(ClipTensor clip) {
        return Objects.requireNonNull(clip, "clip");
    }

    static UniformRandomProvider rng(UniformRandomProvider rng) {
        return Objects.requireNonNull(rng, "rng");
    }

    /** {@code min + (max - min) u}, u uniform in [0, 1): torch's {@code uniform_(min, max)}. */
    static double uniform(UniformRandomProvider rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }

    /**
     * The number of {@code float}s in a {@code [c, t, h, w]} tensor.
     *
     * @throws IllegalArgumentException if a dimension is below 1 or the product exceeds the
     *     largest Java array
     */
    static int elements(String name, int c, int t, int h, int w) {
        positive(name + " channels", c);
        positive(name + " frames", t);
        positive(name + " height", h);
        positive(name + " width", w);
        long n = (long) c * t * h * w;
        if (n > ClipTensor.MAX_ELEMENTS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: shape [%d, %d, %d, %d] holds %d values, more than the %d a Java array can",
                    name, c, t, h, w, n, ClipTensor.MAX_ELEMENTS));
        }
        return (int) n;
    }

    /** Bytes in a {@code [t, h, w, 3]} uint8 clip, with the same checks as {@link #elements}. */
    static int rgbBytes(String name, int t, int h, int w) {
        return elements(name, 3, t, h, w);
    }
}
