package org.engagement4j.metrics.transport;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/** Input checks and {@link MassPolicy} preparation shared by the transport metrics. */
final class Histograms {

    private Histograms() {
    }

    /**
     * Checks a pair of 2-D histograms.
     *
     * @throws IllegalArgumentException for a bad shape, length, NaN, infinity or negative value
     * @throws NullPointerException if an array is null
     */
    static void checkPair(double[] a, double[] b, int height, int width) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "height x width: %d x %d is not allowed; both must be >= 1", height, width));
        }
        long n = (long) height * width;
        check("a", a, n, width);
        check("b", b, n, width);
    }

    private static void check(String name, double[] x, long expected, int width) {
        if (x.length != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: length %d does not match height x width = %d; a histogram is a row-major "
                            + "array of height * width values", name, x.length, expected));
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: value %s at index %d (row %d, column %d) is not finite", name, v, i,
                        i / width, i % width));
            }
            if (v < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: value %s at index %d (row %d, column %d) is negative; histograms "
                                + "must be >= 0", name, v, i, i / width, i % width));
            }
        }
    }

    /**
     * Checks a (human, machine) pair of volumes.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is negative or not finite
     */
    static void checkVolumes(Volume human, Volume machine) {
        Objects.requireNonNull(human, "human");
        Objects.requireNonNull(machine, "machine");
        human.requireSameShape("human", machine, "machine");
        human.requireNonNegative("human");
        machine.requireNonNegative("machine");
    }

    /**
     * Applies the mass policy to validated histograms.
     *
     * @param policy the policy
     * @param a first histogram
     * @param b second histogram
     * @param nameA the caller's name for {@code a}, for messages
     * @param nameB the caller's name for {@code b}
     * @param zeroMassUndefined whether zero mass (NORMALIZE / REQUIRE_EQUAL) returns null
     *     ("undefined frame") instead of throwing
     * @return {@code {pa, pb}}, new arrays or the inputs themselves (never modified), or null
     * @throws IllegalArgumentException for zero mass (unless undefined is allowed) or unequal
     *     masses under REQUIRE_EQUAL
     */
    static double[][] prepare(MassPolicy policy, double[] a, double[] b, String nameA,
            String nameB, boolean zeroMassUndefined) {
        if (policy == MassPolicy.REFERENCE) {
            return new double[][] {reference(a), reference(b)};
        }
        double sumA = sum(a);
        double sumB = sum(b);
        if (sumA == 0 || sumB == 0) {
            if (zeroMassUndefined) {
                return null;
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: total mass is 0; MassPolicy.%s needs a positive mass "
                            + "(MassPolicy.REFERENCE adds eps and treats it as uniform)",
                    sumA == 0 ? nameA : nameB, policy));
        }
        if (policy == MassPolicy.NORMALIZE) {
            return new double[][] {scaled(a, 1.0 / sumA), scaled(b, 1.0 / sumB)};
        }
        requireEqual(sumA, sumB, nameA, nameB);
        return new double[][] {a, sumA == sumB ? b : scaled(b, sumA / sumB)};
    }

    /**
     * @throws IllegalArgumentException if the masses differ by more than the REQUIRE_EQUAL
     *     tolerance
     */
    static void requireEqual(double sumA, double sumB, String nameA, String nameB) {
        double diff = Math.abs(sumA - sumB);
        double max = Math.max(sumA, sumB);
        if (diff > MassPolicy.EQUAL_MASS_TOLERANCE * max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s and %s: total masses %s and %s differ by a relative %.3g; "
                            + "MassPolicy.REQUIRE_EQUAL needs them equal within %.0e "
                            + "(use NORMALIZE or REFERENCE to compare shapes only)",
                    nameA, nameB, sumA, sumB, diff / max, MassPolicy.EQUAL_MASS_TOLERANCE));
        }
    }

    static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s;
    }

    private static double[] reference(double[] x) {
        double[] out = new double[x.length];
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + MassPolicy.REFERENCE_EPS;
            s += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= s;
        }
        return out;
    }

    private static double[] scaled(double[] x, double f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * f;
        }
        return out;
    }
}
