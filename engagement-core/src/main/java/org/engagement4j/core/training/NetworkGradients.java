package org.engagement4j.core.training;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.graph.backward.BackwardGraph;
import org.engagement4j.core.graph.backward.BackwardModel;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.Provider;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.TypeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * The gradient of the class-weighted cross-entropy of a mini-batch with respect to every weight of a
 * forward classifier, computed on ONNX Runtime (CPU) from the backward graph of
 * {@link BackwardGraph}: the engine of {@link FineTuner}.
 *
 * <p>The forward model's float initializers (or a chosen subset) become graph inputs, so one
 * session serves every optimiser step: the weights are fed from Java arrays at each run. Two
 * sessions are used: the forward graph gives the logits {@code z}; Java turns them into
 * {@code seed[n] = w[y_n] (softmax(z_n) - onehot(y_n)) / normaliser} (the derivative of the loss
 * with respect to the logits); the backward graph, fed that seed, returns per row
 * {@code d(seed[n] . z_n) / d theta}, whose sum over rows is {@code dL/d theta} for
 * {@code L = sum_n w[y_n] nll_n / normaliser}. With {@code normaliser = sum_n w[y_n]} over the batch
 * this is torch's {@code CrossEntropyLoss(weight=w)} with reduction mean; gradient accumulation
 * passes the normaliser of the whole effective batch to each micro-batch.
 *
 * <p><b>BatchNorm</b>: our mc3 graphs fold every BatchNorm into its convolution
 * ({@code Mc3Graph}), which is exactly BatchNorm in inference mode with frozen running statistics;
 * the folded convolution weight and bias are the trained parameters (the running statistics, scale
 * and shift are not separately trainable). A graph with explicit BatchNormalization nodes is
 * differentiated in inference mode too; its scale, bias, mean and variance can be excluded from the
 * parameters with {@link #of(ModelProto, List, int)}.
 *
 * <p>Not thread-safe; {@link #close()} is idempotent.
 *
 * @since 0.1.0
 */
public final class NetworkGradients implements AutoCloseable {

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private final OrtEnvironment env;
    private final OrtSession forward;
    private final OrtSession backward;
    private final String input;
    private final String logits;
    private final String seed;
    private final Map<String, long[]> shapes;
    private final Map<String, String> gradientOutputs;
    private final Map<String, float[]> initial;
    private boolean closed;

    private NetworkGradients(OrtEnvironment env, OrtSession forward, OrtSession backward, String input,
            String logits, String seed, Map<String, long[]> shapes, Map<String, String> gradientOutputs,
            Map<String, float[]> initial) {
        this.env = env;
        this.forward = forward;
        this.backward = backward;
        this.input = input;
        this.logits = logits;
        this.seed = seed;
        this.shapes = shapes;
        this.gradientOutputs = gradientOutputs;
        this.initial = initial;
    }

    /**
     * Every float initializer of the model is a parameter.
     *
     * @param model a forward classifier: one graph input {@code [batch, ...]} (after its
     *     initializers are taken out), one output {@code [batch, K]}
     * @param threads ONNX Runtime intra-op threads (at least 1)
     * @return the engine
     * @throws ModelException if ONNX Runtime rejects the model
     * @throws IllegalArgumentException if the model has no float initializer, a float initializer
     *     does not reach the logits (use {@link #of(ModelProto, List, int)} to leave it out), the
     *     model has not exactly one data input, or an operator without a gradient rule
     */
    public static NetworkGradients of(ModelProto model, int threads) throws ModelException {
        List<String> names = new ArrayList<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() == FLOAT) {
                names.add(t.getName());
            }
        }
        return of(model, names, threads);
    }

    /**
     * @param model a forward classifier (see {@link #of(ModelProto, int)})
     * @param parameters the float initializers to train, in order; the others stay constants
     * @param threads ONNX Runtime intra-op threads (at least 1)
     * @return the engine
     * @throws ModelException if ONNX Runtime rejects the model
     * @throws IllegalArgumentException if a name is not a float initializer of the model (the
     *     message lists them), the list is empty, the model has not exactly one data input, or an
     *     operator on a differentiated path has no gradient rule
     */
    public static NetworkGradients of(ModelProto model, List<String> parameters, int threads)
            throws ModelException {
        return of(model, parameters, threads, Provider.CPU);
    }

    /**
     * As {@link #of(ModelProto, List, int)} on a chosen execution provider. {@link Provider#CUDA}
     * needs what {@link org.engagement4j.core.model.EngagementClassifier} needs for it (the
     * {@code onnxruntime_gpu} artifact, a GPU, CUDA and cuDNN); unlike the classifier there is no
     * CPU fallback, because a training run that silently moves to the CPU would take days
     * instead of hours: ask for {@link Provider#CPU} instead.
     *
     * @param model a forward classifier (see {@link #of(ModelProto, int)})
     * @param parameters the float initializers to train, in order
     * @param threads ONNX Runtime intra-op threads (at least 1)
     * @param provider where both sessions run
     * @return the engine
     * @throws ModelException with {@link ModelException.Reason#PROVIDER_UNAVAILABLE} if CUDA was
     *     asked for and this ONNX Runtime build or machine cannot use it (the message says why),
     *     or as {@link #of(ModelProto, List, int)}
     * @throws IllegalArgumentException as {@link #of(ModelProto, List, int)}
     */
    public static NetworkGradients of(ModelProto model, List<String> parameters, int threads,
            Provider provider) throws ModelException {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(parameters, "parameters");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("no parameters to train: the list is empty");
        }
        Map<String, TensorProto> floats = new LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() == FLOAT) {
                floats.put(t.getName(), t);
            }
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> initial = new LinkedHashMap<>();
        for (String p : parameters) {
            TensorProto t = floats.get(p);
            if (t == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "parameter '%s' is not a float initializer of graph '%s'; expected one of %s", p,
                        model.getGraph().getName(), floats.keySet()));
            }
            shapes.put(p, Tensors.dims(t));
            initial.put(p, Tensors.toFloats(t));
        }
        Set<String> initNames = new HashSet<>();
        model.getGraph().getInitializerList().forEach(t -> initNames.add(t.getName()));
        List<String> dataInputs = new ArrayList<>();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (!initNames.contains(v.getName())) {
                dataInputs.add(v.getName());
            }
        }
        if (dataInputs.size() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s' has data inputs %s; fine-tuning needs exactly one (the clips)",
                    model.getGraph().getName(), dataInputs));
        }
        if (model.getGraph().getOutputCount() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s' has %d outputs; fine-tuning needs exactly one (the logits)",
                    model.getGraph().getName(), model.getGraph().getOutputCount()));
        }
        String logits = model.getGraph().getOutput(0).getName();
        BackwardModel bw = BackwardGraph.of(model).withRespectTo(parameters.toArray(String[]::new)).build();
        ModelProto fwd = weightsAsInputs(model, shapes);
        ModelProto bwd = weightsAsInputs(bw.model(), shapes);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession f = null;
        if (provider == Provider.CUDA && !OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            // The classifier's wording, so that a user meets one message for one problem.
            throw new ModelException(ModelException.Reason.PROVIDER_UNAVAILABLE, String.format(Locale.ROOT,
                    "fine-tuning graphs of '%s': provider CUDA requested but this ONNX Runtime build has no CUDA"
                            + " execution provider (available: %s); use the onnxruntime_gpu artifact"
                            + " (engagement-core's cuda Maven profile)", model.getGraph().getName(),
                    OrtEnvironment.getAvailableProviders()));
        }
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            if (provider == Provider.CUDA) {
                try {
                    opts.addCUDA(0);
                } catch (OrtException e) {
                    throw new ModelException(ModelException.Reason.PROVIDER_UNAVAILABLE, String.format(Locale.ROOT,
                            "fine-tuning graphs of '%s': provider CUDA requested but the CUDA execution provider"
                                    + " could not be loaded for device 0: %s", model.getGraph().getName(),
                            e.getMessage()), e);
                }
            }
            f = env.createSession(OnnxModels.toBytes(fwd), opts);
            OrtSession b = env.createSession(OnnxModels.toBytes(bwd), opts);
            return new NetworkGradients(env, f, b, dataInputs.get(0), logits, bw.seedInput(), shapes,
                    new LinkedHashMap<>(bw.gradientOutputs()), initial);
        } catch (OrtException e) {
            closeQuietly(f);
            throw new ModelException(ModelException.Reason.CORRUPT, String.format(Locale.ROOT,
                    "ONNX Runtime rejected the fine-tuning graphs of '%s': %s", model.getGraph().getName(),
                    e.getMessage()), e);
        }
    }

    /** Moves the parameters from initializers to graph inputs, so that each run feeds them. */
    private static ModelProto weightsAsInputs(ModelProto model, Map<String, long[]> shapes) {
        GraphProto.Builder g = model.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (!shapes.containsKey(t.getName())) {
                g.addInitializer(t);
            }
        }
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (long d : e.getValue()) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            g.addInput(ValueInfoProto.newBuilder().setName(e.getKey()).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(s))));
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** @return the parameter names, in training order */
    public List<String> parameterNames() {
        return List.copyOf(shapes.keySet());
    }

    /**
     * @param name a parameter name
     * @return its shape (a copy)
     * @throws IllegalArgumentException if the name is not a parameter
     */
    public long[] shape(String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "'%s' is not a parameter; expected one of %s", name, shapes.keySet()));
        }
        return s.clone();
    }

    /** @return the model's own weights, parameter name to a copy of its values */
    public Map<String, float[]> initialWeights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        initial.forEach((k, v) -> out.put(k, v.clone()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The loss and gradient of one (micro-)batch.
     *
     * @param weights parameter name to values (every parameter, its shape's size)
     * @param clips the batch in C order, {@code batchShape} elements
     * @param batchShape the data input's shape, batch first
     * @param labels one per clip (true = class 1)
     * @param classWeight the weight of class 0 and class 1 (both positive and finite)
     * @param normaliser the divisor of the summed weighted losses (positive; the total class weight
     *     of the effective batch)
     * @return the summed weighted negative log-likelihood, the summed class weights, the logits and
     *     {@code dL/dtheta} per parameter for {@code L = sum w[y] nll / normaliser}
     * @throws IllegalArgumentException if a weight is missing or misshapen, sizes disagree, or the
     *     class weights or normaliser are not positive and finite
     * @throws ModelException if ONNX Runtime fails ({@link ModelException.Reason#RUNTIME_FAILURE})
     * @throws IllegalStateException if closed
     */
    public BatchGradient compute(Map<String, float[]> weights, float[] clips, long[] batchShape,
            boolean[] labels, double[] classWeight, double normaliser) throws ModelException {
        if (closed) {
            throw new IllegalStateException("NetworkGradients is closed");
        }
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(batchShape, "batchShape");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classWeight, "classWeight");
        long size = 1;
        for (long d : batchShape) {
            size *= d;
        }
        if (batchShape.length == 0 || batchShape[0] != labels.length || size != clips.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "batch shape %s, %d values and %d labels disagree", java.util.Arrays.toString(batchShape),
                    clips.length, labels.length));
        }
        if (classWeight.length != 2 || !(classWeight[0] > 0) || !(classWeight[1] > 0)
                || !Double.isFinite(classWeight[0]) || !Double.isFinite(classWeight[1])) {
            throw new IllegalArgumentException("class weights must be two positive finite numbers, got "
                    + java.util.Arrays.toString(classWeight));
        }
        if (!(normaliser > 0) || !Double.isFinite(normaliser)) {
            throw new IllegalArgumentException("normaliser must be positive and finite, got " + normaliser);
        }
        int n = labels.length;
        List<OnnxTensor> created = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feed = feed(weights, clips, batchShape, created);
            float[] z = forwardLogits(feed);
            int k = 2;

            float[] seedRows = new float[n * k];
            double nll = 0;
            double wsum = 0;
            for (int i = 0; i < n; i++) {
                double m = Math.max(z[i * k], z[i * k + 1]);
                double lse = m + Math.log(Math.exp(z[i * k] - m) + Math.exp(z[i * k + 1] - m));
                int y = labels[i] ? 1 : 0;
                double cw = classWeight[y];
                nll += cw * (lse - z[i * k + y]);
                wsum += cw;
                for (int c = 0; c < k; c++) {
                    seedRows[i * k + c] = (float) (cw * (Math.exp(z[i * k + c] - lse) - (c == y ? 1 : 0))
                            / normaliser);
                }
            }
            OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(seedRows), new long[] {n, k});
            created.add(s);
            feed.put(seed, s);
            Map<String, double[]> grads = new LinkedHashMap<>();
            try (OrtSession.Result r = backward.run(feed, new HashSet<>(gradientOutputs.values()))) {
                for (Map.Entry<String, String> e : gradientOutputs.entrySet()) {
                    OnnxValue v = r.get(e.getValue()).orElseThrow();
                    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
                    int per = fb.remaining() / n;
                    double[] g = new double[per];
                    for (int row = 0; row < n; row++) {
                        for (int j = 0; j < per; j++) {
                            g[j] += fb.get(row * per + j);
                        }
                    }
                    grads.put(e.getKey(), g);
                }
            }
            return new BatchGradient(nll, wsum, z, grads);
        } catch (OrtException e) {
            throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(Locale.ROOT,
                    "ONNX Runtime failed on a fine-tuning batch of %d clips: %s", n, e.getMessage()), e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /**
     * The forward logits of a batch under given weights (no gradient): what {@link FineTuner}
     * evaluates validation and test clips with.
     *
     * @param weights parameter name to values (every parameter, its shape's size)
     * @param clips the batch in C order, {@code batchShape} elements
     * @param batchShape the data input's shape, batch first
     * @return the logits {@code [N, 2]} in C order
     * @throws IllegalArgumentException if a weight is missing or misshapen, or the sizes disagree
     * @throws ModelException if ONNX Runtime fails ({@link ModelException.Reason#RUNTIME_FAILURE})
     * @throws IllegalStateException if closed
     */
    public float[] logits(Map<String, float[]> weights, float[] clips, long[] batchShape) throws ModelException {
        if (closed) {
            throw new IllegalStateException("NetworkGradients is closed");
        }
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(clips, "clips");
        Objects.requireNonNull(batchShape, "batchShape");
        long size = 1;
        for (long d : batchShape) {
            size *= d;
        }
        if (batchShape.length == 0 || size != clips.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "batch shape %s and %d values disagree", java.util.Arrays.toString(batchShape), clips.length));
        }
        List<OnnxTensor> created = new ArrayList<>();
        try {
            return forwardLogits(feed(weights, clips, batchShape, created));
        } catch (OrtException e) {
            throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(Locale.ROOT,
                    "ONNX Runtime failed on an evaluation batch of %d clips: %s", batchShape[0], e.getMessage()), e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** Builds the forward feed; every tensor made goes into {@code created} for the caller to close. */
    private Map<String, OnnxTensor> feed(Map<String, float[]> weights, float[] clips, long[] batchShape,
            List<OnnxTensor> created) throws OrtException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                float[] w = weights.get(e.getKey());
                long count = 1;
                for (long d : e.getValue()) {
                    count *= d;
                }
                if (w == null || w.length != count) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "weight '%s': expected %d values, got %s", e.getKey(), count,
                            w == null ? "none" : String.valueOf(w.length)));
                }
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(w), e.getValue());
                created.add(t);
                feed.put(e.getKey(), t);
            }
            OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(clips), batchShape);
            created.add(x);
            feed.put(input, x);
        return feed;
    }

    private float[] forwardLogits(Map<String, OnnxTensor> feed) throws OrtException {
        try (OrtSession.Result r = forward.run(feed)) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            int k = (int) shape[1];
            if (k != 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the logits '%s' have %d classes; binary engagement needs 2", logits, k));
            }
            FloatBuffer fb = out.getFloatBuffer();
            float[] z = new float[fb.remaining()];
            fb.get(z);
            return z;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(forward);
            closeQuietly(backward);
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException e) {
                org.slf4j.LoggerFactory.getLogger(NetworkGradients.class)
                        .warn("closing an ONNX Runtime session failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NetworkGradients[%d parameters, input=%s, logits=%s, closed=%b]",
                shapes.size(), input, logits, closed);
    }
}
