package org.engagement4j.core.graph.backward;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * A forward model extended by its backward pass, as {@link BackwardGraph#build()} returns it.
 *
 * <p>Run it with the forward inputs plus {@code seedInput}, a float tensor {@code [S, ...]} whose
 * trailing dimensions are those of the logits without the batch axis (for a classifier
 * {@code [S, K]}: one row per target, e.g. the identity for all K classes). With a forward batch of
 * 1, row {@code s} of every gradient output is {@code d(seed[s] . logits[0]) / d(tensor)}. With a
 * forward batch of N and S = N, row {@code n} is {@code d(seed[n] . logits[n]) / d(tensor)} (for an
 * intermediate tensor: with respect to its row n), plain gradients only.
 *
 * @param model the ONNX model: the forward graph (all its original outputs kept, first) plus the
 *     backward nodes, the seed input and one output per gradient
 * @param seedInput the name of the new graph input
 * @param gradientOutputs differentiated tensor to the name of its gradient output, in the order asked;
 *     the output is {@code [S, d1, ...]} for a tensor {@code [batch, d1, ...]} (graph input or node
 *     output) and {@code [S, d0, d1, ...]} for a constant (initializer) {@code [d0, d1, ...]}
 * @param guidedGradientOutputs the same for guided backpropagation (Springenberg et al., ICLR 2015
 *     workshop, arXiv:1412.6806); empty unless {@link BackwardGraph#guided(boolean)} was set
 * @param forwardOutputs the names of the forward graph's outputs, in order
 * @since 0.1.0
 */
public record BackwardModel(ModelProto model, String seedInput, Map<String, String> gradientOutputs,
        Map<String, String> guidedGradientOutputs, List<String> forwardOutputs) {

    /**
     * Validates and copies the components (the maps keep their order).
     *
     * @param model the extended model
     * @param seedInput the seed input's name
     * @param gradientOutputs differentiated tensor to gradient output name
     * @param guidedGradientOutputs differentiated tensor to guided gradient output name
     * @param forwardOutputs the forward graph's output names
     * @throws NullPointerException if a component is null
     */
    public BackwardModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(seedInput, "seedInput");
        gradientOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(gradientOutputs, "gradientOutputs")));
        guidedGradientOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(guidedGradientOutputs, "guidedGradientOutputs")));
        forwardOutputs = List.copyOf(Objects.requireNonNull(forwardOutputs, "forwardOutputs"));
    }
}
