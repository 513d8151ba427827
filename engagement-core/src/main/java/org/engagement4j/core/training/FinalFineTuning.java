package org.engagement4j.core.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.engagement4j.core.model.ModelException;

/**
 * The final fine-tuning after a {@link FineTuneSearch}, as {@link FinalTraining} for the head
 * (REFERENCE.md §6): with folds keyed {@code 0 .. K-1} ({@code K = 5} for the reference), the
 * network trains on folds {@code 0 .. K-3} (0–2), checkpoints on fold {@code K-2} (3: the
 * evaluation with the best smoothed validation F1, see {@link FineTuner}), and its checkpointed
 * weights are evaluated once on the held-out fold {@code K-1} (4), which chooses nothing.
 *
 * <p>The tuner carries the chosen parameters ({@link HeadSearch.Parameters#applyTo(FineTuner)})
 * and the final run's epochs, batch sizes, seed and smoothing. Instances are immutable and
 * thread-safe; the engine passed to {@link #run} is not (one run at a time per engine).
 *
 * <p>Bad input: {@link IllegalArgumentException} when the fold keys are not exactly
 * {@code 0 .. K-1} with {@code K >= 3}, the training map lacks a training fold, or the training
 * folds hold one class only.
 *
 * @since 0.1.0
 */
public final class FinalFineTuning {

    /**
     * The outcome.
     *
     * @param training the fine-tuning result (curve with the validation fold, checkpointed and
     *     final weights, stop reason)
     * @param trainingFolds the folds trained on
     * @param validationFold the checkpointing fold
     * @param testFold the held-out fold
     * @param test the checkpointed weights' metrics on the held-out fold
     * @since 0.1.0
     */
    public record Result(FineTuneResult training, List<Integer> trainingFolds, int validationFold,
            int testFold, SplitMetrics test) {

        /**
         * Copies the list.
         *
         * @throws NullPointerException if a component is null
         */
        public Result {
            Objects.requireNonNull(training, "training");
            Objects.requireNonNull(test, "test");
            trainingFolds = List.copyOf(trainingFolds);
        }

        /** @return the checkpointed evaluation's metrics on the validation fold */
        public SplitMetrics validation() {
            return training.best().orElseThrow().validation().orElseThrow();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "FinalFineTuning.Result[train %s, validation fold"
                    + " %d (%s), test fold %d (%s), evaluation %d]", trainingFolds,
                    validationFold, validation(), testFold, test, training.bestEvaluation());
        }
    }

    private final FineTuner tuner;

    private FinalFineTuning(FineTuner tuner) {
        this.tuner = tuner;
    }

    /**
     * @param tuner the tuner of the final run, chosen parameters applied
     * @return the final fine-tuning
     */
    public static FinalFineTuning of(FineTuner tuner) {
        return new FinalFineTuning(Objects.requireNonNull(tuner, "tuner"));
    }

    /**
     * @param parameters the search's choice (e.g. {@code result.best().parameters()})
     * @param base the tuner whose epochs, batch sizes, seed and smoothing the run keeps
     * @return the final fine-tuning
     */
    public static FinalFineTuning of(HeadSearch.Parameters parameters, FineTuner base) {
        return of(Objects.requireNonNull(parameters, "parameters").applyTo(base));
    }

    /** @return the tuner */
    public FineTuner tuner() {
        return tuner;
    }

    /**
     * Fine-tunes on folds {@code 0 .. K-3} of {@code trainingFolds}, checkpoints on fold
     * {@code K-2} of {@code evaluationFolds} and evaluates the checkpointed weights on fold
     * {@code K-1} of {@code evaluationFolds}. Only the keys {@code 0 .. K-3} of
     * {@code trainingFolds} are read, but every map must be keyed {@code 0 .. n-1}.
     *
     * @param net the engine (its starting weights start a fresh run)
     * @param trainingFolds training clips, at least folds {@code 0 .. K-3}
     * @param evaluationFolds evaluation clips keyed {@code 0 .. K-1}, {@code K >= 3}
     * @param checkpoint where to write checkpoints and resume from; empty for none
     * @param listener called after every optimiser step
     * @return the result
     * @throws ModelException if ONNX Runtime fails
     * @throws IllegalArgumentException see the class description, or as {@link FineTuner#train}
     */
    public Result run(NetworkGradients net, Map<Integer, LabelledClips> trainingFolds,
            Map<Integer, LabelledClips> evaluationFolds, Optional<Path> checkpoint,
            FineTuner.StepListener listener) throws ModelException {
        Objects.requireNonNull(net, "net");
        List<LabelledClips> byIndex = SearchRuns.inKeyOrder(evaluationFolds, 3,
                "final fine-tuning");
        int k = byIndex.size();
        List<LabelledClips> trainIndex = SearchRuns.inKeyOrder(trainingFolds, k - 2,
                "final fine-tuning (training clips)");
        List<Integer> keys = new ArrayList<>(k - 2);
        for (int f = 0; f < k - 2; f++) {
            keys.add(f);
        }
        LabelledClips train = LabelledClips.concat(trainIndex.subList(0, k - 2),
                "training folds " + keys);
        FineTuneResult res = tuner.train(net, train, Optional.of(byIndex.get(k - 2)), checkpoint,
                listener);
        SplitMetrics test = tuner.evaluate(net, res.bestWeights(), byIndex.get(k - 1),
                FineTuner.positiveRate(train));
        return new Result(res, keys, k - 2, k - 1, test);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FinalFineTuning[%s]", tuner);
    }
}
