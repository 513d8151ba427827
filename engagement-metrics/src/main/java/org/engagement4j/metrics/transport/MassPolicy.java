package org.engagement4j.metrics.transport;

/**
 * How the two histograms' masses are prepared before transport. The exact EMD needs equal total
 * masses; this policy says where they come from. Every policy first rejects negative, NaN and
 * infinite bins.
 *
 * @since 0.1.0
 */
public enum MassPolicy {

    /**
     * The reference code's {@code _make_probability}: add {@code eps = 2.220446049250313e-16}
     * (the float64 machine epsilon) to every bin, then divide by the sum. Always defined: an
     * all-zero map becomes the uniform distribution. The default, because it reproduces the
     * paper's numbers.
     */
    REFERENCE,

    /**
     * Divide each histogram by its sum. A histogram of zero total mass is an error
     * ({@link IllegalArgumentException}) for a single frame, and an undefined frame for
     * per-frame scores.
     */
    NORMALIZE,

    /**
     * Use the masses as given; the distance is the total cost of moving all of {@code a} onto
     * {@code b} (not divided by the mass). Total masses must agree to a relative {@code 1e-9}
     * ({@code |sum(a) - sum(b)| <= 1e-9 * max(sum(a), sum(b))}), otherwise
     * {@link IllegalArgumentException}; a difference within that tolerance is removed by scaling
     * {@code b} by {@code sum(a) / sum(b)}. Zero total mass is treated as for {@link #NORMALIZE}.
     */
    REQUIRE_EQUAL;

    /** The reference's epsilon, {@code np.finfo(float).eps}. */
    static final double REFERENCE_EPS = 2.220446049250313e-16;

    /** Relative tolerance on total masses under {@link #REQUIRE_EQUAL}. */
    static final double EQUAL_MASS_TOLERANCE = 1e-9;
}
