package org.engagement4j.metrics.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exactness without trusting POT: for every fixture the solver's flow and potentials must form an
 * LP-duality certificate, recomputed here from the ground distance over all source-sink pairs:
 * primal feasibility (flows >= 0, each node ships or receives its mass), dual feasibility
 * (reduced cost {@code c(s,t) + pi_s - pi_t >= -tol} for every pair, not only the shortlisted
 * ones) and equal objectives (primal cost = dual value).
 */
// A broken solver must fail, not hang: the timeout interrupts a runaway test.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmdCertificateTest {

    static Stream<Arguments> cases() {
        return Fixtures.read("pot.txt").stream().map(f -> Arguments.of(f[0], f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void flowAndPotentialsCertifyOptimality(String name, String[] f) {
        GroundDistance ground = GroundDistance.parse(f[2]);
        int h = Integer.parseInt(f[3]);
        int w = Integer.parseInt(f[4]);
        FrameSolver solver = new FrameSolver(ground, Fixtures.policy(f[1]), h, w,
                NetworkSimplex.DEFAULT_SHORTLIST);
        NetworkSimplex ns = solver.solved(Fixtures.map(f[7]), Fixtures.map(f[8]));
        certify(name, ns, ground);
    }

    /**
     * Checks the certificate.
     *
     * @param name case name for messages
     * @param ns a solved problem
     * @param ground the ground distance the problem was built with
     */
    static void certify(String name, NetworkSimplex ns, GroundDistance ground) {
        int nS = ns.sources();
        int nT = ns.sinks();
        if (nS == 0 || nT == 0) {
            return;
        }
        double[] pi = ns.potentials();
        double[] shipped = new double[nS + nT];
        double primal = 0;
        double totalMass = 0;
        for (int s = 0; s < nS; s++) {
            totalMass += ns.mass(s);
        }
        for (double[] arc : ns.flows()) {
            int s = (int) arc[0];
            int t = (int) arc[1];
            double flow = arc[2];
            assertTrue(flow >= 0, name + ": negative flow " + flow);
            shipped[s] += flow;
            shipped[nS + t] += flow;
            primal += flow * cost(ns, ground, s, nS + t);
        }
        for (int v = 0; v < nS + nT; v++) {
            assertEquals(ns.mass(v), shipped[v], 1e-12 * totalMass,
                    name + ": node " + v + " ships its mass");
        }
        // only the round-off imbalance of the two totals may stay on artificial arcs
        assertTrue(ns.artificialFlow() <= 1e-12 * totalMass,
                name + ": artificial flow " + ns.artificialFlow());
        double maxCost = 0;
        double dual = 0;
        for (int s = 0; s < nS; s++) {
            dual -= pi[s] * ns.mass(s);
        }
        for (int t = 0; t < nT; t++) {
            dual += pi[nS + t] * ns.mass(nS + t);
        }
        double worst = 0;
        for (int s = 0; s < nS; s++) {
            for (int t = 0; t < nT; t++) {
                double c = cost(ns, ground, s, nS + t);
                maxCost = Math.max(maxCost, c);
                worst = Math.min(worst, c + pi[s] - pi[nS + t]);
            }
        }
        double tol = 1e-11 * (maxCost + 1);
        double violation = worst;
        assertTrue(violation >= -tol, String.format(Locale.ROOT,
                "%s: reduced cost %.3g below -%.3g: not dual feasible", name, violation, tol));
        // Dual value = primal cost up to round-off (potentials ~ maxCost, masses sum to the total).
        assertEquals(primal, dual, 1e-10 * (maxCost + 1) * totalMass,
                name + ": primal cost equals dual value");
    }

    private static double cost(NetworkSimplex ns, GroundDistance g, int s, int t) {
        int[] ps = ns.pixel(s);
        int[] pt = ns.pixel(t);
        return g.cost(ps[0], ps[1], pt[0], pt[1]);
    }
}
