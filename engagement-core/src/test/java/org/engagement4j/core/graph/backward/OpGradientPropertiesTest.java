package org.engagement4j.core.graph.backward;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * Finite-difference checks (float64, central differences with step 1e-5) of every non-convolution
 * rule on generated graphs: element-wise nonlinearities, broadcasting Add / Mul, BatchNormalization
 * with all five inputs, the reductions and reshapes, Gemm and MatMul in their layouts, and their
 * gradients with respect to constants (the weights).
 */
class OpGradientPropertiesTest {

    private static final double H = 1e-5;
    private static final double TOL = 1e-6;

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static long[] randomDims(Random r, int rank, int max) {
        long[] d = new long[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + r.nextInt(max);
        }
        return d;
    }

    private static Dim[] fixed(long[] d) {
        return Net.dims(d, false, 0);
    }

    private static void check(String what, ModelProto m, double[] x, long[] xShape, Net net, double tol, long seed)
            throws Exception {
        GradCheck.Report rep = GradCheck.check(m, "x", x, xShape, net.dbl, net.dbl ? H : 1.0, 2, seed,
                net.constants);
        assertTrue(rep.worst() < tol, () -> what + ": " + rep);
    }

    /** Relu, Sigmoid, Softmax, Clip, Identity on a random-rank tensor, after a Mul by a constant. */
    @Property(tries = 30)
    void elementwise(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        String op = List.of("Relu", "Sigmoid", "Softmax", "Clip", "Identity").get(r.nextInt(5));
        Statistics.label("op").collect(op);
        int rank = 2 + r.nextInt(3);
        long[] dims = randomDims(r, rank - 1, 4);
        Net net = new Net(true, r);
        String x = net.input(fixed(dims));
        String scaled = net.op("Mul", x, net.constant("c", 0.5, 1.5, dims));
        String y;
        double lo = 0.05;
        switch (op) {
            case "Softmax" -> y = net.op("Softmax", Attributes.none().withInt("axis", 1 + r.nextInt(rank - 1)), scaled);
            case "Clip" -> {
                List<String> in = new ArrayList<>(List.of(scaled));
                int bounds = r.nextInt(3);
                in.add(bounds == 1 ? "" : net.constant("lo", new double[] {-0.5}));
                if (bounds != 2) {
                    in.add(net.constant("hi", new double[] {0.6}));
                }
                net.constants.removeIf(c -> c.equals("lo") || c.equals("hi"));
                y = net.op("Clip", in.toArray(String[]::new));
            }
            default -> y = net.op(op, scaled);
        }
        ModelProto m = net.finish(y, rank);
        long[] xShape = Net.withBatch(dims);
        double[] xv = Net.awayFromZero(r, Net.count(xShape), lo, 1);
        if (op.equals("Clip")) {
            // Keep clear of the bounds -0.5 and 0.6 (times the scale in [0.5, 1.5]): use values near 0 or large.
            for (int i = 0; i < xv.length; i++) {
                xv[i] = r.nextBoolean() ? 0.2 * xv[i] : 2.5 * Math.signum(xv[i]) + xv[i] * 0.1;
            }
        }
        check(op + " " + Arrays.toString(dims), m, xv, xShape, net, TOL, seed);
    }

    /** Add and Mul with a constant of a broadcast shape, with itself, and with a batched broadcast operand. */
    @Property(tries = 30)
    void broadcastingAddAndMul(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        String op = r.nextBoolean() ? "Add" : "Mul";
        int rank = 2 + r.nextInt(3);
        long[] dims = randomDims(r, rank - 1, 4);
        Net net = new Net(true, r);
        String x = net.input(fixed(dims));
        int variant = r.nextInt(3);
        Statistics.label("variant").collect(op + "/" + variant);
        String y;
        if (variant == 0) {
            // Constant: some axes set to 1, leading axes possibly dropped, or rank-equal with a leading 1.
            int drop = r.nextInt(rank);
            List<Long> c = new ArrayList<>();
            for (int i = drop; i < rank; i++) {
                c.add(i == 0 ? 1 : r.nextInt(3) == 0 ? 1 : dims[i - 1]);
            }
            long[] cd = c.stream().mapToLong(Long::longValue).toArray();
            String k = net.constant("k", -1, 1, cd);
            y = r.nextBoolean() ? net.op(op, x, k) : net.op(op, k, x);
        } else if (variant == 1) {
            y = net.op(op, x, x);
        } else {
            // A batched operand broadcast along the trailing axes (a squeeze-and-excitation shape).
            long[] axes = new long[rank - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i + 1;
            }
            long[] reduce = Arrays.copyOfRange(axes, 1, axes.length);
            String s = reduce.length == 0 ? net.op("Identity", x)
                    : net.op("ReduceMean", Attributes.none().withInts("axes", reduce).withInt("keepdims", 1), x);
            y = net.op(op, x, net.op("Sigmoid", s));
        }
        ModelProto m = net.finish(y, rank);
        long[] xShape = Net.withBatch(dims);
        check(op + " variant " + variant + " " + Arrays.toString(dims), m, Net.uniform(r, Net.count(xShape), -1, 1),
                xShape, net, TOL, seed);
    }

    /** BatchNormalization (inference) on [N, C] or [N, C, spatial...], all parameters differentiated. */
    @Property(tries = 20)
    void batchNormalization(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        int rank = 2 + r.nextInt(3);
        long[] dims = randomDims(r, rank - 1, 3);
        long c = dims[0];
        Net net = new Net(true, r);
        String x = net.input(fixed(dims));
        String y = net.op("BatchNormalization", Attributes.none().withFloat("epsilon", 1e-3f), x,
                net.constant("scale", 0.5, 1.5, c), net.constant("bias", -1, 1, c), net.constant("mean", -0.5, 0.5, c),
                net.constant("var", 0.5, 2, c));
        ModelProto m = net.finish(y, rank);
        long[] xShape = Net.withBatch(dims);
        check("BatchNormalization " + Arrays.toString(dims), m, Net.uniform(r, Net.count(xShape), -1, 1), xShape,
                net, TOL, seed);
    }

    /**
     * GlobalAveragePool, ReduceMean, Flatten, Reshape, Identity, in chains of two, static or run-time
     * sizes. All linear, and ONNX Runtime has no float64 GlobalAveragePool: float32 with step 1.
     */
    @Property(tries = 30)
    void reductionsAndReshapes(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        int rank = 3 + r.nextInt(3);
        long[] dims = randomDims(r, rank - 1, 3);
        boolean dynamic = r.nextBoolean();
        Net net = new Net(false, r);
        String x = net.input(Net.dims(dims, dynamic, 1));
        String cur = net.op("Mul", x, net.constant("c", 0.5, 1.5, dims));
        int curRank = rank;
        List<String> ops = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            String op = List.of("GlobalAveragePool", "ReduceMean", "Flatten", "Reshape", "Identity").get(r.nextInt(5));
            if (curRank < 3 && op.equals("GlobalAveragePool")) {
                op = "Identity";
            }
            ops.add(op);
            switch (op) {
                case "GlobalAveragePool" -> cur = net.op(op, cur);
                case "ReduceMean" -> {
                    List<Long> axes = new ArrayList<>();
                    for (int a = 1; a < curRank; a++) {
                        if (r.nextBoolean()) {
                            axes.add((long) a);
                        }
                    }
                    if (axes.isEmpty()) {
                        axes.add((long) curRank - 1);
                    }
                    boolean keep = r.nextBoolean() || axes.size() == curRank - 1;
                    cur = net.op(op, Attributes.none().withInts("axes", axes.stream().mapToLong(Long::longValue)
                            .toArray()).withInt("keepdims", keep ? 1 : 0), cur);
                    curRank = keep ? curRank : curRank - axes.size();
                }
                case "Flatten" -> {
                    // Axis 1 keeps the batch axis first (axis 0, or 2 and more, fold it into the rows).
                    long axis = r.nextBoolean() ? 1 : -(curRank - 1);
                    cur = net.op(op, Attributes.none().withInt("axis", axis), cur);
                    curRank = 2;
                }
                case "Reshape" -> {
                    cur = net.op(op, cur, net.ints("shape" + step, 0, -1));
                    curRank = 2;
                }
                default -> cur = net.op(op, cur);
            }
        }
        Statistics.label("ops").collect(ops.toString());
        ModelProto m = net.finish(cur, curRank);
        long[] xShape = Net.withBatch(dims);
        check(ops + " " + Arrays.toString(dims) + (dynamic ? " dynamic" : ""), m,
                Net.uniform(r, Net.count(xShape), -1, 1), xShape, net, 2e-4, seed);
    }

    /** Gemm with transB, alpha, beta and a bias of shape [N], [1, N] or none. */
    @Property(tries = 20)
    void gemm(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        long k = 1 + r.nextInt(4);
        long n = 1 + r.nextInt(4);
        boolean transB = r.nextBoolean();
        Net net = new Net(true, r);
        String x = net.input(Dim.of(k));
        String b = transB ? net.constant("B", -1, 1, n, k) : net.constant("B", -1, 1, k, n);
        List<String> in = new ArrayList<>(List.of(x, b));
        int bias = r.nextInt(3);
        if (bias == 1) {
            in.add(net.constant("C", -1, 1, n));
        } else if (bias == 2) {
            in.add(net.constant("C", -1, 1, 1, n));
        }
        float alpha = r.nextBoolean() ? 1f : 0.75f;
        float beta = r.nextBoolean() ? 1f : -1.25f;
        String y = net.op("Gemm", Attributes.none().withFloat("alpha", alpha).withFloat("beta", beta)
                .withInt("transB", transB ? 1 : 0), in.toArray(String[]::new));
        String out = net.op("Sigmoid", y);
        ModelProto m = net.finish(out, 2);
        long[] xShape = {1, k};
        check("Gemm k=" + k + " n=" + n + " transB=" + transB + " bias=" + bias, m,
                Net.uniform(r, (int) k, -1, 1), xShape, net, TOL, seed);
    }

    /** MatMul: [B, K] @ [K, N], [B, ..., M, K] @ [K, N] or [H, K, N], [B, ..., K] @ [K], batched @ batched. */
    @Property(tries = 25)
    void matmul(@ForAll("seeds") long seed) throws Exception {
        Random r = new Random(seed);
        int variant = r.nextInt(5);
        Statistics.label("variant").collect(variant);
        long m = 1 + r.nextInt(3);
        long k = 1 + r.nextInt(3);
        long n = 1 + r.nextInt(3);
        long h = 1 + r.nextInt(3);
        Net net = new Net(true, r);
        long[] xd;
        String y;
        switch (variant) {
            case 0 -> {
                xd = new long[] {k};
                y = net.op("MatMul", net.input(Dim.of(k)), net.constant("W", -1, 1, k, n));
            }
            case 1 -> {
                xd = new long[] {m, k};
                y = net.op("MatMul", net.input(Dim.of(m), Dim.of(k)), net.constant("W", -1, 1, k, n));
            }
            case 2 -> {
                xd = new long[] {h, m, k};
                y = net.op("MatMul", net.input(Dim.of(h), Dim.of(m), Dim.of(k)), net.constant("W", -1, 1, h, k, n));
            }
            case 3 -> {
                xd = new long[] {m, k};
                y = net.op("MatMul", net.input(Dim.of(m), Dim.of(k)), net.constant("w", -1, 1, k));
            }
            default -> {
                xd = new long[] {m, m};
                String x = net.input(Dim.of(m), Dim.of(m));
                String other = net.op("Mul", x, net.constant("c", -1, 1, m, m));
                y = r.nextBoolean() ? net.op("MatMul", x, other) : net.op("MatMul", other, x);
            }
        }
        ModelProto model = net.finish(y, variant == 0 ? 2 : variant == 2 ? 4 : variant == 3 ? 2 : 3);
        long[] xShape = Net.withBatch(xd);
        check("MatMul variant " + variant, model, Net.uniform(r, Net.count(xShape), -1, 1), xShape, net, TOL, seed);
    }
}
