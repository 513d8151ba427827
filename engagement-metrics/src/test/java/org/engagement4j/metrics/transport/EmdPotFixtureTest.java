package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Emd} against POT 0.8.2 {@code ot.emd2} (float64, {@code numItermax=10_000_000}, result
 * code OPTIMAL) on the cases of {@code fixtures/emd/pot.txt}: 1x1 to 64x64, random, attention-like
 * blobs, sparse and zero-heavy, one-hot, identical and all-zero maps, three grounds and three mass
 * policies. Each line holds the Python call that produced its value. Tolerance: 1e-9 relative
 * (1e-12 absolute where the exact value is 0).
 */
// A broken solver must fail, not hang: the timeout interrupts a runaway test.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmdPotFixtureTest {

    static final double TOLERANCE = 1e-9;

    static Stream<Arguments> cases() {
        return Fixtures.read("pot.txt").stream().map(f -> Arguments.of(f[0], f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPot(String name, String[] f) {
        MassPolicy policy = Fixtures.policy(f[1]);
        GroundDistance ground = GroundDistance.parse(f[2]);
        int h = Integer.parseInt(f[3]);
        int w = Integer.parseInt(f[4]);
        double expected = Double.parseDouble(f[5]);
        double[] a = Fixtures.map(f[7]);
        double[] b = Fixtures.map(f[8]);
        double actual = Emd.exact().withGround(ground).withMassPolicy(policy).frame(a, b, h, w);
        double tolerance = expected == 0 ? 1e-12 : TOLERANCE;
        assertTrue(Fixtures.relativeError(actual, expected) <= tolerance,
                () -> String.format("%s: ours %.17g, POT %.17g (%s), relative error %.3g", name,
                        actual, expected, f[6], Fixtures.relativeError(actual, expected)));
    }

    @Test
    void fixtureCoversTheRequiredCases() {
        List<String[]> all = Fixtures.read("pot.txt");
        assertTrue(all.size() >= 50, "at least 50 POT cases, found " + all.size());
        assertTrue(all.stream().anyMatch(f -> f[3].equals("1") && f[4].equals("1")), "1x1");
        assertTrue(all.stream().filter(f -> f[3].equals("32") && f[4].equals("32")).count() >= 20,
                "32x32");
        assertTrue(all.stream().anyMatch(f -> f[3].equals("64")), "64x64");
        for (String g : new String[] {"euclidean", "l1", "sqeuclidean"}) {
            assertTrue(all.stream().anyMatch(f -> f[2].equals(g)), g);
        }
        for (String p : new String[] {"reference", "normalize", "require_equal"}) {
            assertTrue(all.stream().anyMatch(f -> f[1].equals(p)), p);
        }
    }

    @Test
    void symmetricInItsArgumentsOnFixtures() {
        // Swapping a and b exchanges sources and sinks: a different network, the same optimum.
        for (String[] f : Fixtures.read("pot.txt")) {
            if (!f[3].equals("32")) {
                continue;
            }
            Emd emd = Emd.exact().withGround(GroundDistance.parse(f[2]))
                    .withMassPolicy(Fixtures.policy(f[1]));
            double[] a = Fixtures.map(f[7]);
            double[] b = Fixtures.map(f[8]);
            double ab = emd.frame(a, b, 32, 32);
            double ba = emd.frame(b, a, 32, 32);
            assertEquals(ab, ba, 1e-12 * Math.max(1, ab), f[0]);
        }
    }
}
