package org.engagement4j.core.graph.backward;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.ElementType;
import org.engagement4j.core.graph.GraphBuilder;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/** A tiny test graph built with {@link GraphBuilder}: one batched input "x", random constants, one output. */
final class Net {

    final GraphBuilder g;
    final boolean dbl;
    final Random random;
    final List<String> constants = new ArrayList<>();
    private final ElementType type;

    Net(boolean dbl, Random random) {
        this.g = GraphBuilder.named("net").opset(17);
        this.dbl = dbl;
        this.random = random;
        this.type = dbl ? ElementType.DOUBLE : ElementType.FLOAT;
    }

    /** Declares input "x" with a symbolic batch axis and the given other axes. */
    String input(Dim... rest) {
        Dim[] dims = new Dim[rest.length + 1];
        dims[0] = Dim.symbolic("batch");
        System.arraycopy(rest, 0, dims, 1, rest.length);
        g.input("x", type, dims);
        return "x";
    }

    /** A constant with values uniform in [lo, hi). */
    String constant(String name, double lo, double hi, long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * random.nextDouble();
        }
        return constant(name, v, dims);
    }

    String constant(String name, double[] v, long... dims) {
        g.initializer(GradCheck.tensor(name, v, dbl, dims));
        constants.add(name);
        return name;
    }

    String ints(String name, long... v) {
        g.initializer(name, v, v.length);
        return name;
    }

    String op(String opType, Attributes a, String... inputs) {
        return g.op(opType, a, inputs);
    }

    String op(String opType, String... inputs) {
        return g.op(opType, Attributes.none(), inputs);
    }

    ModelProto finish(String y, int rank) {
        Dim[] dims = new Dim[rank];
        dims[0] = Dim.symbolic("batch");
        for (int i = 1; i < rank; i++) {
            dims[i] = Dim.unknown();
        }
        g.output(y, type, dims);
        return g.build();
    }

    static Dim[] dims(long[] sizes, boolean symbolic, int fromAxis) {
        Dim[] d = new Dim[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            d[i] = symbolic && i >= fromAxis ? Dim.symbolic("d" + i) : Dim.of(sizes[i]);
        }
        return d;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }

    /** Values uniform in [-hi, -lo] or [lo, hi]: away from zero, for kinks at 0. */
    static double[] awayFromZero(Random r, int n, double lo, double hi) {
        double[] v = uniform(r, n, lo, hi);
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                v[i] = -v[i];
            }
        }
        return v;
    }

    static long[] withBatch(long... rest) {
        long[] s = new long[rest.length + 1];
        s[0] = 1;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    static int count(long... dims) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        return n;
    }
}
