package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.engagement4j.metrics.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Caller mistakes: each throws with a message naming the argument, the value and the rule. */
// A broken solver must fail, not hang: the timeout interrupts a runaway test.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmdValidationTest {

    private static final Emd EMD = Emd.exact();
    private static final double[] OK = {1, 2, 3, 4};

    private static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void wrongLength() {
        rejects(() -> EMD.frame(new double[3], OK, 2, 2), "a:", "length 3", "= 4");
        rejects(() -> EMD.frame(OK, new double[5], 2, 2), "b:", "length 5");
    }

    @Test
    void badShape() {
        rejects(() -> EMD.frame(OK, OK, 0, 4), "height x width", "0 x 4", ">= 1");
        rejects(() -> EMD.frame(OK, OK, 4, -1), "4 x -1");
    }

    @Test
    void nonFiniteAndNegativeValues() {
        rejects(() -> EMD.frame(new double[] {1, Double.NaN, 0, 0}, OK, 2, 2), "a:", "NaN",
                "row 0, column 1", "not finite");
        rejects(() -> EMD.frame(OK, new double[] {1, 0, Double.POSITIVE_INFINITY, 0}, 2, 2),
                "b:", "Infinity", "row 1, column 0");
        rejects(() -> EMD.frame(OK, new double[] {1, 0, 0, -0.5}, 2, 2), "b:", "-0.5",
                "negative", ">= 0");
        rejects(() -> EMD.frame(new double[] {Double.NEGATIVE_INFINITY, 0, 0, 0}, OK, 2, 2),
                "a:", "-Infinity");
    }

    @Test
    void zeroMass() {
        double[] zero = new double[4];
        rejects(() -> EMD.withMassPolicy(MassPolicy.NORMALIZE).frame(zero, OK, 2, 2), "a:",
                "total mass is 0", "NORMALIZE");
        rejects(() -> EMD.withMassPolicy(MassPolicy.REQUIRE_EQUAL).frame(OK, zero, 2, 2), "b:",
                "total mass is 0", "REQUIRE_EQUAL");
        // REFERENCE adds eps: an all-zero map is the uniform distribution, never an error
        assertTrue(EMD.frame(zero, OK, 2, 2) > 0);
        assertTrue(EMD.frame(zero, zero, 2, 2) == 0);
    }

    @Test
    void unequalMassUnderRequireEqual() {
        Emd strict = EMD.withMassPolicy(MassPolicy.REQUIRE_EQUAL);
        rejects(() -> strict.frame(OK, new double[] {1, 2, 3, 5}, 2, 2), "a and b",
                "10.0 and 11.0", "REQUIRE_EQUAL", "1e-09");
        // within the tolerance: accepted
        strict.frame(OK, new double[] {1, 2, 3, 4 + 1e-12}, 2, 2);
    }

    @Test
    void volumes() {
        Volume v = Volume.of(new double[8], 2, 2, 2);
        Volume w = Volume.of(new double[12], 3, 2, 2);
        rejects(() -> EMD.perFrame(v, w), "shape mismatch", "human", "[2, 2, 2]", "machine",
                "[3, 2, 2]");
        Volume bad = Volume.of(new double[] {0, 0, 0, 0, 0, 0, 0, -1}, 2, 2, 2);
        rejects(() -> EMD.perFrame(v, bad), "machine", "negative", "frame 1");
        Volume nan = Volume.of(new double[] {0, 0, 0, Double.NaN, 0, 0, 0, 0}, 2, 2, 2);
        rejects(() -> EMD.perFrame(nan, v), "human", "not finite", "frame 0");
        Volume unequal = Volume.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0}, 2, 2, 2);
        Volume twice = Volume.of(new double[] {0, 1, 0, 0, 0, 2, 0, 0}, 2, 2, 2);
        rejects(() -> EMD.withMassPolicy(MassPolicy.REQUIRE_EQUAL).perFrame(unequal, twice),
                "human frame 1 and machine frame 1", "REQUIRE_EQUAL");
    }

    @Test
    void batches() {
        Volume v = Volume.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
        Volume w = Volume.of(new double[6], 1, 2, 3);
        rejects(() -> EMD.meanPerFrame(List.of(v, v), List.of(v)), "humans and machines",
                "2 and 1");
        rejects(() -> EMD.meanPerFrame(List.of(v, v), List.of(v, w)), "humans[1]",
                "machines[1]", "shape mismatch");
        Volume zero = Volume.of(new double[4], 1, 2, 2);
        rejects(() -> EMD.withMassPolicy(MassPolicy.NORMALIZE)
                .meanPerFrame(List.of(v, zero), List.of(v, v)), "humans[1]", "zero mass");
        assertThrows(NullPointerException.class, () -> EMD.perFrame(null, v));
    }

    @Test
    void configuration() {
        rejects(() -> EMD.withParallelism(0), "threads", "0", ">= 1");
        assertThrows(NullPointerException.class, () -> EMD.withGround(null));
        assertThrows(NullPointerException.class, () -> EMD.withMassPolicy(null));
        assertThrows(NullPointerException.class, () -> EMD.frame(null, OK, 2, 2));
    }

    @Test
    void badCustomCosts() {
        GroundDistance nan = GroundDistance.custom("broken", false, (y1, x1, y2, x2) ->
                y1 == 1 ? Double.NaN : 1);
        rejects(() -> EMD.withGround(nan).frame(OK, OK, 2, 2), "ground", "'broken'", "NaN",
                "finite and >= 0");
        GroundDistance negative = GroundDistance.custom("negative", false, (y1, x1, y2, x2) -> -1);
        rejects(() -> EMD.withGround(negative).frame(OK, OK, 2, 2), "'negative'", "-1.0");
        GroundDistance inf = GroundDistance.custom("inf", true,
                (y1, x1, y2, x2) -> Double.POSITIVE_INFINITY);
        rejects(() -> EMD.withGround(inf).frame(OK, new double[] {4, 3, 2, 1}, 2, 2), "'inf'",
                "Infinity");
    }
}
