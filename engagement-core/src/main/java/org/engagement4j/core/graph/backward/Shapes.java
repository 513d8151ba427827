package org.engagement4j.core.graph.backward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.ElementType;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.AttributeProto;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.TypeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * Static element types, ranks and dimensions of the tensors of a forward graph, and the values of
 * its small integer constants (Reshape targets, axes). The backward rules need ranks everywhere and
 * fixed sizes where a kernel or a padding depends on them; a size that cannot be proven is left
 * unknown, never guessed. Declared shapes (graph inputs, {@code value_info}, graph outputs) win over
 * inferred ones; operators outside the list below leave their outputs unknown.
 */
final class Shapes {

    /** Element type code (0 = unknown) and dimensions ({@code null} = rank unknown). */
    record Info(int elemType, List<Dim> dims) {

        boolean hasRank() {
            return dims != null;
        }

        int rank() {
            return dims.size();
        }

        Dim dim(int axis) {
            return dims.get(axis);
        }

        /** The fixed size of an axis, or -1. */
        long fixed(int axis) {
            Dim d = dims.get(axis);
            return d.isFixed() ? d.value() : -1;
        }

        boolean allFixed() {
            return dims != null && dims.stream().allMatch(Dim::isFixed);
        }

        boolean isOne(int axis) {
            return fixed(axis) == 1;
        }
    }

    private final Map<String, Info> infos = new HashMap<>();
    private final Map<String, TensorProto> constants = new HashMap<>();

    private Shapes() {
    }

    static Shapes infer(ModelProto model, long opset) {
        Shapes s = new Shapes();
        GraphProto g = model.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            s.constants.put(t.getName(), t);
            s.infos.put(t.getName(), new Info(t.getDataType(), dimsOf(t)));
        }
        Map<String, Info> declared = new HashMap<>();
        for (ValueInfoProto v : g.getInputList()) {
            declare(v, declared);
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            declare(v, declared);
        }
        for (ValueInfoProto v : g.getOutputList()) {
            declare(v, declared);
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (!s.infos.containsKey(v.getName()) && declared.containsKey(v.getName())) {
                s.infos.put(v.getName(), declared.get(v.getName()));
            }
        }
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getDomain().isEmpty() && n.getOutputCount() == 1) {
                TensorProto t = constantValue(n);
                if (t != null) {
                    s.constants.put(n.getOutput(0), t);
                }
            }
            Info inferred = null;
            if (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) {
                try {
                    inferred = s.node(n, opset);
                } catch (RuntimeException e) {
                    inferred = null; // malformed attributes: ONNX Runtime reports them when it loads the model
                }
            }
            for (int i = 0; i < n.getOutputCount(); i++) {
                String out = n.getOutput(i);
                Info d = declared.get(out);
                Info inf = i == 0 ? inferred : null;
                if (d != null && d.hasRank()) {
                    s.infos.put(out, merge(d, inf));
                } else if (inf != null) {
                    s.infos.put(out, d != null && inf.elemType() == 0 ? new Info(d.elemType(), inf.dims()) : inf);
                } else if (d != null) {
                    s.infos.put(out, d);
                }
            }
        }
        return s;
    }

    /** Declared dimensions, with inferred fixed sizes filling declared unknowns. */
    private static Info merge(Info declared, Info inferred) {
        if (inferred == null || !inferred.hasRank() || inferred.rank() != declared.rank()) {
            return declared;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < declared.rank(); i++) {
            Dim d = declared.dim(i);
            out.add(!d.isFixed() && !d.isSymbolic() ? inferred.dim(i) : d);
        }
        return new Info(declared.elemType() != 0 ? declared.elemType() : inferred.elemType(), List.copyOf(out));
    }

    Info get(String tensor) {
        return infos.get(tensor);
    }

    /** The integer values of a constant (initializer or Constant node output), or {@code null}. */
    long[] constInts(String tensor) {
        TensorProto t = constants.get(tensor);
        if (t == null) {
            return null;
        }
        if (t.getDataType() == ElementType.INT64.onnxCode()) {
            return Tensors.toLongs(t);
        }
        if (t.getDataType() == ElementType.INT32.onnxCode()) {
            if (t.hasRawData()) {
                java.nio.ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
                long[] out = new long[b.remaining() / 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getInt();
                }
                return out;
            }
            return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
        }
        return null;
    }

    private static void declare(ValueInfoProto v, Map<String, Info> out) {
        if (!v.hasType() || !v.getType().hasTensorType()) {
            return;
        }
        TypeProto.Tensor t = v.getType().getTensorType();
        List<Dim> dims = null;
        if (t.hasShape()) {
            dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
                if (d.hasDimValue()) {
                    dims.add(Dim.of(d.getDimValue()));
                } else if (d.hasDimParam() && !d.getDimParam().isBlank()) {
                    dims.add(Dim.symbolic(d.getDimParam()));
                } else {
                    dims.add(Dim.unknown());
                }
            }
            dims = List.copyOf(dims);
        }
        out.put(v.getName(), new Info(t.getElemType(), dims));
    }

    private static List<Dim> dimsOf(TensorProto t) {
        List<Dim> d = new ArrayList<>();
        for (long v : t.getDimsList()) {
            d.add(Dim.of(v));
        }
        return List.copyOf(d);
    }

    private static TensorProto constantValue(NodeProto n) {
        for (AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return a.getT();
                case "value_ints": {
                    long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                    return Tensors.int64s(n.getOutput(0), v, v.length);
                }
                case "value_int":
                    return Tensors.int64s(n.getOutput(0), new long[] {a.getI()});
                case "value_float":
                    return Tensors.floats(n.getOutput(0), new float[] {a.getF()});
                default:
                    break;
            }
        }
        return null;
    }

    private Info node(NodeProto n, long opset) {
        Info x = n.getInputCount() > 0 && !n.getInput(0).isEmpty() ? infos.get(n.getInput(0)) : null;
        String op = n.getOpType();
        if (op.equals("Constant")) {
            TensorProto t = constants.get(n.getOutput(0));
            return t == null ? null : new Info(t.getDataType(), dimsOf(t));
        }
        if (x == null) {
            return null;
        }
        switch (op) {
            case "Relu", "Identity", "Sigmoid", "Tanh", "LeakyRelu", "Clip", "Dropout", "BatchNormalization",
                    "Softmax", "LogSoftmax", "Neg", "Abs", "Exp", "Log", "Sqrt", "Reciprocal", "Elu", "Selu",
                    "HardSigmoid", "Softplus", "Erf", "Gelu", "PRelu":
                return x;
            case "Cast":
                return new Info((int) Attr.intOf(n, "to", 0), x.dims());
            case "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Pow", "Mean":
                return broadcast(n, 0, x.elemType());
            case "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor":
                return broadcast(n, 0, ElementType.BOOL.onnxCode());
            case "Where": {
                Info b = broadcast(n, 0, 0);
                Info v = infos.get(n.getInput(1));
                return b == null ? null : new Info(v == null ? 0 : v.elemType(), b.dims());
            }
            case "GlobalAveragePool", "GlobalMaxPool": {
                if (!x.hasRank()) {
                    return x;
                }
                List<Dim> d = new ArrayList<>(x.dims());
                for (int i = 2; i < d.size(); i++) {
                    d.set(i, Dim.of(1));
                }
                return new Info(x.elemType(), List.copyOf(d));
            }
            case "Conv":
                return conv(n, x);
            case "MaxPool", "AveragePool":
                return pool(n, x);
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceL1":
                return reduce(n, x, opset);
            case "Flatten":
                return flatten(n, x);
            case "Reshape":
                return reshape(n, x);
            case "Gemm":
                return gemm(n, x);
            case "MatMul":
                return matmul(n, x);
            case "Transpose":
                return transpose(n, x);
            case "Unsqueeze", "Squeeze":
                return squeeze(n, x, op.equals("Unsqueeze"), opset);
            case "Concat":
                return concat(n, x);
            case "Shape": {
                if (!x.hasRank()) {
                    return new Info(ElementType.INT64.onnxCode(), List.of(Dim.unknown()));
                }
                long r = x.rank();
                long start = Attr.intOf(n, "start", 0);
                long end = Attr.intOf(n, "end", r);
                start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
                end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
                return new Info(ElementType.INT64.onnxCode(), List.of(Dim.of(Math.max(0, end - start))));
            }
            case "Gather": {
                Info idx = infos.get(n.getInput(1));
                if (!x.hasRank() || idx == null || !idx.hasRank()) {
                    return null;
                }
                int axis = (int) Attr.intOf(n, "axis", 0);
                axis = axis < 0 ? axis + x.rank() : axis;
                List<Dim> d = new ArrayList<>(x.dims().subList(0, axis));
                d.addAll(idx.dims());
                d.addAll(x.dims().subList(axis + 1, x.rank()));
                return new Info(x.elemType(), List.copyOf(d));
            }
            default:
                return null;
        }
    }

    private Info broadcast(NodeProto n, int firstInput, int elemType) {
        List<Dim> acc = null;
        for (int k = firstInput; k < n.getInputCount(); k++) {
            Info t = infos.get(n.getInput(k));
            if (t == null || !t.hasRank()) {
                return null;
            }
            if (acc == null) {
                acc = t.dims();
                continue;
            }
            List<Dim> b = t.dims();
            int rank = Math.max(acc.size(), b.size());
            List<Dim> out = new ArrayList<>(rank);
            for (int i = 0; i < rank; i++) {
                int ia = i - (rank - acc.size());
                int ib = i - (rank - b.size());
                Dim da = ia >= 0 ? acc.get(ia) : Dim.of(1);
                Dim db = ib >= 0 ? b.get(ib) : Dim.of(1);
                out.add(broadcastDim(da, db));
            }
            acc = out;
        }
        return acc == null ? null : new Info(elemType, List.copyOf(acc));
    }

    static Dim broadcastDim(Dim da, Dim db) {
        if (da.equals(db) && (da.isFixed() || da.isSymbolic())) {
            return da;
        }
        if (da.isFixed() && da.value() == 1) {
            return db;
        }
        if (db.isFixed() && db.value() == 1) {
            return da;
        }
        if (da.isFixed()) {
            return da;
        }
        if (db.isFixed()) {
            return db;
        }
        return Dim.unknown();
    }

    private Info conv(NodeProto n, Info x) {
        Info w = n.getInputCount() > 1 ? infos.get(n.getInput(1)) : null;
        if (w == null || !w.hasRank() || !x.hasRank() || x.rank() != w.rank() || x.rank() < 3) {
            return x.hasRank() ? new Info(x.elemType(), unknownDims(x.rank())) : null;
        }
        int spatial = x.rank() - 2;
        long[] kernel = Attr.intsOf(n, "kernel_shape", null);
        if (kernel == null) {
            kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                kernel[i] = w.fixed(2 + i);
            }
        }
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(w.dim(0));
        out.addAll(windowed(n, x, kernel, false));
        return new Info(x.elemType(), List.copyOf(out));
    }

    private Info pool(NodeProto n, Info x) {
        long[] kernel = Attr.intsOf(n, "kernel_shape", null);
        if (!x.hasRank() || kernel == null || x.rank() != kernel.length + 2) {
            return null;
        }
        List<Dim> out = new ArrayList<>();
        out.add(x.dim(0));
        out.add(x.dim(1));
        out.addAll(windowed(n, x, kernel, Attr.intOf(n, "ceil_mode", 0) != 0));
        return new Info(x.elemType(), List.copyOf(out));
    }

    private static List<Dim> windowed(NodeProto n, Info x, long[] kernel, boolean ceil) {
        int spatial = kernel.length;
        long[] strides = Attr.intsOf(n, "strides", Attr.filled(spatial, 1));
        long[] dilations = Attr.intsOf(n, "dilations", Attr.filled(spatial, 1));
        long[] pads = Attr.intsOf(n, "pads", Attr.filled(2 * spatial, 0));
        String autoPad = Attr.stringOf(n, "auto_pad", "NOTSET");
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < spatial; i++) {
            Dim in = x.dim(2 + i);
            long eff = dilations[i] * (kernel[i] - 1) + 1;
            long s = strides[i];
            if (kernel[i] < 1 || s < 1) {
                out.add(Dim.unknown());
            } else if (autoPad.startsWith("SAME")) {
                out.add(in.isFixed() ? Dim.of(Math.floorDiv(in.value() + s - 1, s)) : s == 1 ? in : Dim.unknown());
            } else if (autoPad.equals("VALID")) {
                out.add(in.isFixed() ? Dim.of(Math.floorDiv(in.value() - eff, s) + 1)
                        : s == 1 && eff == 1 ? in : Dim.unknown());
            } else if (ceil && s > 1) {
                // Whether a last window starting in the end padding counts differs between
                // conventions: leave it to the run time (the backward rules then use run-time shapes).
                out.add(Dim.unknown());
            } else {
                long padded = pads[i] + pads[i + spatial] - eff;
                if (in.isFixed()) {
                    out.add(Dim.of(Math.floorDiv(in.value() + padded, s) + 1));
                } else {
                    out.add(s == 1 && padded == -1 ? in : Dim.unknown());
                }
            }
        }
        return out;
    }

    private Info reduce(NodeProto n, Info x, long opset) {
        if (!x.hasRank()) {
            return null;
        }
        long[] axes = reduceAxes(n, opset);
        boolean keep = Attr.intOf(n, "keepdims", 1) != 0;
        int r = x.rank();
        boolean[] reduced = new boolean[r];
        if (axes == null) {
            return null;
        }
        if (axes.length == 0) {
            if (Attr.intOf(n, "noop_with_empty_axes", 0) != 0) {
                return x;
            }
            Arrays.fill(reduced, true);
        }
        for (long a : axes) {
            reduced[(int) (a < 0 ? a + r : a)] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (!reduced[i]) {
                out.add(x.dim(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        return new Info(x.elemType(), List.copyOf(out));
    }

    /** The axes of a Reduce node (attribute or second input), {@code new long[0]} for none, null if unknown. */
    long[] reduceAxes(NodeProto n, long opset) {
        boolean axesInput = n.getOpType().equals("ReduceSum") ? opset >= 13 : opset >= 18;
        if (axesInput) {
            if (n.getInputCount() < 2 || n.getInput(1).isEmpty()) {
                return new long[0];
            }
            return constInts(n.getInput(1));
        }
        return Attr.intsOf(n, "axes", new long[0]);
    }

    private static Info flatten(NodeProto n, Info x) {
        if (!x.hasRank()) {
            return new Info(x.elemType(), unknownDims(2));
        }
        int rank = x.rank();
        long axis = Attr.intOf(n, "axis", 1);
        if (axis < 0) {
            axis += rank;
        }
        if (axis < 0 || axis > rank) {
            return null;
        }
        return new Info(x.elemType(), List.of(product(x.dims().subList(0, (int) axis)),
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

    private Info reshape(NodeProto n, Info x) {
        long[] shape = n.getInputCount() > 1 ? constInts(n.getInput(1)) : null;
        if (shape == null) {
            Info s = n.getInputCount() > 1 ? infos.get(n.getInput(1)) : null;
            if (s != null && s.hasRank() && s.rank() == 1 && s.dim(0).isFixed()) {
                return new Info(x.elemType(), unknownDims((int) s.dim(0).value()));
            }
            return null;
        }
        boolean allowZero = Attr.intOf(n, "allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>();
        int minus = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0 && !allowZero) {
                out.add(x.hasRank() && i < x.rank() ? x.dim(i) : Dim.unknown());
            } else if (shape[i] == -1) {
                minus = i;
                out.add(Dim.unknown());
            } else {
                out.add(Dim.of(shape[i]));
            }
        }
        if (minus >= 0 && x.hasRank()) {
            // Resolve -1: from fixed sizes, or as the input's single non-fixed dimension when the
            // fixed sizes on both sides agree (e.g. [batch, 512, 1, 1, 1] -> [-1, 512]).
            long inFixed = 1;
            List<Dim> inOther = new ArrayList<>();
            for (Dim d : x.dims()) {
                if (d.isFixed()) {
                    inFixed *= d.value();
                } else {
                    inOther.add(d);
                }
            }
            long outFixed = 1;
            List<Dim> outOther = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                if (i == minus) {
                    continue;
                }
                Dim d = out.get(i);
                if (d.isFixed()) {
                    outFixed *= d.value();
                } else {
                    outOther.add(d);
                }
            }
            List<Dim> remaining = new ArrayList<>(inOther);
            boolean matched = true;
            for (Dim d : outOther) {
                if (!d.isSymbolic() || !remaining.remove(d)) {
                    matched = false;
                }
            }
            if (matched && outFixed != 0 && inFixed % outFixed == 0) {
                long f = inFixed / outFixed;
                if (remaining.isEmpty()) {
                    out.set(minus, Dim.of(f));
                } else if (remaining.size() == 1 && f == 1) {
                    out.set(minus, remaining.get(0));
                }
            }
        }
        return new Info(x.elemType(), List.copyOf(out));
    }

    private Info gemm(NodeProto n, Info a) {
        Info b = infos.get(n.getInput(1));
        if (!a.hasRank() || b == null || !b.hasRank() || a.rank() != 2 || b.rank() != 2) {
            return new Info(a.elemType(), unknownDims(2));
        }
        Dim m = a.dim(Attr.intOf(n, "transA", 0) != 0 ? 1 : 0);
        Dim cols = b.dim(Attr.intOf(n, "transB", 0) != 0 ? 0 : 1);
        return new Info(a.elemType(), List.of(m, cols));
    }

    private Info matmul(NodeProto n, Info a) {
        Info b = infos.get(n.getInput(1));
        if (!a.hasRank() || b == null || !b.hasRank()) {
            return null;
        }
        List<Dim> da = new ArrayList<>(a.dims());
        List<Dim> db = new ArrayList<>(b.dims());
        boolean aVec = da.size() == 1;
        boolean bVec = db.size() == 1;
        if (aVec) {
            da.add(0, Dim.of(1));
        }
        if (bVec) {
            db.add(Dim.of(1));
        }
        List<Dim> batchA = da.subList(0, da.size() - 2);
        List<Dim> batchB = db.subList(0, db.size() - 2);
        int rank = Math.max(batchA.size(), batchB.size());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - batchA.size());
            int ib = i - (rank - batchB.size());
            out.add(broadcastDim(ia >= 0 ? batchA.get(ia) : Dim.of(1), ib >= 0 ? batchB.get(ib) : Dim.of(1)));
        }
        if (!aVec) {
            out.add(da.get(da.size() - 2));
        }
        if (!bVec) {
            out.add(db.get(db.size() - 1));
        }
        return new Info(a.elemType(), List.copyOf(out));
    }

    private static Info transpose(NodeProto n, Info x) {
        if (!x.hasRank()) {
            return null;
        }
        long[] perm = Attr.intsOf(n, "perm", null);
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            out.add(x.dim(perm == null ? x.rank() - 1 - i : (int) perm[i]));
        }
        return new Info(x.elemType(), List.copyOf(out));
    }

    private Info squeeze(NodeProto n, Info x, boolean unsqueeze, long opset) {
        if (!x.hasRank()) {
            return null;
        }
        long[] axes = opset >= 13 ? (n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? constInts(n.getInput(1))
                : unsqueeze ? null : new long[0]) : Attr.intsOf(n, "axes", new long[0]);
        if (axes == null) {
            return null;
        }
        if (unsqueeze) {
            int r = x.rank() + axes.length;
            boolean[] added = new boolean[r];
            for (long a : axes) {
                added[(int) (a < 0 ? a + r : a)] = true;
            }
            List<Dim> out = new ArrayList<>();
            int k = 0;
            for (int i = 0; i < r; i++) {
                out.add(added[i] ? Dim.of(1) : x.dim(k++));
            }
            return new Info(x.elemType(), List.copyOf(out));
        }
        boolean[] removed = new boolean[x.rank()];
        if (axes.length == 0) {
            for (int i = 0; i < x.rank(); i++) {
                if (!x.dim(i).isFixed()) {
                    return null;
                }
                removed[i] = x.fixed(i) == 1;
            }
        }
        for (long a : axes) {
            removed[(int) (a < 0 ? a + x.rank() : a)] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!removed[i]) {
                out.add(x.dim(i));
            }
        }
        return new Info(x.elemType(), List.copyOf(out));
    }

    private Info concat(NodeProto n, Info x) {
        if (!x.hasRank()) {
            return null;
        }
        int axis = (int) Attr.intOf(n, "axis", 0);
        axis = axis < 0 ? axis + x.rank() : axis;
        long sum = 0;
        for (String in : n.getInputList()) {
            Info t = infos.get(in);
            if (t == null || !t.hasRank() || t.rank() != x.rank() || !t.dim(axis).isFixed()) {
                sum = -1;
                break;
            }
            sum += t.fixed(axis);
        }
        List<Dim> out = new ArrayList<>(x.dims());
        out.set(axis, sum >= 0 ? Dim.of(sum) : Dim.unknown());
        return new Info(x.elemType(), List.copyOf(out));
    }

    private static List<Dim> unknownDims(int rank) {
        List<Dim> d = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            d.add(Dim.unknown());
        }
        return List.copyOf(d);
    }
}
