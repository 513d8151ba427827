package org.engagement4j.core.folds;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits sessions into folds by rejection sampling (Fraile et al., ICMI 2022, Section 3.3;
 * REFERENCE.md §4). Each try deals the sessions at random, tries that break a constraint are
 * rejected, the others are scored, and the lowest score wins (the first one drawn on a tie).
 *
 * <p><b>Score</b> of a split into {@code K} folds of {@code N} sessions:
 * <pre>
 *   score = sum_k [ 2 * sum_(t,v) ((p_k(t,v) - p(t,v)) / p(t,v))^2 + ((n_k - N/K) / (N/K))^2 ]
 * </pre>
 * where {@code n_k} is the number of sessions in fold {@code k}, and the <em>time-weighted positive
 * rate</em> of task {@code t} and variable {@code v} over a set of sessions is
 * <pre>
 *   p(t,v) = sum over sessions, sum over their coders of |engaged(t,v) \ masked|
 *          / sum over sessions, sum over their coders of |span(t) \ masked|
 * </pre>
 * (milliseconds; each coder's own task span and engaged time, never merged; a session coded by three
 * coders weighs 1.5 times one coded by two, as in the reference, which summed over every
 * annotation). {@code p} is that rate over all sessions, {@code p_k} over fold {@code k}. Masked
 * time (the {@code ignore} tier) is left out of both numerator and denominator because it is never
 * sampled. A pair with {@code p(t,v) = 0} (nobody ever engaged, or nobody marked the task) is
 * left out of the score: every split balances it equally. A fold with no time at all for a task
 * counts as {@code p_k = 0}, the worst balance.
 *
 * <p><b>Dealing</b> (one try): the named group of sessions (the reference's six sessions of the
 * second experimenter) is shuffled and dealt round-robin over a shuffled order of the folds, so
 * every fold gets {@code floor(g/K)} or {@code ceil(g/K)} of them; the remaining {@code m}
 * sessions are shuffled and fold {@code k} receives positions {@code [floor(k m / K),
 * floor((k+1) m / K))}. With {@link #withBlocksInTest(boolean) blocks in test} (the default), a
 * try is rejected unless the test fold (the last) holds a session of every coder block, a block
 * being the set of coders of a session; so each coder has a test session they never coded
 * whenever such a session exists (paper Section 3.4).
 *
 * <p><b>Differences from the reference code</b>, on purpose: the reference computed the fold
 * rate per task over both variables together (a slip: it looked up the task, not the task and
 * variable); here each (task, variable) pair has its own rate. It iterated a hash set, so its
 * split depended on hash order and had no reproducible seed; here sessions are sorted by id first
 * and all randomness comes from one seed (commons-rng {@code XO_RO_SHI_RO_128_PP}), so the same
 * sessions, parameters and seed give the same plan whatever order the sessions come in. Its
 * penalty of 100 for a fold without any group session is dropped: round-robin dealing makes the
 * number of such folds the same in every try. The block constraint, which the paper states but the
 * code only checked by hand, is enforced.
 *
 * <p>Instances are immutable and thread-safe; {@code withX} methods return new instances.
 *
 * @since 0.1.0
 */
public final class FoldSplitter {

    private static final Logger LOG = LoggerFactory.getLogger(FoldSplitter.class);

    /** Folds of the reference: 4 for cross-validation and 1 test fold. */
    public static final int DEFAULT_FOLDS = 5;
    /** Random tries of the reference. */
    public static final int DEFAULT_TRIES = 100_000;

    private final int folds;
    private final int tries;
    private final Set<String> group;
    private final boolean blocksInTest;

    private FoldSplitter(int folds, int tries, Set<String> group, boolean blocksInTest) {
        this.folds = folds;
        this.tries = tries;
        this.group = group;
        this.blocksInTest = blocksInTest;
    }

    /**
     * @return a splitter with the reference settings: 5 folds, 100,000 tries, no group, every
     *     coder block required in the test fold
     */
    public static FoldSplitter withDefaults() {
        return new FoldSplitter(DEFAULT_FOLDS, DEFAULT_TRIES, Collections.emptySet(), true);
    }

    /**
     * @param folds number of folds, {@code >= 2}; the last is the test fold
     * @return a copy with that number of folds
     * @throws IllegalArgumentException if {@code folds < 2}
     */
    public FoldSplitter withFolds(int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "folds must be >= 2, got %d", folds));
        }
        return new FoldSplitter(folds, tries, group, blocksInTest);
    }

    /**
     * @param tries random splits to draw, {@code >= 1}
     * @return a copy drawing that many splits
     * @throws IllegalArgumentException if {@code tries < 1}
     */
    public FoldSplitter withTries(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tries must be >= 1, got %d", tries));
        }
        return new FoldSplitter(folds, tries, group, blocksInTest);
    }

    /**
     * @param sessions ids of sessions to deal round-robin over the folds (e.g. the sessions of
     *     the second experimenter); may be empty; every id must be among the sessions split later
     * @return a copy with that group
     */
    public FoldSplitter withGroup(Collection<String> sessions) {
        Set<String> g = new TreeSet<>();
        for (String s : Objects.requireNonNull(sessions, "sessions")) {
            g.add(Objects.requireNonNull(s, "group session"));
        }
        return new FoldSplitter(folds, tries, Collections.unmodifiableSet(g), blocksInTest);
    }

    /**
     * @param required whether a split is accepted only if its test fold holds a session of every
     *     coder block
     * @return a copy with that constraint
     */
    public FoldSplitter withBlocksInTest(boolean required) {
        return new FoldSplitter(folds, tries, group, required);
    }

    /** @return the number of folds */
    public int folds() {
        return folds;
    }

    /** @return the number of random tries */
    public int tries() {
        return tries;
    }

    /** @return the group dealt round-robin (sorted, unmodifiable) */
    public Set<String> group() {
        return group;
    }

    /** @return whether every coder block must appear in the test fold */
    public boolean blocksInTest() {
        return blocksInTest;
    }

    /**
     * Draws {@link #tries()} random splits and keeps the best one that meets the constraints.
     *
     * @param sessions the sessions to split (any order; ids unique)
     * @param seed the seed; equal inputs and seed give an equal plan
     * @return the best split found
     * @throws IllegalArgumentException if there are fewer sessions than folds, an id repeats, a
     *     group id is not among the sessions, the blocks cannot all fit in the test fold, or no
     *     try met the block constraint
     */
    public FoldPlan split(Collection<CodedSession> sessions, long seed) {
        List<CodedSession> sorted = sortedUnique(sessions);
        int n = sorted.size();
        if (n < folds) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "cannot split %d session(s) into %d folds: every fold needs a session", n,
                    folds));
        }
        List<SessionTotals> totals = SessionTotals.ofAll(sorted);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(sorted.get(i).session(), i);
        }
        List<String> unknown = new ArrayList<>();
        for (String g : group) {
            if (!index.containsKey(g)) {
                unknown.add(g);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "group session(s) %s are not among the %d sessions given", unknown, n));
        }
        int[] groupIdx = new int[group.size()];
        int[] restIdx = new int[n - group.size()];
        int gi = 0;
        int ri = 0;
        for (int i = 0; i < n; i++) {
            if (group.contains(sorted.get(i).session())) {
                groupIdx[gi++] = i;
            } else {
                restIdx[ri++] = i;
            }
        }
        int[] blockOf = new int[n];
        Map<String, Integer> blockIds = new TreeMap<>();
        for (SessionTotals t : totals) {
            blockIds.putIfAbsent(t.block, 0);
        }
        int b = 0;
        for (Map.Entry<String, Integer> e : blockIds.entrySet()) {
            e.setValue(b++);
        }
        for (int i = 0; i < n; i++) {
            blockOf[i] = blockIds.get(totals.get(i).block);
        }
        int blockCount = blockIds.size();
        if (blocksInTest) {
            int m = restIdx.length;
            int maxTest = m - (folds - 1) * m / folds + (groupIdx.length + folds - 1) / folds;
            if (blockCount > maxTest) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the test fold holds at most %d of the %d sessions, fewer than the %d coder"
                                + " blocks %s; use fewer folds or withBlocksInTest(false)",
                        maxTest, n, blockCount, blockIds.keySet()));
            }
        }

        FoldScorer scorer = new FoldScorer(totals, folds);
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        int[] foldOrder = new int[folds];
        for (int k = 0; k < folds; k++) {
            foldOrder[k] = k;
        }
        int[] assign = new int[n];
        int[] best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        int accepted = 0;
        boolean[] seenBlock = new boolean[blockCount];
        int test = folds - 1;
        int m = restIdx.length;
        for (int t = 0; t < tries; t++) {
            PermutationSampler.shuffle(rng, groupIdx);
            PermutationSampler.shuffle(rng, foldOrder);
            for (int i = 0; i < groupIdx.length; i++) {
                assign[groupIdx[i]] = foldOrder[i % folds];
            }
            PermutationSampler.shuffle(rng, restIdx);
            for (int k = 0; k < folds; k++) {
                int from = (int) ((long) k * m / folds);
                int to = (int) ((long) (k + 1) * m / folds);
                for (int r = from; r < to; r++) {
                    assign[restIdx[r]] = k;
                }
            }
            if (blocksInTest && !allBlocksIn(assign, test, blockOf, seenBlock)) {
                continue;
            }
            accepted++;
            double s = scorer.score(assign);
            if (s < bestScore) {
                bestScore = s;
                best = assign.clone();
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "none of %d tries put every coder block %s in the test fold; draw more tries"
                            + " or use withBlocksInTest(false)",
                    tries, blockIds.keySet()));
        }
        LOG.debug("fold split: {} of {} tries accepted, best score {}", accepted, tries,
                bestScore);
        return toPlan(sorted, scorer, best, bestScore, seed, accepted);
    }

    /**
     * The stratification score of a given split (the formula in the class comment), e.g. to
     * compare a hand-made split with a drawn one. Constraints are not checked.
     *
     * @param sessions the sessions
     * @param folds session ids per fold; together exactly the sessions, each once; as many
     *     folds as {@link #folds()}
     * @return the score, {@code >= 0}
     * @throws IllegalArgumentException if the folds are not a partition of the sessions into
     *     {@link #folds()} folds
     */
    public double score(Collection<CodedSession> sessions, List<List<String>> folds) {
        List<CodedSession> sorted = sortedUnique(sessions);
        int[] assign = assignment(sorted, folds);
        return new FoldScorer(SessionTotals.ofAll(sorted), this.folds).score(assign);
    }

    private int[] assignment(List<CodedSession> sorted, List<List<String>> given) {
        Objects.requireNonNull(given, "folds");
        if (given.size() != folds) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "expected %d folds, got %d", folds, given.size()));
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            index.put(sorted.get(i).session(), i);
        }
        int[] assign = new int[sorted.size()];
        java.util.Arrays.fill(assign, -1);
        for (int k = 0; k < given.size(); k++) {
            for (String s : given.get(k)) {
                Integer i = index.get(s);
                if (i == null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "fold %d names session %s, which is not among the sessions given", k,
                            s));
                }
                if (assign[i] >= 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "session %s is in fold %d and fold %d", s, assign[i], k));
                }
                assign[i] = k;
            }
        }
        for (int i = 0; i < assign.length; i++) {
            if (assign[i] < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "session %s is in no fold", sorted.get(i).session()));
            }
        }
        return assign;
    }

    private static boolean allBlocksIn(int[] assign, int fold, int[] blockOf, boolean[] seen) {
        java.util.Arrays.fill(seen, false);
        int count = 0;
        for (int i = 0; i < assign.length; i++) {
            if (assign[i] == fold && !seen[blockOf[i]]) {
                seen[blockOf[i]] = true;
                count++;
            }
        }
        return count == seen.length;
    }

    private static List<CodedSession> sortedUnique(Collection<CodedSession> sessions) {
        Objects.requireNonNull(sessions, "sessions");
        List<CodedSession> sorted = new ArrayList<>(sessions.size());
        for (CodedSession s : sessions) {
            sorted.add(Objects.requireNonNull(s, "session"));
        }
        sorted.sort((a, b) -> a.session().compareTo(b.session()));
        Set<String> seen = new HashSet<>();
        for (CodedSession s : sorted) {
            if (!seen.add(s.session())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "session %s is given more than once", s.session()));
            }
        }
        return sorted;
    }

    private FoldPlan toPlan(List<CodedSession> sorted, FoldScorer scorer, int[] assign,
            double score, long seed, int accepted) {
        List<List<String>> fs = new ArrayList<>();
        for (int k = 0; k < folds; k++) {
            fs.add(new ArrayList<>());
        }
        for (int i = 0; i < assign.length; i++) {
            fs.get(assign[i]).add(sorted.get(i).session());
        }
        double[][] rates = scorer.rates(assign);
        List<Map<Task, Map<Variable, Double>>> foldRates = new ArrayList<>();
        for (double[] r : rates) {
            foldRates.add(rateMap(r));
        }
        return new FoldPlan(fs, score, seed, tries, accepted, new ArrayList<>(group),
                blocksInTest, rateMap(scorer.overall()), foldRates);
    }

    private static Map<Task, Map<Variable, Double>> rateMap(double[] rates) {
        Map<Task, Map<Variable, Double>> out = new EnumMap<>(Task.class);
        for (int p = 0; p < rates.length; p++) {
            if (!Double.isNaN(rates[p])) {
                out.computeIfAbsent(SessionTotals.taskOf(p), x -> new EnumMap<>(Variable.class))
                        .put(SessionTotals.variableOf(p), rates[p]);
            }
        }
        return out;
    }
}
