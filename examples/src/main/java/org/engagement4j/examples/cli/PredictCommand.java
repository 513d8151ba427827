package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.EngagementScore;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.Provider;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement predict --model M.onnx --input X.npy}: runs the classifier on a batch of
 * normalised clips stored as a float32 {@code [N, 3, T, H, W]} NumPy array and prints, per row,
 * the logits, the softmax probabilities and the predicted class.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "Logits and probabilities for a normalised input tensor.",
        description = {"Run an ONNX video classifier (mc3_18 export) on normalised clips.",
            "The input is a float32 .npy array [N, 3, T, H, W], already normalised with the",
            "training folds' statistics and cropped to the model's input size. Prints logits,",
            "softmax probabilities and the predicted class (argmax) of every row."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.onnx",
            description = "The ONNX model (forward graph, input [N, 3, T, H, W], output [N, K]).")
    Path modelFile;

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "X.npy",
            description = "Normalised clips, float32 [N, 3, T, H, W].")
    Path input;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Rows sent to the model at once (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /**
     * How the command line loads a classifier: shared by {@code predict} and {@code score}.
     */
    static final class ModelOptions {

        @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
                description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--provider", defaultValue = "CPU", paramLabel = "NAME",
                description = "Execution provider: ${COMPLETION-CANDIDATES} (default:"
                        + " ${DEFAULT-VALUE}). CUDA needs the onnxruntime_gpu build.")
        Provider provider;

        @Option(names = "--allow-cpu-fallback",
                description = "Run on the CPU when the requested provider cannot be used.")
        boolean allowCpuFallback;

        /**
         * Loads a classifier; model failures become {@link IllegalArgumentException} so that the
         * command exits 2 with the message.
         */
        EngagementClassifier load(Path file) {
            try {
                return EngagementClassifier.builder().model(file).intraOpThreads(threads)
                        .interOpThreads(1).provider(provider).allowCpuFallback(allowCpuFallback)
                        .build();
            } catch (ModelException e) {
                throw badModel(e);
            }
        }
    }

    /** A model or runtime failure as bad input: the command line exits 2 with the message. */
    static IllegalArgumentException badModel(ModelException e) {
        return new IllegalArgumentException(e.getMessage() + " [" + e.reason() + "]", e);
    }

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--batch-size %d: must be at least 1", batchSize));
        }
        NpyArray a = Npy.read(input);
        if (a.dtype() != NpyArray.DType.FLOAT32) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s: dtype %s, expected float32 ('<f4') normalised clips", input,
                    a.dtype().descr()));
        }
        int[] shape = a.shape();
        if (shape.length != 5) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s: shape %s has rank %d, expected rank 5 [N, 3, T, H, W] (one clip"
                            + " [3, T, H, W] needs a leading axis of length 1)", input,
                    Arrays.toString(shape), shape.length));
        }
        if (shape[0] < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s: shape %s holds no clip", input, Arrays.toString(shape)));
        }
        float[] data = a.toFloatArray();
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode rows = mapper.createArrayNode();
        try (EngagementClassifier c = model.load(modelFile)) {
            if (!json) {
                out.printf(Locale.ROOT, "model %s%n  sha256 %s, opset %d, %s, ONNX Runtime %s%n"
                        + "  %s%n", modelFile, c.provenance().modelSha256(),
                        c.provenance().opset(), c.provenance().provider(),
                        c.provenance().onnxRuntimeVersion(), c.signature());
                out.printf(Locale.ROOT, "input %s %s%n", input, Arrays.toString(shape));
            }
            int n = shape[0];
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                List<EngagementScore> scores;
                try {
                    scores = c.predict(slice(data, shape, from, to));
                } catch (ModelException e) {
                    throw badModel(e);
                }
                for (int i = from; i < to; i++) {
                    EngagementScore s = scores.get(i - from);
                    if (json) {
                        ObjectNode r = rows.addObject();
                        r.put("row", i);
                        ArrayNode l = r.putArray("logits");
                        for (float v : s.logits()) {
                            l.add(v);
                        }
                        ArrayNode p = r.putArray("probabilities");
                        for (double v : s.probabilities()) {
                            p.add(v);
                        }
                        r.put("predicted_class", s.predictedClass());
                        r.put("target_class", s.targetClass());
                        r.put("target_probability", s.probability());
                    } else {
                        out.printf(Locale.ROOT, "row %d  class %d  p(class %d) %.6f  logits %s"
                                + "  probabilities %s%n", i, s.predictedClass(), s.targetClass(),
                                s.probability(), format(s.logits()), format(s.probabilities()));
                    }
                }
            }
            if (json) {
                root.put("model", modelFile.toString());
                root.put("input", input.toString());
                ArrayNode sh = root.putArray("shape");
                for (int d : shape) {
                    sh.add(d);
                }
                root.set("provenance", mapper.readTree(c.provenance().toJson()));
                root.set("rows", rows);
                out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            }
        }
        out.flush();
        return 0;
    }

    private ClipBatch slice(float[] data, int[] shape, int from, int to) {
        int per = data.length / shape[0];
        try {
            return ClipBatch.of(Arrays.copyOfRange(data, from * per, to * per), to - from,
                    shape[1], shape[2], shape[3], shape[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s, rows %d to %d: %s", input, from, to - 1, e.getMessage()), e);
        }
    }

    private static String format(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v[i]));
        }
        return b.append(']').toString();
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", v[i]));
        }
        return b.append(']').toString();
    }
}
