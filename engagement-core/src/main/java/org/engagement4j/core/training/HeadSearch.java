package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.rng.UniformRandomProvider;
import org.engagement4j.core.internal.Seeds;
import org.engagement4j.core.model.ModelException;

/**
 * Random hyper-parameter search for the classifier head with repeated K-fold cross-validation,
 * the reference's head search (REFERENCE.md §6, "Head search").
 *
 * <h2>Sampled parameters</h2>
 * Trial {@code t} draws, from a generator seeded by {@code (seed, t)} only (so a trial's
 * parameters do not depend on the number of trials, the threads or the order of work):
 * <ul>
 *   <li>learning rate {@code 10^u}, {@code u ~ U(-5, 0)};</li>
 *   <li>learning-rate decay: 0 with probability 1/5, else {@code 10^u}, {@code u ~ U(-3, -1)}
 *       (the reference's odds 1:4 of zero against a sampled value);</li>
 *   <li>weight decay: 0 with probability 1/5, else {@code 10^u}, {@code u ~ U(-4, 1)};</li>
 *   <li>class weights on or off with probability 1/2 each.</li>
 * </ul>
 *
 * <h2>Evaluation of a trial</h2>
 * The input is K folds of labelled embeddings keyed {@code 0 .. K-1} (K = 4 for the reference:
 * the folds before the held-out test fold). For every repetition {@code r} and validation fold
 * {@code v}, a {@link HeadTrainer} with the trial's parameters, {@link #epochs()} epochs and the
 * configured smoothing window and warm-up trains on the union of the other folds (in key order)
 * and checkpoints on fold {@code v}; the score of the run is the raw validation F1 of its
 * checkpointed head. The initial head of run {@code (r, v)} is seeded by {@code (seed, r, v)}
 * and is the same for every trial, so trials are compared on equal starts; repetitions differ
 * only by that start, as training is full-batch and otherwise deterministic. A trial's mean and
 * standard deviation are over its {@code R x K} scores. A run that stops on a non-finite value
 * (see {@link HeadTrainer}) keeps its last good checkpoint and is counted in
 * {@link SearchResult.Trial#nonFiniteRuns()}.
 *
 * <h2>Threads and determinism</h2>
 * The {@code trials x R x K} runs are independent and are spread over {@link #threads()}
 * threads; each run's result goes to its own slot, so the {@link SearchResult} is identical for
 * every thread count.
 *
 * <h2>Bad input</h2>
 * {@link IllegalArgumentException} when the fold keys are not exactly {@code 0 .. K-1} with
 * {@code K >= 2}, the dimensions differ, or some training union holds one class only (the
 * message names the validation fold), all before any training starts.
 *
 * <p>Defaults: 100 trials (the reference does not state its number), 20 epochs, 4 repetitions,
 * smoothing window and warm-up of {@link HeadTrainer}'s defaults (8 and 8), seed 0, one thread
 * per available processor. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class HeadSearch {

    /** Trials of the default search (the reference does not state its number). */
    public static final int DEFAULT_TRIALS = 100;
    /** Epochs per run of the reference's head search. */
    public static final int DEFAULT_EPOCHS = 20;
    /** Repetitions of the cross-validation in the reference's head search. */
    public static final int DEFAULT_REPETITIONS = 4;
    /** Odds of zero against a sampled value, for decay and weight decay: 1 in 5 is zero. */
    static final int ZERO_ONE_IN = 5;

    /**
     * The hyper-parameters of one trial, of this search or of a {@link FineTuneSearch}.
     *
     * @param learningRate the initial learning rate, {@code > 0}
     * @param learningRateDecay the per-epoch decay, in {@code [0, 1)}
     * @param weightDecay the coupled weight decay, {@code >= 0}
     * @param classWeights whether the loss is class-weighted
     * @since 0.1.0
     */
    public record Parameters(double learningRate, double learningRateDecay, double weightDecay,
            boolean classWeights) {

        /**
         * @throws IllegalArgumentException if a value is outside the range {@link HeadTrainer}
         *     accepts
         */
        public Parameters {
            HeadTrainer.withDefaults().withLearningRate(learningRate)
                    .withLearningRateDecay(learningRateDecay).withWeightDecay(weightDecay);
        }

        /**
         * @param base the trainer whose epochs, smoothing window and warm-up are kept
         * @return {@code base} with these parameters
         */
        public HeadTrainer applyTo(HeadTrainer base) {
            return Objects.requireNonNull(base, "base").withLearningRate(learningRate)
                    .withLearningRateDecay(learningRateDecay).withWeightDecay(weightDecay)
                    .withClassWeights(classWeights);
        }

        /**
         * The same parameters for a whole-network run ({@link FineTuneSearch},
         * {@link FinalFineTuning}).
         *
         * @param base the tuner whose epochs, batch sizes, seed, smoothing and validation
         *     interval are kept
         * @return {@code base} with these parameters
         * @since 0.1.0
         */
        public FineTuner applyTo(FineTuner base) {
            return Objects.requireNonNull(base, "base").withLearningRate(learningRate)
                    .withLearningRateDecay(learningRateDecay).withWeightDecay(weightDecay)
                    .withClassWeights(classWeights);
        }
    }

    /**
     * Receives each finished trial (a command line draws a progress bar). Called from a worker
     * thread, one call at a time; must be quick.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface TrialListener {

        /** A listener that ignores every trial. */
        TrialListener NONE = (trial, done, total) -> { };

        /**
         * @param trial the finished trial
         * @param done how many trials have finished, this one included
         * @param total the number of trials
         */
        void trialDone(SearchResult.Trial trial, int done, int total);
    }

    private final int trials;
    private final int epochs;
    private final int repetitions;
    private final int smoothingWindow;
    private final int warmupEpochs;
    private final long seed;
    private final int threads;

    private HeadSearch(int trials, int epochs, int repetitions, int smoothingWindow,
            int warmupEpochs, long seed, int threads) {
        this.trials = trials;
        this.epochs = epochs;
        this.repetitions = repetitions;
        this.smoothingWindow = smoothingWindow;
        this.warmupEpochs = warmupEpochs;
        this.seed = seed;
        this.threads = threads;
    }

    /** @return the reference's search (see the class description) */
    public static HeadSearch withDefaults() {
        return new HeadSearch(DEFAULT_TRIALS, DEFAULT_EPOCHS, DEFAULT_REPETITIONS,
                HeadTrainer.DEFAULT_SMOOTHING_WINDOW, HeadTrainer.DEFAULT_WARMUP_EPOCHS, 0,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param n the number of trials, at least 1
     * @return a copy with that many trials
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public HeadSearch withTrials(int n) {
        return new HeadSearch(atLeast(n, 1, "trials"), epochs, repetitions, smoothingWindow,
                warmupEpochs, seed, threads);
    }

    /**
     * @param n epochs per run, {@code >= 0}
     * @return a copy with that many epochs
     * @throws IllegalArgumentException if negative
     */
    public HeadSearch withEpochs(int n) {
        return new HeadSearch(trials, atLeast(n, 0, "epochs"), repetitions, smoothingWindow,
                warmupEpochs, seed, threads);
    }

    /**
     * @param n repetitions of the cross-validation, at least 1
     * @return a copy with that many repetitions
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public HeadSearch withRepetitions(int n) {
        return new HeadSearch(trials, epochs, atLeast(n, 1, "repetitions"), smoothingWindow,
                warmupEpochs, seed, threads);
    }

    /**
     * @param w the smoothing window of each run, {@code >= 0} (see {@link HeadTrainer})
     * @return a copy with that window
     * @throws IllegalArgumentException if negative
     */
    public HeadSearch withSmoothingWindow(int w) {
        return new HeadSearch(trials, epochs, repetitions, atLeast(w, 0, "smoothing window"),
                warmupEpochs, seed, threads);
    }

    /**
     * @param n warm-up epochs of each run, {@code >= 0} (see {@link HeadTrainer})
     * @return a copy with that warm-up
     * @throws IllegalArgumentException if negative
     */
    public HeadSearch withWarmupEpochs(int n) {
        return new HeadSearch(trials, epochs, repetitions, smoothingWindow,
                atLeast(n, 0, "warm-up epochs"), seed, threads);
    }

    /**
     * @param s the seed of the parameters and of the initial heads
     * @return a copy with that seed
     */
    public HeadSearch withSeed(long s) {
        return new HeadSearch(trials, epochs, repetitions, smoothingWindow, warmupEpochs, s,
                threads);
    }

    /**
     * @param n worker threads, at least 1; the result does not depend on it
     * @return a copy with that many threads
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public HeadSearch withThreads(int n) {
        return new HeadSearch(trials, epochs, repetitions, smoothingWindow, warmupEpochs, seed,
                atLeast(n, 1, "threads"));
    }

    /** @return the number of trials */
    public int trials() {
        return trials;
    }

    /** @return the epochs per run */
    public int epochs() {
        return epochs;
    }

    /** @return the repetitions of the cross-validation */
    public int repetitions() {
        return repetitions;
    }

    /** @return the smoothing window of each run */
    public int smoothingWindow() {
        return smoothingWindow;
    }

    /** @return the warm-up epochs of each run */
    public int warmupEpochs() {
        return warmupEpochs;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the worker threads */
    public int threads() {
        return threads;
    }

    /**
     * The parameters of trial {@code trial} (see the class description); they depend on
     * {@code (seed, trial)} only.
     *
     * @param seed the search seed
     * @param trial the trial index, {@code >= 0}
     * @return the parameters
     * @throws IllegalArgumentException if {@code trial < 0}
     */
    public static Parameters sample(long seed, int trial) {
        atLeast(trial, 0, "trial");
        UniformRandomProvider rng = Seeds.rng(seed, "head-search", "trial",
                Integer.toString(trial));
        double lr = SearchRuns.logUniform(rng, -5, 0);
        double decay = SearchRuns.zeroOrLogUniform(rng, ZERO_ONE_IN, -3, -1);
        double wd = SearchRuns.zeroOrLogUniform(rng, ZERO_ONE_IN, -4, 1);
        boolean cw = rng.nextBoolean();
        return new Parameters(lr, decay, wd, cw);
    }

    /**
     * Runs the search without progress reports.
     *
     * @param folds the cross-validation folds keyed {@code 0 .. K-1}
     * @return every trial's result
     * @throws IllegalArgumentException as {@link #run(Map, TrialListener)}
     */
    public SearchResult run(Map<Integer, LabelledEmbeddings> folds) {
        return run(folds, TrialListener.NONE);
    }

    /**
     * Runs the search (see the class description).
     *
     * @param folds the cross-validation folds keyed {@code 0 .. K-1}, {@code K >= 2}
     * @param listener receives every finished trial
     * @return every trial's result, in trial order
     * @throws IllegalArgumentException if the folds are not keyed {@code 0 .. K-1}, their
     *     dimensions differ, or a training union holds one class only
     * @throws IllegalStateException if a worker is interrupted
     */
    public SearchResult run(Map<Integer, LabelledEmbeddings> folds, TrialListener listener) {
        return run(folds, folds, listener);
    }

    /**
     * Runs the search with different embeddings of each fold for training and for validation
     * (the reference bakes training folds with the training augmentation and the validation
     * fold with the test transform): run {@code (r, v)} trains on the other folds of
     * {@code trainingFolds} and checkpoints on fold {@code v} of {@code validationFolds}.
     *
     * @param trainingFolds the folds' training embeddings keyed {@code 0 .. K-1}, {@code K >= 2}
     * @param validationFolds the folds' validation embeddings, the same keys
     * @param listener receives every finished trial
     * @return every trial's result, in trial order
     * @throws IllegalArgumentException if a map is not keyed {@code 0 .. K-1}, the two differ in
     *     K, the dimensions differ, or a training union holds one class only
     * @throws IllegalStateException if a worker is interrupted
     */
    public SearchResult run(Map<Integer, LabelledEmbeddings> trainingFolds,
            Map<Integer, LabelledEmbeddings> validationFolds, TrialListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<LabelledEmbeddings> trainIndex = checkFolds(trainingFolds, 2,
                "cross-validation (training embeddings)");
        List<LabelledEmbeddings> byIndex = checkFolds(validationFolds, 2,
                "cross-validation (validation embeddings)");
        int k = byIndex.size();
        if (trainIndex.size() != k) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "cross-validation: %d folds of training embeddings, %d of validation"
                            + " embeddings", trainIndex.size(), k));
        }
        if (trainIndex.get(0).dimension() != byIndex.get(0).dimension()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "cross-validation: training embeddings have dimension %d, validation"
                            + " embeddings %d", trainIndex.get(0).dimension(),
                    byIndex.get(0).dimension()));
        }
        List<LabelledEmbeddings> trainSets = new ArrayList<>(k);
        for (int v = 0; v < k; v++) {
            List<Integer> keys = SearchRuns.others(k, v);
            LabelledEmbeddings union = LabelledEmbeddings.concat(
                    keys.stream().map(trainIndex::get).toList(), "folds " + keys);
            int pos = union.positives();
            if (pos == 0 || pos == union.size()) {
                throw SearchRuns.oneClass("head search", v, keys, pos != 0, union.size());
            }
            trainSets.add(union);
        }
        int d = byIndex.get(0).dimension();
        LinearHead[][] starts = new LinearHead[repetitions][k];
        for (int r = 0; r < repetitions; r++) {
            for (int v = 0; v < k; v++) {
                starts[r][v] = LinearHead.initialise(d, 2, Seeds.derive(seed,
                        "head-search", "init", Integer.toString(r), Integer.toString(v)));
            }
        }
        List<Parameters> params = new ArrayList<>(trials);
        for (int t = 0; t < trials; t++) {
            params.add(sample(seed, t));
        }
        List<HeadTrainer> trainers = new ArrayList<>(trials);
        for (Parameters p : params) {
            trainers.add(p.applyTo(HeadTrainer.withDefaults().withEpochs(epochs)
                    .withSmoothingWindow(smoothingWindow).withWarmupEpochs(warmupEpochs)));
        }
        try {
            return SearchRuns.run("head-search", params, repetitions, k, threads, () -> null,
                    none -> { }, (none, t, r, v) -> {
                        HeadTrainingResult res = trainers.get(t).train(trainSets.get(v),
                                Optional.of(byIndex.get(v)), Optional.empty(), starts[r][v],
                                HeadTrainer.EpochListener.NONE);
                        return new SearchRuns.Outcome(
                                res.bestRecord().validation().orElseThrow().f1(),
                                res.stopReason() != HeadTrainingResult.StopReason.COMPLETED);
                    }, listener);
        } catch (ModelException e) {
            // Head runs are pure Java: no ONNX Runtime call can fail.
            throw new IllegalStateException("head search: unexpected model failure", e);
        }
    }

    /**
     * Checks that the folds are keyed {@code 0 .. K-1}, {@code K >= min}, of one dimension, and
     * returns them in key order.
     */
    static List<LabelledEmbeddings> checkFolds(Map<Integer, LabelledEmbeddings> folds, int min,
            String what) {
        List<LabelledEmbeddings> out = SearchRuns.inKeyOrder(folds, min, what);
        for (int f = 1; f < out.size(); f++) {
            LabelledEmbeddings e = out.get(f);
            if (e.dimension() != out.get(0).dimension()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: fold %d (%s) has dimension %d, fold 0 has %d", what, f, e.name(),
                        e.dimension(), out.get(0).dimension()));
            }
        }
        return out;
    }

    private static int atLeast(int n, int min, String what) {
        return SearchRuns.atLeast(n, min, what);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "HeadSearch[trials %d, epochs %d, repetitions %d,"
                + " smoothing %d, warm-up %d, seed %d, threads %d]", trials, epochs, repetitions,
                smoothingWindow, warmupEpochs, seed, threads);
    }
}
