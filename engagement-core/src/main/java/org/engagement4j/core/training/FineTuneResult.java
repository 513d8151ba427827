package org.engagement4j.core.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link FineTuner#train}.
 *
 * @param weights the final weights, parameter name to float32 values (what the graph runs with)
 * @param stepLosses the training loss of every optimiser step run by this call (not those before a
 *     resume), in order
 * @param globalSteps optimiser steps done in total, including those before a resume
 * @param completedEpochs epochs finished
 * @param resumedFrom the global step the run continued from (0 for a fresh run)
 * @param stopReason why the run ended
 * @param stopDetail what went wrong when not {@link StopReason#COMPLETED}; empty otherwise
 * @param curve every evaluation of the run, those before a resume included (without a
 *     validation set the records carry training losses only)
 * @param bestEvaluation the index in {@code curve} of the checkpointed evaluation (best smoothed
 *     validation F1 after the warm-up, see {@link FineTuner}); 0 when the curve is empty
 * @param bestWeights the checkpointed weights: those of {@code bestEvaluation} with a validation
 *     set, the final weights without one
 * @since 0.1.0
 */
public record FineTuneResult(Map<String, float[]> weights, List<Double> stepLosses, long globalSteps,
        int completedEpochs, long resumedFrom, StopReason stopReason, String stopDetail,
        List<FineTuneRecord> curve, int bestEvaluation, Map<String, float[]> bestWeights) {

    /** Why a run ended. */
    public enum StopReason {
        /** All epochs ran. */
        COMPLETED,
        /** A loss or a weight became NaN or infinite; the weights are those before that step. */
        NON_FINITE
    }

    /**
     * Copies the weights and the list.
     *
     * @param weights final weights
     * @param stepLosses losses per step
     * @param globalSteps steps in total
     * @param completedEpochs epochs finished
     * @param resumedFrom the step resumed from
     * @param stopReason why it ended
     * @param stopDetail details
     * @param curve the evaluations
     * @param bestEvaluation the checkpointed evaluation
     * @param bestWeights its weights
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code bestEvaluation} lies outside a non-empty curve
     */
    public FineTuneResult {
        weights = copy(weights, "weights");
        bestWeights = copy(bestWeights, "bestWeights");
        curve = List.copyOf(curve);
        if (bestEvaluation < 0 || (!curve.isEmpty() && bestEvaluation >= curve.size())) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "best evaluation %d outside the curve of %d evaluations", bestEvaluation, curve.size()));
        }
        stepLosses = List.copyOf(stepLosses);
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(stopDetail, "stopDetail");
    }

    /** @return copies of the final weights */
    @Override
    public Map<String, float[]> weights() {
        return copy(weights, "weights");
    }

    /** @return copies of the checkpointed weights */
    @Override
    public Map<String, float[]> bestWeights() {
        return copy(bestWeights, "bestWeights");
    }

    /** @return the checkpointed evaluation, if the run had a validation set */
    public java.util.Optional<FineTuneRecord> best() {
        return curve.isEmpty() || curve.get(bestEvaluation).validation().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(curve.get(bestEvaluation));
    }

    private static Map<String, float[]> copy(Map<String, float[]> in, String what) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Objects.requireNonNull(in, what).forEach((k, v) -> out.put(k, Objects.requireNonNull(v, what).clone()));
        return Collections.unmodifiableMap(out);
    }
}
