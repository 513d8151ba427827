package org.engagement4j.core.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link NetworkGradients#compute} returns for one (micro-)batch.
 *
 * @param weightedNll {@code sum_n w[y_n] nll_n} over the batch (not normalised)
 * @param weightSum {@code sum_n w[y_n]}
 * @param logits the forward logits {@code [N, 2]} in C order, float32 as ONNX Runtime gave them
 * @param gradients parameter name to {@code dL/dtheta} (summed over the batch rows, divided by the
 *     normaliser passed in), in the parameters' order
 * @since 0.1.0
 */
public record BatchGradient(double weightedNll, double weightSum, float[] logits,
        Map<String, double[]> gradients) {

    /**
     * Copies the arrays.
     *
     * @param weightedNll summed weighted losses
     * @param weightSum summed class weights
     * @param logits the logits
     * @param gradients the gradients
     * @throws NullPointerException if an array or the map is null
     */
    public BatchGradient {
        logits = Objects.requireNonNull(logits, "logits").clone();
        Map<String, double[]> copy = new LinkedHashMap<>();
        Objects.requireNonNull(gradients, "gradients").forEach((k, v) -> copy.put(k, v.clone()));
        gradients = Collections.unmodifiableMap(copy);
    }

    /** @return a copy of the logits */
    @Override
    public float[] logits() {
        return logits.clone();
    }

    /** @return parameter name to a copy of its gradient */
    @Override
    public Map<String, double[]> gradients() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        gradients.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }
}
