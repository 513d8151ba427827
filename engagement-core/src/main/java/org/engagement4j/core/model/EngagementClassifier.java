package org.engagement4j.core.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.graph.Conv3dLowering;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.quant.Int8Quantizer;
import org.engagement4j.core.transform.ClipTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engagement classifier: torchvision's mc3_18 (or any video classifier with the same
 * interface) exported to ONNX and run with ONNX Runtime (Fraile et al., ICMI 2022, Section 4;
 * REFERENCE.md §6). It sits between {@link SnippetEncoder} (frames to normalised tensors) and
 * {@link ScoreDecoder} (logits to {@link EngagementScore}).
 *
 * <h2>Models</h2>
 * A forward graph with one float input {@code [N, 3, T, H, W]} (normalised clips; batch and time
 * usually dynamic) and a float logits output {@code [N, classes]}: the paper's models
 * ({@code fc} replaced by {@code Linear(512, 2)}) and the original Kinetics-400 model alike,
 * exported by {@code torch.onnx.export} with opsets 13 to 17 or built by
 * {@link org.engagement4j.core.graph.Mc3Graph}. The input and output are checked when the model
 * is loaded; a model that does not fit raises {@link ModelException} with reason
 * {@link ModelException.Reason#UNSUPPORTED_MODEL} and a message saying what was expected
 * ("expected one of [...]").
 *
 * <p>When the graph ends like a torchvision export ({@code GlobalAveragePool -> Flatten -> Gemm}),
 * the pooled, flattened tensor (the 512-d encoder output of mc3_18) is added as an extra graph
 * output so that {@link #embed(ClipBatch)} can return it without a second model; the file itself
 * is not changed and the {@link Provenance#modelSha256() hash} is that of the caller's bytes.
 *
 * <h2>Running</h2>
 * On the CPU by default, with explicit intra- and inter-op thread counts
 * ({@link Builder#intraOpThreads(int)}, {@link Builder#interOpThreads(int)}). CUDA on request
 * ({@link Builder#provider(Provider)}): it needs the {@code onnxruntime_gpu} artifact (the
 * {@code cuda} Maven profile); if the CUDA provider cannot be used, {@link Builder#build()} fails
 * with {@link ModelException.Reason#PROVIDER_UNAVAILABLE}, or falls back to the CPU when the
 * caller {@linkplain Builder#allowCpuFallback(boolean) allowed it}. The provider that runs is
 * logged (SLF4J, INFO) and recorded in every result's {@link Provenance}.
 *
 * <h2>Speed and precision</h2>
 * By default the 3-D convolutions of a float32 model run as exact 2-D ones
 * ({@link Builder#lowerConv3d(boolean)}, {@link Conv3dLowering}), which ONNX Runtime's CPU
 * kernels run faster; outputs are unchanged up to float rounding. {@link Precision#INT8} runs
 * int8 convolutions: a quantised model file, or a float model quantised at load
 * ({@link Builder#precision(Precision)}, {@link Builder#calibration(List)}); every result's
 * {@link Provenance#precision()} says which.
 *
 * <h2>Lifetime and threads</h2>
 * A classifier holds a native ONNX Runtime session: close it ({@code try}-with-resources).
 * {@link #close()} is idempotent; every other method of a closed classifier throws
 * {@link IllegalStateException} with the message {@code "EngagementClassifier is closed"}.
 * All methods are safe to call from several threads at once: ONNX Runtime runs concurrent
 * requests on one session, and {@link #close()} waits until running calls have finished.
 *
 * <h2>Errors</h2>
 * Caller mistakes (a batch whose shape does not fit the model's fixed dimensions) raise
 * {@link IllegalArgumentException} naming the dimension, its value and the expected one. Failures
 * of the model or the runtime raise the checked {@link ModelException}; ONNX Runtime's own
 * {@code OrtException} never escapes.
 *
 * @since 0.1.0
 */
public final class EngagementClassifier implements AutoCloseable {

    /** The message of the {@link IllegalStateException} thrown by a closed classifier. */
    public static final String CLOSED_MESSAGE = "EngagementClassifier is closed";

    private static final Logger LOG = LoggerFactory.getLogger(EngagementClassifier.class);

    private final OrtSession session;
    private final ModelSignature signature;
    private final Provenance provenance;
    private final ScoreDecoder decoder;
    private final String source;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private EngagementClassifier(OrtSession session, ModelSignature signature,
            Provenance provenance, ScoreDecoder decoder, String source) {
        this.session = session;
        this.signature = signature;
        this.provenance = provenance;
        this.decoder = decoder;
        this.source = source;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The signature of the model: input, logits and embedding outputs, opset.
     *
     * @return the signature
     * @throws IllegalStateException if the classifier is closed
     */
    public ModelSignature signature() {
        checkOpen();
        return signature;
    }

    /**
     * The provenance every result of this classifier carries.
     *
     * @return the provenance
     * @throws IllegalStateException if the classifier is closed
     */
    public Provenance provenance() {
        checkOpen();
        return provenance;
    }

    /**
     * @return the decoder that turns logits into scores (target class 1 unless the builder said
     *     otherwise)
     * @throws IllegalStateException if the classifier is closed
     */
    public ScoreDecoder decoder() {
        checkOpen();
        return decoder;
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Scores one normalised clip.
     *
     * @param clip a normalised {@code [C, T, H, W]} clip (see {@link SnippetEncoder})
     * @return its score
     * @throws IllegalArgumentException if the clip does not fit the model's fixed dimensions
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException if ONNX Runtime fails or the model produces a non-finite logit
     */
    public EngagementScore predict(ClipTensor clip) throws ModelException {
        return predict(ClipBatch.of(Objects.requireNonNull(clip, "clip"))).get(0);
    }

    /**
     * Scores a batch of normalised clips.
     *
     * @param batch the clips
     * @return one score per clip, in order
     * @throws IllegalArgumentException if the batch does not fit the model's fixed dimensions
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException if ONNX Runtime fails or the model produces a non-finite logit
     */
    public List<EngagementScore> predict(ClipBatch batch) throws ModelException {
        float[][] rows = logits(batch);
        List<EngagementScore> out = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            out.add(decoder.decode(row, provenance));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The raw logits of a batch.
     *
     * @param batch the clips
     * @return {@code [N][classes]} logits, new arrays
     * @throws IllegalArgumentException if the batch does not fit the model's fixed dimensions
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException if ONNX Runtime fails or the model produces a non-finite logit
     */
    public float[][] logits(ClipBatch batch) throws ModelException {
        float[][] rows = run(batch, signature.logitsName());
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < rows[i].length; k++) {
                if (!Float.isFinite(rows[i][k])) {
                    throw new ModelException(ModelException.Reason.RUNTIME_FAILURE,
                            String.format(Locale.ROOT, "model %s: logit %d of clip %d is %s; the"
                                    + " model produced a non-finite value", source, k, i,
                                    rows[i][k]));
                }
            }
        }
        return rows;
    }

    /**
     * The softmax probabilities of a batch ({@link ScoreDecoder#softmax(float[])} of each row of
     * {@link #logits(ClipBatch)}).
     *
     * @param batch the clips
     * @return {@code [N][classes]} probabilities, new arrays
     * @throws IllegalArgumentException if the batch does not fit the model's fixed dimensions
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException if ONNX Runtime fails or the model produces a non-finite logit
     */
    public double[][] probabilities(ClipBatch batch) throws ModelException {
        float[][] rows = logits(batch);
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = ScoreDecoder.softmax(rows[i]);
        }
        return out;
    }

    /**
     * The encoder output of one clip: for mc3_18 the 512 values of the globally average-pooled
     * {@code layer4} map that the final {@code Linear} layer reads (what the reference baked to
     * disk for head training, REFERENCE.md §6).
     *
     * @param clip a normalised clip
     * @return its embedding
     * @throws IllegalArgumentException if the clip does not fit the model's fixed dimensions
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException with reason {@link ModelException.Reason#UNSUPPORTED_MODEL} if no
     *     encoder output was found in the model (see {@link ModelSignature#embeddingName()}), or
     *     if ONNX Runtime fails
     */
    public Embedding embed(ClipTensor clip) throws ModelException {
        return embed(ClipBatch.of(Objects.requireNonNull(clip, "clip"))).get(0);
    }

    /**
     * The encoder outputs of a batch.
     *
     * @param batch the clips
     * @return one embedding per clip, in order
     * @throws IllegalArgumentException if the batch does not fit the model's fixed dimensions
     * @throws IllegalStateException if the classifier is closed
     * @throws ModelException with reason {@link ModelException.Reason#UNSUPPORTED_MODEL} if no
     *     encoder output was found in the model, or if ONNX Runtime fails
     */
    public List<Embedding> embed(ClipBatch batch) throws ModelException {
        checkOpen();
        if (signature.embeddingName().isEmpty()) {
            throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                    Locale.ROOT, "model %s: no encoder output; embed() needs a graph that ends"
                            + " GlobalAveragePool -> Flatten -> Gemm like a torchvision export",
                    source));
        }
        float[][] rows = run(batch, signature.embeddingName().get());
        List<Embedding> out = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            out.add(new Embedding(row, provenance));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Runs the session and copies one rank-2 output out before the result is closed.
     */
    private float[][] run(ClipBatch batch, String output) throws ModelException {
        Objects.requireNonNull(batch, "batch");
        lock.readLock().lock();
        try {
            checkOpen();
            checkShape(batch);
            int[] shape = batch.shape();
            long[] dims = new long[] {shape[0], shape[1], shape[2], shape[3], shape[4]};
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.data()),
                    dims);
                    OrtSession.Result result = session.run(Map.of(signature.inputName(), input),
                            Set.of(output))) {
                OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException(
                        "ONNX Runtime returned no value for the requested output " + output));
                return copyRows((OnnxTensor) value, output, shape[0]);
            }
        } catch (OrtException e) {
            throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(
                    Locale.ROOT, "model %s: ONNX Runtime failed on a batch %s: %s", source, batch,
                    e.getMessage()), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    private float[][] copyRows(OnnxTensor tensor, String output, int n) throws ModelException {
        long[] shape = tensor.getInfo().getShape();
        if (shape.length != 2 || shape[0] != n || shape[1] < 1
                || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                    Locale.ROOT, "model %s: output %s is %s %s for a batch of %d, expected float"
                            + " [%d, K]", source, output, tensor.getInfo().type,
                    Arrays.toString(shape), n, n));
        }
        FloatBuffer buf = tensor.getFloatBuffer();
        int k = (int) shape[1];
        float[][] rows = new float[n][k];
        for (int i = 0; i < n; i++) {
            buf.get(rows[i]);
        }
        return rows;
    }

    private void checkShape(ClipBatch batch) {
        int[] got = batch.shape();
        long[] want = signature.inputShape();
        for (int i = 0; i < 5; i++) {
            if (want[i] > 0 && want[i] != got[i]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "batch %s does not fit input %s %s of model %s: dimension %s is %d,"
                                + " expected %d", batch, signature.inputName(),
                        signature.inputShapeText(), source, ModelSignature.AXES.get(i), got[i],
                        want[i]));
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(CLOSED_MESSAGE);
        }
    }

    /**
     * Releases the native session. Idempotent; waits for running calls to finish. A failure of
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
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing the ONNX Runtime session of model {} failed: {}", source,
                        e.getMessage());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EngagementClassifier[%s, %s, %s%s]", source,
                signature, provenance.provider(), closed ? ", closed" : "");
    }

    /** ONNX Runtime's graph optimisation levels ({@code GraphOptimizationLevel}). */
    public enum Optimization {
        /** No graph optimisation. */
        NONE(OrtSession.SessionOptions.OptLevel.NO_OPT),
        /** Constant folding and redundant-node removal. */
        BASIC(OrtSession.SessionOptions.OptLevel.BASIC_OPT),
        /** Also fusions of common node patterns. */
        EXTENDED(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT),
        /** Also layout optimisations (NCHWc convolutions on the CPU): ONNX Runtime's default. */
        ALL(OrtSession.SessionOptions.OptLevel.ALL_OPT);

        private final OrtSession.SessionOptions.OptLevel level;

        Optimization(OrtSession.SessionOptions.OptLevel level) {
            this.level = level;
        }
    }

    /**
     * Configures and loads a classifier, in the manner of DJL's {@code Criteria}: set the model,
     * optionally the threads, provider and session options, then {@link #build()}, which
     * validates everything. A builder is not thread-safe; it can build several classifiers.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private Path modelPath;
        private byte[] modelBytes;
        private int intraOpThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int interOpThreads = 1;
        private Provider provider = Provider.CPU;
        private boolean allowCpuFallback;
        private int cudaDevice;
        private String inputName;
        private String outputName;
        private boolean exposeEmbedding = true;
        private ScoreDecoder decoder = ScoreDecoder.of();
        private Optimization optimization = Optimization.ALL;
        private boolean memoryPattern = true;
        private boolean cpuArena = true;
        private final Map<String, String> config = new LinkedHashMap<>();
        private boolean lowerConv3d = true;
        private Precision precision = Precision.FP32;
        private List<FloatTensor> calibration = List.of();
        private Int8Quantizer quantizer = Int8Quantizer.defaults();

        private Builder() {
        }

        /**
         * @param file the ONNX model file; read by {@link #build()}
         * @return this builder
         */
        public Builder model(Path file) {
            this.modelPath = Objects.requireNonNull(file, "file");
            this.modelBytes = null;
            return this;
        }

        /**
         * @param bytes a serialised ONNX model (copied)
         * @return this builder
         */
        public Builder model(byte[] bytes) {
            this.modelBytes = Objects.requireNonNull(bytes, "bytes").clone();
            this.modelPath = null;
            return this;
        }

        /**
         * @param threads ONNX Runtime's intra-op threads (threads inside one operator), at least
         *     1; default: the number of available processors
         * @return this builder
         * @throws IllegalArgumentException if {@code threads} is below 1
         */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = positive("intraOpThreads", threads);
            return this;
        }

        /**
         * @param threads ONNX Runtime's inter-op threads (operators run in parallel; only used
         *     with parallel execution, which this class does not enable), at least 1; default 1
         * @return this builder
         * @throws IllegalArgumentException if {@code threads} is below 1
         */
        public Builder interOpThreads(int threads) {
            this.interOpThreads = positive("interOpThreads", threads);
            return this;
        }

        /**
         * @param provider the execution provider; default {@link Provider#CPU}
         * @return this builder
         */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * @param allow whether {@link #build()} may run the model on the CPU when the requested
         *     provider cannot be used (a warning is logged); default {@code false}: fail instead
         * @return this builder
         */
        public Builder allowCpuFallback(boolean allow) {
            this.allowCpuFallback = allow;
            return this;
        }

        /**
         * @param device the CUDA device index, at least 0; default 0
         * @return this builder
         * @throws IllegalArgumentException if {@code device} is negative
         */
        public Builder cudaDevice(int device) {
            if (device < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "cudaDevice: %d, must be at least 0", device));
            }
            this.cudaDevice = device;
            return this;
        }

        /**
         * @param name the name of the model's input, checked by {@link #build()}; default: the
         *     model's only input, whatever its name
         * @return this builder
         */
        public Builder inputName(String name) {
            this.inputName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param name the name of the logits output, checked by {@link #build()}; default: the
         *     model's only output of rank 2
         * @return this builder
         */
        public Builder logitsName(String name) {
            this.outputName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param expose whether to look for the encoder output and add it as a graph output
         *     ({@link EngagementClassifier#embed}); default {@code true}
         * @return this builder
         */
        public Builder exposeEmbedding(boolean expose) {
            this.exposeEmbedding = expose;
            return this;
        }

        /**
         * @param decoder how logits become scores; default {@link ScoreDecoder#of()} (target class
         *     1); its target class must be below the model's number of classes
         * @return this builder
         */
        public Builder decoder(ScoreDecoder decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /**
         * @param level ONNX Runtime's graph optimisation level; default {@link Optimization#ALL}
         * @return this builder
         */
        public Builder optimization(Optimization level) {
            this.optimization = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * @param enable ONNX Runtime's memory pattern optimisation (plans buffers from the first
         *     run's shapes); default {@code true}
         * @return this builder
         */
        public Builder memoryPattern(boolean enable) {
            this.memoryPattern = enable;
            return this;
        }

        /**
         * @param enable ONNX Runtime's CPU arena allocator (keeps freed buffers for reuse);
         *     default {@code true}
         * @return this builder
         */
        public Builder cpuArena(boolean enable) {
            this.cpuArena = enable;
            return this;
        }

        /**
         * Sets one of ONNX Runtime's session configuration entries, e.g.
         * {@code session.intra_op.allow_spinning = 0} (threads sleep instead of spinning between
         * operators: less CPU burnt when the machine is shared, slightly slower). Unknown keys are
         * ignored by ONNX Runtime.
         *
         * @param key the entry's key
         * @param value its value
         * @return this builder
         */
        public Builder sessionConfig(String key, String value) {
            config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Runs the 3-D convolutions of a float32 model as 2-D ones
         * ({@link Conv3dLowering}: time folded into the batch; the true 3-D kernels as one 2-D
         * convolution over time-shifted copies), an exact rewrite that ONNX Runtime's CPU
         * kernels run faster (mc3_18, 2 threads, AVX-512: see {@code ClassifierBenchmark}).
         * Outputs equal the original model's within float rounding (1e-4 on logits and
         * embeddings in the tests); the file and its hash are unchanged. A graph the rewrite
         * cannot handle exactly, and any int8 model, runs as it is (logged at INFO).
         *
         * @param lower whether to lower; default {@code true}
         * @return this builder
         */
        public Builder lowerConv3d(boolean lower) {
            this.lowerConv3d = lower;
            return this;
        }

        /**
         * Chooses the convolutions' arithmetic. {@link Precision#INT8} quantises a float32 model
         * at load ({@link Int8Quantizer}, calibrated on {@link #calibration}, which is then
         * required); a model file that is already quantised (an {@code engagement quantize}
         * output) runs as int8 whatever is set here, and its {@link Provenance#precision()} says
         * so.
         *
         * @param precision {@link Precision#FP32} (default) or {@link Precision#INT8}
         * @return this builder
         */
        public Builder precision(Precision precision) {
            this.precision = Objects.requireNonNull(precision, "precision");
            return this;
        }

        /**
         * @param batches calibration inputs for {@link Precision#INT8}: normalised clips shaped
         *     as the model's input, such as a few dozen clips of the recordings to be scored;
         *     copied
         * @return this builder
         * @throws IllegalArgumentException if the list is empty
         */
        public Builder calibration(List<ClipBatch> batches) {
            Objects.requireNonNull(batches, "batches");
            if (batches.isEmpty()) {
                throw new IllegalArgumentException("calibration: empty list; at least one batch"
                        + " of clips is needed to measure activation ranges");
            }
            List<FloatTensor> copy = new ArrayList<>();
            for (ClipBatch b : batches) {
                long[] shape = Arrays.stream(Objects.requireNonNull(b, "batch").shape())
                        .asLongStream().toArray();
                copy.add(FloatTensor.of(b.toArray(), shape));
            }
            this.calibration = List.copyOf(copy);
            return this;
        }

        /**
         * @param quantizer the quantiser's settings for {@link Precision#INT8}; default
         *     {@link Int8Quantizer#defaults()} with this builder's intra-op thread count
         * @return this builder
         */
        public Builder quantizer(Int8Quantizer quantizer) {
            this.quantizer = Objects.requireNonNull(quantizer, "quantizer");
            return this;
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %d, must be at least 1", name, v));
            }
            return v;
        }

        /**
         * Reads and checks the model, creates the ONNX Runtime session and checks its input and
         * outputs.
         *
         * @return the classifier; close it
         * @throws IllegalStateException if no model was set, or precision INT8 was asked for
         *     a float model without calibration clips
         * @throws ModelException with reason {@link ModelException.Reason#UNREADABLE} if the file
         *     cannot be read, {@link ModelException.Reason#CORRUPT} if the bytes are not a valid
         *     ONNX model, {@link ModelException.Reason#UNSUPPORTED_MODEL} if its input or outputs
         *     do not fit (the message says what was expected),
         *     {@link ModelException.Reason#PROVIDER_UNAVAILABLE} if the provider cannot be used
         *     and CPU fallback is not allowed
         */
        public EngagementClassifier build() throws ModelException {
            if (modelPath == null && modelBytes == null) {
                throw new IllegalStateException("no model: call model(Path) or model(byte[])"
                        + " before build()");
            }
            String source = modelPath != null ? modelPath.toString() : "(" + modelBytes.length
                    + " bytes)";
            byte[] bytes = modelBytes != null ? modelBytes : read(modelPath);
            PreparedModel prepared = ModelPreparation.prepare(bytes, source,
                    new ModelPreparation.Options(exposeEmbedding, lowerConv3d, precision,
                            calibration, quantizer.withThreads(intraOpThreads)));
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession session = null;
            Provider used = Provider.CPU;
            if (provider == Provider.CUDA) {
                String problem = cudaMissing();
                if (problem == null) {
                    try (OrtSession.SessionOptions options = options()) {
                        try {
                            options.addCUDA(cudaDevice);
                        } catch (OrtException e) {
                            problem = String.format(Locale.ROOT, "the CUDA execution provider"
                                    + " could not be loaded for device %d: %s", cudaDevice,
                                    e.getMessage());
                        }
                        if (problem == null) {
                            session = env.createSession(prepared.bytes(), options);
                            used = Provider.CUDA;
                        }
                    } catch (OrtException e) {
                        if (e.getCode() != OrtException.OrtErrorCode.ORT_EP_FAIL) {
                            throw corrupt(source, e);
                        }
                        problem = String.format(Locale.ROOT, "the CUDA execution provider"
                                + " failed on device %d: %s", cudaDevice, e.getMessage());
                    }
                }
                if (session == null) {
                    if (!allowCpuFallback) {
                        throw new ModelException(ModelException.Reason.PROVIDER_UNAVAILABLE,
                                String.format(Locale.ROOT, "model %s: provider CUDA requested but"
                                        + " %s; allowCpuFallback(true) runs it on the CPU"
                                        + " instead", source, problem));
                    }
                    LOG.warn("model {}: provider CUDA requested but {}; falling back to the CPU",
                            source, problem);
                }
            }
            if (session == null) {
                try (OrtSession.SessionOptions options = options()) {
                    session = env.createSession(prepared.bytes(), options);
                } catch (OrtException e) {
                    throw corrupt(source, e);
                }
            }
            try {
                ModelSignature signature = signature(session, prepared, source);
                if (decoder.targetClass() >= signature.classes()) {
                    throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL,
                            String.format(Locale.ROOT, "model %s: target class %d of the decoder"
                                    + " is not one of the model's %d classes", source,
                                    decoder.targetClass(), signature.classes()));
                }
                Provenance provenance = new Provenance(prepared.sha256(), prepared.opset(), used,
                        Engagement4j.VERSION, env.getVersion(), Runtime.version().toString(),
                        prepared.precision());
                LOG.info("model {} (sha256 {}, opset {}, {}{}) runs on {} with {} intra-op and {}"
                        + " inter-op threads; {}", source, prepared.sha256(), prepared.opset(),
                        prepared.precision(), prepared.lowered() ? ", 3-D convolutions lowered"
                                + " to 2-D" : "", used, intraOpThreads, interOpThreads, signature);
                return new EngagementClassifier(session, signature, provenance, decoder, source);
            } catch (ModelException | RuntimeException e) {
                closeQuietly(session, source);
                throw e;
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

        private OrtSession.SessionOptions options() throws ModelException {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            try {
                options.setIntraOpNumThreads(intraOpThreads);
                options.setInterOpNumThreads(interOpThreads);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(optimization.level);
                options.setMemoryPatternOptimization(memoryPattern);
                options.setCPUArenaAllocator(cpuArena);
                for (Map.Entry<String, String> e : config.entrySet()) {
                    options.addConfigEntry(e.getKey(), e.getValue());
                }
                return options;
            } catch (OrtException e) {
                options.close();
                throw new ModelException(ModelException.Reason.RUNTIME_FAILURE, String.format(
                        Locale.ROOT, "ONNX Runtime refused the session options (%d intra-op, %d"
                                + " inter-op threads, %s, config %s): %s", intraOpThreads,
                        interOpThreads, optimization, config, e.getMessage()), e);
            }
        }

        /** @return why this process cannot use CUDA, or null when the build has the provider */
        private static String cudaMissing() {
            EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
            if (available.contains(OrtProvider.CUDA)) {
                return null;
            }
            return String.format(Locale.ROOT, "this ONNX Runtime build has no CUDA execution"
                    + " provider (available: %s); use the onnxruntime_gpu artifact"
                    + " (engagement-core's cuda Maven profile)", available);
        }

        private static ModelException corrupt(String source, OrtException e) {
            return new ModelException(ModelException.Reason.CORRUPT, String.format(Locale.ROOT,
                    "model %s: ONNX Runtime cannot load it: %s", source, e.getMessage()), e);
        }

        private ModelSignature signature(OrtSession session, PreparedModel prepared,
                String source) throws ModelException {
            Map<String, NodeInfo> inputs;
            Map<String, NodeInfo> outputs;
            try {
                inputs = session.getInputInfo();
                outputs = session.getOutputInfo();
            } catch (OrtException e) {
                throw new ModelException(ModelException.Reason.CORRUPT, String.format(Locale.ROOT,
                        "model %s: ONNX Runtime cannot describe its inputs and outputs: %s",
                        source, e.getMessage()), e);
            }
            NodeInfo input = pickInput(inputs, source);
            TensorInfo in = tensor(input, "input", source);
            long[] shape = in.getShape();
            if (in.type != OnnxJavaType.FLOAT || shape.length != 5
                    || shape[1] > 0 && shape[1] != 3) {
                throw unsupported(source, "input %s is %s %s; expected float [N, 3, T, H, W]"
                        + " (normalised RGB clips)", input.getName(), in.type,
                        Arrays.toString(shape));
            }
            String[] dimNames = in.getDimensionNames();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                names.add(i < dimNames.length && dimNames[i] != null ? dimNames[i] : "");
                if (shape[i] < 1) {
                    shape[i] = -1;
                }
            }
            Optional<String> embedding = prepared.embeddingName();
            Map<String, NodeInfo> modelOutputs = new LinkedHashMap<>(outputs);
            embedding.filter(e -> !prepared.originalOutputs().contains(e))
                    .ifPresent(modelOutputs::remove);
            NodeInfo logits = pickLogits(modelOutputs, source);
            TensorInfo out = tensor(logits, "output", source);
            long[] oshape = out.getShape();
            if (out.type != OnnxJavaType.FLOAT || oshape.length != 2 || oshape[1] < 2) {
                throw unsupported(source, "output %s is %s %s; expected float [N, classes] with"
                        + " a fixed number of classes >= 2", logits.getName(), out.type,
                        Arrays.toString(oshape));
            }
            int size = 0;
            if (embedding.isPresent()) {
                NodeInfo e = outputs.get(embedding.get());
                long[] eshape = e == null ? new long[0] : tensor(e, "output", source).getShape();
                if (eshape.length == 2 && eshape[1] > 0) {
                    size = (int) eshape[1];
                } else {
                    LOG.warn("model {}: encoder output {} has shape {}, not [N, D]; embed() is"
                            + " disabled", source, embedding.get(), Arrays.toString(eshape));
                    embedding = Optional.empty();
                }
            }
            return new ModelSignature(input.getName(), shape, names, logits.getName(),
                    (int) oshape[1], embedding, size, prepared.opset());
        }

        private NodeInfo pickInput(Map<String, NodeInfo> inputs, String source)
                throws ModelException {
            if (inputName != null) {
                NodeInfo n = inputs.get(inputName);
                if (n == null) {
                    throw unsupported(source, "unknown input name %s, expected one of %s",
                            inputName, inputs.keySet());
                }
                if (inputs.size() != 1) {
                    throw unsupported(source, "%d inputs %s; expected exactly one (the clip"
                            + " batch [N, 3, T, H, W])", inputs.size(), inputs.keySet());
                }
                return n;
            }
            if (inputs.size() != 1) {
                throw unsupported(source, "%d inputs %s; expected exactly one (the clip batch"
                        + " [N, 3, T, H, W])", inputs.size(), inputs.keySet());
            }
            return inputs.values().iterator().next();
        }

        private NodeInfo pickLogits(Map<String, NodeInfo> outputs, String source)
                throws ModelException {
            if (outputName != null) {
                NodeInfo n = outputs.get(outputName);
                if (n == null) {
                    throw unsupported(source, "unknown output name %s, expected one of %s",
                            outputName, outputs.keySet());
                }
                return n;
            }
            if (outputs.size() == 1) {
                return outputs.values().iterator().next();
            }
            List<NodeInfo> rank2 = new ArrayList<>();
            for (NodeInfo n : outputs.values()) {
                ValueInfo v = n.getInfo();
                if (v instanceof TensorInfo && ((TensorInfo) v).getShape().length == 2) {
                    rank2.add(n);
                }
            }
            if (rank2.size() == 1) {
                return rank2.get(0);
            }
            throw unsupported(source, "%d outputs %s and %d of them of rank 2; name the logits"
                    + " output with logitsName(...): expected one of %s", outputs.size(),
                    outputs.keySet(), rank2.size(), outputs.keySet());
        }

        private static TensorInfo tensor(NodeInfo node, String what, String source)
                throws ModelException {
            if (!(node.getInfo() instanceof TensorInfo)) {
                throw unsupported(source, "%s %s is %s; expected a tensor", what, node.getName(),
                        node.getInfo());
            }
            return (TensorInfo) node.getInfo();
        }

        private static ModelException unsupported(String source, String format, Object... args) {
            return new ModelException(ModelException.Reason.UNSUPPORTED_MODEL,
                    "model " + source + ": " + String.format(Locale.ROOT, format, args));
        }

        private static void closeQuietly(OrtSession session, String source) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing the ONNX Runtime session of refused model {} failed: {}",
                        source, e.getMessage());
            }
        }
    }
}
