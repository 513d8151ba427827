package org.engagement4j.metrics.stats;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A ranking of methods by mean score with pairwise paired tests, as produced by
 * {@link MethodRanking}; the paper's Table 4 with its significance.
 *
 * @param methods the methods, best first
 * @param adjacent comparisons of each method with the next one in the ranking
 *     ({@code methods.size() - 1} of them)
 * @param all comparisons of every pair, {@code (i, j)} with {@code i < j} in ranking order
 * @since 0.1.0
 */
public record Ranking(List<MethodSummary> methods, List<PairwiseComparison> adjacent,
        List<PairwiseComparison> all) {

    /**
     * Copies the lists.
     *
     * @param methods the methods, best first
     * @param adjacent comparisons of each method with the next one in the ranking ({@code
     *     methods.size() - 1} of them)
     * @param all comparisons of every pair, {@code (i, j)} with {@code i < j} in ranking order
     * @throws NullPointerException if a list or an element is null
     */
    public Ranking {
        methods = List.copyOf(methods);
        adjacent = List.copyOf(adjacent);
        all = List.copyOf(all);
    }

    /**
     * @param a a method name
     * @param b another method name
     * @return the comparison of the two, whichever order they are given in; its {@code first} is
     *     the better-ranked one
     * @throws IllegalArgumentException if there is no such pair (the message lists the methods)
     */
    public PairwiseComparison comparison(String a, String b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        for (PairwiseComparison c : all) {
            if (c.first().equals(a) && c.second().equals(b)
                    || c.first().equals(b) && c.second().equals(a)) {
                return c;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "a, b: no comparison of '%s' with '%s'; methods are %s", a, b,
                methods.stream().map(MethodSummary::name).toList()));
    }
}
