package org.engagement4j.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.stats.StatsFixture.Coder;
import org.engagement4j.metrics.agreement.CohensKappa;
import org.engagement4j.metrics.agreement.RaterPair;
import org.junit.jupiter.api.Test;

/**
 * Human-human agreement on the {@link StatsFixture} sessions against statsmodels 0.13.5.
 *
 * <p>The expected values were printed by this script (Python 3, NumPy 1.24, statsmodels 0.13.5),
 * which samples the raw spans on its own, clipping each to the coder's task span:
 * <pre>
 * import math, itertools
 * import numpy as np
 * from statsmodels.stats.inter_rater import cohens_kappa
 * T = ["dolls", "shaker", "drum"]; V = ["te", "se"]; coders = ["A", "B", "C"]; MISSING = -1
 * S = {  # session -> coder -> task spans, task-engagement and social-engagement spans
 *  "s1": {"A": {"span": {"dolls": (0,2000), "shaker": (3000,4000), "drum": (5000,6000)},
 *               "te": [(0,1000),(3000,3500)], "se": [(500,1500),(5000,5200)]},
 *         "B": {"span": {"dolls": (100,2000), "shaker": (3000,4100), "drum": (4900,6000)},
 *               "te": [(200,1000),(3200,3600)], "se": [(600,1500),(5000,5300)]},
 *         "C": {"span": {"dolls": (150,1960), "shaker": (2950,4000), "drum": (5000,5950)},
 *               "te": [(150,900),(3000,3500)], "se": [(500,1400),(5100,5200)]}},
 *  "s2": {"A": {"span": {"dolls": (0,1000), "shaker": (1000,2000), "drum": (2000,3000)},
 *               "te": [(0,500),(1200,2000),(2000,2500)], "se": [(300,700),(1000,1100)]},
 *         "B": {"span": {"dolls": (0,1000), "shaker": (1000,2000), "drum": (2050,3000)},
 *               "te": [(0,400),(1300,2000),(2050,2400)], "se": [(300,800)]}},
 *  "s3": {"B": {"span": {"dolls": (0,1000), "shaker": (1000,2000), "drum": (2000,3000)},
 *               "te": [(0,1000)], "se": []},
 *         "C": {"span": {"dolls": (0,1000), "shaker": (1000,2000), "drum": (2000,3000)},
 *               "te": [(0,600)], "se": [(1500,2000)]}}}
 * def labels(sess, task, var):  # half-open minimal interval, one sample per 100 ms
 *     cs = S[sess]
 *     a = max(c["span"][task][0] for c in cs.values()); b = min(c["span"][task][1] for c in cs.values())
 *     if a &gt;= b: return None
 *     n = math.ceil((b - a) / 100); out = {}
 *     for name in coders:
 *         if name not in cs: out[name] = [MISSING] * n; continue
 *         c = cs[name]; lo, hi = c["span"][task]
 *         out[name] = [int(any(max(s,lo) &lt;= a+k*100 &lt; min(e,hi) for s, e in c[var])) for k in range(n)]
 *     return out
 * blocks = {}
 * for t in T:
 *     for v in V:
 *         rows = {c: [] for c in coders}
 *         for s in S:
 *             l = labels(s, t, v)
 *             if l:
 *                 for c in coders: rows[c] += l[c]
 *         blocks[(t, v)] = rows
 * for t in [None] + T:
 *     for v in [None] + V:
 *         rows = {c: [] for c in coders}
 *         for tt in T:
 *             for vv in V:
 *                 if (t is None or t == tt) and (v is None or v == vv):
 *                     for c in coders: rows[c] += blocks[(tt, vv)][c]
 *         n = len(rows["A"])
 *         for i, j in itertools.combinations(range(3), 2):
 *             x = np.array(rows[coders[i]]); y = np.array(rows[coders[j]])
 *             m = (x != MISSING) &amp; (y != MISSING)
 *             tab = np.zeros((2, 2))
 *             for p, q in zip(x[m], y[m]): tab[p, q] += 1
 *             k = cohens_kappa(tab)
 *             print(f"{t or 'all'}/{v or 'both'} {coders[i]}{coders[j]} samples={n} rows={int(tab.sum())}"
 *                   f" agree={np.trace(tab) / tab.sum()!r} kappa={k.kappa!r} std={k.std_kappa!r}"
 *                   f" table={tab.astype(int).tolist()}")
 * </pre>
 * ({@code te} / {@code se} are printed as {@code task_engagement} / {@code social_engagement}
 * below.) statsmodels returns NaN where kappa is undefined (both coders constant and equal);
 * engagement-metrics returns an empty kappa there.
 */
class HumanAgreementTest {

    private static final String EXPECTED = """
            all/both AB samples=198 rows=138 agree=0.9202898550724637 kappa=0.8218727998122506 std=0.051278954378599056
            all/both AC samples=198 rows=78 agree=0.9615384615384616 kappa=0.9108910891089109 std=0.05024729894448259
            all/both BC samples=198 rows=138 agree=0.8695652173913043 kappa=0.6487556561085972 std=0.075778998290083
            all/task_engagement AB samples=99 rows=69 agree=0.8985507246376812 kappa=0.793854033290653 std=0.07303923178697638
            all/task_engagement AC samples=99 rows=39 agree=0.9743589743589743 kappa=0.9433962264150942 std=0.05578379111761096
            all/task_engagement BC samples=99 rows=69 agree=0.8695652173913043 kappa=0.6884094330155544 std=0.09553956564198914
            all/social_engagement AB samples=99 rows=69 agree=0.9420289855072463 kappa=0.843891402714932 std=0.07550552790328205
            all/social_engagement AC samples=99 rows=39 agree=0.9487179487179487 kappa=0.8737864077669902 std=0.08623284466388406
            all/social_engagement BC samples=99 rows=69 agree=0.8695652173913043 kappa=0.5868263473053891 std=0.12296382547099832
            dolls/both AB samples=78 rows=58 agree=0.9310344827586207 kappa=0.8615751789976133 std=0.06662115094125005
            dolls/both AC samples=78 rows=38 agree=0.9473684210526315 kappa=0.894736842105263 std=0.07204458699594563
            dolls/both BC samples=78 rows=58 agree=0.8620689655172413 kappa=0.7201447527141133 std=0.0909180607082456
            dolls/task_engagement AB samples=39 rows=29 agree=0.9310344827586207 kappa=0.8612440191387559 std=0.09375577800913559
            dolls/task_engagement AC samples=39 rows=19 agree=0.9473684210526315 kappa=0.8938547486033519 std=0.1027305415496017
            dolls/task_engagement BC samples=39 rows=29 agree=0.7931034482758621 kappa=0.5896226415094341 std=0.14358511208548427
            dolls/social_engagement AB samples=39 rows=29 agree=0.9310344827586207 kappa=0.8619047619047618 std=0.09421960944471171
            dolls/social_engagement AC samples=39 rows=19 agree=0.9473684210526315 kappa=0.8950276243093921 std=0.10160811823824835
            dolls/social_engagement BC samples=39 rows=29 agree=0.9310344827586207 kappa=0.8388888888888888 std=0.10970353064385059
            shaker/both AB samples=60 rows=40 agree=0.875 kappa=0.7109826589595376 std=0.1185655129792266
            shaker/both AC samples=60 rows=20 agree=1.0 kappa=1.0 std=0.0
            shaker/both BC samples=60 rows=40 agree=0.8 kappa=0.3333333333333333 std=0.17033010796395437
            shaker/task_engagement AB samples=30 rows=20 agree=0.8 kappa=0.5876288659793816 std=0.18000411960678342
            shaker/task_engagement AC samples=30 rows=10 agree=1.0 kappa=1.0 std=0.0
            shaker/task_engagement BC samples=30 rows=20 agree=0.85 kappa=0.5714285714285712 std=0.2190433937142653
            shaker/social_engagement AB samples=30 rows=20 agree=0.95 kappa=0.0 std=nan
            shaker/social_engagement AC samples=30 rows=10 agree=1.0 kappa=nan std=nan
            shaker/social_engagement BC samples=30 rows=20 agree=0.75 kappa=0.0 std=0.0
            drum/both AB samples=60 rows=40 agree=0.95 kappa=0.8268398268398267 std=0.11854401607214872
            drum/both AC samples=60 rows=20 agree=0.95 kappa=0.6428571428571426 std=0.3251425375446125
            drum/both BC samples=60 rows=40 agree=0.95 kappa=0.48051948051948035 std=0.3059279374338199
            drum/task_engagement AB samples=30 rows=20 agree=0.95 kappa=0.857142857142857 std=0.13781177972354416
            drum/task_engagement AC samples=30 rows=10 agree=1.0 kappa=nan std=nan
            drum/task_engagement BC samples=30 rows=20 agree=1.0 kappa=nan std=nan
            drum/social_engagement AB samples=30 rows=20 agree=0.95 kappa=0.7727272727272725 std=0.21572118043753974
            drum/social_engagement AC samples=30 rows=10 agree=0.9 kappa=0.6153846153846153 std=0.3368106383611293
            drum/social_engagement BC samples=30 rows=20 agree=0.9 kappa=0.45945945945945976 std=0.30506662186053785
            """;

    private static final Pattern LINE = Pattern.compile("(\\w+)/(\\w+) (\\w)(\\w) samples=(\\d+)"
            + " rows=(\\d+) agree=(\\S+) kappa=(\\S+) std=(\\S+)");

    private static final double TOL = 1e-12;

    @Test
    void everyScopeAndPairMatchesStatsmodels() {
        AgreementTable table = HumanAgreement.reference().compute(StatsFixture.sessions());
        assertEquals(List.of("A", "B", "C"), table.coders());
        assertEquals(12, table.matrices().size());
        assertEquals(100, table.stepMs());
        assertFalse(table.maskedExcluded());
        List<String> scopes = new ArrayList<>();
        for (AgreementMatrix m : table.matrices()) {
            scopes.add(m.scope().toString());
        }
        assertEquals(AgreementScope.standard().stream().map(AgreementScope::toString).toList(),
                scopes, "report order");
        int lines = 0;
        for (String line : EXPECTED.strip().split("\n")) {
            Matcher x = LINE.matcher(line.strip());
            assertTrue(x.matches(), line);
            String name = x.group(1) + "/" + x.group(2);
            AgreementMatrix m = table.matrices().stream()
                    .filter(mm -> mm.scope().toString().equals(name)).findFirst().orElseThrow();
            assertEquals(Integer.parseInt(x.group(5)), m.samples(), line);
            RaterPair p = m.raters().pair(x.group(3), x.group(4));
            assertEquals(Long.parseLong(x.group(6)), p.rows(), line);
            assertEquals(Double.parseDouble(x.group(7)), p.agreement().orElseThrow(), TOL, line);
            if (x.group(8).equals("nan")) {
                assertTrue(p.kappa().isEmpty(), line);
            } else {
                assertEquals(Double.parseDouble(x.group(8)), p.kappa().orElseThrow().kappa(), TOL,
                        line);
                if (!x.group(9).equals("nan")) {
                    assertEquals(Double.parseDouble(x.group(9)),
                            p.kappa().orElseThrow().stdKappa(), TOL, line);
                }
            }
            lines++;
        }
        assertEquals(36, lines);
    }

    @Test
    void overallMatrixIsFigureOne() {
        AgreementTable table = HumanAgreement.reference().compute(StatsFixture.sessions());
        AgreementMatrix all = table.overall();
        assertEquals(AgreementScope.all(), all.scope());
        double[][] k = all.kappa();
        assertEquals(1.0, k[0][0]);
        assertEquals(0.8218727998122506, k[0][1], TOL);
        assertEquals(k[0][1], k[1][0]);
        assertEquals(0.6487556561085972, k[1][2], TOL);
        double[][] a = all.agreement();
        assertEquals(0.9615384615384616, a[2][0], TOL);
        // Paper-style average over the three pairs.
        double mean = (0.8218727998122506 + 0.9108910891089109 + 0.6487556561085972) / 3;
        assertEquals(mean, all.meanKappa().mean().orElseThrow(), TOL);
        assertEquals(3, all.meanKappa().definedPairs());
        assertEquals(3, all.pairs().size());
        // Undefined kappa is reported, not averaged.
        AgreementMatrix drumTe = table.matrix(AgreementScope.of(Task.DRUM,
                Variable.TASK_ENGAGEMENT)).orElseThrow();
        assertEquals(1, drumTe.meanKappa().definedPairs());
        assertEquals(2, drumTe.meanKappa().undefinedPairs());
        assertTrue(Double.isNaN(drumTe.kappa()[0][2]));
    }

    @Test
    void samplesCoverTheMinimalIntervalHalfOpen() {
        CodedSession s1 = StatsFixture.sessions().get(0);
        Map<String, int[]> l = HumanAgreement.reference().labels(s1, Task.DOLLS,
                Variable.TASK_ENGAGEMENT, List.of("A", "B", "C", "D")).orElseThrow();
        // Minimal interval [150, 1960): samples at 150, 250, ..., 1950, none at 1960.
        assertEquals(19, l.get("A").length);
        // A engaged [0, 1000): samples 150..950 are engaged (9), 1050..1950 not (10).
        int[] a = new int[19];
        for (int k = 0; k < 9; k++) {
            a[k] = 1;
        }
        assertArrayEquals(a, l.get("A"));
        // B engaged [200, 1000): 150 is not engaged, 250..950 are.
        assertEquals(0, l.get("B")[0]);
        assertEquals(1, l.get("B")[1]);
        int[] missing = new int[19];
        Arrays.fill(missing, CohensKappa.MISSING);
        assertArrayEquals(missing, l.get("D"), "a coder of other sessions has no label here");

        // A step that divides the interval: no sample at the end.
        Map<String, int[]> l2 = HumanAgreement.reference().withStepMs(905).labels(s1, Task.DOLLS,
                Variable.TASK_ENGAGEMENT, List.of("A")).orElseThrow();
        assertEquals(2, l2.get("A").length, "samples at 150 and 1055, not at 1960");
    }

    @Test
    void maskedSamplesCanBeLeftUnlabelled() {
        // One session, two coders who agree everywhere except where B masked the time.
        CodedSession s = StatsFixture.session("m",
                new Coder("A").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 500),
                new Coder("B").spans(0, 1000, 1000, 2000, 2000, 3000).te(0, 300)
                        .masked(300, 500));
        AgreementTable included = HumanAgreement.reference().compute(List.of(s));
        AgreementTable excluded = HumanAgreement.reference().withMaskedExcluded(true)
                .compute(List.of(s));
        RaterPair in = included.overall().raters().pair("A", "B");
        RaterPair ex = excluded.overall().raters().pair("A", "B");
        assertEquals(60, in.rows());
        assertEquals(58.0 / 60, in.agreement().orElseThrow(), TOL);
        // B's mask holds the samples at 300 and 400 ms of both variables.
        assertEquals(56, ex.rows(), "the four masked samples are left out");
        assertEquals(1.0, ex.agreement().orElseThrow());
        assertTrue(excluded.maskedExcluded());
    }

    @Test
    void sessionsWithoutSharedTimeAddNoSamples() {
        // The coders' dolls spans do not overlap, so the only samples come from the other tasks.
        CodedSession s = StatsFixture.session("x",
                new Coder("A").spans(0, 1000, 1000, 2000, 2000, 3000),
                new Coder("B").spans(1000, 1500, 1500, 2000, 2000, 3000));
        AgreementTable t = HumanAgreement.reference().compute(List.of(s));
        assertEquals(Optional.empty(), t.matrix(AgreementScope.of(Task.DOLLS, null)));
        assertEquals(Optional.empty(), t.matrix(AgreementScope.of(Task.DOLLS,
                Variable.SOCIAL_ENGAGEMENT)));
        assertEquals(15, t.overall().samples() / 2, "shaker 5 + drum 10 samples per variable");
        assertEquals(9, t.matrices().size());
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> HumanAgreement.reference().compute(List.of()));
        CodedSession s1 = StatsFixture.sessions().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HumanAgreement.reference().compute(List.of(s1, s1)));
        assertTrue(e.getMessage().contains("s1 appears twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HumanAgreement.reference().withStepMs(0));
        assertTrue(e.getMessage().contains("stepMs = 0"), e.getMessage());
        CodedSession disjoint = StatsFixture.session("d",
                new Coder("A").spans(0, 10, 10, 20, 20, 30),
                new Coder("B").spans(100, 110, 110, 120, 120, 130));
        e = assertThrows(IllegalArgumentException.class,
                () -> HumanAgreement.reference().compute(List.of(disjoint)));
        assertTrue(e.getMessage().contains("nothing to sample"), e.getMessage());
    }
}
