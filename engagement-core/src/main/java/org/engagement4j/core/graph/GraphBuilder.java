package org.engagement4j.core.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.OperatorSetIdProto;
import org.engagement4j.core.onnx.OnnxProtos.StringStringEntryProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.TypeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * Builds an ONNX model in Java: graph inputs (with fixed or symbolic dimensions), initializers from
 * Java arrays, nodes with attributes, graph outputs and the opset; {@link #build()} checks the graph
 * and returns the {@code ModelProto}, which {@link OnnxModels} writes and ONNX Runtime loads.
 *
 * <pre>{@code
 * GraphBuilder g = GraphBuilder.named("affine").opset(17);
 * g.input("x", Dim.symbolic("batch"), Dim.of(4));
 * g.initializer("w", new float[] {...}, 2, 4);
 * g.initializer("b", new float[] {0.1f, -0.2f}, 2);
 * String y = g.op("Gemm", Attributes.none().withInt("transB", 1), "x", "w", "b");
 * g.node("Relu", "/relu", List.of(y), List.of("y"), Attributes.none());
 * g.output("y", Dim.symbolic("batch"), Dim.of(2));
 * ModelProto model = g.build();
 * }</pre>
 *
 * <p>Nodes must be added in topological order: every input of a node must already be a graph input,
 * an initializer or the output of an earlier node, so each mistake is reported where it is made,
 * with the node and tensor named. Empty input names (ONNX's "optional input left out") are allowed.
 * Every tensor name is defined once. Operator semantics are not checked here: ONNX Runtime checks
 * them when it loads the model.
 *
 * <p>Defaults: opset 17 of the default domain, IR version 8 (ONNX 1.12, what torch 1.13 writes),
 * producer "engagement4j". A builder is not thread-safe and can build more than once.
 *
 * @since 0.1.0
 */
public final class GraphBuilder {

    /** IR version written by default: 8, that of ONNX 1.12 and of torch 1.13's exports. */
    public static final long DEFAULT_IR_VERSION = 8;

    /** Opset of the default ONNX domain written by default. */
    public static final int DEFAULT_OPSET = 17;

    private final String graphName;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private long irVersion = DEFAULT_IR_VERSION;
    private String producerName = "engagement4j";
    private String producerVersion = Engagement4j.VERSION;
    private String docString = "";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<ValueInfoProto> valueInfos = new ArrayList<>();
    /** Tensor name to where it is defined, for error messages. */
    private final Map<String, String> defined = new LinkedHashMap<>();
    private final Set<String> nodeNames = new HashSet<>();
    private int autoCounter;

    private GraphBuilder(String graphName) {
        this.graphName = graphName;
        opsets.put("", (long) DEFAULT_OPSET);
    }

    /**
     * Starts a model whose graph has the given name.
     *
     * @param graphName the graph's name (torch writes {@code "torch_jit"})
     * @return a new builder
     * @throws IllegalArgumentException if the name is blank
     */
    public static GraphBuilder named(String graphName) {
        Objects.requireNonNull(graphName, "graphName");
        if (graphName.isBlank()) {
            throw new IllegalArgumentException("graph name must not be blank");
        }
        return new GraphBuilder(graphName);
    }

    /**
     * Sets the opset of the default ONNX domain.
     *
     * @param version opset version, 1 or more (default 17)
     * @return this builder
     * @throws IllegalArgumentException if {@code version < 1}
     */
    public GraphBuilder opset(int version) {
        return opset("", version);
    }

    /**
     * Sets (or adds) the opset of a domain, such as {@code "com.microsoft"}.
     *
     * @param domain operator domain; {@code ""} is the default ONNX domain
     * @param version opset version, 1 or more
     * @return this builder
     * @throws IllegalArgumentException if {@code version < 1}
     */
    public GraphBuilder opset(String domain, int version) {
        Objects.requireNonNull(domain, "domain");
        if (version < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "opset version of domain '%s' must be >= 1, got %d", domain, version));
        }
        opsets.put(domain, (long) version);
        return this;
    }

    /**
     * @param version ONNX IR version, 3 or more (default {@value #DEFAULT_IR_VERSION})
     * @return this builder
     * @throws IllegalArgumentException if {@code version < 3}
     */
    public GraphBuilder irVersion(long version) {
        if (version < 3) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "IR version must be >= 3, got %d", version));
        }
        irVersion = version;
        return this;
    }

    /**
     * @param name producer name (default "engagement4j")
     * @param version producer version (default the library version)
     * @return this builder
     */
    public GraphBuilder producer(String name, String version) {
        producerName = Objects.requireNonNull(name, "name");
        producerVersion = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * @param text the model's doc string
     * @return this builder
     */
    public GraphBuilder docString(String text) {
        docString = Objects.requireNonNull(text, "text");
        return this;
    }

    /**
     * Adds (or replaces) a {@code metadata_props} entry of the model.
     *
     * @param key key
     * @param value value
     * @return this builder
     */
    public GraphBuilder metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Declares a float32 graph input.
     *
     * @param name tensor name
     * @param shape its dimensions
     * @return this builder
     * @throws IllegalArgumentException if the name is already defined
     */
    public GraphBuilder input(String name, Dim... shape) {
        return input(name, ElementType.FLOAT, shape);
    }

    /**
     * Declares a graph input.
     *
     * @param name tensor name
     * @param type element type
     * @param shape its dimensions
     * @return this builder
     * @throws IllegalArgumentException if the name is already defined
     */
    public GraphBuilder input(String name, ElementType type, Dim... shape) {
        define(name, "graph input");
        inputs.add(valueInfo(name, type, List.of(shape)));
        return this;
    }

    /**
     * Adds an initializer (a constant tensor stored in the model).
     *
     * @param tensor the tensor, named
     * @return this builder
     * @throws IllegalArgumentException if its name is empty or already defined
     */
    public GraphBuilder initializer(TensorProto tensor) {
        Objects.requireNonNull(tensor, "tensor");
        define(tensor.getName(), "initializer");
        initializers.add(tensor);
        return this;
    }

    /**
     * Adds a float32 initializer.
     *
     * @param name tensor name
     * @param values values in C order; copied
     * @param dims shape
     * @return this builder
     * @throws IllegalArgumentException if the name is already defined or the count does not match
     */
    public GraphBuilder initializer(String name, float[] values, long... dims) {
        return initializer(Tensors.floats(name, values, dims));
    }

    /**
     * Adds an int64 initializer.
     *
     * @param name tensor name
     * @param values values in C order; copied
     * @param dims shape
     * @return this builder
     * @throws IllegalArgumentException if the name is already defined or the count does not match
     */
    public GraphBuilder initializer(String name, long[] values, long... dims) {
        return initializer(Tensors.int64s(name, values, dims));
    }

    /**
     * Adds a node of the default domain.
     *
     * @param opType operator, such as {@code "Conv"}
     * @param nodeName unique node name (torch writes paths such as {@code "/layer1/layer1.0/Add"})
     * @param nodeInputs input tensor names; {@code ""} leaves an optional input out
     * @param nodeOutputs output tensor names, not defined before
     * @param attributes the node's attributes
     * @return this builder
     * @throws IllegalArgumentException if an input is not defined yet, an output is already defined,
     *     or the node name is taken
     */
    public GraphBuilder node(String opType, String nodeName, List<String> nodeInputs, List<String> nodeOutputs,
            Attributes attributes) {
        return node("", opType, nodeName, nodeInputs, nodeOutputs, attributes);
    }

    /**
     * Adds a node of any domain (whose opset must be declared with {@link #opset(String, int)}).
     *
     * @param domain operator domain, {@code ""} for the default one
     * @param opType operator
     * @param nodeName unique node name
     * @param nodeInputs input tensor names; {@code ""} leaves an optional input out
     * @param nodeOutputs output tensor names, not defined before
     * @param attributes the node's attributes
     * @return this builder
     * @throws IllegalArgumentException if an input is not defined yet, an output is already defined,
     *     the node name is taken or the domain has no opset
     */
    public GraphBuilder node(String domain, String opType, String nodeName, List<String> nodeInputs,
            List<String> nodeOutputs, Attributes attributes) {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(opType, "opType");
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(attributes, "attributes");
        if (opType.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "node '%s': empty op type", nodeName));
        }
        if (!opsets.containsKey(domain)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "node '%s' (%s) uses domain '%s', which has no opset; declared: %s", nodeName, opType,
                    domain, opsets.keySet()));
        }
        if (nodeName.isEmpty() || !nodeNames.add(nodeName)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "node name '%s' (%s) is empty or already used", nodeName, opType));
        }
        for (String in : nodeInputs) {
            if (!in.isEmpty() && !defined.containsKey(in)) {
                nodeNames.remove(nodeName);
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "node '%s' (%s): input '%s' is not defined yet (nodes must come in topological "
                                + "order after the graph inputs and initializers)", nodeName, opType, in));
            }
        }
        if (nodeOutputs.isEmpty()) {
            nodeNames.remove(nodeName);
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "node '%s' (%s) has no output", nodeName, opType));
        }
        Set<String> seen = new HashSet<>();
        for (String out : nodeOutputs) {
            if (out.isEmpty() || defined.containsKey(out) || !seen.add(out)) {
                nodeNames.remove(nodeName);
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "node '%s' (%s): output '%s' is empty or already defined (%s)", nodeName, opType, out,
                        defined.getOrDefault(out, "twice in this node")));
            }
        }
        for (String out : nodeOutputs) {
            defined.put(out, "output of node '" + nodeName + "'");
        }
        nodes.add(NodeProto.newBuilder().setOpType(opType).setDomain(domain).setName(nodeName)
                .addAllInput(nodeInputs).addAllOutput(nodeOutputs).addAllAttribute(attributes.asList()).build());
        return this;
    }

    /**
     * Adds a node with one output and generated names, torch style: node {@code "/Op_N"}, output
     * {@code "/Op_N_output_0"}. Handy for chains of small nodes.
     *
     * @param opType operator of the default domain
     * @param attributes the node's attributes
     * @param nodeInputs input tensor names
     * @return the name of the node's output
     * @throws IllegalArgumentException if an input is not defined yet
     */
    public String op(String opType, Attributes attributes, String... nodeInputs) {
        String nodeName;
        do {
            nodeName = "/" + opType + "_" + autoCounter++;
        } while (nodeNames.contains(nodeName) || defined.containsKey(nodeName + "_output_0"));
        String out = nodeName + "_output_0";
        node(opType, nodeName, List.of(nodeInputs), List.of(out), attributes);
        return out;
    }

    /**
     * Declares a float32 graph output.
     *
     * @param name a tensor defined by now or later (checked in {@link #build()})
     * @param shape its dimensions
     * @return this builder
     * @throws IllegalArgumentException if it is already an output
     */
    public GraphBuilder output(String name, Dim... shape) {
        return output(name, ElementType.FLOAT, shape);
    }

    /**
     * Declares a graph output.
     *
     * @param name a tensor defined by now or later (checked in {@link #build()})
     * @param type element type
     * @param shape its dimensions
     * @return this builder
     * @throws IllegalArgumentException if it is already an output
     */
    public GraphBuilder output(String name, ElementType type, Dim... shape) {
        Objects.requireNonNull(name, "name");
        for (ValueInfoProto v : outputs) {
            if (v.getName().equals(name)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "'%s' is already a graph output", name));
            }
        }
        outputs.add(valueInfo(name, type, List.of(shape)));
        return this;
    }

    /**
     * Records the type and shape of an inner tensor ({@code value_info}), which tools and
     * {@link ModelEditor#exposeOutput} use.
     *
     * @param name tensor name
     * @param type element type
     * @param shape its dimensions
     * @return this builder
     */
    public GraphBuilder valueInfo(String name, ElementType type, Dim... shape) {
        Objects.requireNonNull(name, "name");
        valueInfos.add(valueInfo(name, type, List.of(shape)));
        return this;
    }

    /**
     * @param tensorName a tensor name
     * @return whether a graph input, initializer or node output of that name exists
     */
    public boolean isDefined(String tensorName) {
        return defined.containsKey(tensorName);
    }

    /**
     * @return the number of nodes added so far
     */
    public int nodeCount() {
        return nodes.size();
    }

    /**
     * Checks the graph and assembles the model.
     *
     * @return the model
     * @throws IllegalArgumentException if there is no graph output, or an output or value_info names
     *     a tensor that is not defined
     */
    public ModelProto build() {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s' has no output", graphName));
        }
        for (ValueInfoProto v : outputs) {
            if (!defined.containsKey(v.getName())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "graph output '%s' is not produced by any node, input or initializer", v.getName()));
            }
        }
        for (ValueInfoProto v : valueInfos) {
            if (!defined.containsKey(v.getName())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "value_info '%s' names a tensor that is not defined", v.getName()));
            }
        }
        GraphProto graph = GraphProto.newBuilder().setName(graphName).addAllNode(nodes)
                .addAllInitializer(initializers).addAllInput(inputs).addAllOutput(outputs)
                .addAllValueInfo(valueInfos).build();
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion).setProducerName(producerName)
                .setProducerVersion(producerVersion).setGraph(graph);
        if (!docString.isEmpty()) {
            m.setDocString(docString);
        }
        opsets.forEach((domain, version) ->
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private void define(String name, String what) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " name must not be empty");
        }
        String before = defined.putIfAbsent(name, what);
        if (before != null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s '%s' is already defined (%s)", what, name, before));
        }
    }

    /** A tensor value_info with the given element type and shape. */
    static ValueInfoProto valueInfo(String name, ElementType type, List<Dim> shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Dim d : shape) {
            s.addDim(Objects.requireNonNull(d, "dimension").toProto());
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()).setShape(s))).build();
    }
}
