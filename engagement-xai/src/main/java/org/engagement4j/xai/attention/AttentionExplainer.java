package org.engagement4j.xai.attention;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.engagement4j.core.graph.ModelEditor;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.backward.BackwardGraph;
import org.engagement4j.core.graph.backward.BackwardModel;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.ModelSignature;
import org.engagement4j.core.model.Provenance;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.metrics.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the paper's attention maps of a video classifier from its plain forward ONNX model
 * (Fraile et al., ICMI 2022, Section 5; REFERENCE.md §7), with no Python at run time.
 *
 * <h2>How</h2>
 * {@link Builder#build()} appends a backward graph to the forward model once (core's
 * {@link BackwardGraph}: input gradients, plain and guided, and the gradient of the Grad-CAM
 * layer) and opens one ONNX Runtime session on it. Each {@link #explain} call then runs that
 * session once per clip with a seed input holding one one-hot row per requested {@link Target},
 * so both targets share one forward pass and their backward passes run as one batch. The maps
 * are reduced from the fetched gradients in Java:
 * <ul>
 *   <li>{@link AttentionMethod#GRADIENT_SALIENCY}: {@code max_c |dL/dx|};</li>
 *   <li>{@link AttentionMethod#GUIDED_BACKPROP}: {@code max_c |guided dL/dx|};</li>
 *   <li>{@link AttentionMethod#GRAD_CAM}: weights = mean over {@code h, w} of {@code dL/dA} per
 *       channel and time step, {@code relu(sum_c w A)};</li>
 *   <li>{@link AttentionMethod#GUIDED_GRAD_CAM}: Grad-CAM resized trilinearly
 *       ({@code align_corners = false}) to the input's {@code [T, H, W]} times the guided
 *       gradient, then {@code max_c |.|}; because the resized Grad-CAM is never negative this is
 *       computed as the resized map times the guided-backpropagation map, which is the same
 *       number;</li>
 *   <li>{@link AttentionMethod#OCCLUSION}: batched forward runs on the plain model
 *       ({@link EngagementClassifier}), one per {@link OcclusionWindow} grid point, each giving
 *       the value of both targets.</li>
 * </ul>
 * {@code L} is the raw logit of the target class (class 1 = positive / engaged). The Grad-CAM
 * layer defaults to {@link ModelInspector#gradCamLayer} (for a torchvision video ResNet,
 * {@code layer4}'s last {@code conv2} output after its folded BatchNorm and before the residual
 * Add); {@link Builder#layer(String)} picks any rank-5 tensor of the graph.
 *
 * <p>The input is the normalised, cropped clip the model takes ({@code [3, T, H, W]}, see
 * {@code org.engagement4j.core.model.SnippetEncoder}); every map refers to that clip.
 *
 * <h2>Lifetime, threads, errors</h2>
 * An explainer holds native ONNX Runtime sessions: close it. {@link #close()} is idempotent and
 * waits for running calls; other methods of a closed explainer throw
 * {@link IllegalStateException} with {@link #CLOSED_MESSAGE}. Calls from several threads may run
 * at once. Caller mistakes (a clip that does not fit the model, a method that was not
 * configured) raise {@link IllegalArgumentException}; a model whose graph has an operator the
 * backward graph cannot differentiate raises core's {@code UnsupportedOpException} (an
 * {@link IllegalArgumentException} naming the operator type and node) from {@link Builder#build()}.
 * Failures of the model or of ONNX Runtime raise the checked {@link ModelException}.
 *
 * @since 0.1.0
 */
public final class AttentionExplainer implements AutoCloseable {

    /** The message of the {@link IllegalStateException} thrown by a closed explainer. */
    public static final String CLOSED_MESSAGE = "AttentionExplainer is closed";

    private static final Logger LOG = LoggerFactory.getLogger(AttentionExplainer.class);

    private final EngagementClassifier classifier;
    private final OrtSession backward;
    private final Outputs outputs;
    private final Set<AttentionMethod> methods;
    private final String layer;
    private final OcclusionWindow window;
    private final int occlusionBatch;
    private final String source;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** The names of what the backward session is asked for. */
    private record Outputs(String seed, String logits, String inputGradient,
            String guidedInputGradient, String layerGradient, String layerActivation) {
    }

    private AttentionExplainer(EngagementClassifier classifier, OrtSession backward,
            Outputs outputs, Set<AttentionMethod> methods, String layer, OcclusionWindow window,
            int occlusionBatch, String source) {
        this.classifier = classifier;
        this.backward = backward;
        this.outputs = outputs;
        this.methods = methods;
        this.layer = layer;
        this.window = window;
        this.occlusionBatch = occlusionBatch;
        this.source = source;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the methods this explainer was built for
     * @throws IllegalStateException if the explainer is closed
     */
    public Set<AttentionMethod> methods() {
        checkOpen();
        return methods;
    }

    /**
     * @return the Grad-CAM layer (a tensor name), empty when neither Grad-CAM method was
     *     configured
     * @throws IllegalStateException if the explainer is closed
     */
    public Optional<String> layer() {
        checkOpen();
        return Optional.ofNullable(layer);
    }

    /**
     * @return the occlusion window
     * @throws IllegalStateException if the explainer is closed
     */
    public OcclusionWindow occlusionWindow() {
        checkOpen();
        return window;
    }

    /**
     * @return the model's signature (input, logits, classes)
     * @throws IllegalStateException if the explainer is closed
     */
    public ModelSignature signature() {
        checkOpen();
        return classifier.signature();
    }

    /**
     * @return the provenance every map carries (the hash is that of the caller's model bytes)
     * @throws IllegalStateException if the explainer is closed
     */
    public Provenance provenance() {
        checkOpen();
        return classifier.provenance();
    }

    /**
     * Every configured method for both targets.
     *
     * @param clip a normalised {@code [C, T, H, W]} clip that fits the model
     * @return the explanation
     * @throws IllegalArgumentException if the clip does not fit the model's fixed dimensions
     * @throws IllegalStateException if the explainer is closed
     * @throws ModelException if ONNX Runtime fails
     */
    public Explanation explain(ClipTensor clip) throws ModelException {
        return explain(clip, methods, EnumSet.allOf(Target.class), ProgressListener.NONE);
    }

    /**
     * The given methods for the given targets.
     *
     * @param clip a normalised {@code [C, T, H, W]} clip that fits the model
     * @param methods a non-empty subset of {@link #methods()}
     * @param targets one or both targets
     * @return the explanation, one map per method and target
     * @throws IllegalArgumentException if a set is empty, a method was not configured, or the
     *     clip does not fit the model
     * @throws IllegalStateException if the explainer is closed
     * @throws ModelException if ONNX Runtime fails
     */
    public Explanation explain(ClipTensor clip, Set<AttentionMethod> methods, Set<Target> targets)
            throws ModelException {
        return explain(clip, methods, targets, ProgressListener.NONE);
    }

    /**
     * {@link #explain(ClipTensor, Set, Set)} with progress reports: one unit per forward or
     * forward-backward pass (the gradient run counts 1; occlusion one per grid point).
     *
     * @param clip a normalised {@code [C, T, H, W]} clip that fits the model
     * @param methods a non-empty subset of {@link #methods()}
     * @param targets one or both targets
     * @param progress receives {@code (done, total)} after each batch
     * @return the explanation
     * @throws IllegalArgumentException if a set is empty, a method was not configured, or the
     *     clip does not fit the model
     * @throws IllegalStateException if the explainer is closed
     * @throws ModelException if ONNX Runtime fails
     */
    public Explanation explain(ClipTensor clip, Set<AttentionMethod> methods, Set<Target> targets,
            ProgressListener progress) throws ModelException {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(methods, "methods");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(progress, "progress");
        if (methods.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "methods %s and targets %s: both must be non-empty", methods, targets));
        }
        EnumSet<AttentionMethod> ms = EnumSet.copyOf(methods);
        EnumSet<Target> ts = EnumSet.copyOf(targets);
        lock.readLock().lock();
        try {
            checkOpen();
            if (!this.methods.containsAll(ms)) {
                EnumSet<AttentionMethod> missing = EnumSet.copyOf(ms);
                missing.removeAll(this.methods);
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "methods %s were not configured for this explainer (built for %s); list"
                                + " them in Builder.methods(...)", ids(missing), ids(this.methods)));
            }
            checkShape(clip);
            boolean gradients = ms.stream().anyMatch(AttentionMethod::usesGradients);
            long total = (gradients ? 1 : 0) + (ms.contains(AttentionMethod.OCCLUSION)
                    ? window.positions(clip.frames(), clip.height(), clip.width()) : 0);
            Provenance model = classifier.provenance();
            List<AttentionMap> maps = new ArrayList<>();
            float[] logits = null;
            if (gradients) {
                logits = gradientMaps(clip, ms, ts, model, maps);
                progress.progress(1, total);
            }
            if (ms.contains(AttentionMethod.OCCLUSION)) {
                logits = occlusion(clip, ts, model, maps, logits, gradients ? 1 : 0, total,
                        progress);
            }
            return Explanation.of(logits, model, maps);
        } finally {
            lock.readLock().unlock();
        }
    }

    private float[] gradientMaps(ClipTensor clip, Set<AttentionMethod> ms, Set<Target> ts,
            Provenance model, List<AttentionMap> maps) throws ModelException {
        List<Target> order = new ArrayList<>(ts);
        int s = order.size();
        int k = classifier.signature().classes();
        float[] seed = new float[s * k];
        for (int i = 0; i < s; i++) {
            seed[i * k + order.get(i).classIndex()] = 1f;
        }
        boolean plain = ms.contains(AttentionMethod.GRADIENT_SALIENCY);
        boolean guided = ms.stream().anyMatch(AttentionMethod::usesGuidedGradient);
        boolean cam = ms.stream().anyMatch(AttentionMethod::usesLayer);
        Set<String> fetch = new LinkedHashSet<>();
        fetch.add(outputs.logits);
        if (plain) {
            fetch.add(outputs.inputGradient);
        }
        if (guided) {
            fetch.add(outputs.guidedInputGradient);
        }
        if (cam) {
            fetch.add(outputs.layerGradient);
            fetch.add(outputs.layerActivation);
        }
        int c = clip.channels();
        int t = clip.frames();
        int h = clip.height();
        int w = clip.width();
        Map<String, Fetched> got = runBackward(clip, seed, s, k, fetch);
        float[] logits = row(got.get(outputs.logits), outputs.logits, 1, k);
        int plane = t * h * w;
        AttentionProvenance plainProv = AttentionProvenance.of(model);
        AttentionProvenance camProv = new AttentionProvenance(model, Optional.ofNullable(layer),
                Optional.empty());
        Fetched gIn = plain ? expect(got, outputs.inputGradient, s, c, t, h, w) : null;
        Fetched gGuided = guided ? expect(got, outputs.guidedInputGradient, s, c, t, h, w) : null;
        Fetched gLayer = cam ? got.get(outputs.layerGradient) : null;
        Fetched aLayer = cam ? got.get(outputs.layerActivation) : null;
        if (cam) {
            checkLayer(gLayer, aLayer, s);
        }
        for (int i = 0; i < s; i++) {
            Target target = order.get(i);
            double[] guidedMap = null;
            if (gGuided != null) {
                guidedMap = MapMath.maxAbsOverChannels(gGuided.values, i * c * plane, c, plane);
            }
            if (plain) {
                maps.add(AttentionMap.of(AttentionMethod.GRADIENT_SALIENCY, target, Volume.wrap(
                        MapMath.maxAbsOverChannels(gIn.values, i * c * plane, c, plane), t, h, w),
                        plainProv));
            }
            if (ms.contains(AttentionMethod.GUIDED_BACKPROP)) {
                maps.add(AttentionMap.of(AttentionMethod.GUIDED_BACKPROP, target,
                        Volume.wrap(guidedMap, t, h, w), plainProv));
            }
            if (cam) {
                long[] ls = gLayer.shape;
                int lc = (int) ls[1];
                int lt = (int) ls[2];
                int lh = (int) ls[3];
                int lw = (int) ls[4];
                int per = lc * lt * lh * lw;
                Volume camMap = Volume.wrap(MapMath.gradCam(aLayer.values, 0, gLayer.values,
                        i * per, lc, lt, lh, lw), lt, lh, lw);
                if (ms.contains(AttentionMethod.GRAD_CAM)) {
                    maps.add(AttentionMap.of(AttentionMethod.GRAD_CAM, target, camMap, camProv));
                }
                if (ms.contains(AttentionMethod.GUIDED_GRAD_CAM)) {
                    double[] up = Trilinear.resize(camMap, t, h, w).toArray();
                    maps.add(AttentionMap.of(AttentionMethod.GUIDED_GRAD_CAM, target,
                            Volume.wrap(MapMath.times(up, guidedMap), t, h, w), camProv));
                }
            }
        }
        return logits;
    }

    private float[] occlusion(ClipTensor clip, Set<Target> ts, Provenance model,
            List<AttentionMap> maps, float[] logits, long done, long total,
            ProgressListener progress) throws ModelException {
        int c = clip.channels();
        int t = clip.frames();
        int h = clip.height();
        int w = clip.width();
        int[] grid = window.gridShape(t, h, w);
        int positions = grid[0] * grid[1] * grid[2];
        int size = clip.size();
        float[] base = clip.toArray();
        List<Target> order = new ArrayList<>(ts);
        double[][] heat = new double[order.size()][positions];
        for (int start = 0; start < positions; start += occlusionBatch) {
            int n = Math.min(occlusionBatch, positions - start);
            float[] batch = new float[n * size];
            for (int b = 0; b < n; b++) {
                System.arraycopy(base, 0, batch, b * size, size);
                blank(batch, b * size, start + b, grid, c, t, h, w);
            }
            float[][] rows = classifier.logits(ClipBatch.of(batch, n, c, t, h, w));
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < order.size(); i++) {
                    heat[i][start + b] = oneMinusSoftmax(rows[b], order.get(i).classIndex());
                }
            }
            progress.progress(done + start + n, total);
        }
        AttentionProvenance prov = new AttentionProvenance(model, Optional.empty(),
                Optional.of(window));
        for (int i = 0; i < order.size(); i++) {
            maps.add(AttentionMap.of(AttentionMethod.OCCLUSION, order.get(i),
                    Volume.wrap(heat[i], grid[0], grid[1], grid[2]), prov));
        }
        if (logits != null) {
            return logits;
        }
        return classifier.logits(ClipBatch.of(clip))[0];
    }

    /** Zeroes, in every channel, the block around grid point {@code p} of the clip at {@code off}. */
    private void blank(float[] data, int off, int p, int[] grid, int c, int t, int h, int w) {
        int gt = p / (grid[1] * grid[2]);
        int gh = p / grid[2] % grid[1];
        int gw = p % grid[2];
        int ct = gt * window.strideT();
        int ch = gh * window.strideH();
        int cw = gw * window.strideW();
        int t0 = Math.max(0, ct - window.radiusT());
        int t1 = Math.min(t, ct + window.radiusT() + 1);
        int h0 = Math.max(0, ch - window.radiusH());
        int h1 = Math.min(h, ch + window.radiusH() + 1);
        int w0 = Math.max(0, cw - window.radiusW());
        int w1 = Math.min(w, cw + window.radiusW() + 1);
        for (int k = 0; k < c; k++) {
            for (int f = t0; f < t1; f++) {
                for (int y = h0; y < h1; y++) {
                    int row = off + ((k * t + f) * h + y) * w;
                    Arrays.fill(data, row + w0, row + w1, 0f);
                }
            }
        }
    }

    /**
     * {@code 1 - softmax(logits)[k]} in double precision, summed over the other classes rather
     * than subtracted from 1, so that it keeps its digits when the class is almost certain.
     */
    static double oneMinusSoftmax(float[] logits, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double mine = Math.exp(logits[k] - max);
        double rest = 0;
        for (int i = 0; i < logits.length; i++) {
            if (i != k) {
                rest += Math.exp(logits[i] - max);
            }
        }
        return rest / (mine + rest);
    }

    /** One output copied out of an ONNX Runtime result. */
    private record Fetched(long[] shape, float[] values) {
    }

    private Map<String, Fetched> runBackward(ClipTensor clip, float[] seed, int s, int k,
            Set<String> fetch) throws ModelException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] x = clip.toArray();
        long[] xShape = {1, clip.channels(), clip.frames(), clip.height(), clip.width()};
        Map<String, Fetched> out = new LinkedHashMap<>();
        try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), xShape);
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed),
                        new long[] {s, k});
                OrtSession.Result r = backward.run(Map.of(classifier.signature().inputName(), xt,
                        outputs.seed, st), fetch)) {
            for (String name : fetch) {
                OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException(
                        "ONNX Runtime returned no value for the requested output " + name));
                OnnxTensor tensor = (OnnxTensor) v;
                long[] shape = tensor.getInfo().getShape();
                FloatBuffer buf = tensor.getFloatBuffer();
                if (buf == null) {
                    throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                            Locale.ROOT, "model %s: backward output %s is %s, expected float",
                            source, name, tensor.getInfo().type));
                }
                float[] values = new float[buf.remaining()];
                buf.get(values);
                out.put(name, new Fetched(shape, values));
            }
            return out;
        } catch (OrtException e) {
            throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(
                    Locale.ROOT, "model %s: ONNX Runtime failed on the backward graph for a clip %s:"
                            + " %s", source, clip, e.getMessage()), e);
        }
    }

    private float[] row(Fetched f, String name, int n, int k) throws ModelException {
        if (f.shape.length != 2 || f.shape[0] != n || f.shape[1] != k) {
            throw unexpected(name, f.shape, "[" + n + ", " + k + "]");
        }
        for (float v : f.values) {
            if (!Float.isFinite(v)) {
                throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(
                        Locale.ROOT, "model %s: logit %s is not finite", source, v));
            }
        }
        return f.values;
    }

    private Fetched expect(Map<String, Fetched> got, String name, long... shape)
            throws ModelException {
        Fetched f = got.get(name);
        if (!Arrays.equals(f.shape, shape)) {
            throw unexpected(name, f.shape, Arrays.toString(shape));
        }
        return f;
    }

    private void checkLayer(Fetched grad, Fetched act, int s) throws ModelException {
        long[] g = grad.shape;
        long[] a = act.shape;
        if (a.length != 5 || a[0] != 1) {
            throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                    Locale.ROOT, "model %s: Grad-CAM layer %s has shape %s for one clip; Grad-CAM"
                            + " needs a rank-5 [1, C, T, h, w] tensor", source, layer,
                    Arrays.toString(a)));
        }
        long[] want = {s, a[1], a[2], a[3], a[4]};
        if (!Arrays.equals(g, want)) {
            throw unexpected(outputs.layerGradient, g, Arrays.toString(want));
        }
    }

    private ModelException unexpected(String name, long[] shape, String expected) {
        return new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(Locale.ROOT,
                "model %s: backward output %s has shape %s, expected %s", source, name,
                Arrays.toString(shape), expected));
    }

    private void checkShape(ClipTensor clip) {
        long[] want = classifier.signature().inputShape();
        int[] got = {1, clip.channels(), clip.frames(), clip.height(), clip.width()};
        for (int i = 1; i < 5; i++) {
            if (want[i] > 0 && want[i] != got[i]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "clip %s does not fit input %s %s of model %s: dimension %c is %d,"
                                + " expected %d", clip, classifier.signature().inputName(),
                        classifier.signature().inputShapeText(), source,
                        "NCTHW".charAt(i), got[i], want[i]));
            }
        }
    }

    private static List<String> ids(Set<AttentionMethod> ms) {
        List<String> out = new ArrayList<>();
        ms.forEach(m -> out.add(m.id()));
        return out;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(CLOSED_MESSAGE);
        }
    }

    /**
     * Releases the native sessions. Idempotent; waits for running calls to finish. A failure of
     * ONNX Runtime while closing is logged (WARN), not thrown.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (backward != null) {
                try {
                    backward.close();
                } catch (OrtException e) {
                    LOG.warn("closing the backward session of model {} failed: {}", source,
                            e.getMessage());
                }
            }
            classifier.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AttentionExplainer[%s, %s%s%s]", source, ids(methods),
                layer == null ? "" : ", layer " + layer, closed ? ", closed" : "");
    }

    /**
     * Configures and builds an explainer: set the model, optionally the methods, the Grad-CAM
     * layer, the occlusion window and the threads, then {@link #build()}, which validates
     * everything. Not thread-safe; it can build several explainers.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private Path modelPath;
        private byte[] modelBytes;
        private String layerName;
        private Set<AttentionMethod> methods = EnumSet.allOf(AttentionMethod.class);
        private OcclusionWindow window = OcclusionWindow.reference();
        private int occlusionBatch = 8;
        private int intraOpThreads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /**
         * @param file the forward ONNX model ({@code [N, 3, T, H, W]} to {@code [N, K]} logits,
         *     K at least 2); read by {@link #build()}
         * @return this builder
         */
        public Builder model(Path file) {
            this.modelPath = Objects.requireNonNull(file, "file");
            this.modelBytes = null;
            return this;
        }

        /**
         * @param bytes a serialised forward ONNX model (copied)
         * @return this builder
         */
        public Builder model(byte[] bytes) {
            this.modelBytes = Objects.requireNonNull(bytes, "bytes").clone();
            this.modelPath = null;
            return this;
        }

        /**
         * @param model a forward ONNX model, e.g. from {@code Mc3Graph}
         * @return this builder
         */
        public Builder model(ModelProto model) {
            return model(OnnxModels.toBytes(Objects.requireNonNull(model, "model")));
        }

        /**
         * @param tensorName the Grad-CAM layer: a rank-5 tensor {@code [N, C, T, h, w]} of the
         *     forward graph; default: {@link ModelInspector#gradCamLayer}
         * @return this builder
         */
        public Builder layer(String tensorName) {
            this.layerName = Objects.requireNonNull(tensorName, "tensorName");
            return this;
        }

        /**
         * @param methods the methods {@link AttentionExplainer#explain} may be asked for, at least
         *     one (copied); default: all five. The backward graph is only built when a gradient
         *     method is among them, so an occlusion-only explainer works on any classifier.
         * @return this builder
         * @throws IllegalArgumentException if {@code methods} is empty
         */
        public Builder methods(Set<AttentionMethod> methods) {
            Objects.requireNonNull(methods, "methods");
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("methods: at least one method is needed");
            }
            this.methods = Collections.unmodifiableSet(EnumSet.copyOf(methods));
            return this;
        }

        /**
         * @param window the occlusion window; default {@link OcclusionWindow#reference()}
         * @return this builder
         */
        public Builder occlusion(OcclusionWindow window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        /**
         * @param clips occluded clips per forward run, at least 1; default 8 (memory grows with
         *     it: 8 clips of {@code 3 x 15 x 160 x 160} are 37 MB of input)
         * @return this builder
         * @throws IllegalArgumentException if {@code clips} is below 1
         */
        public Builder occlusionBatchSize(int clips) {
            if (clips < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "occlusionBatchSize: %d, must be at least 1", clips));
            }
            this.occlusionBatch = clips;
            return this;
        }

        /**
         * @param threads ONNX Runtime's intra-op threads, at least 1; default: the number of
         *     available processors
         * @return this builder
         * @throws IllegalArgumentException if {@code threads} is below 1
         */
        public Builder intraOpThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "intraOpThreads: %d, must be at least 1", threads));
            }
            this.intraOpThreads = threads;
            return this;
        }

        /**
         * Reads the model, checks it is a video classifier, builds the backward graph (when a
         * gradient method is configured) and opens the ONNX Runtime sessions.
         *
         * @return the explainer; close it
         * @throws IllegalStateException if no model was set
         * @throws IllegalArgumentException if the Grad-CAM layer is not a tensor of the model
         *     (the message lists the candidate Conv outputs), the default layer cannot be found,
         *     or the graph has an operator the backward graph cannot differentiate
         *     ({@code UnsupportedOpException}, naming the operator and node)
         * @throws ModelException if the model cannot be read or loaded, is not a video
         *     classifier, or ONNX Runtime refuses the backward graph
         */
        public AttentionExplainer build() throws ModelException {
            if (modelPath == null && modelBytes == null) {
                throw new IllegalStateException("no model: call model(...) before build()");
            }
            String source = modelPath != null ? modelPath.toString()
                    : "(" + modelBytes.length + " bytes)";
            byte[] bytes = modelBytes != null ? modelBytes : read(modelPath);
            ModelProto forward;
            try {
                forward = OnnxModels.parse(bytes, source);
            } catch (IllegalArgumentException e) {
                throw new ModelException(ModelException.Reason.CORRUPT, e.getMessage(), e);
            }
            EngagementClassifier classifier = EngagementClassifier.builder().model(bytes)
                    .exposeEmbedding(false).intraOpThreads(intraOpThreads).interOpThreads(1)
                    .build();
            OrtSession session = null;
            try {
                ModelSignature sig = classifier.signature();
                boolean cam = methods.stream().anyMatch(AttentionMethod::usesLayer);
                boolean gradients = methods.stream().anyMatch(AttentionMethod::usesGradients);
                String layer = cam ? resolveLayer(forward, layerName, source) : null;
                Outputs outs = null;
                if (gradients) {
                    boolean guided = methods.stream().anyMatch(AttentionMethod::usesGuidedGradient);
                    boolean input = guided || methods.contains(AttentionMethod.GRADIENT_SALIENCY);
                    List<String> wrt = new ArrayList<>();
                    if (input) {
                        wrt.add(sig.inputName());
                    }
                    if (cam) {
                        wrt.add(layer);
                    }
                    ModelProto fwd = cam ? ModelEditor.exposeOutput(forward, layer) : forward;
                    BackwardModel bm = BackwardGraph.of(fwd).logits(sig.logitsName())
                            .withRespectTo(wrt.toArray(new String[0])).guided(guided).build();
                    outs = new Outputs(bm.seedInput(), sig.logitsName(),
                            input ? output(bm.gradientOutputs(), sig.inputName(), source) : null,
                            guided ? output(bm.guidedGradientOutputs(), sig.inputName(), source)
                                    : null,
                            cam ? output(bm.gradientOutputs(), layer, source) : null, layer);
                    session = open(bm.model(), source);
                    LOG.info("model {}: backward graph of {} nodes for {} (layer {}), {} intra-op"
                            + " threads", source, bm.model().getGraph().getNodeCount(),
                            ids(methods), layer, intraOpThreads);
                }
                return new AttentionExplainer(classifier, session, outs, methods, layer, window,
                        occlusionBatch, source);
            } catch (ModelException | RuntimeException e) {
                if (session != null) {
                    try {
                        session.close();
                    } catch (OrtException ce) {
                        LOG.warn("closing the backward session of refused model {} failed: {}",
                                source, ce.getMessage());
                    }
                }
                classifier.close();
                throw e;
            }
        }

        private static String output(Map<String, String> outputs, String wrt, String source)
                throws ModelException {
            String name = outputs.get(wrt);
            if (name == null) {
                throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                        Locale.ROOT, "model %s: the backward graph has no gradient output for %s"
                                + " (it has %s)", source, wrt, outputs));
            }
            return name;
        }

        private OrtSession open(ModelProto model, String source) throws ModelException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(intraOpThreads);
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                return env.createSession(OnnxModels.toBytes(model), options);
            } catch (OrtException e) {
                throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(
                        Locale.ROOT, "model %s: ONNX Runtime cannot load its backward graph: %s",
                        source, e.getMessage()), e);
            }
        }

        private static byte[] read(Path file) throws ModelException {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ModelException(ModelException.Reason.UNREADABLE, String.format(
                        Locale.ROOT, "model %s: cannot be read: %s", file, e), e);
            }
        }
    }

    /**
     * The Grad-CAM layer: the caller's tensor if the graph has it, else the inspector's default.
     */
    static String resolveLayer(ModelProto model, String requested, String source) {
        if (requested == null) {
            try {
                return ModelInspector.gradCamLayer(model).name();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "model %s: no default Grad-CAM layer (%s); name one (candidates, the"
                                + " Conv outputs in graph order: %s)", source, e.getMessage(),
                        convOutputs(model)), e);
            }
        }
        boolean found = model.getGraph().getNodeList().stream()
                .anyMatch(n -> n.getOutputList().contains(requested));
        if (!found) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model %s has no layer '%s' (no node produces that tensor); candidate"
                            + " Grad-CAM layers, the Conv outputs in graph order: %s", source,
                    requested, convOutputs(model)));
        }
        return requested;
    }

    /** @return the first output of every Conv node, in graph order */
    static List<String> convOutputs(ModelProto model) {
        List<String> out = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (n.getOpType().equals("Conv") && n.getOutputCount() > 0) {
                out.add(n.getOutput(0));
            }
        }
        return out;
    }
}
