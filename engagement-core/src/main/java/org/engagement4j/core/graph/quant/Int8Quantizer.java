package org.engagement4j.core.graph.quant;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.ElementType;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.ModelEditor;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Post-training static int8 quantisation of a forward CNN model (such as mc3_18) in QDQ form.
 *
 * <p>{@link #quantize} runs the float model on ONNX Runtime (CPU) over the calibration inputs with
 * every {@code Conv}'s input and output exposed as graph outputs, records each tensor's minimum and
 * maximum over all calibration inputs, then rewrites every {@code Conv} as
 * <pre>
 *   x           -&gt; QuantizeLinear(s_x, z_x) -&gt; DequantizeLinear --+
 *   W_q (int8)  -&gt; DequantizeLinear(s_w[c], axis 0) ---------------+-&gt; Conv
 *   b_q (int32) -&gt; DequantizeLinear(s_x s_w[c], axis 0) -----------+
 *   Conv -&gt; QuantizeLinear(s_y, z_y) -&gt; DequantizeLinear -&gt; (consumers of y)
 * </pre>
 * which ONNX Runtime's graph optimiser fuses into {@code QLinearConv} (integer kernels). Everything
 * else ({@code Relu}, {@code Add}, {@code GlobalAveragePool}, {@code Flatten}, {@code Gemm}) stays
 * float32.
 *
 * <p>Mixed precision: {@link #withExcluded} keeps chosen Convs float32; {@link #sensitivity} ranks
 * the Convs by the logit error that quantising each one alone causes, and {@link #quantizeToTarget}
 * keeps the most sensitive ones float32 until a same-argmax share is reached on validation inputs.
 *
 * <p>Ranges and parameters:
 * <ul>
 *   <li>activations, per tensor, asymmetric: the range [min(lo, 0), max(hi, 0)] of the calibration
 *       values, {@code s = (hi - lo) / 255}, {@code z = round(-lo / s)} clamped to [0, 255] for
 *       uint8 (the default, what x86 integer kernels prefer: u8 activations x s8 weights), or
 *       {@code z = round(-lo / s) - 128} clamped to [-128, 127] for int8. A tensor whose range is
 *       empty (all zero) gets {@code s = 1}.</li>
 *   <li>weights, per output channel (axis 0), symmetric int8: {@code s_w[c] = max|W[c]| / 127},
 *       {@code q = clamp(round(W / s_w[c]), -127, 127)}, zero point 0; an all-zero channel gets
 *       {@code s_w = 1}.</li>
 *   <li>bias: int32 {@code round(b[c] / (s_x s_w[c]))}, zero point 0, as ONNX Runtime's fusion
 *       requires.</li>
 * </ul>
 * With {@link #withPercentile(double)} below 100, lo and hi are instead the mean over calibration
 * inputs of each input's lower and upper percentile (clips rare outliers).
 *
 * <p>Supported models: one float32 graph input; nodes among {@link #SUPPORTED_OPS} (Conv, Relu, Add,
 * GlobalAveragePool, Flatten, Gemm, MaxPool, AveragePool, Reshape, Identity, default domain); every
 * Conv's weight (and bias) an initializer. Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Int8Quantizer {

    private static final Logger LOG = LoggerFactory.getLogger(Int8Quantizer.class);

    private static final String SUPPORTED_OPS_TEXT = "Conv, Relu, Add, GlobalAveragePool, Flatten, Gemm, MaxPool, "
            + "AveragePool, Reshape, Identity";

    /** Operators the quantiser understands; anything else is refused rather than silently kept. */
    public static final Set<String> SUPPORTED_OPS = Set.of("Conv", "Relu", "Add", "GlobalAveragePool", "Flatten",
            "Gemm", "MaxPool", "AveragePool", "Reshape", "Identity");

    private final boolean unsignedActivations;
    private final double percentile;
    private final int threads;
    private final Set<String> excluded;

    private Int8Quantizer(boolean unsignedActivations, double percentile, int threads, Set<String> excluded) {
        this.unsignedActivations = unsignedActivations;
        this.percentile = percentile;
        this.threads = threads;
        this.excluded = excluded;
    }

    /**
     * @return uint8 activations, min/max calibration (percentile 100), 2 calibration threads
     */
    public static Int8Quantizer defaults() {
        return new Int8Quantizer(true, 100.0, 2, Set.of());
    }

    /**
     * @param unsigned true for uint8 activations (default), false for int8
     * @return a copy with that activation type
     */
    public Int8Quantizer withUnsignedActivations(boolean unsigned) {
        return new Int8Quantizer(unsigned, percentile, threads, excluded);
    }

    /**
     * @param p upper percentile of activation values kept per calibration input, in (50, 100];
     *     100 (default) is plain min/max
     * @return a copy with that percentile
     * @throws IllegalArgumentException if {@code p} is outside (50, 100]
     */
    public Int8Quantizer withPercentile(double p) {
        if (!(p > 50 && p <= 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "calibration percentile must be in (50, 100], got %s", p));
        }
        return new Int8Quantizer(unsignedActivations, p, threads, excluded);
    }

    /**
     * @param n ONNX Runtime intra-op threads used for calibration, at least 1
     * @return a copy with that many threads
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Int8Quantizer withThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "threads must be >= 1, got %d", n));
        }
        return new Int8Quantizer(unsignedActivations, percentile, n, excluded);
    }

    /**
     * Mixed precision: the named Convs stay float32 (weights, bias, input and output unquantised);
     * a quantised neighbour still gets its own QuantizeLinear / DequantizeLinear pair on the tensor
     * it shares with an excluded Conv, so every quantised Conv keeps the pattern ONNX Runtime fuses.
     * Names are checked against the model in {@link #quantize}; excluding every Conv gives a float
     * model with the same outputs as the input model.
     *
     * @param convNodeNames Conv node names (see {@link #convNames}); empty (the default) quantises
     *     every Conv
     * @return a copy that keeps those Convs float32
     * @throws NullPointerException if the set or a name is null
     */
    public Int8Quantizer withExcluded(Set<String> convNodeNames) {
        Objects.requireNonNull(convNodeNames, "convNodeNames");
        return new Int8Quantizer(unsignedActivations, percentile, threads,
                Collections.unmodifiableSet(new TreeSet<>(convNodeNames)));
    }

    /**
     * @return the Conv node names kept float32, sorted; empty by default
     */
    public Set<String> excluded() {
        return excluded;
    }

    /**
     * @param model a model
     * @return the names of its {@code Conv} nodes (default domain), in graph order; empty when it
     *     has none
     */
    public static List<String> convNames(ModelProto model) {
        Objects.requireNonNull(model, "model");
        List<String> names = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getDomain().isEmpty() && n.getOpType().equals("Conv")) {
                names.add(n.getName());
            }
        }
        return List.copyOf(names);
    }

    /**
     * @return whether activations are uint8 (else int8)
     */
    public boolean unsignedActivations() {
        return unsignedActivations;
    }

    /**
     * @return the calibration percentile (100 = min/max)
     */
    public double percentile() {
        return percentile;
    }

    /**
     * @return calibration threads
     */
    public int threads() {
        return threads;
    }

    /**
     * Calibrates and rewrites the model.
     *
     * @param model a float32 forward model (not modified)
     * @param calibration sample inputs for the model's graph input, such as normalised clips
     *     {@code [N, 3, T, H, W]}; at least one
     * @return the QDQ model, with the same inputs and outputs; metadata
     *     {@code engagement4j.quantization} describes the scheme
     * @throws IllegalArgumentException if there is no calibration input, the model has no Conv, an
     *     operator outside {@link #SUPPORTED_OPS} (the message names the node and lists what is
     *     supported), a Conv whose weight or bias is not an initializer, not exactly one graph input,
     *     an {@linkplain #withExcluded excluded} name that is not a Conv of the model (the message
     *     lists the Convs), or ONNX Runtime rejects a calibration input
     */
    public ModelProto quantize(ModelProto model, List<FloatTensor> calibration) {
        Prepared p = prepare(model, calibration);
        return p.rewrite(excluded);
    }

    /**
     * Sensitivity analysis for mixed precision: calibrates once, then for each Conv not already
     * {@linkplain #withExcluded excluded} quantises that Conv alone (every other Conv float32) and
     * compares the model's first output (the logits, {@code [N, K]}) with the float model's on the
     * check inputs. The ranking key is the mean absolute logit difference; ties keep graph order,
     * so the ranking is a deterministic function of the model and the inputs (given ONNX Runtime's
     * deterministic CPU kernels).
     *
     * @param model a float32 forward model (not modified)
     * @param calibration inputs for the activation ranges, as in {@link #quantize}
     * @param check inputs to measure the error on, at least one; to choose Convs without peeking at
     *     a held-out test set, windows drawn from the calibration side
     * @return one entry per quantisable Conv, most sensitive first
     * @throws IllegalArgumentException as {@link #quantize}, or if there is no check input
     */
    public List<ConvSensitivity> sensitivity(ModelProto model, List<FloatTensor> calibration, List<FloatTensor> check) {
        Prepared p = prepare(model, calibration);
        Reference ref = p.reference(check);
        return p.rank(ref);
    }

    /**
     * Accuracy-driven mixed precision: ranks the Convs ({@link #sensitivity} on {@code validation}),
     * then keeps the most sensitive ones float32, one more at a time (none first), until the
     * quantised model's same-argmax share on {@code validation} reaches {@code target}, or every
     * Conv is float32. Convs {@linkplain #withExcluded excluded} by the caller stay float32
     * throughout.
     *
     * @param model a float32 forward model (not modified)
     * @param calibration inputs for the activation ranges
     * @param validation inputs for the ranking and the stopping rule, at least one; drawn from the
     *     calibration side, never the held-out test inputs the result is reported on
     * @param target same-argmax share sought, in (0, 1]
     * @return the model, which Convs were kept float32, the ranking and the agreement reached
     * @throws IllegalArgumentException as {@link #sensitivity}, or if {@code target} is outside (0, 1]
     */
    public MixedPrecisionResult quantizeToTarget(ModelProto model, List<FloatTensor> calibration,
            List<FloatTensor> validation, double target) {
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target same-argmax share must be in (0, 1], got %s", target));
        }
        Prepared p = prepare(model, calibration);
        Reference ref = p.reference(validation);
        List<ConvSensitivity> ranking = p.rank(ref);
        Set<String> keep = new LinkedHashSet<>(excluded);
        List<String> kept = new ArrayList<>();
        ModelProto best = p.rewrite(keep);
        Comparison c = ref.compare(best);
        for (int i = 0; i < ranking.size() && c.agreement() < target; i++) {
            String conv = ranking.get(i).conv();
            keep.add(conv);
            kept.add(conv);
            best = p.rewrite(keep);
            c = ref.compare(best);
            LOG.debug("kept {} Conv(s) float32, last '{}': validation same argmax {}", kept.size(), conv,
                    c.agreement());
        }
        List<String> requested = new ArrayList<>();
        for (String n : p.convs) {
            if (excluded.contains(n)) {
                requested.add(n);
            }
        }
        return new MixedPrecisionResult(best, requested, kept, ranking, target, c.agreement(), c.rows);
    }

    private Prepared prepare(ModelProto model, List<FloatTensor> calibration) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(calibration, "calibration");
        if (calibration.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model '%s': no calibration inputs given; at least one is needed to measure activation ranges",
                    model.getGraph().getName()));
        }
        GraphProto g = model.getGraph();
        Map<String, TensorProto> inits = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        String input = graphInput(g, inits.keySet());
        List<NodeProto> convs = checkNodes(g, inits);
        Set<String> activations = new LinkedHashSet<>();
        for (NodeProto c : convs) {
            activations.add(c.getInput(0));
            activations.add(c.getOutput(0));
        }
        List<String> names = new ArrayList<>();
        convs.forEach(c -> names.add(c.getName()));
        for (String e : excluded) {
            if (!names.contains(e)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "model '%s': '%s' is not a Conv node and cannot be kept float32; expected one of %s",
                        g.getName(), e, names));
            }
        }
        Map<String, double[]> ranges = calibrate(model, input, activations, calibration);
        return new Prepared(model, inits, ranges, input, names);
    }

    /** A calibrated model, ready to be rewritten with any set of float32 Convs. */
    private final class Prepared {
        final ModelProto model;
        final Map<String, TensorProto> inits;
        final Map<String, double[]> ranges;
        final String input;
        final List<String> convs;

        Prepared(ModelProto model, Map<String, TensorProto> inits, Map<String, double[]> ranges, String input,
                List<String> convs) {
            this.model = model;
            this.inits = inits;
            this.ranges = ranges;
            this.input = input;
            this.convs = convs;
        }

        ModelProto rewrite(Set<String> fp32) {
            return Int8Quantizer.this.rewrite(model, inits, ranges, fp32);
        }

        Reference reference(List<FloatTensor> check) {
            Objects.requireNonNull(check, "check");
            if (check.isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "model '%s': no check inputs given to measure quantisation error on",
                        model.getGraph().getName()));
            }
            return new Reference(model, input, check, threads);
        }

        List<ConvSensitivity> rank(Reference ref) {
            List<ConvSensitivity> out = new ArrayList<>();
            for (String conv : convs) {
                if (excluded.contains(conv)) {
                    continue;
                }
                Set<String> others = new HashSet<>(convs);
                others.remove(conv);
                Comparison c = ref.compare(rewrite(others));
                out.add(new ConvSensitivity(conv, c.meanLogit(), c.maxLogit(), c.maxP(), c.agreement()));
            }
            // stable sort: equal errors keep graph order
            out.sort((a, b) -> Double.compare(b.meanLogitDifference(), a.meanLogitDifference()));
            return out;
        }
    }

    /** The float model's logits on fixed check inputs, to compare variants against. */
    private static final class Reference {
        final String input;
        final String output;
        final List<FloatTensor> check;
        final List<float[]> logits = new ArrayList<>();
        final int threads;

        Reference(ModelProto model, String input, List<FloatTensor> check, int threads) {
            this.input = input;
            this.output = model.getGraph().getOutput(0).getName();
            this.check = check;
            this.threads = threads;
            try (OrtForward f = new OrtForward(model, input, threads)) {
                for (FloatTensor x : check) {
                    logits.add(f.run(Objects.requireNonNull(x, "check input")).get(output));
                }
            }
        }

        Comparison compare(ModelProto variant) {
            QuantizationReport.Differences d = new QuantizationReport.Differences();
            try (OrtForward f = new OrtForward(variant, input, threads)) {
                for (int i = 0; i < check.size(); i++) {
                    FloatTensor x = check.get(i);
                    d.add(logits.get(i), f.run(x).get(output), (int) x.dim(0));
                }
            }
            return new Comparison(d.rows, (double) d.same / d.rows, Math.min(1, d.maxP), d.maxL,
                    Math.min(d.maxL, d.sumL / d.values));
        }
    }

    private record Comparison(int rows, double agreement, double maxP, double maxLogit, double meanLogit) {
    }

    private static String graphInput(GraphProto g, Set<String> inits) {
        List<String> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!inits.contains(v.getName())) {
                inputs.add(v.getName());
            }
        }
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model '%s' has graph inputs %s; the quantiser supports exactly one", g.getName(), inputs));
        }
        return inputs.get(0);
    }

    private static List<NodeProto> checkNodes(GraphProto g, Map<String, TensorProto> inits) {
        List<NodeProto> convs = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (!n.getDomain().isEmpty() || !SUPPORTED_OPS.contains(n.getOpType())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "model '%s': node '%s' has operator '%s%s', which the int8 quantiser does not support; "
                                + "expected one of [%s]", g.getName(), n.getName(),
                        n.getDomain().isEmpty() ? "" : n.getDomain() + ".", n.getOpType(), SUPPORTED_OPS_TEXT));
            }
            if (n.getOpType().equals("Conv")) {
                TensorProto w = n.getInputCount() > 1 ? inits.get(n.getInput(1)) : null;
                boolean hasBias = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
                TensorProto b = hasBias ? inits.get(n.getInput(2)) : null;
                if (w == null || w.getDataType() != ElementType.FLOAT.onnxCode() || w.getDimsCount() < 3
                        || hasBias && (b == null || b.getDataType() != ElementType.FLOAT.onnxCode())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "model '%s': Conv node '%s' needs float32 initializers as weight (rank >= 3) and bias; "
                                    + "inputs are %s", g.getName(), n.getName(), n.getInputList()));
                }
                convs.add(n);
            }
        }
        if (convs.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model '%s' has no Conv node: nothing to quantise", g.getName()));
        }
        return convs;
    }

    private Map<String, double[]> calibrate(ModelProto model, String input, Set<String> tensors,
            List<FloatTensor> calibration) {
        List<String> inner = new ArrayList<>();
        for (String t : tensors) {
            if (!t.equals(input)) {
                inner.add(t);
            }
        }
        ModelProto exposed = ModelEditor.exposeOutputs(model, inner);
        Map<String, double[]> ranges = new LinkedHashMap<>();
        try (OrtForward ort = new OrtForward(exposed, input, threads)) {
            for (FloatTensor x : Objects.requireNonNull(calibration, "calibration")) {
                Objects.requireNonNull(x, "calibration input");
                Map<String, float[]> out = ort.run(x);
                for (String t : tensors) {
                    float[] v = t.equals(input) ? x.data() : out.get(t);
                    double[] lh = bounds(v);
                    double[] r = ranges.computeIfAbsent(t, k -> new double[3]);
                    if (percentile >= 100) {
                        r[0] = r[2] == 0 ? lh[0] : Math.min(r[0], lh[0]);
                        r[1] = r[2] == 0 ? lh[1] : Math.max(r[1], lh[1]);
                    } else {
                        r[0] += lh[0];
                        r[1] += lh[1];
                    }
                    r[2]++;
                }
            }
        }
        if (percentile < 100) {
            for (double[] r : ranges.values()) {
                r[0] /= r[2];
                r[1] /= r[2];
            }
        }
        return ranges;
    }

    /** [lo, hi] of one calibration tensor: min/max, or the (100 - p, p) percentiles. */
    private double[] bounds(float[] v) {
        if (percentile >= 100) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float f : v) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
            return new double[] {lo, hi};
        }
        float[] s = v.clone();
        java.util.Arrays.sort(s);
        int last = s.length - 1;
        int hiIx = (int) Math.min(last, Math.round(percentile / 100 * last));
        int loIx = last - hiIx;
        return new double[] {s[loIx], s[hiIx]};
    }

    private ModelProto rewrite(ModelProto model, Map<String, TensorProto> inits, Map<String, double[]> ranges,
            Set<String> fp32) {
        GraphProto g = model.getGraph();
        Set<String> used = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            used.add(t.getName());
        }
        for (NodeProto n : g.getNodeList()) {
            used.addAll(n.getOutputList());
            used.add(n.getName());
        }
        List<TensorProto> newInits = new ArrayList<>();
        List<NodeProto> nodes = new ArrayList<>();
        Map<String, String> dequantised = new HashMap<>();
        Set<String> replaced = new TreeSet<>();
        Map<String, String> rename = new HashMap<>();
        int qType = unsignedActivations ? ElementType.UINT8.onnxCode() : ElementType.INT8.onnxCode();
        for (NodeProto n : g.getNodeList()) {
            NodeProto.Builder nb = n.toBuilder();
            for (int i = 0; i < nb.getInputCount(); i++) {
                nb.setInput(i, rename.getOrDefault(nb.getInput(i), nb.getInput(i)));
            }
            if (!n.getOpType().equals("Conv") || fp32.contains(n.getName())) {
                // An excluded Conv reads its input as float: the dequantised value when a quantised
                // Conv produced it (the rename above), the raw tensor otherwise.
                nodes.add(nb.build());
                continue;
            }
            String x = n.getInput(0);
            double[] xr = ranges.get(x);
            double sx = scale(xr);
            String xdq = dequantised.get(x);
            if (xdq == null && rename.containsKey(x)) {
                // x is an earlier Conv's output, already quantised with this very range.
                xdq = rename.get(x);
            }
            if (xdq == null) {
                xdq = qdq(x, xr, qType, fresh(used, x + "_QuantizeLinear"), newInits, nodes, used);
                dequantised.put(x, xdq);
            }
            TensorProto w = inits.get(n.getInput(1));
            float[] wv = Tensors.toFloats(w);
            int cout = (int) w.getDims(0);
            int per = wv.length / cout;
            float[] sw = new float[cout];
            byte[] wq = new byte[wv.length];
            for (int c = 0; c < cout; c++) {
                float m = 0;
                for (int i = c * per; i < (c + 1) * per; i++) {
                    m = Math.max(m, Math.abs(wv[i]));
                }
                sw[c] = m > 0 ? m / 127f : 1f;
                for (int i = c * per; i < (c + 1) * per; i++) {
                    wq[i] = (byte) Math.max(-127, Math.min(127, Math.round(wv[i] / sw[c])));
                }
            }
            String wName = w.getName();
            String wqName = fresh(used, wName + "_quantized");
            String wsName = fresh(used, wName + "_scale");
            String wzName = fresh(used, wName + "_zero_point");
            newInits.add(Tensors.int8s(wqName, wq, Tensors.dims(w)));
            newInits.add(Tensors.floats(wsName, sw, cout));
            newInits.add(Tensors.int8s(wzName, new byte[cout], cout));
            String wdq = fresh(used, wName + "_DequantizeLinear_output_0");
            nodes.add(node("DequantizeLinear", fresh(used, wName + "_DequantizeLinear"), List.of(wqName, wsName, wzName),
                    wdq, Attributes.none().withInt("axis", 0)));
            replaced.add(wName);
            List<String> convIn = new ArrayList<>(List.of(xdq, wdq));
            if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
                TensorProto b = inits.get(n.getInput(2));
                float[] bv = Tensors.toFloats(b);
                int[] bq = new int[bv.length];
                float[] bs = new float[bv.length];
                for (int c = 0; c < bv.length; c++) {
                    bs[c] = (float) (sx * sw[c]);
                    bq[c] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE,
                            Math.round(bv[c] / (double) bs[c])));
                }
                String bName = b.getName();
                String bqName = fresh(used, bName + "_quantized");
                String bsName = fresh(used, bName + "_scale");
                String bzName = fresh(used, bName + "_zero_point");
                newInits.add(int32s(bqName, bq));
                newInits.add(Tensors.floats(bsName, bs, bv.length));
                newInits.add(int32s(bzName, new int[bv.length]));
                String bdq = fresh(used, bName + "_DequantizeLinear_output_0");
                nodes.add(node("DequantizeLinear", fresh(used, bName + "_DequantizeLinear"),
                        List.of(bqName, bsName, bzName), bdq, Attributes.none().withInt("axis", 0)));
                replaced.add(bName);
                convIn.add(bdq);
            }
            String y = n.getOutput(0);
            String yRaw = fresh(used, y + "_float");
            nb.clearInput().addAllInput(convIn).setOutput(0, yRaw);
            nodes.add(nb.build());
            String ydq = qdq(yRaw, ranges.get(y), qType, fresh(used, y + "_QuantizeLinear"), newInits, nodes, used);
            rename.put(y, ydq);
        }
        // Graph outputs that were Conv outputs now come from the DequantizeLinear.
        GraphProto.Builder gb = g.toBuilder().clearNode().addAllNode(nodes);
        for (int i = 0; i < gb.getOutputCount(); i++) {
            String o = gb.getOutput(i).getName();
            if (rename.containsKey(o)) {
                gb.addNode(node("Identity", fresh(used, o + "_Identity"), List.of(rename.get(o)), o, Attributes.none()));
            }
        }
        Set<String> stillUsed = new HashSet<>();
        for (NodeProto n : gb.getNodeList()) {
            stillUsed.addAll(n.getInputList());
        }
        List<TensorProto> keep = new ArrayList<>();
        for (TensorProto t : g.getInitializerList()) {
            if (!replaced.contains(t.getName()) || stillUsed.contains(t.getName())) {
                keep.add(t);
            }
        }
        keep.addAll(newInits);
        gb.clearInitializer().addAllInitializer(keep);
        List<ValueInfoProto> vis = new ArrayList<>();
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (!rename.containsKey(v.getName())) {
                vis.add(v);
            }
        }
        gb.clearValueInfo().addAllValueInfo(vis);
        ModelProto.Builder mb = model.toBuilder().setGraph(gb);
        mb.addMetadataPropsBuilder().setKey("engagement4j.quantization").setValue(String.format(Locale.ROOT,
                "int8 QDQ: Conv weights per-channel symmetric int8, activations per-tensor %s, calibration %s%s",
                unsignedActivations ? "uint8" : "int8", percentile >= 100 ? "min/max" : "percentile " + percentile,
                fp32.isEmpty() ? "" : "; float32 Convs " + new TreeSet<>(fp32)));
        return mb.build();
    }

    private static double scale(double[] r) {
        double lo = Math.min(r[0], 0);
        double hi = Math.max(r[1], 0);
        return hi - lo > 0 ? (hi - lo) / 255 : 1.0;
    }

    /** Appends Q + DQ for a float tensor; returns the DequantizeLinear output. */
    private String qdq(String x, double[] r, int qType, String qName, List<TensorProto> inits, List<NodeProto> nodes,
            Set<String> used) {
        double s = scale(r);
        long z = Math.round(-Math.min(r[0], 0) / s);
        String sName = fresh(used, x + "_scale");
        String zName = fresh(used, x + "_zero_point");
        inits.add(Tensors.floats(sName, new float[] {(float) s}));
        if (qType == ElementType.UINT8.onnxCode()) {
            inits.add(Tensors.uint8s(zName, new byte[] {(byte) Math.max(0, Math.min(255, z))}));
        } else {
            inits.add(Tensors.int8s(zName, new byte[] {(byte) Math.max(-128, Math.min(127, z - 128))}));
        }
        String q = fresh(used, x + "_QuantizeLinear_output_0");
        nodes.add(node("QuantizeLinear", qName, List.of(x, sName, zName), q, Attributes.none()));
        String dq = fresh(used, x + "_DequantizeLinear_output_0");
        nodes.add(node("DequantizeLinear", fresh(used, x + "_DequantizeLinear"), List.of(q, sName, zName), dq,
                Attributes.none()));
        return dq;
    }

    private static NodeProto node(String op, String name, List<String> in, String out, Attributes a) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out)
                .addAllAttribute(a.asList()).build();
    }

    private static String fresh(Set<String> used, String base) {
        String n = base;
        for (int i = 1; used.contains(n); i++) {
            n = base + "_" + i;
        }
        used.add(n);
        return n;
    }

    private static TensorProto int32s(String name, int[] v) {
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(v);
        return TensorProto.newBuilder().setName(name).setDataType(ElementType.INT32.onnxCode()).addDims(v.length)
                .setRawData(ByteString.copyFrom(buf.array())).build();
    }
}
