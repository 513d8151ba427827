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
 * Random hyper-parameter search for fine-tuning the whole network with repeated K-fold
 * cross-validation, the reference's fine-tune search (REFERENCE.md §6, "Fine-tune search"); the
 * companion of {@link HeadSearch}, with the same {@link SearchResult} (and CSV) and the same
 * selection (highest mean validation F1).
 *
 * <h2>Sampled parameters</h2>
 * Trial {@code t} draws, from a generator seeded by {@code (seed, t)} only:
 * <ul>
 *   <li>learning rate {@code 10^u}, {@code u ~ U(-8, -2)};</li>
 *   <li>learning-rate decay: 0 with probability 1/6, else {@code 10^u}, {@code u ~ U(-4, 0)}
 *       (the reference's odds 1:5 of zero against a sampled value);</li>
 *   <li>weight decay: 0 with probability 1/6, else {@code 10^u}, {@code u ~ U(-4, 0)}.</li>
 * </ul>
 * The reference does not search the class weights of the whole network; they are the
 * {@linkplain #withTuner tuner's} setting (on by default, as the final run), recorded in every
 * trial's {@link HeadSearch.Parameters#classWeights()}.
 *
 * <h2>Evaluation of a trial</h2>
 * The input is K folds of labelled clips keyed {@code 0 .. K-1} (K = 4 for the reference), each
 * fold twice: for training (e.g. {@link SampledClips} with the training augmentation, fresh per
 * epoch) and for validation (the test transform). Run {@code (r, v)} fine-tunes, from the
 * network's own starting weights ({@link NetworkGradients#initialWeights()}), on the union of the
 * other training folds in key order and checkpoints on validation fold {@code v} by the smoothed
 * rule of {@link FineTuner}; the run's score is the raw validation F1 of its checkpointed
 * evaluation. The tuner of run {@code (r, v)} is seeded by {@code (seed, r, v)} and is the same
 * for every trial, so trials are compared on equal shuffles; repetitions differ by the
 * shuffles (the training sets' own per-epoch draws depend on their own seeds). A run that stops
 * on a non-finite value keeps its last good checkpoint and is counted in
 * {@link SearchResult.Trial#nonFiniteRuns()}.
 *
 * <h2>Threads, memory and determinism</h2>
 * The {@code trials x R x K} runs are spread over {@link #threads()} workers; each worker opens
 * one {@link NetworkGradients} from the {@link GradientsFactory} and closes it at its end, so
 * {@code threads} networks (with their activations) are in memory at once: choose the count
 * the memory allows (default 1). Each run's score goes to its own slot, so the
 * {@link SearchResult} is identical for every thread count.
 *
 * <h2>Bad input</h2>
 * {@link IllegalArgumentException} when a fold map is not keyed exactly {@code 0 .. K-1} with
 * {@code K >= 2}, the two maps differ in K, or a training union holds one class only (the
 * message names the validation fold), all before any network is opened. The factory's
 * {@link ModelException} and a run's (e.g. a clip of the wrong shape) end the search.
 *
 * <p>Defaults: 100 trials (as {@link HeadSearch}; the reference does not state its number),
 * 4 repetitions, a tuner of 100 epochs and batch 16 (REFERENCE.md §6) with
 * {@link FineTuner}'s other defaults, seed 0, one worker. Instances are immutable and
 * thread-safe.
 *
 * @since 0.1.0
 */
public final class FineTuneSearch {

    /** Epochs per run of the reference's fine-tune search. */
    public static final int DEFAULT_EPOCHS = 100;
    /** Clips per optimiser step in the reference's fine-tune search. */
    public static final int DEFAULT_BATCH_SIZE = 16;
    /** Odds of zero against a sampled value, for decay and weight decay: 1 in 6 is zero. */
    static final int ZERO_ONE_IN = 6;

    /**
     * Opens one gradient engine per worker, e.g.
     * {@code () -> NetworkGradients.of(model, names, 2, Provider.CPU)}; every engine must start
     * from the same weights.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface GradientsFactory {

        /**
         * @return a new engine, owned (and closed) by the caller
         * @throws ModelException if ONNX Runtime cannot open it
         */
        NetworkGradients open() throws ModelException;
    }

    private final int trials;
    private final int repetitions;
    private final FineTuner tuner;
    private final long seed;
    private final int threads;

    private FineTuneSearch(int trials, int repetitions, FineTuner tuner, long seed, int threads) {
        this.trials = trials;
        this.repetitions = repetitions;
        this.tuner = tuner;
        this.seed = seed;
        this.threads = threads;
    }

    /** @return the reference's search (see the class description) */
    public static FineTuneSearch withDefaults() {
        return new FineTuneSearch(HeadSearch.DEFAULT_TRIALS, HeadSearch.DEFAULT_REPETITIONS,
                FineTuner.withDefaults().withEpochs(DEFAULT_EPOCHS)
                        .withBatchSize(DEFAULT_BATCH_SIZE), 0, 1);
    }

    /**
     * @param n the number of trials, at least 1
     * @return a copy with that many trials
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public FineTuneSearch withTrials(int n) {
        return new FineTuneSearch(SearchRuns.atLeast(n, 1, "trials"), repetitions, tuner, seed,
                threads);
    }

    /**
     * @param n repetitions of the cross-validation, at least 1
     * @return a copy with that many repetitions
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public FineTuneSearch withRepetitions(int n) {
        return new FineTuneSearch(trials, SearchRuns.atLeast(n, 1, "repetitions"), tuner, seed,
                threads);
    }

    /**
     * @param base the tuner of every run: its epochs, batch and micro-batch sizes, class-weight
     *     switch, validation interval, smoothing window and warm-up are kept; its learning rate,
     *     decay and weight decay are the trial's and its seed the run's
     * @return a copy with that tuner
     */
    public FineTuneSearch withTuner(FineTuner base) {
        return new FineTuneSearch(trials, repetitions, Objects.requireNonNull(base, "base"), seed,
                threads);
    }

    /**
     * @param s the seed of the parameters and of the runs' shuffles
     * @return a copy with that seed
     */
    public FineTuneSearch withSeed(long s) {
        return new FineTuneSearch(trials, repetitions, tuner, s, threads);
    }

    /**
     * @param n workers, at least 1, each holding one network; the result does not depend on it
     * @return a copy with that many workers
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public FineTuneSearch withThreads(int n) {
        return new FineTuneSearch(trials, repetitions, tuner, seed,
                SearchRuns.atLeast(n, 1, "threads"));
    }

    /** @return the number of trials */
    public int trials() {
        return trials;
    }

    /** @return the repetitions of the cross-validation */
    public int repetitions() {
        return repetitions;
    }

    /** @return the tuner of every run (before the trial's parameters and seed) */
    public FineTuner tuner() {
        return tuner;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the workers */
    public int threads() {
        return threads;
    }

    /**
     * The parameters of trial {@code trial} (see the class description); they depend on
     * {@code (seed, trial)} only.
     *
     * @param seed the search seed
     * @param trial the trial index, {@code >= 0}
     * @param classWeights the class-weight switch to record (not sampled)
     * @return the parameters
     * @throws IllegalArgumentException if {@code trial < 0}
     */
    public static HeadSearch.Parameters sample(long seed, int trial, boolean classWeights) {
        SearchRuns.atLeast(trial, 0, "trial");
        UniformRandomProvider rng = Seeds.rng(seed, "finetune-search", "trial",
                Integer.toString(trial));
        double lr = SearchRuns.logUniform(rng, -8, -2);
        double decay = SearchRuns.zeroOrLogUniform(rng, ZERO_ONE_IN, -4, 0);
        double wd = SearchRuns.zeroOrLogUniform(rng, ZERO_ONE_IN, -4, 0);
        return new HeadSearch.Parameters(lr, decay, wd, classWeights);
    }

    /**
     * The seed of the tuner of run {@code (repetition, fold)}, the same for every trial.
     *
     * @param seed the search seed
     * @param repetition the repetition
     * @param fold the validation fold
     * @return the tuner's seed
     */
    static long runSeed(long seed, int repetition, int fold) {
        return Seeds.derive(seed, "finetune-search", "run", Integer.toString(repetition),
                Integer.toString(fold));
    }

    /**
     * Runs the search (see the class description).
     *
     * @param engines opens one engine per worker
     * @param trainingFolds the folds' training clips keyed {@code 0 .. K-1}, {@code K >= 2}
     * @param validationFolds the folds' validation clips, the same keys
     * @param listener receives every finished trial (from a worker thread, one call at a time)
     * @return every trial's result, in trial order
     * @throws ModelException if an engine cannot be opened or ONNX Runtime fails in a run
     * @throws IllegalArgumentException if a map is not keyed {@code 0 .. K-1}, the two differ in
     *     K, a training union holds one class only, or a run refuses its data (as
     *     {@link FineTuner#train})
     * @throws IllegalStateException if a worker is interrupted
     */
    public SearchResult run(GradientsFactory engines, Map<Integer, LabelledClips> trainingFolds,
            Map<Integer, LabelledClips> validationFolds, HeadSearch.TrialListener listener)
            throws ModelException {
        Objects.requireNonNull(engines, "engines");
        Objects.requireNonNull(listener, "listener");
        List<LabelledClips> trainIndex = SearchRuns.inKeyOrder(trainingFolds, 2,
                "fine-tune cross-validation (training clips)");
        List<LabelledClips> valIndex = SearchRuns.inKeyOrder(validationFolds, 2,
                "fine-tune cross-validation (validation clips)");
        int k = valIndex.size();
        if (trainIndex.size() != k) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fine-tune cross-validation: %d folds of training clips, %d of validation"
                            + " clips", trainIndex.size(), k));
        }
        List<LabelledClips> trainSets = new ArrayList<>(k);
        for (int v = 0; v < k; v++) {
            List<Integer> keys = SearchRuns.others(k, v);
            LabelledClips union = LabelledClips.concat(
                    keys.stream().map(trainIndex::get).toList(), "folds " + keys);
            double p = FineTuner.positiveRate(union);
            if (p == 0 || p == 1) {
                throw SearchRuns.oneClass("fine-tune search", v, keys, p == 1, union.size());
            }
            trainSets.add(union);
        }
        List<HeadSearch.Parameters> params = new ArrayList<>(trials);
        List<FineTuner> tuners = new ArrayList<>(trials);
        for (int t = 0; t < trials; t++) {
            HeadSearch.Parameters p = sample(seed, t, tuner.classWeights());
            params.add(p);
            tuners.add(p.applyTo(tuner));
        }
        return SearchRuns.run("finetune-search", params, repetitions, k, threads, engines::open,
                NetworkGradients::close, (net, t, r, v) -> {
                    FineTuneResult res = tuners.get(t).withSeed(runSeed(seed, r, v)).train(net,
                            trainSets.get(v), Optional.of(valIndex.get(v)), Optional.empty(),
                            (epoch, step, steps, global, loss) -> { });
                    return new SearchRuns.Outcome(
                            res.best().orElseThrow().validation().orElseThrow().f1(),
                            res.stopReason() != FineTuneResult.StopReason.COMPLETED);
                }, listener);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FineTuneSearch[trials %d, repetitions %d, seed %d,"
                + " threads %d, %s]", trials, repetitions, seed, threads, tuner);
    }
}
