package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.quant.Int8Quantizer;
import org.engagement4j.core.graph.quant.QuantizationReport;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement quantize --model M.onnx --calibration X.npy... --out M.int8.onnx}: int8 QDQ
 * quantisation of a float32 classifier ({@link Int8Quantizer}), calibrated on normalised clips,
 * with an accuracy report against the float model ({@link QuantizationReport}). The output loads
 * in {@code predict} / {@code score} and the library like any model, and runs as int8.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        header = "Quantise a classifier to int8 (QDQ) with calibration clips.",
        description = {"Calibrate activation ranges on normalised clips (float32 .npy arrays",
            "[N, 3, T, H, W] or [3, T, H, W], as 'predict' reads), rewrite every Conv as int8",
            "(QuantizeLinear / DequantizeLinear, fused by ONNX Runtime into QLinearConv) and",
            "compare the int8 model with the float one: share of rows with the same argmax,",
            "largest probability and logit differences. Without --held-out the comparison",
            "runs on the calibration clips themselves (in-sample: an optimistic estimate)."})
final class QuantizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.onnx",
            description = "The float32 ONNX model.")
    Path modelFile;

    @Option(names = "--calibration", required = true, arity = "1..*", paramLabel = "X.npy",
            description = "Normalised calibration clips, float32 [N, 3, T, H, W] or [3, T, H, W].")
    List<Path> calibration;

    @Option(names = "--held-out", arity = "1..*", paramLabel = "X.npy",
            description = "Clips for the accuracy report (default: the calibration clips).")
    List<Path> heldOut;

    @Option(names = "--out", required = true, paramLabel = "M.int8.onnx",
            description = "Where the quantised model goes (written atomically).")
    Path out;

    @Option(names = "--report", paramLabel = "R.json",
            description = "Also write the accuracy report as JSON (atomically).")
    Path report;

    @Option(names = "--percentile", defaultValue = "100", paramLabel = "P",
            description = "Calibration percentile in (50, 100]; 100 = min/max (default).")
    double percentile;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--threads %d: must be at least 1", threads));
        }
        ModelProto model = OnnxModels.read(modelFile);
        List<FloatTensor> calib = clips("--calibration", calibration);
        List<FloatTensor> check = heldOut == null ? calib : clips("--held-out", heldOut);
        Int8Quantizer q = Int8Quantizer.defaults().withPercentile(percentile).withThreads(threads);
        ModelProto int8 = q.quantize(model, calib);
        QuantizationReport r = QuantizationReport.measure(model, int8, check, threads);
        OnnxModels.write(int8, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "quantised %s -> %s (%d calibration clips)%n", modelFile, out,
                count(calib));
        w.printf(Locale.ROOT, "%s rows %s: same argmax %d/%d (%.1f %%), largest |p_int8 - p_fp32|"
                + " %.4f, largest |logit difference| %.4f%n", heldOut == null ? "calibration"
                        : "held-out", heldOut == null ? "(in-sample)" : "", r.sameArgmax(), r.rows(),
                100 * r.argmaxAgreement(), r.maxProbabilityDifference(), r.maxLogitDifference());
        if (report != null) {
            writeReport(r, calib);
            w.printf(Locale.ROOT, "report %s%n", report);
        }
        w.flush();
        return 0;
    }

    private void writeReport(QuantizationReport r, List<FloatTensor> calib) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("model", modelFile.toString());
        o.put("model_sha256", OnnxModels.sha256(OnnxModels.read(modelFile)));
        o.put("out", out.toString());
        o.put("precision", "INT8");
        o.put("percentile", percentile);
        ArrayNode c = o.putArray("calibration");
        calibration.forEach(p -> c.add(p.toString()));
        o.put("calibration_clips", count(calib));
        if (heldOut == null) {
            o.put("held_out", "calibration clips (in-sample)");
        } else {
            ArrayNode h = o.putArray("held_out");
            heldOut.forEach(p -> h.add(p.toString()));
        }
        o.put("rows", r.rows());
        o.put("same_argmax", r.sameArgmax());
        o.put("argmax_agreement", r.argmaxAgreement());
        o.put("max_probability_difference", r.maxProbabilityDifference());
        o.put("max_logit_difference", r.maxLogitDifference());
        Path dir = report.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, report.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int count(List<FloatTensor> t) {
        return t.stream().mapToInt(x -> (int) x.dim(0)).sum();
    }

    /** Reads float32 clip arrays; a single clip [3, T, H, W] gets a batch axis of 1. */
    private static List<FloatTensor> clips(String option, List<Path> files) throws IOException {
        List<FloatTensor> out = new ArrayList<>();
        for (Path f : files) {
            NpyArray a = Npy.read(f);
            if (a.dtype() != NpyArray.DType.FLOAT32) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s %s: dtype %s, expected float32 ('<f4') normalised clips", option, f,
                        a.dtype().descr()));
            }
            int[] s = a.shape();
            long[] shape;
            if (s.length == 5) {
                shape = Arrays.stream(s).asLongStream().toArray();
            } else if (s.length == 4) {
                shape = new long[] {1, s[0], s[1], s[2], s[3]};
            } else {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s %s: shape %s has rank %d, expected [N, 3, T, H, W] or [3, T, H, W]",
                        option, f, Arrays.toString(s), s.length));
            }
            if (shape[0] < 1 || shape[1] != 3) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s %s: shape %s, expected at least one clip with 3 channels", option, f,
                        Arrays.toString(s)));
            }
            out.add(FloatTensor.of(a.toFloatArray(), shape));
        }
        return out;
    }
}
