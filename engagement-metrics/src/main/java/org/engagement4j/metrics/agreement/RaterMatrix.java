package org.engagement4j.metrics.agreement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * Pairwise agreement of named raters: the symmetric matrices of raw agreement and Cohen's kappa of
 * the paper's Figures 1 and 3, and their averages over groups of pairs for Table 3 (human-human
 * versus human-machine; Fraile et al., ICMI 2022, doi:10.1145/3536221.3556629).
 *
 * <p>Every rater labels the same rows (for example 100 ms samples of a session, or 5 s windows);
 * a row a rater did not label holds {@link CohensKappa#MISSING}, and each pair is compared on the
 * rows both labelled. Raters keep the order of the map given (use a {@link LinkedHashMap}).
 *
 * <p>The diagonal compares a rater with itself: agreement 1 and kappa 1, unless the rater labelled
 * nothing (both undefined) or used a single category (kappa undefined). In the {@code double[][]}
 * views, NaN marks exactly the undefined entries reported by {@link #pair(String, String)}.
 *
 * @since 0.1.0
 */
public final class RaterMatrix {

    private final List<String> raters;
    private final RaterPair[][] pairs;

    private RaterMatrix(List<String> raters, RaterPair[][] pairs) {
        this.raters = raters;
        this.pairs = pairs;
    }

    /**
     * Binary raters: labels 0 or 1, or {@link CohensKappa#MISSING}.
     *
     * @param labels rater name to labels, all of the same length, in display order
     * @return the matrix
     * @throws IllegalArgumentException if the map is empty, the arrays are empty or differ in
     *     length, or a label is not 0, 1 or MISSING (the message names rater, index and value)
     * @throws NullPointerException if the map, a name or an array is null
     */
    public static RaterMatrix of(Map<String, int[]> labels) {
        return of(labels, 2);
    }

    /**
     * Raters over {@code categories} nominal categories.
     *
     * @param labels rater name to labels, each in {@code [0, categories)} or MISSING
     * @param categories number of categories, at least 2
     * @return the matrix
     * @throws IllegalArgumentException as {@link #of(Map)}, or if {@code categories < 2}
     */
    public static RaterMatrix of(Map<String, int[]> labels, int categories) {
        Objects.requireNonNull(labels, "labels");
        Labels.requireCategoryCount(categories);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels: at least one rater is required");
        }
        List<String> names = new ArrayList<>(labels.size());
        List<int[]> arrays = new ArrayList<>(labels.size());
        int length = -1;
        String firstName = null;
        for (Map.Entry<String, int[]> e : labels.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "labels: a rater name is null");
            int[] a = Objects.requireNonNull(e.getValue(), () -> "labels of rater '" + name + "'");
            String argument = "labels['" + name + "']";
            Labels.requireNonEmpty(argument, a.length);
            if (length < 0) {
                length = a.length;
                firstName = argument;
            } else {
                Labels.requireSameLength(firstName, length, argument, a.length);
            }
            Labels.requireCategories(argument, a, categories, true);
            names.add(name);
            arrays.add(a.clone());
        }
        int m = names.size();
        RaterPair[][] pairs = new RaterPair[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                long[][] t = CohensKappa.table(arrays.get(i), arrays.get(j), categories);
                pairs[i][j] = pair(names.get(i), names.get(j), t);
                if (j != i) {
                    pairs[j][i] = pair(names.get(j), names.get(i), transpose(t));
                }
            }
        }
        return new RaterMatrix(Collections.unmodifiableList(names), pairs);
    }

    /** @return the rater names, in the order given */
    public List<String> raters() {
        return raters;
    }

    /**
     * @param first a rater name
     * @param second a rater name, possibly equal to {@code first}
     * @return the pair's agreement and kappa on the rows both labelled
     * @throws IllegalArgumentException if a name is unknown (the message lists the known ones)
     */
    public RaterPair pair(String first, String second) {
        return pairs[index("first", first)][index("second", second)];
    }

    /**
     * @return the distinct unordered pairs {@code (raters[i], raters[j])}, {@code i < j}, in row
     *     order
     */
    public List<RaterPair> pairs() {
        List<RaterPair> list = new ArrayList<>();
        for (int i = 0; i < pairs.length; i++) {
            for (int j = i + 1; j < pairs.length; j++) {
                list.add(pairs[i][j]);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** @return a new symmetric matrix of raw agreement, NaN where undefined (no shared row) */
    public double[][] agreementMatrix() {
        return matrix(RaterPair::agreement);
    }

    /** @return a new symmetric matrix of Cohen's kappa, NaN where undefined */
    public double[][] kappaMatrix() {
        return matrix(RaterPair::kappaValue);
    }

    /**
     * Mean raw agreement over the unordered pairs {@code {a, b}} with {@code a} in
     * {@code groupA}, {@code b} in {@code groupB} and {@code a != b}, each pair counted once. Pass
     * the same group twice for within-group pairs (human-human), or two groups for between-group
     * pairs (human-machine).
     *
     * @param groupA rater names
     * @param groupB rater names
     * @return the mean over the pairs with a defined agreement
     * @throws IllegalArgumentException if a name is unknown
     */
    public PairMean meanAgreement(Collection<String> groupA, Collection<String> groupB) {
        return mean(groupA, groupB, RaterPair::agreement);
    }

    /**
     * Mean Cohen's kappa over the pairs selected as in
     * {@link #meanAgreement(Collection, Collection)}.
     *
     * @param groupA rater names
     * @param groupB rater names
     * @return the mean over the pairs with a defined kappa; undefined pairs are counted in
     *     {@link PairMean#undefinedPairs()}
     * @throws IllegalArgumentException if a name is unknown
     */
    public PairMean meanKappa(Collection<String> groupA, Collection<String> groupB) {
        return mean(groupA, groupB, RaterPair::kappaValue);
    }

    private PairMean mean(Collection<String> groupA, Collection<String> groupB,
            Function<RaterPair, OptionalDouble> score) {
        Objects.requireNonNull(groupA, "groupA");
        Objects.requireNonNull(groupB, "groupB");
        Set<Long> seen = new LinkedHashSet<>();
        for (String a : groupA) {
            int i = index("groupA", a);
            for (String b : groupB) {
                int j = index("groupB", b);
                if (i != j) {
                    seen.add((long) Math.min(i, j) * pairs.length + Math.max(i, j));
                }
            }
        }
        double sum = 0;
        int defined = 0;
        for (long key : seen) {
            OptionalDouble v = score.apply(pairs[(int) (key / pairs.length)][(int) (key % pairs.length)]);
            if (v.isPresent()) {
                sum += v.getAsDouble();
                defined++;
            }
        }
        return new PairMean(defined == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / defined),
                defined, seen.size() - defined);
    }

    private double[][] matrix(Function<RaterPair, OptionalDouble> score) {
        double[][] out = new double[pairs.length][pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            for (int j = 0; j < pairs.length; j++) {
                out[i][j] = score.apply(pairs[i][j]).orElse(Double.NaN);
            }
        }
        return out;
    }

    private int index(String argument, String name) {
        int i = raters.indexOf(Objects.requireNonNull(name, argument));
        if (i < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: unknown rater '%s', expected one of %s", argument, name, raters));
        }
        return i;
    }

    private static RaterPair pair(String first, String second, long[][] table) {
        long n = 0;
        long diagonal = 0;
        for (int i = 0; i < table.length; i++) {
            for (int j = 0; j < table.length; j++) {
                n += table[i][j];
            }
            diagonal += table[i][i];
        }
        if (n == 0) {
            return new RaterPair(first, second, 0, OptionalDouble.empty(), Optional.empty());
        }
        return new RaterPair(first, second, n, OptionalDouble.of((double) diagonal / n),
                CohensKappa.ofTable(table));
    }

    private static long[][] transpose(long[][] t) {
        long[][] out = new long[t.length][t.length];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                out[j][i] = t[i][j];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RaterMatrix" + raters;
    }
}
