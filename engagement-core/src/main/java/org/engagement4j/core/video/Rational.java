package org.engagement4j.core.video;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * An exact positive fraction, for frame rates and time bases, so that slot times such as
 * {@code k * 8 / 25} s are compared with frame timestamps without rounding.
 */
record Rational(long num, long den) {

    Rational {
        if (num <= 0 || den <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fraction %d/%d must be positive", num, den));
        }
    }

    /**
     * @param fps a frame rate in (0, 240] with at most 6 decimals
     * @return the fraction its shortest decimal spelling denotes, reduced (3.125 -> 25/8)
     */
    static Rational ofFps(double fps) {
        if (!(fps > 0) || fps > 240) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fps %s must be in (0, 240]", fps));
        }
        BigDecimal d = BigDecimal.valueOf(fps).stripTrailingZeros();
        if (d.scale() > 6) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fps %s has more than 6 decimal places", fps));
        }
        BigInteger n = d.unscaledValue();
        BigInteger q = BigInteger.ONE;
        if (d.scale() > 0) {
            q = BigInteger.TEN.pow(d.scale());
        } else if (d.scale() < 0) {
            n = n.multiply(BigInteger.TEN.pow(-d.scale()));
        }
        BigInteger g = n.gcd(q);
        return new Rational(n.divide(g).longValueExact(), q.divide(g).longValueExact());
    }

    @Override
    public String toString() {
        return num + "/" + den;
    }
}
