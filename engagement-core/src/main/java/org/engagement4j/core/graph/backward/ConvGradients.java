package org.engagement4j.core.graph.backward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.backward.Emitter.Part;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;

/**
 * Gradients of convolution-like nodes, written with plain {@code Conv} nodes because ONNX Runtime's
 * CPU {@code ConvTranspose} is about ten times slower for 3-D kernels (NOTES-backward-graph.md).
 *
 * <p><b>Input gradient.</b> Forward, per spatial axis: {@code y[j] = sum_k w[k] x[j s + k d - p]}.
 * Its adjoint {@code dx[n] = sum over (j, k) with j s + k d - p = n of g[j] w[k]} is, along an axis
 * of stride 1, a correlation of {@code g} with the flipped kernel (same dilation, pads
 * {@code (K-1)d - p}). Along an axis of stride {@code s > 1} it splits into {@code s} phases
 * {@code n = s m + rho}: tap {@code k} feeds phase {@code rho = (k d - p) mod s} at shift
 * {@code t = floor((k d - p) / s)}, so every phase is a stride-1 correlation of {@code g} with a
 * short kernel. All phases come from one stride-1 {@code Conv} whose output channels are
 * (group, phase, input channel); a depth-to-space step interleaves them ({@code DepthToSpace} when
 * the layout allows, otherwise Reshape / Transpose / Reshape) and a Slice crops to the input size.
 * The transformed kernel is computed in the graph from the weight tensor (Reshape, Pad, Transpose,
 * Slice with step -1), so it follows the weights when they change; ONNX Runtime folds it once when
 * the weight is an initializer.
 *
 * <p><b>Weight gradient</b> (per seed row): {@code dW[r, o, i, k] = sum_j g[r, o, j] x[r, i, j s + k d - p]},
 * an im2col (a Conv with one-hot kernels) followed by a batched MatMul. It costs memory of kernel
 * volume times the input size, so it is meant for fine-tuning small models, not for attention maps.
 */
final class ConvGradients {

    /** Resolved window attributes of a Conv or pooling node, per spatial axis. */
    record Window(int n, long[] kernel, long[] strides, long[] dilations, long[] padsBegin, long[] padsEnd) {
    }

    /** A gradient contribution: a finished tensor, or a phase-stacked tensor awaiting depth-to-space. */
    sealed interface Grad permits Dense, SubPixel {
    }

    /** A gradient tensor of the tensor's own shape (batch axis = seed rows). */
    record Dense(String tensor) implements Grad {
    }

    /** The raw output of a sub-pixel Conv; contributions with equal layouts are summed before expanding. */
    record SubPixel(String raw, Layout layout) implements Grad {
    }

    /**
     * How a phase-stacked tensor {@code [G, groups * prod(s) * inPerGroup, M...]} becomes
     * {@code [G, groups * inPerGroup, L...]}.
     *
     * @param key equal keys can be summed before expanding
     * @param m phase-grid sizes, -1 when known only at run time
     * @param lx target sizes, -1 when known only at run time (then read from {@code ref})
     * @param crop per axis: whether a crop to {@code lx} is needed
     * @param ref the forward tensor whose spatial sizes are the target
     */
    record Layout(String key, long groups, long inPerGroup, long[] strides, long[] m, long[] lx, boolean[] crop,
            String ref) {
    }

    private ConvGradients() {
    }

    /**
     * Resolves a node's kernel, strides, dilations and pads ({@code auto_pad} included). ONNX
     * Runtime clamps the total SAME padding of a Conv at 0 but not that of a pooling node, where a
     * stride larger than the kernel gives negative pads (windows start inside the input); the
     * gradient rules accept negative pads.
     *
     * @param clampSame whether a negative total SAME padding becomes 0 (Conv) or stays (pooling)
     * @throws UnsupportedOpException if auto_pad SAME needs a size that is not static
     */
    static Window window(NodeProto node, Shapes.Info x, long[] kernel, boolean clampSame) {
        int n = kernel.length;
        long[] strides = Attr.intsOf(node, "strides", Attr.filled(n, 1));
        long[] dilations = Attr.intsOf(node, "dilations", Attr.filled(n, 1));
        long[] pads = Attr.intsOf(node, "pads", Attr.filled(2 * n, 0));
        if (strides.length != n || dilations.length != n || pads.length != 2 * n) {
            throw new UnsupportedOpException(node.getOpType(), node.getName(), String.format(Locale.ROOT,
                    "strides %s, dilations %s or pads %s do not match the %d spatial axes", Arrays.toString(strides),
                    Arrays.toString(dilations), Arrays.toString(pads), n));
        }
        for (int a = 0; a < n; a++) {
            if (kernel[a] < 1 || strides[a] < 1 || dilations[a] < 1 || pads[a] < 0 || pads[a + n] < 0) {
                throw new UnsupportedOpException(node.getOpType(), node.getName(), String.format(Locale.ROOT,
                        "kernel %s, strides %s, dilations %s, pads %s are not all valid", Arrays.toString(kernel),
                        Arrays.toString(strides), Arrays.toString(dilations), Arrays.toString(pads)));
            }
        }
        long[] begin = Arrays.copyOfRange(pads, 0, n);
        long[] end = Arrays.copyOfRange(pads, n, 2 * n);
        String autoPad = Attr.stringOf(node, "auto_pad", "NOTSET");
        if (autoPad.equals("VALID")) {
            Arrays.fill(begin, 0);
            Arrays.fill(end, 0);
        } else if (autoPad.startsWith("SAME")) {
            for (int a = 0; a < n; a++) {
                long eff = (kernel[a] - 1) * dilations[a] + 1;
                long total;
                if (strides[a] == 1) {
                    total = eff - 1;
                } else {
                    long lx = x.fixed(2 + a);
                    if (lx < 0) {
                        throw new UnsupportedOpException(node.getOpType(), node.getName(), String.format(Locale.ROOT,
                                "auto_pad %s with stride %d needs a static size of spatial axis %d, which is %s",
                                autoPad, strides[a], 2 + a, x.dim(2 + a)));
                    }
                    long out = Math.floorDiv(lx + strides[a] - 1, strides[a]);
                    total = (out - 1) * strides[a] + eff - lx;
                    if (clampSame) {
                        total = Math.max(0, total);
                    }
                }
                // Truncating division, as ONNX Runtime's C++ does for negative totals.
                begin[a] = autoPad.equals("SAME_LOWER") ? (total + 1) / 2 : total / 2;
                end[a] = total - begin[a];
            }
        }
        return new Window(n, kernel.clone(), strides, dilations, begin, end);
    }

    /** Per-axis plan of an input gradient. */
    private record AxisPlan(boolean phased, long convKernel, long convDilation, long padBegin, long padEnd, long m,
            boolean crop, long lx, long padFront, long padBack, long u) {
    }

    private static AxisPlan plan(long k, long s, long d, long pb, long pe, long lx, long ly) {
        long eff = (k - 1) * d + 1;
        boolean known = lx >= 0 && ly >= 0;
        if (s == 1) {
            long pbc = (k - 1) * d - pb;
            long pec = known ? lx - ly - pbc + (k - 1) * d : (k - 1) * d - pe;
            return new AxisPlan(false, k, d, pbc, pec, lx, false, lx, 0, 0, k);
        }
        long tMin = Math.floorDiv(-pb, s);
        long tMax = Math.floorDiv(eff - 1 - pb, s);
        long u = tMax - tMin + 1;
        long front = -pb - s * tMin;
        long back = u * s - eff - front;
        long pbc = tMax;
        if (known) {
            long m = Math.floorDiv(lx + s - 1, s);
            long pec = m - ly - pbc + u - 1;
            return new AxisPlan(true, u, 1, pbc, pec, m, s * m != lx, lx, front, back, u);
        }
        // Sizes known only at run time: produce enough phase rows for any input size consistent with
        // the output size (M - Ly <= delta; a ceil-mode pool only has more outputs), then crop to the
        // input's run-time size.
        long delta = Math.floorDiv(s - 1 - pb - pe + eff + s - 1, s) - 1;
        long pec = delta - pbc + u - 1;
        return new AxisPlan(true, u, 1, pbc, pec, -1, true, lx, front, back, u);
    }

    /**
     * The gradient with respect to the input of a convolution (or of a pooling window with a given
     * kernel tensor).
     *
     * @param g gradient of the output, {@code [G, O, Ly...]}
     * @param y static info of the forward output (spatial sizes)
     * @param x static info of the forward input
     * @param xName the forward input (run-time sizes when not static)
     * @param w the weight tensor {@code [O, I/groups, K...]}
     * @param wDims its static shape
     * @param ceilMode whether the windows follow a ceil-mode pool (its output size is then read at run time)
     */
    static Grad inputGradient(Emitter e, String g, Shapes.Info y, Shapes.Info x, String xName, String w, long[] wDims,
            long groups, Window win, boolean ceilMode) {
        int n = win.n();
        long inPerGroup = wDims[1];
        AxisPlan[] plans = new AxisPlan[n];
        boolean anyPhased = false;
        for (int a = 0; a < n; a++) {
            long ly = y.hasRank() ? y.fixed(2 + a) : -1;
            // A ceil-mode pool's output size is read at run time: whether a last window starting in
            // the end padding counts is a convention that differs between frameworks.
            boolean runtime = ceilMode && win.strides()[a] > 1;
            plans[a] = plan(win.kernel()[a], win.strides()[a], win.dilations()[a], win.padsBegin()[a],
                    win.padsEnd()[a], x.fixed(2 + a), runtime ? -1 : ly);
            anyPhased |= plans[a].phased();
        }
        String kernel = transformedKernel(e, w, wDims, groups, win, plans);

        // Negative pads of the gradient convolution are crops of its input.
        String gIn = g;
        List<Long> sStarts = new ArrayList<>();
        List<Long> sEnds = new ArrayList<>();
        List<Long> sAxes = new ArrayList<>();
        long[] convPads = new long[2 * n];
        long[] convKernel = new long[n];
        long[] convDil = new long[n];
        for (int a = 0; a < n; a++) {
            AxisPlan p = plans[a];
            if (p.padBegin() < 0 || p.padEnd() < 0) {
                sStarts.add(Math.max(0, -p.padBegin()));
                sEnds.add(p.padEnd() < 0 ? p.padEnd() : Long.MAX_VALUE);
                sAxes.add((long) (2 + a));
            }
            convPads[a] = Math.max(0, p.padBegin());
            convPads[a + n] = Math.max(0, p.padEnd());
            convKernel[a] = p.convKernel();
            convDil[a] = p.convDilation();
        }
        if (!sAxes.isEmpty()) {
            gIn = e.slice(g, toArray(sStarts), toArray(sEnds), toArray(sAxes));
        }
        String z = e.op("Conv", Attributes.none().withInt("group", groups).withInts("kernel_shape", convKernel)
                .withInts("dilations", convDil).withInts("pads", convPads).withInts("strides", Attr.filled(n, 1)),
                gIn, kernel);
        if (!anyPhased) {
            return new Dense(z);
        }
        long[] strides = win.strides().clone();
        long[] m = new long[n];
        long[] lx = new long[n];
        boolean[] crop = new boolean[n];
        boolean dynamic = false;
        for (int a = 0; a < n; a++) {
            m[a] = plans[a].phased() ? plans[a].m() : -1;
            lx[a] = plans[a].lx();
            crop[a] = plans[a].crop();
            dynamic |= plans[a].phased() && plans[a].m() < 0;
        }
        String key = String.format(Locale.ROOT, "%s|%s|%d|%d|%s|%s", xName, Arrays.toString(strides), groups,
                inPerGroup, Arrays.toString(m), dynamic ? z : "");
        return new SubPixel(z, new Layout(key, groups, inPerGroup, strides, m, lx, crop, xName));
    }

    /**
     * The kernel of the gradient convolution, {@code [groups * prod(s) * I_g, O_g, U...]}, computed
     * in the graph from {@code w [O, I_g, K...]}.
     */
    private static String transformedKernel(Emitter e, String w, long[] wDims, long groups, Window win,
            AxisPlan[] plans) {
        int n = win.n();
        long og = wDims[0] / groups;
        long ig = wDims[1];
        List<Long> dims = new ArrayList<>(List.of(groups, og, ig));
        for (int a = 0; a < n; a++) {
            dims.add(wDims[2 + a]);
        }
        String cur = e.reshape(w, fixedParts(dims));
        for (int a = 0; a < n; a++) {
            long d = win.dilations()[a];
            if (!plans[a].phased() || d == 1) {
                continue;
            }
            // Dilated taps on a strided axis: spell the zeros between taps out in the kernel.
            int ax = 3 + a;
            long k = dims.get(ax);
            cur = e.unsqueeze(cur, ax + 1);
            long[] pads = new long[2 * (dims.size() + 1)];
            pads[dims.size() + 1 + ax + 1] = d - 1;
            cur = e.op("Pad", cur, e.ints(pads));
            List<Long> merged = new ArrayList<>(dims);
            merged.set(ax, k * d);
            cur = e.reshape(cur, fixedParts(merged));
            cur = e.slice(cur, new long[] {0}, new long[] {(k - 1) * d + 1}, new long[] {ax});
            dims.set(ax, (k - 1) * d + 1);
        }
        int rank = dims.size();
        boolean anyPhased = false;
        long[] pads = new long[2 * rank];
        for (int a = 0; a < n; a++) {
            if (plans[a].phased()) {
                anyPhased = true;
                pads[3 + a] = plans[a].padFront();
                pads[rank + 3 + a] = plans[a].padBack();
            }
        }
        if (anyPhased) {
            cur = e.op("Pad", cur, e.ints(pads));
        }
        List<Long> split = new ArrayList<>(List.of(groups, og, ig));
        int[] kernelAxis = new int[n];
        int[] phaseAxis = new int[n];
        for (int a = 0; a < n; a++) {
            if (plans[a].phased()) {
                kernelAxis[a] = split.size();
                split.add(plans[a].u());
                phaseAxis[a] = split.size();
                split.add(win.strides()[a]);
            } else {
                kernelAxis[a] = split.size();
                phaseAxis[a] = -1;
                split.add(dims.get(3 + a));
            }
        }
        if (anyPhased) {
            cur = e.reshape(cur, fixedParts(split));
        }
        List<Long> perm = new ArrayList<>();
        perm.add(0L);
        long phases = 1;
        for (int a = 0; a < n; a++) {
            if (phaseAxis[a] >= 0) {
                perm.add((long) phaseAxis[a]);
                phases *= win.strides()[a];
            }
        }
        perm.add(2L);
        perm.add(1L);
        for (int a = 0; a < n; a++) {
            perm.add((long) kernelAxis[a]);
        }
        cur = e.transpose(cur, toArray(perm));
        int total = perm.size();
        long[] starts = Attr.filled(n, -1);
        long[] ends = Attr.filled(n, Long.MIN_VALUE);
        long[] axes = new long[n];
        for (int a = 0; a < n; a++) {
            axes[a] = total - n + a;
        }
        cur = e.slice(cur, starts, ends, axes, Attr.filled(n, -1));
        List<Long> out = new ArrayList<>(List.of(groups * phases * ig, og));
        for (int a = 0; a < n; a++) {
            out.add(plans[a].phased() ? plans[a].u() : dims.get(3 + a));
        }
        return e.reshape(cur, fixedParts(out));
    }

    /** Interleaves the phases of a (summed) sub-pixel tensor and crops it to the input size. */
    static String expand(Emitter e, String raw, Layout l) {
        int n = l.strides().length;
        long g = l.groups();
        long ig = l.inPerGroup();
        long[] s = l.strides();
        String out;
        if (g == 1 && n == 2 && s[0] == s[1] && s[0] > 1) {
            out = e.op("DepthToSpace", Attributes.none().withInt("blocksize", s[0]).withString("mode", "DCR"), raw);
        } else if (g == 1 && n == 3 && s[0] == 1 && s[1] == s[2] && s[1] > 1) {
            // [G, s*s*I, T, H', W'] -> [G, s*s*I*T, H', W'] is free (T is innermost of the channel
            // block), so a 4-D DepthToSpace does the interleaving without a high-rank Transpose.
            String r = e.reshape(raw, List.of(Part.of(0), Part.of(-1), mPart(raw, l, 1, 1), mPart(raw, l, 2, 1)));
            String d = e.op("DepthToSpace", Attributes.none().withInt("blocksize", s[1]).withString("mode", "DCR"), r);
            out = e.reshape(d, List.of(Part.of(0), Part.of(ig), Part.of(-1), mPart(raw, l, 1, s[1]),
                    mPart(raw, l, 2, s[2])));
        } else {
            List<Part> parts = new ArrayList<>(List.of(Part.of(0), Part.of(g)));
            for (int a = 0; a < n; a++) {
                parts.add(Part.of(s[a]));
            }
            parts.add(Part.of(ig));
            for (int a = 0; a < n; a++) {
                parts.add(mPart(raw, l, a, 1));
            }
            String r = e.reshape(raw, parts);
            long[] perm = new long[3 + 2 * n];
            perm[0] = 0;
            perm[1] = 1;
            perm[2] = 2 + n;
            for (int a = 0; a < n; a++) {
                perm[3 + 2 * a] = 3 + n + a;
                perm[4 + 2 * a] = 2 + a;
            }
            String t = e.transpose(r, perm);
            List<Part> back = new ArrayList<>(List.of(Part.of(0), Part.of(g * ig)));
            for (int a = 0; a < n; a++) {
                back.add(mPart(raw, l, a, s[a]));
            }
            out = e.reshape(t, back);
        }
        List<Long> axes = new ArrayList<>();
        List<Part> ends = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            if (l.crop()[a]) {
                axes.add((long) (2 + a));
                ends.add(l.lx()[a] >= 0 ? Part.of(l.lx()[a]) : Part.dimOf(l.ref(), 2 + a));
            }
        }
        if (!axes.isEmpty()) {
            out = e.op("Slice", out, e.ints(new long[axes.size()]), e.shape(ends), e.ints(toArray(axes)));
        }
        return out;
    }

    private static Part mPart(String raw, Layout l, int axis, long factor) {
        long m = l.m()[axis];
        if (l.strides()[axis] == 1 || m < 0) {
            return Part.dimOf(raw, 2 + axis, factor);
        }
        return Part.of(m * factor);
    }

    /**
     * The per-row gradient with respect to a convolution's weight, {@code [G, O, I/groups, K...]}.
     *
     * @param g gradient of the output {@code [G, O, Ly...]}
     * @param x the forward input {@code [B, C, Lx...]}
     */
    static String weightGradient(Emitter e, String g, String x, Shapes.Info xInfo, long[] wDims, long groups,
            Window win) {
        int n = win.n();
        long o = wDims[0];
        long ig = wDims[1];
        long og = o / groups;
        long kvol = 1;
        for (long k : win.kernel()) {
            kvol *= k;
        }
        double[] eye = new double[(int) (kvol * kvol)];
        for (int k = 0; k < kvol; k++) {
            eye[(int) (k * kvol + k)] = 1;
        }
        long[] eyeDims = new long[2 + n];
        eyeDims[0] = kvol;
        eyeDims[1] = 1;
        System.arraycopy(win.kernel(), 0, eyeDims, 2, n);
        String oneHot = e.typed("im2col_kernel", eye, eyeDims);
        List<Part> xr = new ArrayList<>(List.of(Part.of(-1), Part.of(1)));
        for (int a = 0; a < n; a++) {
            long lx = xInfo.fixed(2 + a);
            xr.add(lx >= 0 ? Part.of(lx) : Part.dimOf(x, 2 + a));
        }
        long[] pads = new long[2 * n];
        System.arraycopy(win.padsBegin(), 0, pads, 0, n);
        System.arraycopy(win.padsEnd(), 0, pads, n, n);
        String cols = e.op("Conv", Attributes.none().withInt("group", 1).withInts("kernel_shape", win.kernel())
                .withInts("dilations", win.dilations()).withInts("pads", pads).withInts("strides", win.strides()),
                e.reshape(x, xr), oneHot);
        String flat = e.reshape(cols, List.of(Part.of(0), Part.of(0), Part.of(-1)));
        String grouped = e.reshape(flat, List.of(Part.of(-1), Part.of(groups), Part.of(ig * kvol),
                Part.dimOf(flat, 2)));
        String colsT = e.transpose(grouped, 0, 1, 3, 2);
        String gr = e.reshape(g, List.of(Part.of(0), Part.of(groups), Part.of(og), Part.of(-1)));
        String dw = e.op("MatMul", gr, colsT);
        List<Part> out = new ArrayList<>(List.of(Part.of(-1), Part.of(o), Part.of(ig)));
        for (long k : win.kernel()) {
            out.add(Part.of(k));
        }
        return e.reshape(dw, out);
    }

    private static List<Part> fixedParts(List<Long> dims) {
        List<Part> p = new ArrayList<>();
        for (long d : dims) {
            p.add(Part.of(d));
        }
        return p;
    }

    static long[] toArray(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).toArray();
    }
}
