package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;

/**
 * Writes {@code src/test/resources/fixtures/export/} with this library's own export code, for the
 * interoperability check of issue 7 ("loadable by EngagementClassifier and by Python
 * onnxruntime"): {@code tools/fixtures/export_fixtures.py} then runs the files with Python's
 * onnxruntime and {@link ExportInteropTest} compares.
 *
 * <ul>
 *   <li>{@value #HEAD_DIR}/: the committed torch export {@code mc3/narrow_w8_k2.onnx} with a head
 *       trained by {@link HeadTrainer} on seeded Gaussian embeddings, merged by
 *       {@link HeadExport#mergeHead} and written by {@link HeadExport#write} (model,
 *       normalisation, provenance);</li>
 *   <li>{@value #FINETUNED_DIR}/: a seeded width-2 {@link Mc3Graph} after a few {@link FineTuner}
 *       steps on seeded clips, made by {@link NetworkWeights#withWeights} and written by
 *       {@link FineTuneExport#write} (model, normalisation, provenance);</li>
 *   <li>{@value #INPUT_FILE}: a seeded float32 batch {@code [2, 3, 2, 64, 64]} both models take
 *       (the torch export fixes height and width to 64).</li>
 * </ul>
 *
 * <p>Run from the repository root with the module's test class path, then
 * {@code export_fixtures.py}: the commands are in {@code tools/fixtures/README.md}.
 * Everything is seeded and ONNX Runtime runs on one thread, so a rerun on the same machine writes
 * identical models; {@code provenance.json} also records the Java version that ran.
 */
final class ExportFixtures {

    /** The head-merged export's folder. */
    static final String HEAD_DIR = "head_merged";
    /** The fine-tuned export's folder. */
    static final String FINETUNED_DIR = "finetuned";
    /** The shared input batch. */
    static final String INPUT_FILE = "input.npy";
    /** The input batch's shape: 2 clips of 3 channels, 2 frames, 64 x 64. */
    static final int[] INPUT_SHAPE = {2, 3, 2, 64, 64};
    /** Python's results, written by {@code tools/fixtures/export_fixtures.py}. */
    static final String PYTHON_FILE = "python_ort.json";
    /** The statistics written beside both models (plausible RGB values, not measured). */
    static final Normalization NORM = Normalization.of(new double[] {110.25, 101.5, 96.75},
            new double[] {57.5, 56.25, 55.0});
    /** A fixed creation time, so that a rerun rewrites the provenance unchanged. */
    static final String CREATED = "2024-01-01T00:00:00Z";

    private static final long SEED = 20221107L;
    private static final long[] CLIP = {3, 2, 64, 64};

    private ExportFixtures() {
    }

    /**
     * Writes both exports and the input batch.
     *
     * @param args optional output folder (default
     *     {@code engagement-core/src/test/resources/fixtures/export}, from the repository root)
     * @throws Exception if a file cannot be written or ONNX Runtime fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0]
                : "engagement-core/src/test/resources/fixtures/export");
        generate(out);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** Writes everything into {@code out} (created if missing). */
    static void generate(Path out) throws IOException, ModelException {
        Files.createDirectories(out);
        writeHeadMerged(out.resolve(HEAD_DIR));
        writeFineTuned(out.resolve(FINETUNED_DIR), 1);
        int n = 1;
        for (int d : INPUT_SHAPE) {
            n *= d;
        }
        Npy.write(out.resolve(INPUT_FILE),
                NpyArray.ofFloats(FineTuneFixtures.lcg(SEED, n), INPUT_SHAPE));
    }

    static void writeHeadMerged(Path dir) throws IOException {
        Path baseFile = HeadFixtures.dir("mc3").resolve("narrow_w8_k2.onnx");
        ModelProto base = OnnxModels.read(baseFile);
        int d = (int) ModelInspector.encoderOutput(base).fixedDim(1);
        SplittableRandom rnd = new SplittableRandom(SEED);
        double[] direction = gaussians(rnd, d);
        LabelledEmbeddings train = embeddings(rnd, direction, 48, "seeded training embeddings");
        LabelledEmbeddings validation = embeddings(rnd, direction, 24,
                "seeded validation embeddings");
        HeadTrainer trainer = HeadTrainer.withDefaults().withEpochs(30).withSmoothingWindow(2)
                .withWarmupEpochs(2);
        HeadTrainingResult result = trainer.train(train, Optional.of(validation),
                Optional.empty(), LinearHead.initialise(d, 2, SEED),
                HeadTrainer.EpochListener.NONE);
        ModelProto merged = HeadExport.mergeHead(base, result.bestHead());
        TrainingProvenance provenance = new TrainingProvenance(Task.DOLLS,
                Variable.SOCIAL_ENGAGEMENT, SEED,
                List.of(List.of("s01", "s02"), List.of("s03"), List.of("s04")), List.of(0), 1, 2,
                trainer, 1, train.size(), "seeded Gaussian embeddings (ExportFixtures)",
                "seeded Gaussian embeddings (ExportFixtures)", sha256(Files.readAllBytes(baseFile)),
                Map.of("train_embeddings", sha256(train.features()),
                        "validation_embeddings", sha256(validation.features())),
                result.bestEpoch(), result.lastEpoch(), result.stopReason(),
                Engagement4j.VERSION, CREATED);
        HeadExport.write(dir, merged, NORM, provenance);
    }

    /** The seeded width-2 mc3 (embedding 16, input 64 x 64) that the fine-tuned export starts from. */
    static ModelProto fineTuneBase() {
        return Mc3Graph.random(Mc3Architecture.mc3_18(2).withBaseWidth(2).withInputSize(64, 64),
                SEED);
    }

    /** {@code threads}: ONNX Runtime intra-op threads of the gradient runs (the fixture uses 1). */
    static void writeFineTuned(Path dir, int threads) throws IOException, ModelException {
        ModelProto base = fineTuneBase();
        List<float[]> clips = new ArrayList<>();
        int size = (int) (CLIP[0] * CLIP[1] * CLIP[2] * CLIP[3]);
        for (int i = 0; i < 6; i++) {
            clips.add(FineTuneFixtures.lcg(SEED + 1 + i, size));
        }
        LabelledClips data = LabelledClips.of("six seeded clips", CLIP, clips,
                new boolean[] {true, false, true, false, false, true});
        // Weight decay keeps the sign of near-zero gradients, whose first Adam steps would
        // otherwise be +-lr on float32 round-off.
        FineTuner tuner = FineTuner.withDefaults().withEpochs(2).withBatchSize(3)
                .withMicroBatchSize(3).withLearningRate(1e-3).withLearningRateDecay(0.1)
                .withWeightDecay(1e-2).withSeed(SEED);
        FineTuneResult result;
        try (NetworkGradients net = NetworkGradients.of(base, threads)) {
            result = tuner.train(net, data, Optional.empty(), (e, s, n, t, l) -> { });
        }
        if (result.stopReason() != FineTuneResult.StopReason.COMPLETED) {
            throw new IllegalStateException("fine-tuning stopped: " + result.stopDetail());
        }
        Map<String, String> hashes = new TreeMap<>();
        for (int i = 0; i < clips.size(); i++) {
            hashes.put(String.format(Locale.ROOT, "clip/%d", i), sha256(clips.get(i)));
        }
        FineTuneProvenance provenance = new FineTuneProvenance(Task.DOLLS,
                Variable.SOCIAL_ENGAGEMENT, SEED, List.of(List.of("s01", "s02"), List.of("s03")),
                List.of(0), -1, 1, FineTuneProvenance.Hyperparameters.of(tuner, Optional.empty()),
                new FineTuneProvenance.Sampling("none: six seeded clips (ExportFixtures)", 0,
                        data.size(), 0, "none", "none"),
                FineTuneProvenance.Outcome.of(result), Optional.empty(), Optional.empty(),
                OnnxModels.sha256(base), hashes, "CPU", Engagement4j.VERSION,
                FineTuneProvenance.currentOnnxRuntimeVersion(), Runtime.version().toString(),
                CREATED);
        FineTuneExport.write(dir, NetworkWeights.withWeights(base, result.weights()), NORM,
                provenance);
    }

    /** Rows of standard Gaussians, engaged when their projection on {@code direction} plus noise is positive. */
    private static LabelledEmbeddings embeddings(SplittableRandom rnd, double[] direction,
            int rows, String name) {
        int d = direction.length;
        float[] x = new float[rows * d];
        boolean[] y = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) gaussian(rnd);
                s += direction[j] * x[i * d + j];
            }
            y[i] = s + 0.5 * gaussian(rnd) > 0;
        }
        return LabelledEmbeddings.of(x, d, y, name);
    }

    private static double[] gaussians(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = gaussian(rnd);
        }
        return v;
    }

    /** Box-Muller with StrictMath, so the values do not depend on the JVM's intrinsics. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u))
                * StrictMath.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static String sha256(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return sha256(b.array());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
