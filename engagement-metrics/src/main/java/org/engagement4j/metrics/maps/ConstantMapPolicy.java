package org.engagement4j.metrics.maps;

/**
 * What min-max scaling does with a constant volume, for which {@code (x - min) / (max - min)} is
 * {@code 0 / 0}.
 *
 * <p>The reference code produced a NaN volume there (for example from a human map nobody painted),
 * which then turned every metric of that sample into NaN without notice. This library makes the
 * choice explicit.
 *
 * @since 0.1.0
 */
public enum ConstantMapPolicy {

    /**
     * Throw an {@link IllegalArgumentException} that names the argument and the constant value. The
     * default: a constant attention map carries no spatial information, and comparing it usually
     * means that something upstream went wrong (an unpainted frame range, a dead gradient).
     */
    REJECT,

    /**
     * Return an all-zero volume of the same shape, the value the numerator {@code x - min} has
     * everywhere. Downstream, the distribution metrics (histogram intersection, KL divergence) then
     * see a uniform map (they add epsilon before normalising), and the correlations report the map
     * as constant (undefined).
     */
    ZERO
}
