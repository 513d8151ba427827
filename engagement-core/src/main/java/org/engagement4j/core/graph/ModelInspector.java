package org.engagement4j.core.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * Finds the tensors that the classifier and the attention methods need in a video ResNet graph,
 * exported by {@code torch.onnx.export} from torchvision (mc3_18, r3d_18, ...) or built by
 * {@link Mc3Graph}, by structure rather than by name, so a retrained or renamed export works too.
 *
 * <ul>
 *   <li>{@link #encoderOutput}: the pooled features that feed the final linear layer (torch:
 *       {@code /Flatten_output_0} [batch, 512]), which head training embeds.</li>
 *   <li>{@link #gradCamLayer}: layer4's last conv2 output, after its (folded) BatchNorm and before
 *       the residual Add and ReLU (torch: {@code /layer4/layer4.1/conv2/conv2.0/Conv_output_0}), the
 *       paper's Grad-CAM layer (REFERENCE.md section 7).</li>
 * </ul>
 *
 * <p>Each search raises an {@link IllegalArgumentException} that says what it expected and what it
 * found when the graph does not have that shape.
 *
 * @since 0.1.0
 */
public final class ModelInspector {

    private static final Set<String> RESHAPES = Set.of("Flatten", "Reshape", "Squeeze", "Identity");
    private static final Set<String> POOLS = Set.of("GlobalAveragePool", "ReduceMean", "AveragePool");

    private ModelInspector() {
    }

    /**
     * Finds the pooled encoder output: the input of the final {@code Gemm} (or {@code MatMul}) that
     * produces a graph output, reached from a {@code GlobalAveragePool} / {@code ReduceMean} /
     * {@code AveragePool} through at most three {@code Flatten} / {@code Reshape} / {@code Squeeze} /
     * {@code Identity} nodes.
     *
     * @param model a classifier graph
     * @return the tensor (for mc3_18: {@code [batch, 512]})
     * @throws IllegalArgumentException if no graph output is produced that way
     */
    public static TensorInfo encoderOutput(ModelProto model) {
        Index ix = new Index(model);
        return ix.info(pooled(ix).features);
    }

    /**
     * Finds the Grad-CAM layer: walking back from the pooling node of {@link #encoderOutput}, the
     * last block's {@code Relu} of an {@code Add}; of the Add's two inputs the one produced by the
     * block's main branch ({@code Conv}, or {@code BatchNormalization} after a Conv when BatchNorm is
     * not folded) rather than the residual (the previous block's output, or a 1x1x1 downsample
     * convolution).
     *
     * @param model a video ResNet classifier graph
     * @return the tensor (for mc3_18 on 160 x 160: {@code [batch, 512, time, 10, 10]})
     * @throws IllegalArgumentException if the graph does not end in residual blocks this way
     */
    public static TensorInfo gradCamLayer(ModelProto model) {
        Index ix = new Index(model);
        Pooled p = pooled(ix);
        String x = p.pool.getInput(0);
        NodeProto relu = ix.producer(x);
        if (relu == null || !relu.getOpType().equals("Relu")) {
            throw ix.fail("the pooling node '%s' reads '%s', produced by %s; expected the last residual block's Relu",
                    p.pool.getName(), x, ix.describeProducer(x));
        }
        String sumName = relu.getInput(0);
        NodeProto add = ix.producer(sumName);
        if (add == null || !add.getOpType().equals("Add") || add.getInputCount() != 2) {
            throw ix.fail("the last Relu '%s' reads '%s', produced by %s; expected the residual Add",
                    relu.getName(), sumName, ix.describeProducer(sumName));
        }
        String best = null;
        long bestKernel = -1;
        for (String in : add.getInputList()) {
            long k = branchKernel(ix, in);
            if (k > bestKernel) {
                best = in;
                bestKernel = k;
            }
        }
        if (best == null || bestKernel <= 0) {
            throw ix.fail("neither input of the residual Add '%s' (%s) comes from a Conv or a BatchNormalization "
                    + "after a Conv", add.getName(), add.getInputList());
        }
        return ix.info(best);
    }

    /**
     * Describes any tensor of the graph.
     *
     * @param model a model
     * @param tensorName a graph input, initializer or node output
     * @return its producer and statically inferred shape
     * @throws IllegalArgumentException if no such tensor exists (the message lists the node outputs)
     */
    public static TensorInfo tensor(ModelProto model, String tensorName) {
        Objects.requireNonNull(tensorName, "tensorName");
        Index ix = new Index(model);
        if (!ix.exists(tensorName)) {
            throw ix.unknownTensor(tensorName);
        }
        return ix.info(tensorName);
    }

    /**
     * Counts the nodes per operator type.
     *
     * @param model a model
     * @return operator type to count, in order of first appearance
     */
    public static Map<String, Integer> opCounts(ModelProto model) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            String key = n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * @param model a model
     * @return the operator types of its nodes, in graph order
     */
    public static List<String> opTypes(ModelProto model) {
        List<String> out = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            out.add(n.getOpType());
        }
        return out;
    }

    /**
     * @param model a model
     * @return the opset of the default ONNX domain, or -1 if the model imports none
     */
    public static long opset(ModelProto model) {
        return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(o -> o.getVersion()).findFirst().orElse(-1);
    }

    private record Pooled(NodeProto pool, String features) {
    }

    private static Pooled pooled(Index ix) {
        List<String> tried = new ArrayList<>();
        for (ValueInfoProto out : ix.graph.getOutputList()) {
            NodeProto last = ix.producer(out.getName());
            if (last == null) {
                tried.add(out.getName() + " <- (graph input or initializer)");
                continue;
            }
            NodeProto linear = last;
            if (last.getOpType().equals("Add")) {
                // Linear exported as MatMul + Add (older exporters, or a bias added separately).
                for (String in : last.getInputList()) {
                    NodeProto p = ix.producer(in);
                    if (p != null && p.getOpType().equals("MatMul")) {
                        linear = p;
                    }
                }
            }
            if (!linear.getOpType().equals("Gemm") && !linear.getOpType().equals("MatMul")) {
                tried.add(out.getName() + " <- " + last.getOpType());
                continue;
            }
            String features = linear.getInput(0);
            String x = features;
            StringBuilder chain = new StringBuilder(out.getName() + " <- " + linear.getOpType());
            for (int step = 0; step <= 3; step++) {
                NodeProto p = ix.producer(x);
                if (p == null) {
                    chain.append(" <- (input)");
                    break;
                }
                chain.append(" <- ").append(p.getOpType());
                if (POOLS.contains(p.getOpType())) {
                    return new Pooled(p, features);
                }
                if (!RESHAPES.contains(p.getOpType()) || p.getInputCount() == 0) {
                    break;
                }
                x = p.getInput(0);
            }
            tried.add(chain.toString());
        }
        throw ix.fail("no pooled encoder output: expected a graph output produced by Gemm (or MatMul) "
                + "<- Flatten/Reshape/Squeeze <- GlobalAveragePool/ReduceMean/AveragePool; found %s", tried);
    }

    /** Kernel volume of the Conv behind a residual branch input, 0 if there is none. */
    private static long branchKernel(Index ix, String tensor) {
        NodeProto p = ix.producer(tensor);
        if (p != null && p.getOpType().equals("BatchNormalization")) {
            p = ix.producer(p.getInput(0));
        }
        if (p == null || !p.getOpType().equals("Conv")) {
            return 0;
        }
        for (AttributeProto a : p.getAttributeList()) {
            if (a.getName().equals("kernel_shape")) {
                long v = 1;
                for (long k : a.getIntsList()) {
                    v *= k;
                }
                return Math.max(v, 1);
            }
        }
        TensorProto w = ix.initializers.get(p.getInput(1));
        if (w != null && w.getDimsCount() > 2) {
            long v = 1;
            for (int i = 2; i < w.getDimsCount(); i++) {
                v *= w.getDims(i);
            }
            return Math.max(v, 1);
        }
        return 1;
    }

    /** Producers and names of one graph. */
    static final class Index {
        final GraphProto graph;
        final Map<String, NodeProto> producers = new HashMap<>();
        final Map<String, TensorProto> initializers = new HashMap<>();
        final Set<String> inputs = new HashSet<>();
        private final ModelProto model;
        private Map<String, ShapeInference.Type> types;

        Index(ModelProto model) {
            this.model = Objects.requireNonNull(model, "model");
            this.graph = model.getGraph();
            for (NodeProto n : graph.getNodeList()) {
                for (String o : n.getOutputList()) {
                    producers.put(o, n);
                }
            }
            for (TensorProto t : graph.getInitializerList()) {
                initializers.put(t.getName(), t);
            }
            for (ValueInfoProto v : graph.getInputList()) {
                inputs.add(v.getName());
            }
        }

        NodeProto producer(String tensor) {
            return producers.get(tensor);
        }

        boolean exists(String tensor) {
            return producers.containsKey(tensor) || initializers.containsKey(tensor) || inputs.contains(tensor);
        }

        String describeProducer(String tensor) {
            NodeProto p = producers.get(tensor);
            return p == null ? "no node (graph input or initializer)" : p.getOpType() + " node '" + p.getName() + "'";
        }

        TensorInfo info(String tensor) {
            if (types == null) {
                types = ShapeInference.infer(model);
            }
            NodeProto p = producers.get(tensor);
            ShapeInference.Type t = types.get(tensor);
            Optional<ElementType> et = Optional.empty();
            if (t != null) {
                for (ElementType e : ElementType.values()) {
                    if (e.onnxCode() == t.elemType()) {
                        et = Optional.of(e);
                    }
                }
            }
            return new TensorInfo(tensor, p == null ? "" : p.getName(), p == null ? "" : p.getOpType(), et,
                    t == null ? Optional.empty() : Optional.of(t.dims()));
        }

        IllegalArgumentException unknownTensor(String tensor) {
            List<String> outs = new ArrayList<>();
            for (NodeProto n : graph.getNodeList()) {
                outs.addAll(n.getOutputList());
            }
            return new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s' has no tensor '%s'; its %d node outputs are %s", graph.getName(), tensor, outs.size(),
                    StateDict.listed(outs)));
        }

        IllegalArgumentException fail(String format, Object... args) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "graph '%s': ", graph.getName())
                    + String.format(Locale.ROOT, format, args));
        }
    }
}
