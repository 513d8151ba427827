package org.engagement4j.core.graph.backward;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of AveragePool and MaxPool gradients on generated 1-D / 2-D / 3-D
 * windows: strides, asymmetric pads, ceil mode, count_include_pad, dilation (MaxPool), auto_pad,
 * static and run-time sizes. AveragePool is linear (float32, step 1); MaxPool runs in float64 on
 * inputs whose values are at least 0.01 apart, so a step of 1e-4 never changes a window's maximum.
 */
class PoolGradientPropertiesTest {

    /** One generated pooling node. */
    record PoolCase(boolean max, int n, long channels, long[] kernel, long[] strides, long[] dilations, long[] pads,
            String autoPad, boolean ceil, boolean includePad, long[] sizes, boolean dynamic, long seed) {

        @Override
        public String toString() {
            return String.format("%s%dd(c=%d, k=%s, s=%s, d=%s, pads=%s, auto_pad=%s, ceil=%b, include_pad=%b, x=%s%s)",
                    max ? "MaxPool" : "AveragePool", n, channels, Arrays.toString(kernel), Arrays.toString(strides),
                    Arrays.toString(dilations), Arrays.toString(pads), autoPad, ceil, includePad,
                    Arrays.toString(sizes), dynamic ? " dynamic" : "");
        }
    }

    @Provide
    Arbitrary<PoolCase> pools() {
        return Arbitraries.randomValue(PoolGradientPropertiesTest::poolCase);
    }

    static PoolCase poolCase(Random r) {
        while (true) {
            PoolCase c = candidate(r);
            if (everyWindowSeesInput(c)) {
                return c;
            }
        }
    }

    /** Windows lying wholly in the padding have no defined value (and ONNX Runtime returns -inf or NaN). */
    private static boolean everyWindowSeesInput(PoolCase c) {
        if (!c.autoPad().equals("NOTSET")) {
            return true;
        }
        int n = c.n();
        for (int a = 0; a < n; a++) {
            long eff = (c.kernel()[a] - 1) * c.dilations()[a] + 1;
            long span = c.sizes()[a] + c.pads()[a] + c.pads()[a + n] - eff;
            long outs = Math.floorDiv(span + c.strides()[a] - 1, c.strides()[a]) + 1;
            for (long j = 0; j < outs; j++) {
                long start = j * c.strides()[a] - c.pads()[a];
                boolean sees = false;
                for (long k = 0; k < c.kernel()[a]; k++) {
                    long p = start + k * c.dilations()[a];
                    sees |= p >= 0 && p < c.sizes()[a];
                }
                if (!sees) {
                    return false;
                }
            }
        }
        return true;
    }

    private static PoolCase candidate(Random r) {
        boolean max = r.nextBoolean();
        int n = 1 + r.nextInt(3);
        boolean dynamic = r.nextInt(10) < 3;
        int ap = r.nextInt(10);
        String autoPad = ap < 7 ? "NOTSET" : ap == 7 ? "VALID" : ap == 8 ? "SAME_UPPER" : "SAME_LOWER";
        boolean ceil = autoPad.equals("NOTSET") && r.nextInt(3) == 0;
        long[] kernel = new long[n];
        long[] strides = new long[n];
        long[] dilations = new long[n];
        long[] pads = new long[2 * n];
        long[] sizes = new long[n];
        for (int a = 0; a < n; a++) {
            kernel[a] = 1 + r.nextInt(3);
            strides[a] = 1 + r.nextInt(3);
            dilations[a] = max && autoPad.equals("NOTSET") && r.nextInt(4) == 0 ? 2 : 1;
            // ONNX Runtime needs every pad smaller than the kernel.
            pads[a] = r.nextInt((int) kernel[a]);
            pads[a + n] = r.nextInt((int) kernel[a]);
            if (autoPad.startsWith("SAME") && dynamic) {
                strides[a] = 1;
            }
            long eff = (kernel[a] - 1) * dilations[a] + 1;
            long padded = autoPad.equals("NOTSET") ? pads[a] + pads[a + n] : 0;
            sizes[a] = Math.max(1, eff - padded) + r.nextInt(n == 3 ? 3 : 5);
        }
        return new PoolCase(max, n, 1 + r.nextInt(2), kernel, strides, dilations, pads, autoPad, ceil,
                r.nextBoolean(), sizes, dynamic, r.nextLong());
    }

    @Property(tries = 50)
    void poolingGradientsMatchFiniteDifferences(@ForAll("pools") PoolCase c) throws Exception {
        Statistics.label("op").collect(c.max() ? "MaxPool" : "AveragePool");
        Statistics.label("ceil").collect(c.ceil());
        Random r = new Random(c.seed());
        Net net = new Net(c.max(), r);
        Dim[] in = new Dim[1 + c.n()];
        in[0] = Dim.of(c.channels());
        System.arraycopy(Net.dims(c.sizes(), c.dynamic(), 0), 0, in, 1, c.n());
        String x = net.input(in);
        Attributes a = Attributes.none().withInts("kernel_shape", c.kernel()).withInts("strides", c.strides());
        if (c.autoPad().equals("NOTSET")) {
            a = a.withInts("pads", c.pads()).withInt("ceil_mode", c.ceil() ? 1 : 0);
        } else {
            a = a.withString("auto_pad", c.autoPad());
        }
        if (c.max()) {
            a = a.withInts("dilations", c.dilations());
        } else {
            a = a.withInt("count_include_pad", c.includePad() ? 1 : 0);
        }
        String y = net.op(c.max() ? "MaxPool" : "AveragePool", a, x);
        ModelProto m = net.finish(y, 2 + c.n());
        long[] xShape = ConvGradientPropertiesTest.concat(new long[] {1, c.channels()}, c.sizes());
        int count = Net.count(xShape);
        double[] xv;
        if (c.max()) {
            // Distinct values 0.01 apart, shuffled.
            xv = new double[count];
            for (int i = 0; i < count; i++) {
                xv[i] = -1 + 0.01 * i;
            }
            for (int i = count - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double t = xv[i];
                xv[i] = xv[j];
                xv[j] = t;
            }
        } else {
            xv = Net.uniform(r, count, -1, 1);
        }
        GradCheck.Report rep = GradCheck.check(m, x, xv, xShape, c.max(), c.max() ? 1e-4 : 1.0, 2, c.seed(),
                List.of());
        double tol = c.max() ? 1e-8 : 2e-4;
        assertTrue(rep.worst() < tol, () -> c + ": " + rep);
    }

    /**
     * ONNX Runtime does not clamp a pooling node's SAME padding at 0: with a stride larger than the
     * kernel the windows start inside the input (here at element 1 of 3), unlike Conv.
     */
    @Test
    void negativeSamePaddingOfPoolsIsFollowed() throws Exception {
        for (int variant = 0; variant < 4; variant++) {
            boolean max = variant % 2 == 1;
            boolean lower = variant >= 2;
            Net net = new Net(max, new Random(3));
            String x = net.input(Dim.of(1), Dim.of(3), Dim.of(5));
            String y = net.op(max ? "MaxPool" : "AveragePool", Attributes.none().withInts("kernel_shape", 1, 2)
                    .withInts("strides", 3, 4).withString("auto_pad", lower ? "SAME_LOWER" : "SAME_UPPER"), x);
            ModelProto m = net.finish(y, 4);
            double[] xv = new double[15];
            for (int i = 0; i < 15; i++) {
                xv[i] = 0.1 * ((4 * i) % 15);
            }
            GradCheck.Report rep = GradCheck.check(m, x, xv, new long[] {1, 1, 3, 5}, max, max ? 1e-4 : 1.0, 2, 7,
                    List.of());
            assertTrue(rep.worst() < 1e-4, () -> (lower ? "SAME_LOWER " : "SAME_UPPER ") + rep);
        }
    }
}
