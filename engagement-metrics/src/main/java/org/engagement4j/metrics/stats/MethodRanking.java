package org.engagement4j.metrics.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ranks methods by the mean of their paired per-sample scores and tests every pair: the paper's
 * Table 4 (attention-map methods by mean EMD to the human maps, lower is better; Fraile et al.,
 * ICMI 2022, doi:10.1145/3536221.3556629), completed with the significance the paper did not
 * report ("the standard deviation has a similar magnitude as the difference between means").
 *
 * <p>Every method must score the same samples in the same order (paired design). Methods are
 * sorted by mean, {@link Order#ASCENDING} (lower is better, the default) or
 * {@link Order#DESCENDING}; equal means keep the map's iteration order. Each pair
 * {@code (better, worse)} gets a {@link WilcoxonTest} of {@code better} against {@code worse}
 * (two-sided, scipy's defaults unless configured) and, when configured, a
 * {@link PairedBootstrap} interval of the mean difference; each pair's interval equals
 * {@code bootstrap.meanDifference(better, worse)} for the configured seed.
 *
 * <p>Standard deviations use {@code ddof} delta degrees of freedom, 1 by default (sample standard
 * deviation, {@code numpy.std(v, ddof=1)}); {@code withDdof(0)} gives NumPy's default population
 * form.
 *
 * @since 0.1.0
 */
public final class MethodRanking {

    /** Which end of the scores is better. */
    public enum Order {
        /** Lower scores rank first (distances such as EMD or KL). */
        ASCENDING,
        /** Higher scores rank first (similarities such as Pearson's r). */
        DESCENDING
    }

    private static final MethodRanking DEFAULTS = new MethodRanking(Order.ASCENDING,
            WilcoxonTest.withDefaults(), null, 1);

    private final Order order;
    private final WilcoxonTest test;
    private final PairedBootstrap bootstrap;
    private final int ddof;

    private MethodRanking(Order order, WilcoxonTest test, PairedBootstrap bootstrap, int ddof) {
        this.order = order;
        this.test = test;
        this.bootstrap = bootstrap;
        this.ddof = ddof;
    }

    /**
     * @return ascending order, {@link WilcoxonTest#withDefaults()}, no bootstrap, {@code ddof = 1}
     */
    public static MethodRanking withDefaults() {
        return DEFAULTS;
    }

    /**
     * @param order which end of the scores is better
     * @return a new ranking with it
     */
    public MethodRanking withOrder(Order order) {
        return new MethodRanking(Objects.requireNonNull(order, "order"), test, bootstrap, ddof);
    }

    /**
     * @param test the signed-rank test to apply to each pair
     * @return a new ranking with it
     */
    public MethodRanking withTest(WilcoxonTest test) {
        return new MethodRanking(order, Objects.requireNonNull(test, "test"), bootstrap, ddof);
    }

    /**
     * @param bootstrap the bootstrap to apply to each pair
     * @return a new ranking with it
     */
    public MethodRanking withBootstrap(PairedBootstrap bootstrap) {
        return new MethodRanking(order, test, Objects.requireNonNull(bootstrap, "bootstrap"), ddof);
    }

    /** @return a new ranking without bootstrap intervals */
    public MethodRanking withoutBootstrap() {
        return new MethodRanking(order, test, null, ddof);
    }

    /**
     * @param ddof delta degrees of freedom of the standard deviation, 0 or 1
     * @return a new ranking with it
     * @throws IllegalArgumentException if {@code ddof} is neither 0 nor 1
     */
    public MethodRanking withDdof(int ddof) {
        if (ddof != 0 && ddof != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "ddof = %d: must be 0 (population) or 1 (sample)", ddof));
        }
        return new MethodRanking(order, test, bootstrap, ddof);
    }

    /** @return the order */
    public Order order() {
        return order;
    }

    /** @return the test applied to each pair */
    public WilcoxonTest test() {
        return test;
    }

    /** @return the bootstrap applied to each pair, if any */
    public Optional<PairedBootstrap> bootstrap() {
        return Optional.ofNullable(bootstrap);
    }

    /** @return the delta degrees of freedom of the standard deviations */
    public int ddof() {
        return ddof;
    }

    /**
     * Ranks the methods.
     *
     * @param scores method name to per-sample scores; at least one method, all of the same length
     *     {@code n > ddof}, all finite; iteration order breaks ties between equal means
     * @return the ranking with adjacent and all-pairs comparisons
     * @throws IllegalArgumentException if the map is empty, lengths differ or are too short, or a
     *     score is not finite (the message names method and index)
     * @throws NullPointerException if the map, a name or an array is null
     */
    public Ranking rank(Map<String, double[]> scores) {
        Objects.requireNonNull(scores, "scores");
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("scores: at least one method is required");
        }
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        int n = -1;
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "scores: a method name is null");
            double[] v = Objects.requireNonNull(e.getValue(), () -> "scores of method '" + name + "'");
            String argument = "scores['" + name + "']";
            if (n < 0) {
                n = v.length;
                if (n <= ddof) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: %d samples; at least %d are required with ddof = %d", argument, n,
                            ddof + 1, ddof));
                }
            } else if (v.length != n) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %d samples, but '%s' has %d; methods must score the same samples",
                        argument, v.length, names.get(0), n));
            }
            Samples.requireFinite(argument, v);
            names.add(name);
            values.add(v.clone());
        }

        int m = names.size();
        double[] means = new double[m];
        double[] sds = new double[m];
        List<Integer> orderIdx = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            means[i] = Samples.mean(values.get(i));
            sds[i] = sd(values.get(i), means[i], ddof);
            orderIdx.add(i);
        }
        Comparator<Integer> byMean = Comparator.comparingDouble(i -> means[i]);
        // List.sort is stable: equal means keep the caller's order.
        orderIdx.sort(order == Order.ASCENDING ? byMean : byMean.reversed());

        List<MethodSummary> summaries = new ArrayList<>(m);
        for (int r = 0; r < m; r++) {
            int i = orderIdx.get(r);
            summaries.add(new MethodSummary(r + 1, names.get(i), n, means[i], sds[i]));
        }
        List<PairwiseComparison> adjacent = new ArrayList<>();
        List<PairwiseComparison> all = new ArrayList<>();
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                int i = orderIdx.get(a);
                int j = orderIdx.get(b);
                PairwiseComparison c = compare(names.get(i), values.get(i), names.get(j),
                        values.get(j));
                all.add(c);
                if (b == a + 1) {
                    adjacent.add(c);
                }
            }
        }
        return new Ranking(summaries, adjacent, all);
    }

    private PairwiseComparison compare(String firstName, double[] first, String secondName,
            double[] second) {
        double meanDifference = Samples.mean(Samples.differences(first, second));
        Optional<WilcoxonResult> w = WilcoxonTest.isDefined(first, second)
                ? Optional.of(test.test(first, second)) : Optional.empty();
        Optional<BootstrapInterval> ci = bootstrap == null ? Optional.empty()
                : Optional.of(bootstrap.meanDifference(first, second));
        return new PairwiseComparison(firstName, secondName, meanDifference, w, ci);
    }

    private static double sd(double[] v, double mean, int ddof) {
        double ss = 0;
        for (double x : v) {
            double d = x - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (v.length - ddof));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MethodRanking{order=%s, test=%s, bootstrap=%s, ddof=%d}",
                order, test, bootstrap, ddof);
    }
}
