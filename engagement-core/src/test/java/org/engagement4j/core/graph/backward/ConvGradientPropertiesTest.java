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
 * Finite-difference checks of the convolution gradients on generated 1-D / 2-D / 3-D convolutions:
 * any stride, asymmetric padding, auto_pad, dilation, group 1 / grouped / depthwise, with and without
 * bias, static and run-time spatial sizes; and the fan-out of a residual block, where sub-pixel
 * contributions are summed before depth-to-space. A convolution is linear in its input and in its
 * weight, so float32 central differences with step 1 are exact up to round-off.
 */
class ConvGradientPropertiesTest {

    private static final double TOL = 2e-4;

    /** One generated convolution. */
    record ConvCase(int n, long cin, long cout, long groups, long[] kernel, long[] strides, long[] dilations,
            long[] pads, String autoPad, long[] sizes, boolean dynamic, boolean bias, long seed) {

        @Override
        public String toString() {
            return String.format("Conv%dd(cin=%d, cout=%d, group=%d, k=%s, s=%s, d=%s, pads=%s, auto_pad=%s, "
                    + "x=%s%s%s)", n, cin, cout, groups, Arrays.toString(kernel), Arrays.toString(strides),
                    Arrays.toString(dilations), Arrays.toString(pads), autoPad, Arrays.toString(sizes),
                    dynamic ? " dynamic" : "", bias ? " +bias" : "");
        }
    }

    @Provide
    Arbitrary<ConvCase> convs() {
        return Arbitraries.randomValue(ConvGradientPropertiesTest::convCase);
    }

    static ConvCase convCase(Random r) {
        int n = 1 + r.nextInt(3);
        long cin = 1 + r.nextInt(3);
        long groups;
        long cout;
        int mode = r.nextInt(10);
        if (mode < 3) {
            groups = cin; // depthwise, channel multiplier 1 or 2
            cout = cin * (1 + r.nextInt(2));
        } else if (mode == 3) {
            cin = 4; // two groups of two channels
            groups = 2;
            cout = 2 * (1 + r.nextInt(2));
        } else {
            groups = 1;
            cout = 1 + r.nextInt(3);
        }
        boolean dynamic = r.nextInt(10) < 3;
        int ap = r.nextInt(10);
        String autoPad = ap < 7 ? "NOTSET" : ap == 7 ? "VALID" : ap == 8 ? "SAME_UPPER" : "SAME_LOWER";
        long[] kernel = new long[n];
        long[] strides = new long[n];
        long[] dilations = new long[n];
        long[] pads = new long[2 * n];
        long[] sizes = new long[n];
        int maxK = n == 3 ? 2 : 3;
        for (int a = 0; a < n; a++) {
            kernel[a] = 1 + r.nextInt(maxK + 1);
            strides[a] = 1 + r.nextInt(3);
            dilations[a] = r.nextInt(4) == 0 ? 2 : 1;
            pads[a] = r.nextInt(3);
            pads[a + n] = r.nextInt(3);
            if (autoPad.startsWith("SAME")) {
                dilations[a] = 1; // ONNX Runtime's Conv rejects dilation with auto_pad SAME
                if (dynamic) {
                    strides[a] = 1;
                }
            }
            long eff = (kernel[a] - 1) * dilations[a] + 1;
            long padded = autoPad.equals("NOTSET") ? pads[a] + pads[a + n] : 0;
            long min = Math.max(1, eff - padded);
            sizes[a] = min + r.nextInt(n == 3 ? 3 : 5);
        }
        return new ConvCase(n, cin, cout, groups, kernel, strides, dilations, pads, autoPad, sizes, dynamic,
                r.nextBoolean(), r.nextLong());
    }

    @Property(tries = 60)
    void convolutionGradientsMatchFiniteDifferences(@ForAll("convs") ConvCase c) throws Exception {
        Statistics.label("spatial rank").collect(c.n());
        Statistics.label("strided").collect(Arrays.stream(c.strides()).anyMatch(s -> s > 1));
        Statistics.label("grouping").collect(c.groups() == 1 ? "1" : c.groups() == c.cin() ? "depthwise" : "grouped");
        Random r = new Random(c.seed());
        Net net = new Net(false, r);
        long[] xShape = new long[2 + c.n()];
        xShape[0] = 1;
        xShape[1] = c.cin();
        System.arraycopy(c.sizes(), 0, xShape, 2, c.n());
        Dim[] in = new Dim[1 + c.n()];
        in[0] = Dim.of(c.cin());
        System.arraycopy(Net.dims(c.sizes(), c.dynamic(), 0), 0, in, 1, c.n());
        String x = net.input(in);
        long[] wShape = new long[2 + c.n()];
        wShape[0] = c.cout();
        wShape[1] = c.cin() / c.groups();
        System.arraycopy(c.kernel(), 0, wShape, 2, c.n());
        String w = net.constant("w", -1, 1, wShape);
        List<String> inputs = new ArrayList<>(List.of(x, w));
        if (c.bias()) {
            inputs.add(net.constant("b", -1, 1, c.cout()));
        }
        Attributes a = Attributes.none().withInt("group", c.groups()).withInts("kernel_shape", c.kernel())
                .withInts("strides", c.strides()).withInts("dilations", c.dilations());
        a = c.autoPad().equals("NOTSET") ? a.withInts("pads", c.pads()) : a.withString("auto_pad", c.autoPad());
        String y = net.op("Conv", a, inputs.toArray(String[]::new));
        ModelProto m = net.finish(y, 2 + c.n());
        double[] xv = Net.uniform(r, Net.count(xShape), -1, 1);
        GradCheck.Report rep = GradCheck.check(m, x, xv, xShape, false, 1.0, 2, c.seed(), net.constants);
        assertTrue(rep.worst() < TOL, () -> c + ": " + rep);
    }

    /**
     * A residual block's input feeds a strided 3x3 convolution and a strided 1x1 downsample (their
     * sub-pixel gradients share a layout and are added before one depth-to-space), and, in a second
     * block, a stride-1 convolution and the identity path.
     */
    @Property(tries = 12)
    void residualFanOutSumsGradients(@ForAll("threeD") boolean threeD, @ForAll("seeds") long seed)
            throws Exception {
        Random r = new Random(seed);
        Net net = new Net(false, r);
        long c = 2;
        long[] sizes = threeD ? new long[] {2, 6, 4 + r.nextInt(3)} : new long[] {6, 4 + r.nextInt(3)};
        int n = sizes.length;
        Dim[] in = new Dim[1 + n];
        in[0] = Dim.of(c);
        boolean dynamic = r.nextBoolean();
        System.arraycopy(Net.dims(sizes, dynamic, 0), 0, in, 1, n);
        String x = net.input(in);
        long[] k3 = new long[n];
        long[] k1 = new long[n];
        long[] s2 = new long[n];
        long[] p1 = new long[2 * n];
        for (int a = 0; a < n; a++) {
            boolean time = threeD && a == 0;
            k3[a] = time ? 1 : 3;
            k1[a] = 1;
            s2[a] = time ? 1 : 2;
            p1[a] = time ? 0 : 1;
            p1[a + n] = time ? 0 : 1;
        }
        String w1 = net.constant("w1", -1, 1, concat(new long[] {3, c}, k3));
        String wd = net.constant("wd", -1, 1, concat(new long[] {3, c}, k1));
        String main = net.op("Conv", Attributes.none().withInts("kernel_shape", k3).withInts("strides", s2)
                .withInts("pads", p1), x, w1);
        String down = net.op("Conv", Attributes.none().withInts("kernel_shape", k1).withInts("strides", s2)
                .withInts("pads", new long[2 * n]), x, wd);
        String sum = net.op("Add", main, down);
        String w2 = net.constant("w2", -1, 1, concat(new long[] {3, 3}, k3));
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        String second = net.op("Conv", Attributes.none().withInts("kernel_shape", k3).withInts("strides", ones)
                .withInts("pads", p1), sum, w2);
        String y = net.op("Add", second, sum);
        ModelProto m = net.finish(y, 2 + n);
        long[] xShape = concat(new long[] {1, c}, sizes);
        double[] xv = Net.uniform(r, Net.count(xShape), -1, 1);
        GradCheck.Report rep = GradCheck.check(m, x, xv, xShape, false, 1.0, 3, seed, net.constants);
        assertTrue(rep.worst() < TOL, () -> "residual " + Arrays.toString(sizes) + ": " + rep);
        long depthToSpace = BackwardGraph.of(m).withRespectTo(x).build().model().getGraph().getNodeList().stream()
                .filter(node -> node.getOpType().equals("DepthToSpace")).count();
        // With run-time sizes each gradient keeps its own phase grid (and its own interleaving).
        assertTrue(depthToSpace == (dynamic ? 2 : 1),
                () -> "expected the strided gradients to share one DepthToSpace, found " + depthToSpace);
    }

    @Provide
    Arbitrary<Boolean> threeD() {
        return Arbitraries.of(true, false);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
