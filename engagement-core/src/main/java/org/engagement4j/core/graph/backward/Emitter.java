package org.engagement4j.core.graph.backward;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.ElementType;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;

/**
 * Appends the nodes and constants of the backward pass: fresh names that cannot clash with the
 * forward graph's, cached constants, and the small opset-dependent spellings (ReduceSum takes its
 * axes as an input from opset 13, ReduceMean / ReduceProd only from opset 18).
 */
final class Emitter {

    /** One entry of a shape vector: a fixed value (may be 0 = copy or -1 = infer, as Reshape reads them)
     *  or the size of an axis of a run-time tensor times a factor. */
    record Part(long fixed, String tensor, int axis, long factor) {

        static Part of(long v) {
            return new Part(v, null, 0, 1);
        }

        static Part dimOf(String tensor, int axis) {
            return new Part(0, tensor, axis, 1);
        }

        static Part dimOf(String tensor, int axis, long factor) {
            return new Part(0, tensor, axis, factor);
        }

        boolean isFixed() {
            return tensor == null;
        }
    }

    static final String PREFIX = "/backward/";

    private final Set<String> taken;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final Map<String, String> cache = new HashMap<>();
    private final long opset;
    private final ElementType dtype;
    private int counter;

    Emitter(Set<String> taken, long opset, ElementType dtype) {
        this.taken = taken;
        this.opset = opset;
        this.dtype = dtype;
    }

    long opset() {
        return opset;
    }

    ElementType dtype() {
        return dtype;
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    List<TensorProto> initializers() {
        return initializers;
    }

    /** A tensor or node name not used anywhere in the model. */
    String fresh(String hint) {
        String name;
        do {
            name = PREFIX + hint + "_" + counter++;
        } while (taken.contains(name));
        taken.add(name);
        return name;
    }

    /** Reserves an exact name if free, otherwise a suffixed variant. */
    String reserve(String wanted) {
        String name = wanted;
        int k = 1;
        while (taken.contains(name)) {
            name = wanted + "_" + k++;
        }
        taken.add(name);
        return name;
    }

    String op(String opType, Attributes attributes, String... inputs) {
        String out = fresh(opType);
        node(opType, attributes, List.of(inputs), List.of(out));
        return out;
    }

    void node(String opType, Attributes attributes, List<String> inputs, List<String> outputs) {
        nodes.add(NodeProto.newBuilder().setOpType(opType).setName(fresh(opType + "_node"))
                .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(attributes.asList()).build());
    }

    String op(String opType, String... inputs) {
        return op(opType, Attributes.none(), inputs);
    }

    // ---- constants ----------------------------------------------------------------------------

    /** A scalar of the model's float type. */
    String scalar(double v) {
        return cached("s" + dtype + ":" + Double.doubleToLongBits(v), () -> typed("c", new double[] {v}));
    }

    /** A constant of the model's float type. */
    String typed(String hint, double[] values, long... dims) {
        String name = fresh(hint);
        initializers.add(typedTensor(name, values, dims));
        return name;
    }

    TensorProto typedTensor(String name, double[] values, long... dims) {
        if (dtype == ElementType.DOUBLE) {
            ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(values);
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dtype.onnxCode())
                    .setRawData(ByteString.copyFrom(b.array()));
            for (long d : dims) {
                t.addDims(d);
            }
            return t.build();
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensors.floats(name, f, dims);
    }

    /** A 1-D int64 constant. */
    String ints(long... values) {
        return cached("i:" + Arrays.toString(values), () -> {
            String name = fresh("ints");
            initializers.add(Tensors.int64s(name, values, values.length));
            return name;
        });
    }

    private String cached(String key, java.util.function.Supplier<String> make) {
        String v = cache.get(key);
        if (v == null) {
            v = make.get();
            cache.put(key, v);
        }
        return v;
    }

    // ---- shapes -------------------------------------------------------------------------------

    String shapeOf(String t) {
        return cached("shape:" + t, () -> op("Shape", t));
    }

    /** The size of one axis of a run-time tensor, as an int64 vector of length 1. */
    String dimOf(String t, int axis) {
        return cached("dim:" + t + ":" + axis, () -> op("Slice", shapeOf(t), ints(axis), ints(axis + 1), ints(0)));
    }

    /** The product of the sizes of axes [from, rank) of a run-time tensor, int64 vector of length 1. */
    String dimProduct(String t, int from) {
        return cached("prod:" + t + ":" + from, () -> {
            String tail = op("Slice", shapeOf(t), ints(from), ints(Long.MAX_VALUE), ints(0));
            return reduce("ReduceProd", tail, new long[] {0}, true);
        });
    }

    /** A shape vector (int64 1-D) from parts: a constant when all are fixed, else a Concat. */
    String shape(List<Part> parts) {
        boolean allFixed = parts.stream().allMatch(Part::isFixed);
        if (allFixed) {
            return ints(parts.stream().mapToLong(Part::fixed).toArray());
        }
        List<String> pieces = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (Part p : parts) {
            if (p.isFixed()) {
                run.add(p.fixed());
                continue;
            }
            if (!run.isEmpty()) {
                pieces.add(ints(run.stream().mapToLong(Long::longValue).toArray()));
                run.clear();
            }
            String d = dimOf(p.tensor(), p.axis());
            if (p.factor() != 1) {
                d = op("Mul", d, ints(p.factor()));
            }
            pieces.add(d);
        }
        if (!run.isEmpty()) {
            pieces.add(ints(run.stream().mapToLong(Long::longValue).toArray()));
        }
        return pieces.size() == 1 ? pieces.get(0)
                : op("Concat", Attributes.none().withInt("axis", 0), pieces.toArray(String[]::new));
    }

    String reshape(String x, List<Part> parts) {
        return op("Reshape", x, shape(parts));
    }

    String expand(String x, String shapeVector) {
        return op("Expand", x, shapeVector);
    }

    // ---- common operators ---------------------------------------------------------------------

    /** ReduceSum / ReduceMean / ReduceProd / ReduceMax over the given axes. */
    String reduce(String opType, String x, long[] axes, boolean keepDims) {
        boolean axesInput = opType.equals("ReduceSum") ? opset >= 13 : opset >= 18;
        Attributes a = Attributes.none().withInt("keepdims", keepDims ? 1 : 0);
        if (axesInput) {
            return op(opType, a, x, ints(axes));
        }
        return op(opType, a.withInts("axes", axes), x);
    }

    String reduceSum(String x, long[] axes, boolean keepDims) {
        return axes.length == 0 ? x : reduce("ReduceSum", x, axes, keepDims);
    }

    String unsqueeze(String x, long... axes) {
        return op("Unsqueeze", x, ints(axes));
    }

    String transpose(String x, long... perm) {
        return op("Transpose", Attributes.none().withInts("perm", perm), x);
    }

    String slice(String x, long[] starts, long[] ends, long[] axes) {
        return op("Slice", x, ints(starts), ints(ends), ints(axes));
    }

    String slice(String x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return op("Slice", x, ints(starts), ints(ends), ints(axes), ints(steps));
    }

    String add(String a, String b) {
        return op("Add", a, b);
    }

    String mul(String a, String b) {
        return op("Mul", a, b);
    }

    /** The sum of one or more tensors (Add for two, Sum for more). */
    String sum(List<String> terms) {
        if (terms.size() == 1) {
            return terms.get(0);
        }
        if (terms.size() == 2) {
            return add(terms.get(0), terms.get(1));
        }
        return op("Sum", terms.toArray(String[]::new));
    }
}
