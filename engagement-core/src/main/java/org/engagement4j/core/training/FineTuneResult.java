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
 * @since 0.1.0
 */
public record FineTuneResult(Map<String, float[]> weights, List<Double> stepLosses, long globalSteps,
        int completedEpochs, long resumedFrom, StopReason stopReason, String stopDetail) {

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
     * @throws NullPointerException if a component is null
     */
    public FineTuneResult {
        Map<String, float[]> copy = new LinkedHashMap<>();
        Objects.requireNonNull(weights, "weights").forEach((k, v) -> copy.put(k, v.clone()));
        weights = Collections.unmodifiableMap(copy);
        stepLosses = List.copyOf(stepLosses);
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(stopDetail, "stopDetail");
    }

    /** @return copies of the final weights */
    @Override
    public Map<String, float[]> weights() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        weights.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }
}
