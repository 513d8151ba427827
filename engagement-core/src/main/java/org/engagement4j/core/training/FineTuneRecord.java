package org.engagement4j.core.training;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One point of a fine-tuning curve: an evaluation of the weights on the validation clips, taken at
 * the end of every epoch or every {@code k} optimiser steps ({@link FineTuner#withValidationEvery}).
 * Evaluation 0 is the starting network, before any step.
 *
 * @param evaluation the evaluation index, from 0
 * @param epoch the epoch it was taken in (0 for evaluation 0)
 * @param globalStep optimiser steps done when it was taken
 * @param trainLoss the mean training loss of the steps since the previous evaluation (NaN for
 *     evaluation 0, which follows no step)
 * @param validation loss and confusion of the weights on the validation clips, if a validation set
 *     was given
 * @param smoothedValidationF1 the mean raw validation F1 over evaluations {@code max(0, e - w) .. e}
 *     (the checkpoint rule of {@link HeadTrainer}), if a validation set was given
 * @since 0.1.0
 */
public record FineTuneRecord(int evaluation, int epoch, long globalStep, double trainLoss,
        Optional<SplitMetrics> validation, OptionalDouble smoothedValidationF1) {

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count is negative, or the smoothed F1's presence does not
     *     match the validation's
     */
    public FineTuneRecord {
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(smoothedValidationF1, "smoothedValidationF1");
        if (evaluation < 0 || epoch < 0 || globalStep < 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "evaluation %d, epoch %d, global step %d: must be >= 0", evaluation, epoch, globalStep));
        }
        if (validation.isPresent() != smoothedValidationF1.isPresent()) {
            throw new IllegalArgumentException("evaluation " + evaluation
                    + ": a smoothed validation F1 exists exactly when a validation set does");
        }
    }
}
