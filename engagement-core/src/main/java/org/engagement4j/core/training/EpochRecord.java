package org.engagement4j.core.training;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one epoch of head training recorded (REFERENCE.md §6). Epoch 0 is the untrained head
 * evaluated on every set. For an epoch {@code e >= 1}, {@code train} comes from the forward pass
 * that computed the step's gradient, i.e. the head <em>before</em> that step (as the reference's
 * closure records it), while {@code validation} and {@code test} evaluate the head <em>after</em>
 * the step.
 *
 * @param epoch the epoch, from 0
 * @param learningRate the learning rate of this epoch's step ({@code lr0 * (1 - decay)^(e-1)};
 *     the initial rate for epoch 0, which takes no step)
 * @param train loss and confusion on the training set
 * @param validation loss and confusion on the validation set, if one was given
 * @param smoothedValidationF1 the mean validation F1 over epochs {@code max(0, e - w) .. e}, if
 *     a validation set was given
 * @param test loss and confusion on the test set, if one was given
 * @since 0.1.0
 */
public record EpochRecord(int epoch, double learningRate, SplitMetrics train,
        Optional<SplitMetrics> validation, OptionalDouble smoothedValidationF1,
        Optional<SplitMetrics> test) {

    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code epoch < 0}, or the smoothed F1's presence does
     *     not match the validation's
     */
    public EpochRecord {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(smoothedValidationF1, "smoothedValidationF1");
        Objects.requireNonNull(test, "test");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch " + epoch + ": must be >= 0");
        }
        if (validation.isPresent() != smoothedValidationF1.isPresent()) {
            throw new IllegalArgumentException("epoch " + epoch
                    + ": a smoothed validation F1 exists exactly when a validation set does");
        }
    }
}
