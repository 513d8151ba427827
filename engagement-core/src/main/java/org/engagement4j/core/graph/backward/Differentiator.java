package org.engagement4j.core.graph.backward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.ElementType;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.backward.ConvGradients.Dense;
import org.engagement4j.core.graph.backward.ConvGradients.Grad;
import org.engagement4j.core.graph.backward.ConvGradients.SubPixel;
import org.engagement4j.core.graph.backward.Emitter.Part;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.OperatorSetIdProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.TypeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverse-mode differentiation of a forward ONNX graph into the same graph: the path analysis, the
 * per-operator rules and the accumulation of gradients where a tensor feeds several nodes.
 *
 * <p>Conventions: axis 0 of every non-constant tensor is the batch axis. The gradient of a batched
 * tensor {@code [B, d...]} is {@code [G, d...]} and the gradient of a constant (initializer)
 * {@code [d...]} is {@code [G, d...]}, where G is the number of seed rows (twice as many when guided
 * rows ride along); a forward batch of 1 broadcasts against any G.
 */
final class Differentiator {

    private static final Logger LOG = LoggerFactory.getLogger(Differentiator.class);

    /** Operators with a gradient rule, and which of their inputs are differentiable. */
    static final Map<String, int[]> RULES = new LinkedHashMap<>();

    static {
        RULES.put("Conv", new int[] {0, 1, 2});
        RULES.put("BatchNormalization", new int[] {0, 1, 2, 3, 4});
        RULES.put("Relu", new int[] {0});
        RULES.put("Add", new int[] {0, 1});
        RULES.put("Mul", new int[] {0, 1});
        RULES.put("GlobalAveragePool", new int[] {0});
        RULES.put("AveragePool", new int[] {0});
        RULES.put("MaxPool", new int[] {0});
        RULES.put("ReduceMean", new int[] {0});
        RULES.put("Flatten", new int[] {0});
        RULES.put("Reshape", new int[] {0});
        RULES.put("Gemm", new int[] {0, 1, 2});
        RULES.put("MatMul", new int[] {0, 1});
        RULES.put("Identity", new int[] {0});
        RULES.put("Softmax", new int[] {0});
        RULES.put("Sigmoid", new int[] {0});
        RULES.put("Clip", new int[] {0, 1, 2});
    }

    /** Operators whose outputs carry no gradient (integer, boolean or constant results). */
    private static final Set<String> NOT_DIFFERENTIABLE = Set.of("Shape", "Size", "Constant", "ConstantOfShape",
            "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor", "ArgMax",
            "ArgMin", "NonZero", "IsNaN", "IsInf", "Range", "EyeLike", "RandomNormalLike", "RandomUniformLike");

    private final ModelProto model;
    private final GraphProto graph;
    private final String logits;
    private final List<String> wrt;
    private final boolean guided;
    private final String seedName;

    private Shapes shapes;
    private Emitter e;
    private final Map<String, NodeProto> producer = new HashMap<>();
    private final Set<String> initializers = new HashSet<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Set<String> batched = new HashSet<>();
    private final Set<String> onPath = new HashSet<>();
    private final List<NodeProto> nodes;
    private final Map<String, List<Grad>> contributions = new HashMap<>();
    private final Map<String, String> gradients = new HashMap<>();
    private final Map<String, String> forwardCache = new HashMap<>();
    private String seed;
    private String lowerBounds;

    Differentiator(ModelProto model, String logits, List<String> wrt, boolean guided, String seedName) {
        this.model = model;
        this.graph = model.getGraph();
        this.logits = logits;
        this.wrt = wrt;
        this.guided = guided;
        this.seedName = seedName;
        this.nodes = new ArrayList<>(graph.getNodeList());
    }

    BackwardModel run() {
        long opset = ModelInspector.opset(model);
        if (opset < 13) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s' imports opset %d of the default ONNX domain; the backward graph needs 13 or later "
                            + "(re-export with opset_version >= 13)", graph.getName(), opset));
        }
        Set<String> taken = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            taken.add(t.getName());
            initializers.add(t.getName());
        }
        for (ValueInfoProto v : graph.getInputList()) {
            taken.add(v.getName());
            if (!initializers.contains(v.getName())) {
                graphInputs.add(v.getName());
                batched.add(v.getName());
            }
        }
        for (ValueInfoProto v : graph.getValueInfoList()) {
            taken.add(v.getName());
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            taken.add(v.getName());
        }
        for (NodeProto n : nodes) {
            taken.add(n.getName());
            taken.addAll(n.getInputList());
            for (String o : n.getOutputList()) {
                taken.add(o);
                producer.put(o, n);
            }
            boolean b = false;
            for (String in : n.getInputList()) {
                b |= batched.contains(in);
            }
            if (b) {
                batched.addAll(n.getOutputList());
            }
        }
        checkNames();
        if (taken.contains(seedName)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seed input name '%s' is already used in graph '%s'; choose another with seedInput(...)",
                    seedName, graph.getName()));
        }
        shapes = Shapes.infer(model, opset);
        Shapes.Info logitsInfo = shapes.get(logits);
        ElementType dtype = ElementType.FLOAT;
        if (logitsInfo != null && logitsInfo.elemType() != 0) {
            if (logitsInfo.elemType() == ElementType.DOUBLE.onnxCode()) {
                dtype = ElementType.DOUBLE;
            } else if (logitsInfo.elemType() != ElementType.FLOAT.onnxCode()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "logits '%s' have ONNX element type %d; only float32 and float64 graphs are differentiated",
                        logits, logitsInfo.elemType()));
            }
        }
        if (!batched.contains(logits)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "logits '%s' do not depend on any graph input of '%s'", logits, graph.getName()));
        }
        analysePaths();
        boolean needsScatter = false;
        for (NodeProto n : nodes) {
            if (onPathNode(n) && n.getOpType().equals("MaxPool")) {
                needsScatter = true;
            }
        }
        long emitOpset = needsScatter ? Math.max(opset, 16) : opset;
        if (emitOpset != opset) {
            LOG.debug("graph '{}': default-domain opset raised from {} to {} for ScatterElements(reduction=add) "
                    + "in the MaxPool gradient", graph.getName(), opset, emitOpset);
        }
        e = new Emitter(taken, emitOpset, dtype);
        seed = e.reserve(seedName);
        String chain = guided ? e.op("Concat", Attributes.none().withInt("axis", 0), seed, seed) : seed;
        contribute(logits, new Dense(chain));
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            if (!onPathNode(n)) {
                continue;
            }
            String g = gradient(n.getOutput(0));
            if (g != null) {
                apply(i, n, g);
            }
        }
        return assemble(emitOpset, dtype, logitsInfo);
    }

    // ---- path analysis --------------------------------------------------------------------------

    private void checkNames() {
        Set<String> known = new HashSet<>(initializers);
        known.addAll(graphInputs);
        known.addAll(producer.keySet());
        if (!producer.containsKey(logits)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "logits tensor '%s' is not produced by any node of graph '%s'; graph outputs: %s", logits,
                    graph.getName(), names(graph.getOutputList().stream().map(ValueInfoProto::getName).toList())));
        }
        for (String w : wrt) {
            if (!known.contains(w)) {
                List<String> candidates = new ArrayList<>(graphInputs);
                for (NodeProto n : nodes) {
                    candidates.addAll(n.getOutputList());
                }
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "graph '%s' has no tensor '%s' to differentiate with respect to; candidates (graph inputs "
                                + "and node outputs; initializers are accepted too): %s", graph.getName(), w,
                        names(candidates)));
            }
        }
    }

    private static String names(List<String> all) {
        int shown = Math.min(all.size(), 60);
        String s = String.join(", ", all.subList(0, shown));
        return all.size() > shown ? s + String.format(Locale.ROOT, ", ... (%d more)", all.size() - shown) : s;
    }

    private static int[] differentiableInputs(NodeProto n) {
        if (NOT_DIFFERENTIABLE.contains(n.getOpType()) && n.getDomain().isEmpty()) {
            return new int[0];
        }
        int[] known = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? RULES.get(n.getOpType()) : null;
        if (known != null) {
            return known;
        }
        int[] all = new int[n.getInputCount()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private void analysePaths() {
        Set<String> depends = new HashSet<>(wrt);
        for (NodeProto n : nodes) {
            for (int slot : differentiableInputs(n)) {
                if (slot < n.getInputCount() && depends.contains(n.getInput(slot))) {
                    depends.addAll(n.getOutputList());
                    break;
                }
            }
        }
        Set<String> reaches = new HashSet<>();
        reaches.add(logits);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            NodeProto n = nodes.get(i);
            boolean hit = false;
            for (String o : n.getOutputList()) {
                hit |= reaches.contains(o);
            }
            if (hit) {
                for (int slot : differentiableInputs(n)) {
                    if (slot < n.getInputCount() && !n.getInput(slot).isEmpty()) {
                        reaches.add(n.getInput(slot));
                    }
                }
            }
        }
        for (String t : depends) {
            if (reaches.contains(t)) {
                onPath.add(t);
            }
        }
        for (String w : wrt) {
            if (!onPath.contains(w)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "tensor '%s' does not influence logits '%s' in graph '%s' (no differentiable path; "
                                + "producer: %s)", w, logits, graph.getName(), describe(w)));
            }
        }
        for (NodeProto n : nodes) {
            if (!onPathNode(n)) {
                continue;
            }
            boolean standard = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!standard || !RULES.containsKey(n.getOpType())) {
                throw new UnsupportedOpException(n.getDomain().isEmpty() ? n.getOpType()
                        : n.getDomain() + ":" + n.getOpType(), n.getName(), String.format(Locale.ROOT,
                        "it lies between %s and logits '%s' and has no gradient rule; supported: %s",
                        wrtSummary(), logits, RULES.keySet()));
            }
            if (!batched.contains(n.getOutput(0))) {
                throw new UnsupportedOpException(n.getOpType(), n.getName(),
                        "it computes on constants only (weights feeding weights); only graph-input-dependent "
                                + "tensors are differentiated through");
            }
        }
    }

    private String wrtSummary() {
        return wrt.size() == 1 ? "'" + wrt.get(0) + "'" : wrt.toString();
    }

    private String describe(String t) {
        NodeProto p = producer.get(t);
        return p == null ? (initializers.contains(t) ? "initializer" : "graph input")
                : p.getOpType() + " node '" + p.getName() + "'";
    }

    private boolean onPathNode(NodeProto n) {
        if (n.getOutputCount() == 0 || !onPath.contains(n.getOutput(0))) {
            return false;
        }
        for (int slot : differentiableInputs(n)) {
            if (slot < n.getInputCount() && onPath.contains(n.getInput(slot))) {
                return true;
            }
        }
        return false;
    }

    private boolean needs(NodeProto n, int slot) {
        return slot < n.getInputCount() && !n.getInput(slot).isEmpty() && onPath.contains(n.getInput(slot));
    }

    // ---- accumulation -------------------------------------------------------------------------

    private void contribute(String tensor, Grad g) {
        if (gradients.containsKey(tensor)) {
            throw new IllegalStateException("gradient of '" + tensor + "' is already final; graph not in "
                    + "topological order?");
        }
        contributions.computeIfAbsent(tensor, k -> new ArrayList<>()).add(g);
    }

    private void contribute(String tensor, String g) {
        contribute(tensor, new Dense(g));
    }

    /** The total gradient of a tensor: sub-pixel parts with equal layouts are added before expanding. */
    private String gradient(String tensor) {
        String done = gradients.get(tensor);
        if (done != null) {
            return done;
        }
        List<Grad> parts = contributions.get(tensor);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        Map<String, List<SubPixel>> byLayout = new LinkedHashMap<>();
        List<String> dense = new ArrayList<>();
        for (Grad g : parts) {
            if (g instanceof Dense d) {
                dense.add(d.tensor());
            } else if (g instanceof SubPixel s) {
                byLayout.computeIfAbsent(s.layout().key(), k -> new ArrayList<>()).add(s);
            }
        }
        for (List<SubPixel> group : byLayout.values()) {
            String raw = e.sum(group.stream().map(SubPixel::raw).toList());
            dense.add(ConvGradients.expand(e, raw, group.get(0).layout()));
        }
        String total = e.sum(dense);
        gradients.put(tensor, total);
        return total;
    }

    // ---- rules ----------------------------------------------------------------------------------

    private void apply(int index, NodeProto n, String g) {
        switch (n.getOpType()) {
            case "Identity" -> contribute(n.getInput(0), g);
            case "Relu" -> relu(n, g);
            case "Add" -> add(n, g);
            case "Mul" -> mul(n, g);
            case "Conv" -> conv(n, g);
            case "BatchNormalization" -> batchNorm(n, g);
            case "GlobalAveragePool" -> globalAveragePool(n, g);
            case "AveragePool" -> averagePool(n, g);
            case "MaxPool" -> maxPool(index, n, g);
            case "ReduceMean" -> reduceMean(n, g);
            case "Flatten", "Reshape" -> reshape(n, g);
            case "Gemm" -> gemm(n, g);
            case "MatMul" -> matmul(n, g);
            case "Softmax" -> softmax(n, g);
            case "Sigmoid" -> sigmoid(n, g);
            case "Clip" -> clip(n, g);
            default -> throw new IllegalStateException("no rule for " + n.getOpType());
        }
    }

    private Shapes.Info ranked(NodeProto n, String tensor) {
        Shapes.Info i = shapes.get(tensor);
        if (i == null || !i.hasRank()) {
            throw new UnsupportedOpException(n.getOpType(), n.getName(), String.format(Locale.ROOT,
                    "the rank of '%s' cannot be inferred statically; declare its shape in value_info", tensor));
        }
        return i;
    }

    private UnsupportedOpException unsupported(NodeProto n, String format, Object... args) {
        return new UnsupportedOpException(n.getOpType(), n.getName(), String.format(Locale.ROOT, format, args));
    }

    private String zero() {
        return e.scalar(0);
    }

    /** Caches a forward-only helper tensor (masks, derivatives) so it is computed once. */
    private String forward(String key, java.util.function.Supplier<String> make) {
        String v = forwardCache.get(key);
        if (v == null) {
            v = make.get();
            forwardCache.put(key, v);
        }
        return v;
    }

    private void relu(NodeProto n, String g) {
        String y = n.getOutput(0);
        // The mask reads the ReLU's output, not its input, so ONNX Runtime can still fuse Conv + Relu.
        String mask = forward("relu:" + y, () -> e.op("Greater", y, zero()));
        String passed = g;
        if (guided) {
            passed = e.op("Max", g, lowerBounds(ranked(n, y).rank()));
        }
        contribute(n.getInput(0), e.op("Where", mask, passed, zero()));
    }

    /**
     * Per-row lower bounds of the merged plain + guided chain, shaped {@code [2S, 1, ..., 1]}: -inf on
     * the plain rows (Max is then the identity) and 0 on the guided rows (only positive gradients pass).
     */
    private String lowerBounds(int rank) {
        if (lowerBounds == null) {
            String rows = e.op("Concat", Attributes.none().withInt("axis", 0), e.dimOf(seed, 0), e.ints(1));
            String minus = e.op("ConstantOfShape", Attributes.none().withTensor("value",
                    e.typedTensor("v", new double[] {Double.NEGATIVE_INFINITY}, 1)), rows);
            String zeros = e.op("ConstantOfShape", Attributes.none().withTensor("value",
                    e.typedTensor("v", new double[] {0}, 1)), rows);
            lowerBounds = e.op("Concat", Attributes.none().withInt("axis", 0), minus, zeros);
        }
        final String base = lowerBounds;
        return forward("lb:" + rank, () -> {
            List<Part> p = new ArrayList<>();
            p.add(Part.of(-1));
            for (int i = 1; i < rank; i++) {
                p.add(Part.of(1));
            }
            return e.reshape(base, p);
        });
    }

    private void add(NodeProto n, String g) {
        List<Dim> out = ranked(n, n.getOutput(0)).dims();
        for (int slot = 0; slot < 2; slot++) {
            if (needs(n, slot)) {
                contribute(n.getInput(slot), unbroadcast(n, g, out, n.getInput(slot)));
            }
        }
    }

    private void mul(NodeProto n, String g) {
        List<Dim> out = ranked(n, n.getOutput(0)).dims();
        for (int slot = 0; slot < 2; slot++) {
            if (needs(n, slot)) {
                String other = n.getInput(1 - slot);
                contribute(n.getInput(slot), unbroadcast(n, e.mul(g, other), out, n.getInput(slot)));
            }
        }
    }

    /**
     * Sums a gradient of broadcast shape {@code out} down to an operand's shape. A batched operand
     * keeps axis 0 (the seed rows); a constant operand gets a new leading seed-row axis.
     */
    private String unbroadcast(NodeProto n, String g, List<Dim> out, String target) {
        Shapes.Info t = ranked(n, target);
        int rOut = out.size();
        int r = t.rank();
        if (batched.contains(target)) {
            if (r != rOut) {
                throw unsupported(n, "its batched operand '%s' has rank %d, the result rank %d; the batch axis "
                        + "would not stay first", target, r, rOut);
            }
            List<Long> axes = new ArrayList<>();
            for (int i = 1; i < rOut; i++) {
                if (t.isOne(i) && !isOne(out.get(i))) {
                    axes.add((long) i);
                }
            }
            return e.reduceSum(g, ConvGradients.toArray(axes), true);
        }
        int lead = rOut - r;
        if (lead < 0 || lead == 0 && !t.isOne(0)) {
            throw unsupported(n, "its constant operand '%s' of shape %s would be broadcast along the batch axis "
                    + "of a rank-%d result", target, t.dims(), rOut);
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 1; i < rOut; i++) {
            if (i < lead || t.isOne(i - lead) && !isOne(out.get(i))) {
                axes.add((long) i);
            }
        }
        String reduced = e.reduceSum(g, ConvGradients.toArray(axes), true);
        if (lead == 1 && axes.isEmpty()) {
            return reduced;
        }
        List<Part> shape = new ArrayList<>();
        shape.add(Part.of(-1));
        for (int i = 0; i < r; i++) {
            shape.add(t.dim(i).isFixed() ? Part.of(t.fixed(i)) : Part.dimOf(target, i));
        }
        return e.reshape(reduced, shape);
    }

    private static boolean isOne(Dim d) {
        return d.isFixed() && d.value() == 1;
    }

    private long[] constantShape(NodeProto n, String w) {
        Shapes.Info wi = ranked(n, w);
        if (batched.contains(w) || !wi.allFixed()) {
            throw unsupported(n, "its weight '%s' must be a constant of static shape (found %s%s)", w, wi.dims(),
                    batched.contains(w) ? ", depending on a graph input" : "");
        }
        long[] d = new long[wi.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = wi.fixed(i);
        }
        return d;
    }

    private void conv(NodeProto n, String g) {
        String x = n.getInput(0);
        String w = n.getInput(1);
        Shapes.Info xi = ranked(n, x);
        long[] wDims = constantShape(n, w);
        if (xi.rank() < 3 || wDims.length != xi.rank()) {
            throw unsupported(n, "input rank %d and weight rank %d: expected [N, C, spatial...] and "
                    + "[O, C/group, kernel...]", xi.rank(), wDims.length);
        }
        long groups = Attr.intOf(n, "group", 1);
        long[] kernel = Attr.intsOf(n, "kernel_shape", Arrays.copyOfRange(wDims, 2, wDims.length));
        long[] weightKernel = Arrays.copyOfRange(wDims, 2, wDims.length);
        if (groups < 1 || wDims[0] % groups != 0 || !Arrays.equals(kernel, weightKernel)) {
            throw unsupported(n, "group %d, kernel_shape %s and weight shape %s do not fit together", groups,
                    Arrays.toString(kernel), Arrays.toString(wDims));
        }
        ConvGradients.Window win = ConvGradients.window(n, xi, kernel, true);
        Shapes.Info yi = ranked(n, n.getOutput(0));
        if (needs(n, 0)) {
            contribute(x, ConvGradients.inputGradient(e, g, yi, xi, x, w, wDims, groups, win, false));
        }
        if (needs(n, 1)) {
            contribute(w, ConvGradients.weightGradient(e, g, x, xi, wDims, groups, win));
        }
        if (needs(n, 2)) {
            contribute(n.getInput(2), e.reduceSum(g, range(2, yi.rank()), false));
        }
    }

    private static long[] range(int from, int to) {
        long[] a = new long[Math.max(0, to - from)];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

    private void batchNorm(NodeProto n, String g) {
        if (Attr.intOf(n, "training_mode", 0) != 0 || n.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
            throw unsupported(n, "training mode (batch statistics) is not supported; export the model in eval mode");
        }
        for (int slot = 1; slot < 5; slot++) {
            if (batched.contains(n.getInput(slot))) {
                throw unsupported(n, "its parameter '%s' depends on a graph input", n.getInput(slot));
            }
        }
        String x = n.getInput(0);
        int rank = ranked(n, x).rank();
        String scale = n.getInput(1);
        String mean = n.getInput(3);
        String var = n.getInput(4);
        double eps = Attr.floatOf(n, "epsilon", 1e-5f);
        String inv = forward("bninv:" + n.getName() + var, () ->
                e.op("Reciprocal", e.op("Sqrt", e.add(var, e.scalar(eps)))));
        String factor = forward("bnf:" + n.getName(), () -> e.mul(scale, inv));
        if (needs(n, 0)) {
            contribute(x, e.mul(g, perChannel(factor, rank)));
        }
        long[] spatial = range(2, rank);
        if (needs(n, 1) || needs(n, 4)) {
            String xhat = forward("bnxhat:" + n.getName(), () ->
                    e.mul(e.op("Sub", x, perChannel(mean, rank)), perChannel(inv, rank)));
            String dScale = e.reduceSum(e.mul(g, xhat), spatial, false);
            if (needs(n, 1)) {
                contribute(scale, dScale);
            }
            if (needs(n, 4)) {
                String c = forward("bnvar:" + n.getName(), () ->
                        e.mul(e.mul(scale, e.mul(inv, inv)), e.scalar(-0.5)));
                contribute(var, e.mul(dScale, c));
            }
        }
        if (needs(n, 2) || needs(n, 3)) {
            String dBias = e.reduceSum(g, spatial, false);
            if (needs(n, 2)) {
                contribute(n.getInput(2), dBias);
            }
            if (needs(n, 3)) {
                contribute(mean, e.mul(dBias, e.op("Neg", factor)));
            }
        }
    }

    /** A per-channel vector [C] shaped to broadcast against [N, C, spatial...]. */
    private String perChannel(String v, int rank) {
        if (rank <= 2) {
            return v;
        }
        return forward("pc:" + v + ":" + rank, () -> {
            List<Part> p = new ArrayList<>(List.of(Part.of(-1)));
            for (int i = 2; i < rank; i++) {
                p.add(Part.of(1));
            }
            return e.reshape(v, p);
        });
    }

    /** The number of elements of the given axes of a forward tensor, as a scalar-like tensor [1] of the float type. */
    private String count(String x, Shapes.Info xi, long[] axes) {
        long c = 1;
        boolean fixed = true;
        for (long a : axes) {
            long d = xi.fixed((int) a);
            if (d < 0) {
                fixed = false;
                break;
            }
            c *= d;
        }
        if (fixed) {
            return e.scalar(c);
        }
        return forward("count:" + x + Arrays.toString(axes), () -> {
            String dims = e.op("Gather", e.shapeOf(x), e.ints(axes));
            String prod = e.reduce("ReduceProd", dims, new long[] {0}, true);
            return e.op("Cast", Attributes.none().withInt("to", e.dtype().onnxCode()), prod);
        });
    }

    private void globalAveragePool(NodeProto n, String g) {
        String x = n.getInput(0);
        Shapes.Info xi = ranked(n, x);
        String scaled = e.op("Div", g, count(x, xi, range(2, xi.rank())));
        contribute(x, e.expand(scaled, e.shapeOf(x)));
    }

    private void reduceMean(NodeProto n, String g) {
        String x = n.getInput(0);
        Shapes.Info xi = ranked(n, x);
        long[] axes = shapes.reduceAxes(n, e.opset());
        if (axes == null) {
            throw unsupported(n, "its axes are not a constant");
        }
        if (axes.length == 0) {
            if (Attr.intOf(n, "noop_with_empty_axes", 0) != 0) {
                contribute(x, g);
                return;
            }
            axes = range(0, xi.rank());
        }
        TreeSet<Long> sorted = new TreeSet<>();
        for (long a : axes) {
            sorted.add(a < 0 ? a + xi.rank() : a);
        }
        if (sorted.contains(0L)) {
            throw unsupported(n, "it averages over the batch axis 0 (axes %s)", Arrays.toString(axes));
        }
        long[] ax = ConvGradients.toArray(new ArrayList<>(sorted));
        String gk = Attr.intOf(n, "keepdims", 1) != 0 ? g : e.unsqueeze(g, ax);
        contribute(x, e.expand(e.op("Div", gk, count(x, xi, ax)), e.shapeOf(x)));
    }

    private void reshape(NodeProto n, String g) {
        String x = n.getInput(0);
        Shapes.Info xi = ranked(n, x);
        if (n.getOpType().equals("Flatten")) {
            long axis = Attr.intOf(n, "axis", 1);
            if (axis < 0) {
                axis += xi.rank();
            }
            for (int i = 1; i < axis; i++) {
                if (xi.fixed(i) != 1) {
                    axis = 0;
                }
            }
            if (axis == 0) {
                throw unsupported(n, "axis %d of input %s folds the batch axis into other axes",
                        Attr.intOf(n, "axis", 1), xi.dims());
            }
        } else {
            checkKeepsBatch(n, xi, shapes.constInts(n.getInput(1)));
        }
        List<Part> p = new ArrayList<>(List.of(Part.of(-1)));
        for (int i = 1; i < xi.rank(); i++) {
            p.add(xi.dim(i).isFixed() ? Part.of(xi.fixed(i)) : Part.dimOf(x, i));
        }
        contribute(x, e.reshape(g, p));
    }

    /** A constant Reshape target must leave axis 0 alone; a run-time target is trusted to. */
    private void checkKeepsBatch(NodeProto n, Shapes.Info xi, long[] target) {
        if (target == null || target.length == 0) {
            return;
        }
        boolean ok;
        if (target[0] == 0) {
            ok = true;
        } else if (target[0] > 0) {
            ok = xi.fixed(0) < 0 || xi.fixed(0) == target[0];
        } else {
            long in = 1;
            long out = 1;
            boolean known = true;
            for (int i = 1; i < xi.rank(); i++) {
                known &= xi.fixed(i) >= 0;
                in *= Math.max(0, xi.fixed(i));
            }
            for (int i = 1; i < target.length; i++) {
                long t = target[i] == 0 && i < xi.rank() ? xi.fixed(i) : target[i];
                known &= t >= 0;
                out *= Math.max(0, t);
            }
            ok = !known || in == out;
        }
        if (!ok) {
            throw unsupported(n, "its target shape %s moves the batch axis of %s", Arrays.toString(target), xi.dims());
        }
    }

    private void gemm(NodeProto n, String g) {
        String a = n.getInput(0);
        String b = n.getInput(1);
        boolean transA = Attr.intOf(n, "transA", 0) != 0;
        boolean transB = Attr.intOf(n, "transB", 0) != 0;
        float alpha = Attr.floatOf(n, "alpha", 1f);
        float beta = Attr.floatOf(n, "beta", 1f);
        if (!batched.contains(a) || transA || batched.contains(b)) {
            throw unsupported(n, "only Gemm(A, B, C) with A depending on the graph input (rows = batch, "
                    + "transA = 0) and B constant is differentiated");
        }
        if (needs(n, 0)) {
            String da = e.op("Gemm", Attributes.none().withFloat("alpha", alpha).withInt("transB", transB ? 0 : 1),
                    g, b);
            contribute(a, da);
        }
        if (needs(n, 1)) {
            String outer = transB ? e.mul(e.unsqueeze(g, 2), e.unsqueeze(a, 1))
                    : e.mul(e.unsqueeze(a, 2), e.unsqueeze(g, 1));
            contribute(b, alpha == 1f ? outer : e.mul(outer, e.scalar(alpha)));
        }
        if (needs(n, 2)) {
            String gc = beta == 1f ? g : e.mul(g, e.scalar(beta));
            contribute(n.getInput(2), unbroadcast(n, gc, ranked(n, n.getOutput(0)).dims(), n.getInput(2)));
        }
    }

    private void matmul(NodeProto n, String g) {
        String a = n.getInput(0);
        String b = n.getInput(1);
        Shapes.Info ai = ranked(n, a);
        Shapes.Info bi = ranked(n, b);
        Shapes.Info yi = ranked(n, n.getOutput(0));
        boolean ab = batched.contains(a);
        boolean bb = batched.contains(b);
        int ra = ai.rank();
        int rb = bi.rank();
        if (ab && !bb && rb == 1) {
            // [B, ..., K] @ [K] -> [B, ...]
            String gu = e.unsqueeze(g, -1);
            if (needs(n, 0)) {
                contribute(a, e.mul(gu, b));
            }
            if (needs(n, 1)) {
                contribute(b, e.reduceSum(e.mul(gu, a), range(1, ra - 1), false));
            }
            return;
        }
        boolean ok = ra >= 2 && rb >= 2 && (ab && !bb && (rb <= ra) && (ra > 2 || rb == 2)
                || !ab && bb && rb >= 3 && ra <= rb
                || ab && bb && ra >= 3 && ra == rb);
        if (!ok) {
            throw unsupported(n, "operands of rank %d%s and %d%s: the batch axis would not stay first", ra,
                    ab ? " (batched)" : "", rb, bb ? " (batched)" : "");
        }
        List<Dim> yd = yi.dims();
        if (needs(n, 0)) {
            String da = e.op("MatMul", g, swapLast(b, rb));
            List<Dim> out = new ArrayList<>(yd.subList(0, yd.size() - 1));
            out.add(ai.dim(ra - 1));
            contribute(a, ab && ra == 2 ? da : unbroadcast(n, da, out, a));
        }
        if (needs(n, 1)) {
            String db;
            if (ab && ra == 2) {
                db = e.mul(e.unsqueeze(a, 2), e.unsqueeze(g, 1));
                contribute(b, db);
            } else {
                db = e.op("MatMul", swapLast(a, ra), g);
                List<Dim> out = new ArrayList<>(yd.subList(0, yd.size() - 2));
                out.add(bi.dim(rb - 2));
                out.add(yd.get(yd.size() - 1));
                contribute(b, unbroadcast(n, db, out, b));
            }
        }
    }

    private String swapLast(String t, int rank) {
        long[] perm = range(0, rank);
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return forward("swap:" + t, () -> e.transpose(t, perm));
    }

    private void softmax(NodeProto n, String g) {
        String y = n.getOutput(0);
        int rank = ranked(n, y).rank();
        long axis = Attr.intOf(n, "axis", -1);
        if (axis < 0) {
            axis += rank;
        }
        if (axis == 0) {
            throw unsupported(n, "it normalises over the batch axis 0");
        }
        String dot = e.reduceSum(e.mul(g, y), new long[] {axis}, true);
        contribute(n.getInput(0), e.mul(y, e.op("Sub", g, dot)));
    }

    private void sigmoid(NodeProto n, String g) {
        String y = n.getOutput(0);
        String d = forward("sig:" + y, () -> e.mul(y, e.op("Sub", e.scalar(1), y)));
        contribute(n.getInput(0), e.mul(g, d));
    }

    private void clip(NodeProto n, String g) {
        if (needs(n, 1) || needs(n, 2)) {
            throw unsupported(n, "gradients with respect to its min / max inputs are not supported");
        }
        String y = n.getOutput(0);
        String min = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? n.getInput(1) : null;
        String max = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? n.getInput(2) : null;
        if (min == null && max == null) {
            contribute(n.getInput(0), g);
            return;
        }
        // Read the output only (keeps Conv + Clip fusable): strictly inside the bounds passes the
        // gradient; exactly on a bound (measure zero) does not.
        String mask = forward("clip:" + y, () -> {
            String lo = min == null ? null : e.op("Greater", y, min);
            String hi = max == null ? null : e.op("Less", y, max);
            return lo == null ? hi : hi == null ? lo : e.op("And", lo, hi);
        });
        contribute(n.getInput(0), e.op("Where", mask, g, zero()));
    }

    private void averagePool(NodeProto n, String g) {
        String x = n.getInput(0);
        String y = n.getOutput(0);
        Shapes.Info xi = ranked(n, x);
        long[] kernel = Attr.intsOf(n, "kernel_shape", null);
        if (kernel == null || kernel.length != xi.rank() - 2) {
            throw unsupported(n, "kernel_shape %s does not match input rank %d", Arrays.toString(kernel), xi.rank());
        }
        ConvGradients.Window win = ConvGradients.window(n, xi, kernel, false);
        int sp = win.n();
        boolean ceil = Attr.intOf(n, "ceil_mode", 0) != 0;
        // 1 / divisor of every window, as ONNX Runtime computes it: AveragePool(ones) is
        // valid / divisor, a Conv of ones with a ones kernel is the number of valid elements.
        List<Part> onesShape = new ArrayList<>(List.of(Part.of(1), Part.of(1)));
        for (int a = 0; a < sp; a++) {
            onesShape.add(xi.dim(2 + a).isFixed() ? Part.of(xi.fixed(2 + a)) : Part.dimOf(x, 2 + a));
        }
        String ones = e.op("ConstantOfShape", Attributes.none().withTensor("value",
                e.typedTensor("v", new double[] {1}, 1)), e.shape(onesShape));
        long kvol = 1;
        for (long k : kernel) {
            kvol *= k;
        }
        double[] one = new double[(int) kvol];
        Arrays.fill(one, 1);
        long[] kDims = new long[2 + sp];
        kDims[0] = 1;
        kDims[1] = 1;
        System.arraycopy(kernel, 0, kDims, 2, sp);
        String onesKernel = e.typed("pool_kernel", one, kDims);
        long[] pads = new long[2 * sp];
        List<Long> cropStarts = new ArrayList<>();
        List<Long> cropEnds = new ArrayList<>();
        List<Long> cropAxes = new ArrayList<>();
        for (int a = 0; a < sp; a++) {
            long pb = win.padsBegin()[a];
            long pe = win.padsEnd()[a] + (ceil ? win.strides()[a] - 1 : 0);
            pads[a] = Math.max(0, pb);
            pads[a + sp] = Math.max(0, pe);
            if (pb < 0 || pe < 0) {
                // Negative SAME padding: the windows start inside the input, so count on a crop.
                cropStarts.add(Math.max(0, -pb));
                cropEnds.add(pe < 0 ? pe : Long.MAX_VALUE);
                cropAxes.add((long) (2 + a));
            }
        }
        String counted = cropAxes.isEmpty() ? ones : e.slice(ones, ConvGradients.toArray(cropStarts),
                ConvGradients.toArray(cropEnds), ConvGradients.toArray(cropAxes));
        String valid = e.op("Conv", Attributes.none().withInts("kernel_shape", kernel)
                .withInts("strides", win.strides()).withInts("dilations", win.dilations()).withInts("pads", pads),
                counted, onesKernel);
        Shapes.Info yi = ranked(n, y);
        List<Part> ends = new ArrayList<>();
        for (int a = 0; a < sp; a++) {
            ends.add(yi.dim(2 + a).isFixed() ? Part.of(yi.fixed(2 + a)) : Part.dimOf(y, 2 + a));
        }
        valid = e.op("Slice", valid, e.ints(new long[sp]), e.shape(ends), e.ints(range(2, 2 + sp)));
        String avgOnes = e.op("AveragePool", Attributes.of(n.getAttributeList()), ones);
        String scale = e.op("Div", avgOnes, e.op("Max", valid, e.scalar(1)));
        String gs = e.mul(g, scale);
        List<Part> flat = new ArrayList<>(List.of(Part.of(-1), Part.of(1)));
        for (int a = 0; a < sp; a++) {
            flat.add(yi.dim(2 + a).isFixed() ? Part.of(yi.fixed(2 + a)) : Part.dimOf(gs, 2 + a));
        }
        String gr = e.reshape(gs, flat);
        // Channels ride in the batch axis so that one single-channel kernel serves every channel.
        List<Dim> one2 = new ArrayList<>(List.of(Dim.unknown(), Dim.of(1)));
        List<Dim> xSp = new ArrayList<>(one2);
        List<Dim> ySp = new ArrayList<>(one2);
        for (int a = 0; a < sp; a++) {
            xSp.add(xi.dim(2 + a));
            ySp.add(yi.dim(2 + a));
        }
        Grad grad = ConvGradients.inputGradient(e, gr, new Shapes.Info(0, ySp), new Shapes.Info(0, xSp), x,
                onesKernel, kDims, 1, win, ceil);
        String dxr = grad instanceof Dense d ? d.tensor()
                : ConvGradients.expand(e, ((SubPixel) grad).raw(), ((SubPixel) grad).layout());
        List<Part> back = new ArrayList<>(List.of(Part.of(-1),
                xi.dim(1).isFixed() ? Part.of(xi.fixed(1)) : Part.dimOf(x, 1)));
        for (int a = 0; a < sp; a++) {
            back.add(xi.dim(2 + a).isFixed() ? Part.of(xi.fixed(2 + a)) : Part.dimOf(x, 2 + a));
        }
        contribute(x, e.reshape(dxr, back));
    }

    private void maxPool(int index, NodeProto n, String g) {
        if (Attr.intOf(n, "storage_order", 0) != 0) {
            throw unsupported(n, "storage_order 1 (column-major indices) is not supported");
        }
        String x = n.getInput(0);
        Shapes.Info xi = ranked(n, x);
        String indices;
        if (n.getOutputCount() > 1 && !n.getOutput(1).isEmpty()) {
            indices = n.getOutput(1);
        } else {
            indices = e.fresh("argmax");
            NodeProto withIndices = n.toBuilder().clearOutput().addOutput(n.getOutput(0)).addOutput(indices).build();
            nodes.set(index, withIndices);
        }
        boolean staticPlane = true;
        long plane = 1;
        for (int a = 2; a < xi.rank(); a++) {
            staticPlane &= xi.dim(a).isFixed();
            plane *= Math.max(1, xi.fixed(a));
        }
        String planeSize = staticPlane ? e.ints(plane) : e.dimProduct(x, 2);
        String local = e.op("Mod", indices, planeSize);
        String g2 = e.reshape(g, List.of(Part.of(0), Part.of(0), Part.of(-1)));
        String i2 = e.reshape(local, List.of(Part.of(0), Part.of(0), Part.of(-1)));
        String i2e = e.expand(i2, e.shapeOf(g2));
        String zerosShape = e.op("Concat", Attributes.none().withInt("axis", 0),
                e.slice(e.shapeOf(g2), new long[] {0}, new long[] {2}, new long[] {0}), planeSize);
        String zeros = e.op("ConstantOfShape", Attributes.none().withTensor("value",
                e.typedTensor("v", new double[] {0}, 1)), zerosShape);
        String scattered = e.op("ScatterElements", Attributes.none().withInt("axis", 2).withString("reduction", "add"),
                zeros, i2e, g2);
        List<Part> back = new ArrayList<>(List.of(Part.of(0), Part.of(0)));
        for (int a = 2; a < xi.rank(); a++) {
            back.add(xi.dim(a).isFixed() ? Part.of(xi.fixed(a)) : Part.dimOf(x, a));
        }
        contribute(x, e.reshape(scattered, back));
    }

    // ---- assembly -------------------------------------------------------------------------------

    private BackwardModel assemble(long opset, ElementType dtype, Shapes.Info logitsInfo) {
        GraphProto.Builder gb = graph.toBuilder();
        Dim rows = Dim.symbolic("seeds");
        List<Dim> seedDims = new ArrayList<>();
        seedDims.add(rows);
        if (logitsInfo != null && logitsInfo.hasRank()) {
            seedDims.addAll(logitsInfo.dims().subList(1, logitsInfo.rank()));
        }
        gb.addInput(valueInfo(seed, dtype, logitsInfo != null && logitsInfo.hasRank() ? seedDims : null));
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> guidedOut = new LinkedHashMap<>();
        for (String w : wrt) {
            String g = gradient(w);
            List<Dim> dims = gradientDims(w, rows);
            String name = e.reserve(w + "_grad");
            if (guided) {
                String s = e.dimOf(seed, 0);
                e.node("Slice", Attributes.none(), List.of(g, e.ints(0), s, e.ints(0)), List.of(name));
                String gName = e.reserve(w + "_guided_grad");
                e.node("Slice", Attributes.none(), List.of(g, s, e.ints(Long.MAX_VALUE), e.ints(0)), List.of(gName));
                guidedOut.put(w, gName);
                gb.addOutput(valueInfo(gName, dtype, dims));
            } else {
                e.node("Identity", Attributes.none(), List.of(g), List.of(name));
            }
            plain.put(w, name);
            gb.addOutput(valueInfo(name, dtype, dims));
        }
        // Nodes emitted during assembly (output slices) come after the others.
        gb.clearNode().addAllNode(nodes).addAllNode(e.nodes()).clearInitializer()
                .addAllInitializer(graph.getInitializerList()).addAllInitializer(e.initializers());
        ModelProto.Builder mb = model.toBuilder().setGraph(gb);
        mb.clearOpsetImport();
        boolean replaced = false;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                mb.addOpsetImport(o.toBuilder().setVersion(Math.max(o.getVersion(), opset)));
                replaced = true;
            } else {
                mb.addOpsetImport(o);
            }
        }
        if (!replaced) {
            mb.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        }
        List<String> forwardOutputs = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
        LOG.debug("backward graph of '{}': {} forward nodes, {} backward nodes, gradients of {}", graph.getName(),
                nodes.size(), e.nodes().size(), wrt);
        return new BackwardModel(mb.build(), seed, plain, guidedOut, forwardOutputs);
    }

    private List<Dim> gradientDims(String w, Dim rows) {
        Shapes.Info i = shapes.get(w);
        if (i == null || !i.hasRank()) {
            return null;
        }
        List<Dim> d = new ArrayList<>();
        d.add(rows);
        d.addAll(batched.contains(w) ? i.dims().subList(1, i.rank()) : i.dims());
        return d;
    }

    private static ValueInfoProto valueInfo(String name, ElementType type, List<Dim> dims) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.onnxCode());
        if (dims != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (Dim d : dims) {
                TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
                if (d.isFixed()) {
                    b.setDimValue(d.value());
                } else if (d.isSymbolic()) {
                    b.setDimParam(d.symbol());
                }
                s.addDim(b);
            }
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
