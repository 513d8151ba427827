package org.engagement4j.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * An exact rewrite of a video CNN's 3-D convolutions into 2-D ones, so that ONNX Runtime's CPU
 * provider runs them on its blocked-layout (NCHWc) 2-D convolution kernels instead of the generic
 * im2col + GEMM path it takes for 5-D inputs (about 1.2-1.4x faster for mc3_18 on AVX-512; see
 * {@code ClassifierBenchmark}). The model's inputs, outputs, their names and its symbolic batch and
 * time axes do not change.
 *
 * <p>How. A tensor {@code [N, C, T, H, W]} is carried as {@code [N*T, C, H, W]} (time folded into
 * the batch: one Transpose and one Reshape after the graph input). A {@code Conv} with kernel
 * {@code (1, kh, kw)}, temporal stride 1 and no temporal padding (mc3_18's layers 2-4 and the 1x1x1
 * downsample convolutions) is then a 2-D {@code Conv} with weights {@code [Cout, Cin, kh, kw]};
 * {@code Relu} and {@code Add} stay element-wise on the folded tensors. A true 3-D {@code Conv}
 * (kernel {@code (kt, kh, kw)}, kt = 2p + 1, temporal padding p, temporal stride 1: mc3_18's stem
 * and layer1) is, with {@link Temporal#CONCAT}, one 2-D convolution over the kt time-shifted
 * copies of its input concatenated along the channels (zero-pad T by p, kt {@code Slice}s,
 * {@code Concat}, weights reordered to {@code [Cout, kt*Cin, kh, kw]}), or, with
 * {@link Temporal#KEEP_3D}, left as a 3-D convolution between an unfold and a fold. A
 * {@code GlobalAveragePool} of a folded tensor becomes a 2-D one followed by a {@code ReduceMean}
 * over time (the mean over T of per-frame means over H x W equals the mean over T x H x W, all
 * frames having the same H x W); its output keeps its 5-D shape and name, so the {@code Flatten}
 * and {@code Gemm} after it, and the embedding output that {@link ModelInspector#encoderOutput}
 * finds, are untouched. A folded tensor that is a graph output is unfolded back under its name.
 *
 * <p>Exact: the same products are summed, only in another order, so the outputs agree with the
 * original's up to float rounding (within 1e-4 on mc3_18's logits and embedding in the tests).
 * Every rewrite keeps time constant (temporal stride 1, "same" temporal padding), so the folded
 * tensors all share the input's T, read once from the input's shape at run time.
 *
 * <p>Refused, with an {@link IllegalArgumentException} naming the node and the rule broken: a
 * folded tensor read by any other operator, a convolution of a folded tensor with grouped or
 * dilated kernels, {@code auto_pad}, temporal stride other than 1, temporal padding other than
 * (kt - 1) / 2 on both sides, weights or bias that are not initializers, a channel or spatial size
 * that is not fixed; a default-domain opset below 13; a graph without exactly one float32 5-D
 * input read by a {@code Conv}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Conv3dLowering {

    /** How convolutions with a temporal kernel longer than 1 are run. */
    public enum Temporal {
        /** One 2-D convolution over the time-shifted inputs concatenated along the channels. */
        CONCAT,
        /** Unfold to 5-D, the original 3-D convolution, fold again. */
        KEEP_3D
    }

    private static final String PREFIX = "/lowered/";
    private static final long[] NTCHW = {0, 2, 1, 3, 4};

    private final Temporal temporal;

    private Conv3dLowering(Temporal temporal) {
        this.temporal = temporal;
    }

    /**
     * The default lowering: {@link Temporal#CONCAT}, which the benchmark found faster than
     * {@link Temporal#KEEP_3D} for mc3_18 on AVX-512.
     *
     * @return the default instance
     */
    public static Conv3dLowering defaults() {
        return new Conv3dLowering(Temporal.CONCAT);
    }

    /**
     * @param mode how convolutions with a temporal kernel longer than 1 are run
     * @return a copy with that mode
     */
    public Conv3dLowering withTemporal(Temporal mode) {
        return new Conv3dLowering(Objects.requireNonNull(mode, "mode"));
    }

    /**
     * @return how convolutions with a temporal kernel longer than 1 are run
     */
    public Temporal temporal() {
        return temporal;
    }

    /**
     * Rewrites the model (which is not changed).
     *
     * @param model a video CNN whose one 5-D float input {@code [N, C, T, H, W]} feeds convolutions
     * @return the rewritten model, with the same inputs, outputs, opsets and metadata
     * @throws IllegalArgumentException if the graph cannot be lowered exactly (see the class
     *     description; the message names the node)
     */
    public ModelProto apply(ModelProto model) {
        Objects.requireNonNull(model, "model");
        return new Rewrite(model, temporal).run();
    }

    /** One rewrite: the state of a single {@link #apply} call. */
    private static final class Rewrite {
        private final ModelProto model;
        private final GraphProto graph;
        private final Temporal temporal;
        private final Map<String, ShapeInference.Type> types;
        private final Map<String, TensorProto> initializers = new HashMap<>();
        private final Set<String> used = new HashSet<>();
        private final List<NodeProto> nodes = new ArrayList<>();
        private final List<TensorProto> added = new ArrayList<>();
        /** Original 5-D tensor name to its {@code [N*T, C, H, W]} form. */
        private final Map<String, String> folded = new HashMap<>();
        /** Original 5-D tensor name to its {@code [N, T, C, H, W]} form. */
        private final Map<String, String> ntchw = new HashMap<>();
        /** Original 5-D tensor name to a tensor of that shape (itself, when it still exists). */
        private final Map<String, String> plain = new HashMap<>();
        /** The tensors carried in the folded domain (original names). */
        private final Set<String> domain = new HashSet<>();
        private final int opset;
        private String input;
        private String timeVector;
        private int counter;
        private int lowered;

        Rewrite(ModelProto model, Temporal temporal) {
            this.model = model;
            this.graph = model.getGraph();
            this.temporal = temporal;
            this.types = ShapeInference.infer(model);
            this.opset = (int) ModelInspector.opset(model);
            for (TensorProto t : graph.getInitializerList()) {
                initializers.put(t.getName(), t);
                used.add(t.getName());
            }
            for (ValueInfoProto v : graph.getInputList()) {
                used.add(v.getName());
            }
            for (NodeProto n : graph.getNodeList()) {
                used.add(n.getName());
                used.addAll(n.getOutputList());
            }
        }

        ModelProto run() {
            if (opset < 13) {
                throw fail("default-domain opset %d; lowering needs 13 or later", opset);
            }
            findInput();
            for (NodeProto n : graph.getNodeList()) {
                rewrite(n);
            }
            if (lowered == 0) {
                throw fail("no Conv reads the 5-D input '%s' in a way that can be lowered", input);
            }
            for (ValueInfoProto v : graph.getOutputList()) {
                if (domain.contains(v.getName()) && !v.getName().equals(plain.get(v.getName()))) {
                    emit("Identity", List.of(plain(v.getName())), v.getName(), Attributes.none());
                }
            }
            Set<String> read = new HashSet<>();
            for (NodeProto n : nodes) {
                read.addAll(n.getInputList());
            }
            Set<String> defined = new HashSet<>();
            for (NodeProto n : nodes) {
                defined.addAll(n.getOutputList());
            }
            GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer()
                    .clearValueInfo();
            for (TensorProto t : graph.getInitializerList()) {
                if (read.contains(t.getName())) {
                    g.addInitializer(t);
                }
            }
            g.addAllInitializer(added);
            for (ValueInfoProto v : graph.getValueInfoList()) {
                if (defined.contains(v.getName()) && !domain.contains(v.getName())) {
                    g.addValueInfo(v);
                }
            }
            return model.toBuilder().setGraph(g).build();
        }

        private void findInput() {
            List<String> candidates = new ArrayList<>();
            for (ValueInfoProto v : graph.getInputList()) {
                ShapeInference.Type t = types.get(v.getName());
                if (!initializers.containsKey(v.getName()) && t != null && t.dims().size() == 5
                        && t.elemType() == ElementType.FLOAT.onnxCode()) {
                    candidates.add(v.getName());
                }
            }
            if (candidates.size() != 1) {
                throw fail("expected exactly one float32 5-D graph input [N, C, T, H, W], found %s",
                        candidates);
            }
            input = candidates.get(0);
            plain.put(input, input);
            domain.add(input);
            String shape = emit("Shape", List.of(input), null, Attributes.none());
            timeVector = emit("Slice", List.of(shape, constant(2), constant(3), constant(0)), null,
                    Attributes.none());
        }

        private void rewrite(NodeProto n) {
            boolean touches = false;
            for (String in : n.getInputList()) {
                touches |= domain.contains(in) && !in.equals(input);
            }
            boolean readsInput = n.getInputList().contains(input);
            if (!touches && !(readsInput && n.getOpType().equals("Conv") && n.getDomain().isEmpty())) {
                nodes.add(n);
                return;
            }
            if (!n.getDomain().isEmpty()) {
                throw unsupported(n);
            }
            switch (n.getOpType()) {
                case "Conv" -> conv(n);
                case "Relu" -> {
                    String y = emit("Relu", List.of(folded(n.getInput(0))), null, Attributes.none());
                    defineFolded(n.getOutput(0), y);
                }
                case "Add" -> {
                    if (n.getInputCount() != 2 || !domain.contains(n.getInput(0))
                            || !domain.contains(n.getInput(1))) {
                        throw fail("node '%s' (Add) adds %s; both must be convolution outputs"
                                + " (a broadcast against other tensors is not lowered)", n.getName(),
                                n.getInputList());
                    }
                    String y = emit("Add", List.of(folded(n.getInput(0)), folded(n.getInput(1))), null,
                            Attributes.none());
                    defineFolded(n.getOutput(0), y);
                }
                case "GlobalAveragePool" -> pool(n);
                default -> throw unsupported(n);
            }
        }

        private void conv(NodeProto n) {
            String x = n.getInput(0);
            long[] kernel = ints(n, "kernel_shape", null);
            long[] strides = ints(n, "strides", new long[] {1, 1, 1});
            long[] dilations = ints(n, "dilations", new long[] {1, 1, 1});
            long[] pads = ints(n, "pads", new long[] {0, 0, 0, 0, 0, 0});
            long group = ints(n, "group", new long[] {1})[0];
            AttributeProto autoPad = attribute(n, "auto_pad");
            if (autoPad != null && !autoPad.getS().toStringUtf8().equals("NOTSET")) {
                throw fail("node '%s' (Conv): auto_pad %s is not lowered; explicit pads only", n.getName(),
                        autoPad.getS().toStringUtf8());
            }
            if (n.getInputCount() < 2 || !initializers.containsKey(n.getInput(1))
                    || (n.getInputCount() > 2 && !n.getInput(2).isEmpty()
                            && !initializers.containsKey(n.getInput(2)))) {
                throw fail("node '%s' (Conv): weights %s must be initializers", n.getName(),
                        n.getInputList());
            }
            TensorProto w = initializers.get(n.getInput(1));
            long[] wd = Tensors.dims(w);
            if (wd.length != 5 || kernel != null && (kernel.length != 3 || kernel[0] != wd[2]
                    || kernel[1] != wd[3] || kernel[2] != wd[4])) {
                throw fail("node '%s' (Conv): weights %s of shape %s, kernel_shape %s; expected a 3-D"
                        + " kernel", n.getName(), w.getName(), Arrays.toString(wd),
                        Arrays.toString(kernel));
            }
            long kt = wd[2];
            if (group != 1 || strides.length != 3 || dilations.length != 3 || pads.length != 6
                    || dilations[0] != 1 || dilations[1] != 1 || dilations[2] != 1) {
                throw fail("node '%s' (Conv): group %d, dilations %s; only group 1 and dilation 1 are"
                        + " lowered", n.getName(), group, Arrays.toString(dilations));
            }
            if (strides[0] != 1 || pads[0] != pads[3] || 2 * pads[0] + 1 != kt) {
                throw fail("node '%s' (Conv): temporal kernel %d, stride %d, pads %d/%d; lowering keeps"
                        + " time constant, so it needs stride 1 and pads (kt - 1) / 2 on both sides",
                        n.getName(), kt, strides[0], pads[0], pads[3]);
            }
            fixedCHW(n.getOutput(0), n);
            fixedCHW(x, n);
            String bias = n.getInputCount() > 2 ? n.getInput(2) : "";
            Attributes attrs2d = Attributes.none().withInts("dilations", 1, 1).withInt("group", 1)
                    .withInts("kernel_shape", wd[3], wd[4]).withInts("pads", pads[1], pads[2], pads[4], pads[5])
                    .withInts("strides", strides[1], strides[2]);
            lowered++;
            if (kt == 1) {
                String w2 = addInitializer(Tensors.floats(fresh(w.getName() + "_2d"), Tensors.toFloats(w),
                        wd[0], wd[1], wd[3], wd[4]));
                String y = emit("Conv", inputs(folded(x), w2, bias), null, attrs2d);
                defineFolded(n.getOutput(0), y);
            } else if (temporal == Temporal.CONCAT) {
                long[] d = fixedCHW(x, n);
                long p = pads[0];
                String padded = emit("Pad", List.of(ntchw(x),
                        constant(0, p, 0, 0, 0, 0, p, 0, 0, 0)), null, Attributes.none());
                List<String> shifted = new ArrayList<>();
                for (long dt = 0; dt < kt; dt++) {
                    long end = dt - 2 * p < 0 ? dt - 2 * p : Long.MAX_VALUE;
                    shifted.add(emit("Slice", List.of(padded, constant(dt), constant(end), constant(1)), null,
                            Attributes.none()));
                }
                String cat = emit("Concat", shifted, null, Attributes.none().withInt("axis", 2));
                String f = emit("Reshape", List.of(cat, constant(-1, kt * d[0], d[1], d[2])), null,
                        Attributes.none());
                String w2 = addInitializer(Tensors.floats(fresh(w.getName() + "_2d"), timeMajor(w, wd),
                        wd[0], kt * wd[1], wd[3], wd[4]));
                String y = emit("Conv", inputs(f, w2, bias), null, attrs2d);
                defineFolded(n.getOutput(0), y);
            } else {
                List<String> in = new ArrayList<>(n.getInputList());
                in.set(0, plain(x));
                nodes.add(n.toBuilder().clearInput().addAllInput(in).build());
                domain.add(n.getOutput(0));
                plain.put(n.getOutput(0), n.getOutput(0));
            }
        }

        private void pool(NodeProto n) {
            String x = n.getInput(0);
            long[] d = fixedCHW(x, n);
            String g = emit("GlobalAveragePool", List.of(folded(x)), null, Attributes.none());
            String shape = emit("Concat", List.of(constant(-1), timeVector, constant(d[0], 1, 1)), null,
                    Attributes.none().withInt("axis", 0));
            String r = emit("Reshape", List.of(g, shape), null, Attributes.none());
            String m;
            if (opset >= 18) {
                m = emit("ReduceMean", List.of(r, constant(1)), null, Attributes.none().withInt("keepdims", 1));
            } else {
                m = emit("ReduceMean", List.of(r), null, Attributes.none().withInts("axes", 1)
                        .withInt("keepdims", 1));
            }
            emit("Reshape", List.of(m, constant(-1, d[0], 1, 1, 1)), n.getOutput(0), Attributes.none());
        }

        /** Weights {@code [Cout, Cin, kt, kh, kw]} reordered to {@code [Cout, kt, Cin, kh, kw]}. */
        private static float[] timeMajor(TensorProto w, long[] wd) {
            float[] v = Tensors.toFloats(w);
            float[] out = new float[v.length];
            int cout = (int) wd[0];
            int cin = (int) wd[1];
            int kt = (int) wd[2];
            int hw = (int) (wd[3] * wd[4]);
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int t = 0; t < kt; t++) {
                        System.arraycopy(v, ((o * cin + c) * kt + t) * hw, out, ((o * kt + t) * cin + c) * hw, hw);
                    }
                }
            }
            return out;
        }

        private String folded(String t) {
            String f = folded.get(t);
            if (f == null) {
                long[] d = fixedCHW(t, null);
                f = emit("Reshape", List.of(ntchw(t), constant(-1, d[0], d[1], d[2])), null, Attributes.none());
                folded.put(t, f);
            }
            return f;
        }

        private String ntchw(String t) {
            String v = ntchw.get(t);
            if (v == null) {
                if (folded.containsKey(t)) {
                    long[] d = fixedCHW(t, null);
                    String shape = emit("Concat", List.of(constant(-1), timeVector, constant(d[0], d[1], d[2])),
                            null, Attributes.none().withInt("axis", 0));
                    v = emit("Reshape", List.of(folded.get(t), shape), null, Attributes.none());
                } else {
                    v = emit("Transpose", List.of(plain.get(t)), null, Attributes.none().withInts("perm", NTCHW));
                }
                ntchw.put(t, v);
            }
            return v;
        }

        private String plain(String t) {
            String v = plain.get(t);
            if (v == null) {
                v = emit("Transpose", List.of(ntchw(t)), null, Attributes.none().withInts("perm", NTCHW));
                plain.put(t, v);
            }
            return v;
        }

        private void defineFolded(String original, String foldedName) {
            domain.add(original);
            folded.put(original, foldedName);
        }

        /** @return {C, H, W} of a 5-D tensor, all fixed */
        private long[] fixedCHW(String t, NodeProto n) {
            ShapeInference.Type type = types.get(t);
            List<Dim> d = type == null ? List.of() : type.dims();
            if (d.size() != 5 || !d.get(1).isFixed() || !d.get(3).isFixed() || !d.get(4).isFixed()) {
                throw fail("tensor '%s'%s has shape %s; lowering needs a 5-D tensor with fixed channels,"
                        + " height and width", t, n == null ? "" : " of node '" + n.getName() + "'",
                        type == null ? "unknown" : d);
            }
            return new long[] {d.get(1).value(), d.get(3).value(), d.get(4).value()};
        }

        private static List<String> inputs(String x, String w, String b) {
            return b.isEmpty() ? List.of(x, w) : List.of(x, w, b);
        }

        private String emit(String op, List<String> in, String out, Attributes attrs) {
            String name = fresh(PREFIX + op);
            String o = out == null ? fresh(name + "_output_0") : out;
            nodes.add(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(o)
                    .addAllAttribute(attrs.asList()).build());
            return o;
        }

        private String constant(long... values) {
            return addInitializer(Tensors.int64s(fresh(PREFIX + "const"), values, values.length));
        }

        private String addInitializer(TensorProto t) {
            added.add(t);
            return t.getName();
        }

        private String fresh(String base) {
            String name = base;
            while (!used.add(name)) {
                name = base + "_" + counter++;
            }
            return name;
        }

        private static AttributeProto attribute(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a;
                }
            }
            return null;
        }

        private static long[] ints(NodeProto n, String name, long[] otherwise) {
            AttributeProto a = attribute(n, name);
            if (a == null) {
                return otherwise;
            }
            if (a.getIntsCount() > 0) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
            return new long[] {a.getI()};
        }

        private IllegalArgumentException unsupported(NodeProto n) {
            return fail("node '%s' (%s%s) reads a convolution output; only Conv, Relu, Add and"
                    + " GlobalAveragePool are lowered, so this graph cannot be lowered exactly", n.getName(),
                    n.getDomain().isEmpty() ? "" : n.getDomain() + ".", n.getOpType());
        }

        private IllegalArgumentException fail(String format, Object... args) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "cannot lower graph '%s': ",
                    graph.getName()) + String.format(Locale.ROOT, format, args));
        }
    }
}
