package org.engagement4j.core.graph;

import java.util.List;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TypeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * Small edits of an existing model that return a new {@code ModelProto} (the input is immutable).
 *
 * @since 0.1.0
 */
public final class ModelEditor {

    private ModelEditor() {
    }

    /**
     * Makes an inner tensor an additional graph output, so that one ONNX Runtime run returns it
     * beside the logits (the pooled embedding for head training, the Grad-CAM layer's activations).
     * The output's type and shape come from the graph's {@code value_info} when present, otherwise
     * from static inference over the operators of a CNN export (see {@link ModelInspector#tensor});
     * a tensor whose type cannot be inferred is declared without type, which ONNX Runtime accepts.
     *
     * @param model a model
     * @param tensorName the output of one of its nodes
     * @return the model with that tensor appended to the graph outputs; the same model if it is
     *     already an output
     * @throws IllegalArgumentException if no node produces the tensor (the message lists the node
     *     outputs that exist)
     */
    public static ModelProto exposeOutput(ModelProto model, String tensorName) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tensorName, "tensorName");
        for (ValueInfoProto v : model.getGraph().getOutputList()) {
            if (v.getName().equals(tensorName)) {
                return model;
            }
        }
        ModelInspector.Index ix = new ModelInspector.Index(model);
        if (ix.producer(tensorName) == null) {
            throw ix.unknownTensor(tensorName);
        }
        ValueInfoProto out = null;
        for (ValueInfoProto v : model.getGraph().getValueInfoList()) {
            if (v.getName().equals(tensorName) && v.hasType()) {
                out = v;
            }
        }
        if (out == null) {
            TensorInfo info = ix.info(tensorName);
            if (info.elementType().isPresent() && info.shape().isPresent()) {
                out = GraphBuilder.valueInfo(tensorName, info.elementType().get(), info.shape().get());
            } else if (info.elementType().isPresent()) {
                out = ValueInfoProto.newBuilder().setName(tensorName).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(info.elementType().get().onnxCode())))
                        .build();
            } else {
                out = ValueInfoProto.newBuilder().setName(tensorName).build();
            }
        }
        ModelProto.Builder b = model.toBuilder();
        b.getGraphBuilder().addOutput(out);
        return b.build();
    }

    /**
     * {@link #exposeOutput} for several tensors, in order.
     *
     * @param model a model
     * @param tensorNames outputs of its nodes
     * @return the model with those tensors appended to the graph outputs
     * @throws IllegalArgumentException if one of them is not produced by a node
     */
    public static ModelProto exposeOutputs(ModelProto model, List<String> tensorNames) {
        ModelProto m = model;
        for (String t : tensorNames) {
            m = exposeOutput(m, t);
        }
        return m;
    }
}
