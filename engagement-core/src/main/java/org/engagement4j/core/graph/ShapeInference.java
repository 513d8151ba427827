package org.engagement4j.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.TypeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * Static element types and shapes of the tensors of a graph, for the operators of a torchvision
 * CNN export (Conv, pooling, element-wise, Flatten, Gemm, MatMul, BatchNormalization). Symbolic
 * dimensions propagate where the size provably stays the same (a stride-1 "same" convolution keeps
 * {@code time}); otherwise an unknown size is written, never a wrong one. Tensors of other
 * operators are simply absent from the result. torch's exports carry no value_info, so this is
 * what gives an exposed inner tensor its shape.
 */
final class ShapeInference {

    /** An element type code (0 = unknown) and a shape. */
    record Type(int elemType, List<Dim> dims) {
    }

    private ShapeInference() {
    }

    static Map<String, Type> infer(ModelProto model) {
        GraphProto g = model.getGraph();
        Map<String, Type> types = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            List<Dim> dims = new ArrayList<>();
            for (long d : t.getDimsList()) {
                dims.add(Dim.of(d));
            }
            types.put(t.getName(), new Type(t.getDataType(), List.copyOf(dims)));
        }
        for (ValueInfoProto v : g.getInputList()) {
            declared(v, types);
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            declared(v, types);
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getOutputCount() == 0 || types.containsKey(n.getOutput(0)) || !n.getDomain().isEmpty()) {
                continue;
            }
            Type out = node(n, types);
            if (out != null) {
                types.put(n.getOutput(0), out);
            }
        }
        return types;
    }

    private static void declared(ValueInfoProto v, Map<String, Type> types) {
        if (!v.hasType() || !v.getType().hasTensorType()) {
            return;
        }
        TypeProto.Tensor t = v.getType().getTensorType();
        if (!t.hasShape()) {
            return;
        }
        List<Dim> dims = new ArrayList<>();
        t.getShape().getDimList().forEach(d -> dims.add(Dim.fromProto(d)));
        types.put(v.getName(), new Type(t.getElemType(), List.copyOf(dims)));
    }

    private static Type node(NodeProto n, Map<String, Type> types) {
        Type x = n.getInputCount() > 0 ? types.get(n.getInput(0)) : null;
        if (x == null) {
            return null;
        }
        switch (n.getOpType()) {
            case "Relu", "Identity", "Sigmoid", "Tanh", "LeakyRelu", "Clip", "Dropout", "BatchNormalization",
                    "Softmax", "LogSoftmax", "Neg", "Abs", "Exp", "Sqrt":
                return x;
            case "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum":
                return broadcast(n, types, x);
            case "GlobalAveragePool", "GlobalMaxPool": {
                List<Dim> d = new ArrayList<>(x.dims());
                for (int i = 2; i < d.size(); i++) {
                    d.set(i, Dim.of(1));
                }
                return new Type(x.elemType(), List.copyOf(d));
            }
            case "Conv":
                return conv(n, types, x);
            case "MaxPool", "AveragePool":
                return pool(n, x);
            case "Flatten":
                return flatten(n, x);
            case "Gemm":
                return gemm(n, types, x);
            default:
                return null;
        }
    }

    private static Type broadcast(NodeProto n, Map<String, Type> types, Type first) {
        List<Dim> acc = first.dims();
        for (int k = 1; k < n.getInputCount(); k++) {
            Type t = types.get(n.getInput(k));
            if (t == null) {
                return null;
            }
            List<Dim> b = t.dims();
            int rank = Math.max(acc.size(), b.size());
            List<Dim> out = new ArrayList<>(rank);
            for (int i = 0; i < rank; i++) {
                int ia = i - (rank - acc.size());
                int ib = i - (rank - b.size());
                Dim da = ia >= 0 ? acc.get(ia) : Dim.of(1);
                Dim db = ib >= 0 ? b.get(ib) : Dim.of(1);
                if (da.equals(db) && (da.isFixed() || da.isSymbolic())) {
                    out.add(da);
                } else if (da.isFixed() && da.value() == 1) {
                    out.add(db);
                } else if (db.isFixed() && db.value() == 1) {
                    out.add(da);
                } else if (da.isFixed() && db.isFixed()) {
                    return null; // not broadcastable: leave it to ONNX Runtime to report
                } else {
                    out.add(da.isFixed() ? da : db.isFixed() ? db : Dim.unknown());
                }
            }
            acc = out;
        }
        return new Type(first.elemType(), List.copyOf(acc));
    }

    private static Type conv(NodeProto n, Map<String, Type> types, Type x) {
        Type w = n.getInputCount() > 1 ? types.get(n.getInput(1)) : null;
        if (w == null || w.dims().size() != x.dims().size() || x.dims().size() < 3) {
            return null;
        }
        int spatial = x.dims().size() - 2;
        long[] kernel = ints(n, "kernel_shape", null);
        if (kernel == null) {
            kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                Dim d = w.dims().get(2 + i);
                if (!d.isFixed()) {
                    return null;
                }
                kernel[i] = d.value();
            }
        }
        List<Dim> sizes = kernel.length == spatial ? windowed(n, x, kernel, false) : null;
        if (sizes == null) {
            return null;
        }
        List<Dim> out = new ArrayList<>();
        out.add(x.dims().get(0));
        out.add(w.dims().get(0));
        out.addAll(sizes);
        return new Type(x.elemType(), List.copyOf(out));
    }

    private static Type pool(NodeProto n, Type x) {
        long[] kernel = ints(n, "kernel_shape", null);
        if (kernel == null || x.dims().size() != kernel.length + 2) {
            return null;
        }
        List<Dim> sizes = windowed(n, x, kernel, intAttr(n, "ceil_mode", 0) != 0);
        if (sizes == null) {
            return null;
        }
        List<Dim> out = new ArrayList<>();
        out.add(x.dims().get(0));
        out.add(x.dims().get(1));
        out.addAll(sizes);
        return new Type(x.elemType(), List.copyOf(out));
    }

    private static List<Dim> windowed(NodeProto n, Type x, long[] kernel, boolean ceil) {
        int spatial = kernel.length;
        long[] strides = ints(n, "strides", filled(spatial, 1));
        long[] dilations = ints(n, "dilations", filled(spatial, 1));
        long[] pads = ints(n, "pads", filled(2 * spatial, 0));
        String autoPad = stringAttr(n, "auto_pad", "NOTSET");
        if (strides.length != spatial || dilations.length != spatial || pads.length != 2 * spatial) {
            return null;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < spatial; i++) {
            Dim in = x.dims().get(2 + i);
            if (strides[i] < 1) {
                return null;
            }
            long eff = dilations[i] * (kernel[i] - 1) + 1;
            if (autoPad.startsWith("SAME")) {
                out.add(in.isFixed() ? Dim.of(Math.floorDiv(in.value() + strides[i] - 1, strides[i]))
                        : strides[i] == 1 ? in : Dim.unknown());
            } else if (autoPad.equals("VALID")) {
                out.add(in.isFixed() ? Dim.of(Math.floorDiv(in.value() - eff, strides[i]) + 1)
                        : strides[i] == 1 && eff == 1 ? in : Dim.unknown());
            } else {
                long padded = pads[i] + pads[i + spatial] - eff;
                if (in.isFixed()) {
                    long span = in.value() + padded;
                    out.add(Dim.of((ceil ? Math.floorDiv(span + strides[i] - 1, strides[i])
                            : Math.floorDiv(span, strides[i])) + 1));
                } else {
                    out.add(strides[i] == 1 && padded == -1 ? in : Dim.unknown());
                }
            }
        }
        return out;
    }

    private static Type flatten(NodeProto n, Type x) {
        int rank = x.dims().size();
        long axis = intAttr(n, "axis", 1);
        if (axis < 0) {
            axis += rank;
        }
        if (axis < 0 || axis > rank) {
            return null;
        }
        return new Type(x.elemType(), List.of(product(x.dims().subList(0, (int) axis)),
                product(x.dims().subList((int) axis, rank))));
    }

    private static Dim product(List<Dim> dims) {
        if (dims.size() == 1) {
            return dims.get(0);
        }
        long p = 1;
        for (Dim d : dims) {
            if (!d.isFixed()) {
                return Dim.unknown();
            }
            p *= d.value();
        }
        return Dim.of(p);
    }

    private static Type gemm(NodeProto n, Map<String, Type> types, Type a) {
        Type b = n.getInputCount() > 1 ? types.get(n.getInput(1)) : null;
        if (b == null || a.dims().size() != 2 || b.dims().size() != 2) {
            return null;
        }
        Dim m = a.dims().get(intAttr(n, "transA", 0) != 0 ? 1 : 0);
        Dim cols = b.dims().get(intAttr(n, "transB", 0) != 0 ? 0 : 1);
        return new Type(a.elemType(), List.of(m, cols));
    }

    private static long[] filled(int n, long v) {
        long[] a = new long[n];
        Arrays.fill(a, v);
        return a;
    }

    private static long[] ints(NodeProto n, String name, long[] fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return fallback;
    }

    private static long intAttr(NodeProto n, String name, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    private static String stringAttr(NodeProto n, String name, String fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return fallback;
    }
}
