package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.engagement4j.core.model.ModelException;

/**
 * The machinery {@link HeadSearch} and {@link FineTuneSearch} share: drawing a trial's
 * hyper-parameters, checking the fold maps, and running the {@code trials x R x K}
 * cross-validation runs on worker threads into a {@link SearchResult}.
 *
 * <p>Determinism: run {@code (t, r, v)} writes only its own slot, and a trial's row is built from
 * its slots alone, so the result is the same for every thread count and every order in which the
 * workers happen to finish. Each worker opens one resource (a {@link NetworkGradients} for the
 * fine-tune search: sessions are not thread-safe and hold the model's memory, so the number of
 * workers is the number of networks in memory) and closes it when no run is left.
 */
final class SearchRuns {

    /** The score of one cross-validation run and whether it stopped on a non-finite value. */
    record Outcome(double f1, boolean nonFinite) {
    }

    /** Opens a worker's resource. */
    @FunctionalInterface
    interface Opener<R> {
        R open() throws ModelException;
    }

    /** Runs one cross-validation run with a worker's resource. */
    @FunctionalInterface
    interface Run<R> {
        Outcome run(R resource, int trial, int repetition, int fold) throws ModelException;
    }

    private SearchRuns() {
    }

    /**
     * Runs every {@code (trial, repetition, fold)} on {@code threads} workers.
     *
     * @param what the search's name for thread names and messages
     * @param params the parameters of every trial, in trial order
     * @return the trials in index order
     * @throws ModelException the first failure of a run, once every worker has stopped
     */
    static <R> SearchResult run(String what, List<HeadSearch.Parameters> params, int repetitions,
            int folds, int threads, Opener<R> opener, Consumer<? super R> closer, Run<R> run,
            HeadSearch.TrialListener listener) throws ModelException {
        int trials = params.size();
        int total = trials * repetitions * folds;
        double[][][] scores = new double[trials][repetitions][folds];
        boolean[][][] nonFinite = new boolean[trials][repetitions][folds];
        int[] remaining = new int[trials];
        java.util.Arrays.fill(remaining, repetitions * folds);
        SearchResult.Trial[] done = new SearchResult.Trial[trials];
        int[] finished = {0};
        Object lock = new Object();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        int workers = Math.max(1, Math.min(threads, total));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread th = new Thread(r, what);
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    R resource = opener.open();
                    try {
                        for (int j = next.getAndIncrement(); j < total && !failed.get();
                                j = next.getAndIncrement()) {
                            int t = j / (repetitions * folds);
                            int r = j / folds % repetitions;
                            int v = j % folds;
                            Outcome o;
                            try {
                                o = run.run(resource, t, r, v);
                            } catch (RuntimeException | ModelException | Error e) {
                                failed.set(true);
                                throw e;
                            }
                            synchronized (lock) {
                                scores[t][r][v] = o.f1();
                                nonFinite[t][r][v] = o.nonFinite();
                                if (--remaining[t] == 0) {
                                    done[t] = trial(t, params.get(t), scores[t], nonFinite[t]);
                                    finished[0]++;
                                    listener.trialDone(done[t], finished[0], trials);
                                }
                            }
                        }
                    } finally {
                        closer.accept(resource);
                    }
                    return null;
                }));
            }
            ExecutionException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            if (first != null) {
                Throwable c = first.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                if (c instanceof ModelException me) {
                    throw me;
                }
                throw new IllegalStateException(what + " failed", c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        synchronized (lock) {
            return new SearchResult(List.of(done), repetitions, folds);
        }
    }

    /**
     * Checks that the folds are keyed {@code 0 .. K-1}, {@code K >= min}, and returns them in key
     * order.
     */
    static <T> List<T> inKeyOrder(Map<Integer, T> folds, int min, String what) {
        Objects.requireNonNull(folds, "folds");
        TreeMap<Integer, T> sorted = new TreeMap<>();
        for (Map.Entry<Integer, T> e : folds.entrySet()) {
            sorted.put(Objects.requireNonNull(e.getKey(), "fold key"),
                    Objects.requireNonNull(e.getValue(), "fold " + e.getKey()));
        }
        int k = sorted.size();
        if (k < min) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d fold(s) %s given, at least %d needed", what, k, sorted.keySet(),
                    min));
        }
        List<T> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            T e = sorted.get(f);
            if (e == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: folds %s given; fold %d is missing (keys must be 0..%d)", what,
                        sorted.keySet(), f, k - 1));
            }
            out.add(e);
        }
        return out;
    }

    /** @return the keys {@code 0 .. k-1} except {@code v} */
    static List<Integer> others(int k, int v) {
        List<Integer> keys = new ArrayList<>(k - 1);
        for (int f = 0; f < k; f++) {
            if (f != v) {
                keys.add(f);
            }
        }
        return keys;
    }

    /** The exception of a training union with one class only. */
    static IllegalArgumentException oneClass(String search, int v, List<Integer> keys,
            boolean positive, int rows) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: with fold %d for validation, the training folds %s hold %s labels only (%d"
                        + " rows); every training union needs both classes", search, v, keys,
                positive ? "positive" : "negative", rows));
    }

    /** {@code 10^u}, {@code u ~ U(lo, hi)}. */
    static double logUniform(UniformRandomProvider rng, double lo, double hi) {
        return Math.pow(10, uniform(rng, lo, hi));
    }

    /**
     * 0 with probability {@code 1 / oneIn}, else {@code 10^u}, {@code u ~ U(lo, hi)}; both draws
     * are always made, so a trial's later draws do not depend on this one's outcome.
     */
    static double zeroOrLogUniform(UniformRandomProvider rng, int oneIn, double lo, double hi) {
        boolean zero = rng.nextInt(oneIn) == 0;
        double exp = uniform(rng, lo, hi);
        return zero ? 0 : Math.pow(10, exp);
    }

    static double uniform(UniformRandomProvider rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    static int atLeast(int n, int min, String what) {
        if (n < min) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d, must be >= %d", what, n, min));
        }
        return n;
    }

    private static SearchResult.Trial trial(int t, HeadSearch.Parameters p, double[][] f1,
            boolean[][] nonFinite) {
        List<List<Double>> rows = new ArrayList<>(f1.length);
        int bad = 0;
        for (int r = 0; r < f1.length; r++) {
            List<Double> row = new ArrayList<>(f1[r].length);
            for (int v = 0; v < f1[r].length; v++) {
                row.add(f1[r][v]);
                if (nonFinite[r][v]) {
                    bad++;
                }
            }
            rows.add(row);
        }
        return SearchResult.Trial.of(t, p, rows, bad);
    }
}
