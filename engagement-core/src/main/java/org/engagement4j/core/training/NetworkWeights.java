package org.engagement4j.core.training;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;

/**
 * Writes trained weights back into a forward model: the result of {@link FineTuner}
 * ({@link FineTuneResult#weights()}) becomes a model that
 * {@link org.engagement4j.core.model.EngagementClassifier} loads and {@link HeadExport#write}
 * exports.
 *
 * @since 0.1.0
 */
public final class NetworkWeights {

    private NetworkWeights() {
    }

    /**
     * Replaces float initializers by new values, keeping their names, shapes and order; every
     * other initializer, node and metadata entry is kept.
     *
     * @param model the forward model the weights were trained on
     * @param weights initializer name to values (a subset of the float initializers)
     * @return the updated model (the input is not changed)
     * @throws IllegalArgumentException if a name is not a float initializer of the model or its
     *     values do not match the initializer's size, or a value is NaN or infinite
     */
    public static ModelProto withWeights(ModelProto model, Map<String, float[]> weights) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weights, "weights");
        Map<String, TensorProto> floats = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                floats.put(t.getName(), t);
            }
        }
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            TensorProto t = floats.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "weight '%s' is not a float initializer of graph '%s'", e.getKey(),
                        model.getGraph().getName()));
            }
            long n = 1;
            for (long d : Tensors.dims(t)) {
                n *= d;
            }
            float[] v = Objects.requireNonNull(e.getValue(), e.getKey());
            if (v.length != n) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "weight '%s' has %d values; the initializer of graph '%s' needs %d",
                        e.getKey(), v.length, model.getGraph().getName(), n));
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "weight '%s' element %d is %s", e.getKey(), i, v[i]));
                }
            }
        }
        GraphProto.Builder g = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            float[] v = weights.get(t.getName());
            if (v != null && t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
                g.addInitializer(Tensors.floats(t.getName(), v, Tensors.dims(t)));
            } else {
                g.addInitializer(t);
            }
        }
        return model.toBuilder().setGraph(g).build();
    }
}
