package org.engagement4j.metrics.maps;

import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.Volume;

/** Argument checks shared by the map metrics and operations. */
final class Inputs {

    private Inputs() {
    }

    /**
     * Checks a (human, machine) pair: non-null, same shape, every value finite.
     *
     * @param human the human map
     * @param machine the machine map
     */
    static void requirePair(Volume human, Volume machine) {
        Objects.requireNonNull(human, "human");
        Objects.requireNonNull(machine, "machine");
        human.requireSameShape("human", machine, "machine");
        human.requireFinite("human");
        machine.requireFinite("machine");
    }

    /**
     * Checks a size argument.
     *
     * @param name the argument's name
     * @param value its value
     * @return the value
     */
    static int requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d must be >= 1", name, value));
        }
        return value;
    }

    /**
     * A power of two that brings the largest magnitude of {@code x} near 1, so that sums of
     * squares cannot overflow; scaling by a power of two is exact (short of subnormals), so it does
     * not change scale-invariant results.
     *
     * @param x values, all finite
     * @param from first index
     * @param to one past the last index
     * @return the factor, 1 if every value is zero
     */
    static double unitScale(double[] x, int from, int to) {
        double maxAbs = 0;
        for (int i = from; i < to; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(x[i]));
        }
        return maxAbs == 0 ? 1.0 : Math.scalb(1.0, -Math.getExponent(maxAbs));
    }

    /**
     * @param x values
     * @param from first index
     * @param to one past the last index
     * @return whether every value in the range is equal (a constant map)
     */
    static boolean isConstant(double[] x, int from, int to) {
        double first = x[from];
        for (int i = from + 1; i < to; i++) {
            if (x[i] != first) {
                return false;
            }
        }
        return true;
    }
}
