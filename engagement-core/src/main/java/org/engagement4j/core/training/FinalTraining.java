package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The final head training after a {@link HeadSearch}, as the reference did (REFERENCE.md §6,
 * §8): with folds keyed {@code 0 .. K-1} ({@code K = 5} for the reference), the head trains on
 * folds {@code 0 .. K-3} (0–2), checkpoints on fold {@code K-2} (3: the epoch with the best
 * smoothed validation F1, see {@link HeadTrainer}) and is reported on the held-out fold
 * {@code K-1} (4), which chooses nothing.
 *
 * <p>The trainer carries the chosen parameters ({@link HeadSearch.Parameters#applyTo}) and the
 * final run's epochs and smoothing; the initial head is {@link LinearHead#initialise} with
 * {@link #seed()}. Instances are immutable and thread-safe.
 *
 * <p>Bad input: {@link IllegalArgumentException} when the fold keys are not exactly
 * {@code 0 .. K-1} with {@code K >= 3}, the dimensions differ, or the training folds hold one
 * class only.
 *
 * @since 0.1.0
 */
public final class FinalTraining {

    /**
     * The outcome.
     *
     * @param training the full training result (history with the test fold evaluated every
     *     epoch, checkpoint, final head)
     * @param trainingFolds the folds trained on
     * @param validationFold the checkpointing fold
     * @param testFold the held-out fold
     * @since 0.1.0
     */
    public record Result(HeadTrainingResult training, List<Integer> trainingFolds,
            int validationFold, int testFold) {

        /**
         * Copies the list.
         *
         * @throws NullPointerException if a component is null
         */
        public Result {
            Objects.requireNonNull(training, "training");
            trainingFolds = List.copyOf(trainingFolds);
        }

        /** @return the checkpointed head */
        public LinearHead head() {
            return training.bestHead();
        }

        /** @return the checkpointed head's metrics on the validation fold */
        public SplitMetrics validation() {
            return training.bestRecord().validation().orElseThrow();
        }

        /** @return the checkpointed head's metrics on the held-out fold */
        public SplitMetrics test() {
            return training.bestRecord().test().orElseThrow();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "FinalTraining.Result[train %s, validation fold"
                    + " %d (%s), test fold %d (%s), epoch %d]", trainingFolds, validationFold,
                    validation(), testFold, test(), training.bestEpoch());
        }
    }

    private final HeadTrainer trainer;
    private final long seed;

    private FinalTraining(HeadTrainer trainer, long seed) {
        this.trainer = trainer;
        this.seed = seed;
    }

    /**
     * @param trainer the trainer of the final run, chosen parameters applied
     * @return a final training with seed 0
     */
    public static FinalTraining of(HeadTrainer trainer) {
        return new FinalTraining(Objects.requireNonNull(trainer, "trainer"), 0);
    }

    /**
     * @param parameters the search's choice (e.g. {@code result.best().parameters()})
     * @param base the trainer whose epochs, smoothing window and warm-up the run keeps
     * @return a final training with seed 0
     */
    public static FinalTraining of(HeadSearch.Parameters parameters, HeadTrainer base) {
        return of(Objects.requireNonNull(parameters, "parameters").applyTo(base));
    }

    /**
     * @param s the seed of the initial head
     * @return a copy with that seed
     */
    public FinalTraining withSeed(long s) {
        return new FinalTraining(trainer, s);
    }

    /** @return the trainer */
    public HeadTrainer trainer() {
        return trainer;
    }

    /** @return the seed of the initial head */
    public long seed() {
        return seed;
    }

    /**
     * Runs without progress reports.
     *
     * @param folds the folds keyed {@code 0 .. K-1}, {@code K >= 3}
     * @return the result
     * @throws IllegalArgumentException see the class description
     */
    public Result run(Map<Integer, LabelledEmbeddings> folds) {
        return run(folds, HeadTrainer.EpochListener.NONE);
    }

    /**
     * Trains on folds {@code 0 .. K-3}, checkpoints on {@code K-2}, reports {@code K-1}.
     *
     * @param folds the folds keyed {@code 0 .. K-1}, {@code K >= 3}
     * @param listener receives every epoch's record
     * @return the result
     * @throws IllegalArgumentException see the class description
     */
    public Result run(Map<Integer, LabelledEmbeddings> folds,
            HeadTrainer.EpochListener listener) {
        return run(folds, folds, listener);
    }

    /**
     * As {@link #run(Map, HeadTrainer.EpochListener)}, with training embeddings of folds
     * {@code 0 .. K-3} from {@code trainingFolds} and the validation and test folds from
     * {@code evaluationFolds} (the reference's training augmentation and test transform).
     * Only the keys {@code 0 .. K-3} of {@code trainingFolds} are read, but every map must be
     * keyed {@code 0 .. n-1}.
     *
     * @param trainingFolds training embeddings, at least folds {@code 0 .. K-3}
     * @param evaluationFolds evaluation embeddings keyed {@code 0 .. K-1}, {@code K >= 3}
     * @param listener receives every epoch's record
     * @return the result
     * @throws IllegalArgumentException see the class description, or if
     *     {@code trainingFolds} lacks one of the training folds
     */
    public Result run(Map<Integer, LabelledEmbeddings> trainingFolds,
            Map<Integer, LabelledEmbeddings> evaluationFolds,
            HeadTrainer.EpochListener listener) {
        Objects.requireNonNull(listener, "listener");
        List<LabelledEmbeddings> byIndex = HeadSearch.checkFolds(evaluationFolds, 3,
                "final training");
        int k = byIndex.size();
        List<LabelledEmbeddings> trainIndex = HeadSearch.checkFolds(trainingFolds, k - 2,
                "final training (training embeddings)");
        List<Integer> keys = new ArrayList<>(k - 2);
        for (int f = 0; f < k - 2; f++) {
            keys.add(f);
        }
        LabelledEmbeddings train = LabelledEmbeddings.concat(trainIndex.subList(0, k - 2),
                "training folds " + keys);
        LabelledEmbeddings validation = byIndex.get(k - 2);
        LabelledEmbeddings test = byIndex.get(k - 1);
        LinearHead initial = LinearHead.initialise(train.dimension(), 2, seed);
        HeadTrainingResult res = trainer.train(train, Optional.of(validation), Optional.of(test),
                initial, listener);
        return new Result(res, keys, k - 2, k - 1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FinalTraining[%s, seed %d]", trainer, seed);
    }
}
