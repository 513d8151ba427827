package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.graph.Conv3dLowering;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.TensorInfo;
import org.engagement4j.core.graph.quant.ConvSensitivity;
import org.engagement4j.core.graph.quant.Int8Quantizer;
import org.engagement4j.core.graph.quant.MixedPrecisionResult;
import org.engagement4j.core.graph.quant.QuantizationReport;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.NormalizationFiles;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.model.WindowSource;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.video.Clip;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement quantize --model M.onnx (--clips CLIPDIR... | --calibration X.npy...) --out
 * M.int8.onnx}: int8 QDQ quantisation of a float32 classifier ({@link Int8Quantizer}), calibrated
 * on windows of cached clips as the classifier sees them ({@link SnippetEncoder}: the training
 * folds' normalisation, centre crop) or on normalised {@code .npy} arrays, with an accuracy and
 * timing report against the float model ({@link QuantizationReport}). The output loads in
 * {@code predict} / {@code score} and the library like any model, and runs as int8.
 *
 * <p>Windows of clips are drawn without replacement, uniformly over every window start of every
 * clip given, from one seed (calibration and check draw from two streams of it), so a run is
 * repeatable. The float model is timed as the classifier runs it by default (3-D convolutions
 * lowered to 2-D ones where the graph allows, {@link Conv3dLowering}).
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        header = "Quantise a classifier to int8 (QDQ) with calibration clips.",
        description = {"Calibrate activation ranges on sample windows, rewrite every Conv as int8",
            "(QuantizeLinear / DequantizeLinear, fused by ONNX Runtime into QLinearConv) and",
            "compare the int8 model with the float one: share of windows with the same argmax,",
            "largest and mean probability difference, largest logit difference, time per window.",
            "Windows come from cached clips (--clips CLIPDIR: frames.npy + clip.json, as",
            "'preprocess' writes them), normalised with the training folds' statistics and",
            "centre-cropped as 'score' does, or from normalised float32 .npy arrays",
            "(--calibration, [N, 3, T, H, W] or [3, T, H, W], as 'predict' reads). Without",
            "--held-out-clips / --held-out the comparison runs on the calibration windows",
            "themselves (in-sample: an optimistic estimate). --keep-fp32 keeps chosen or",
            "the most quantisation-sensitive Convs float32 (mixed precision)."})
final class QuantizeCommand implements Callable<Integer> {

    /** Keeps the check's window draw apart from the calibration's for the same seed. */
    private static final long CHECK_STREAM = 0x9e3779b97f4a7c15L;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.onnx",
            description = "The float32 ONNX model.")
    Path modelFile;

    @Option(names = "--clips", arity = "1..*", paramLabel = "CLIPDIR",
            description = "Cached clips to draw the calibration windows from.")
    List<Path> clips;

    @Option(names = "--calibration", arity = "1..*", paramLabel = "X.npy",
            description = "Or: normalised calibration clips, float32 [N, 3, T, H, W] or [3, T, H, W].")
    List<Path> calibration;

    @Option(names = "--held-out-clips", arity = "1..*", paramLabel = "CLIPDIR",
            description = "Cached clips for the accuracy report (e.g. the test sessions').")
    List<Path> heldOutClips;

    @Option(names = "--held-out", arity = "1..*", paramLabel = "X.npy",
            description = "Or: normalised clips for the accuracy report.")
    List<Path> heldOut;

    @Option(names = "--normalization", paramLabel = "N.json",
            description = {"Per-channel mean and std (JSON, as Normalization.write), the training",
                "folds' statistics, for --clips / --held-out-clips. Default: M.normalization.json",
                "or normalization.json beside the model."})
    Path normalization;

    @Option(names = "--windows", defaultValue = "64", paramLabel = "N",
            description = "Calibration windows drawn from --clips (default: ${DEFAULT-VALUE}; all"
                    + " windows when the clips hold fewer).")
    int windows;

    @Option(names = "--held-out-windows", defaultValue = "256", paramLabel = "N",
            description = "Windows drawn from --held-out-clips (default: ${DEFAULT-VALUE}).")
    int heldOutWindows;

    @Option(names = "--window-frames", paramLabel = "N",
            description = "Frames per window (default: the model's fixed frame count, else 15).")
    Integer windowFrames;

    @Option(names = "--crop", paramLabel = "PX",
            description = "Side of the centre crop (default: the model's fixed input size, else 160).")
    Integer crop;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the window draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Windows per model run (default: ${DEFAULT-VALUE}).")
    int batchSize;

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

    @Option(names = "--activations", defaultValue = "uint8", paramLabel = "TYPE",
            description = "Activation type, uint8 (default) or int8.")
    String activations;

    @Option(names = "--keep-fp32", paramLabel = "auto|N|NAMES",
            description = {"Mixed precision: Convs kept float32. 'auto': the most sensitive ones,",
                "one more at a time, until the same-argmax share on the validation windows",
                "reaches --target-agreement; N: the N most sensitive; or comma-separated Conv",
                "node names. Sensitivity: the logit error of quantising each Conv alone, on",
                "validation windows from the calibration side (never the held-out ones)."})
    String keepFp32;

    @Option(names = "--target-agreement", defaultValue = "0.99", paramLabel = "SHARE",
            description = "Same-argmax share sought by --keep-fp32 auto (default: ${DEFAULT-VALUE}).")
    double targetAgreement;

    @Option(names = "--validation-windows", defaultValue = "64", paramLabel = "N",
            description = {"Windows for --keep-fp32 auto / N, drawn from --clips apart from the",
                "calibration windows (default: ${DEFAULT-VALUE}); with --calibration the",
                "calibration arrays themselves."})
    int validationWindows;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        ModelProto model = OnnxModels.read(modelFile);
        Int8Quantizer q = Int8Quantizer.defaults().withPercentile(percentile).withThreads(threads)
                .withUnsignedActivations(activations.equals("uint8"));
        KeepMode mode = keepMode(model);
        if (mode.names() != null) {
            q = q.withExcluded(new HashSet<>(mode.names()));
        }
        SnippetEncoder encoder = clips != null || heldOutClips != null ? encoder(model) : null;
        Inputs calib;
        Inputs validation = null;
        if (clips != null && mode.searches()) {
            Inputs[] both = fromClips("--clips", clips, windows, validationWindows, encoder, seed);
            calib = both[0];
            validation = both[1];
        } else {
            calib = clips != null
                    ? fromClips("--clips", clips, windows, 0, encoder, seed)[0]
                    : fromNpy("--calibration", calibration);
            validation = mode.searches() ? calib : null;
        }
        Inputs check = heldOutClips != null
                ? fromClips("--held-out-clips", heldOutClips, heldOutWindows, 0, encoder,
                        seed ^ CHECK_STREAM)[0]
                : heldOut != null ? fromNpy("--held-out", heldOut) : calib;
        boolean inSample = check == calib;
        Mixed mixed = null;
        ModelProto int8;
        if (mode.auto()) {
            MixedPrecisionResult m = q.quantizeToTarget(model, calib.batches(), validation.batches(),
                    targetAgreement);
            mixed = new Mixed(m.ranking(), m.keptFp32(), m.validationAgreement(), m.targetMet());
            int8 = m.model();
        } else if (mode.count() != null) {
            List<ConvSensitivity> ranking = q.sensitivity(model, calib.batches(), validation.batches());
            List<String> kept = new ArrayList<>();
            ranking.subList(0, Math.min(mode.count(), ranking.size())).forEach(c -> kept.add(c.conv()));
            int8 = q.withExcluded(new HashSet<>(kept)).quantize(model, calib.batches());
            double agreement = QuantizationReport.measure(model, int8, validation.batches(), threads)
                    .argmaxAgreement();
            mixed = new Mixed(ranking, kept, agreement, null);
        } else {
            int8 = q.quantize(model, calib.batches());
        }
        QuantizationReport r = QuantizationReport.measure(asClassifierRunsIt(model), int8,
                check.batches(), threads);
        OnnxModels.write(int8, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "quantised %s -> %s (%d calibration windows)%n", modelFile, out,
                calib.windows());
        w.printf(Locale.ROOT, "%s windows%s: same argmax %d/%d (%.1f %%), largest |p_int8 - p_fp32|"
                + " %.4f (mean %.4f), largest |logit difference| %.4f%n",
                inSample ? "calibration" : "held-out", inSample ? " (in-sample)" : "",
                r.sameArgmax(), r.rows(), 100 * r.argmaxAgreement(), r.maxProbabilityDifference(),
                r.meanProbabilityDifference(), r.maxLogitDifference());
        w.printf(Locale.ROOT, "time per window (batches of up to %d, %d threads, informative):"
                + " fp32 %.2f ms, int8 %.2f ms%n", batchSize, threads, 1e3 * r.fp32SecondsPerRow(),
                1e3 * r.quantisedSecondsPerRow());
        if (!q.excluded().isEmpty()) {
            w.printf(Locale.ROOT, "kept float32 (--keep-fp32): %s%n", q.excluded());
        }
        if (mixed != null) {
            w.printf(Locale.ROOT, "kept float32 by sensitivity: %s; validation windows (%d, calibration"
                    + " side): same argmax %.1f %%%s%n", mixed.kept(), validation.windows(),
                    100 * mixed.validationAgreement(), mixed.targetMet() == null ? ""
                    : String.format(Locale.ROOT, " (target %.1f %% %s)", 100 * targetAgreement,
                            mixed.targetMet() ? "met" : "NOT met"));
        }
        List<Path> overlap = overlap();
        if (!overlap.isEmpty()) {
            w.printf(Locale.ROOT, "note: clips %s are both calibration and held-out clips%n",
                    overlap);
        }
        if (report != null) {
            writeReport(model, r, calib, check, inSample, encoder, overlap, q, mixed, validation);
            w.printf(Locale.ROOT, "report %s%n", report);
        }
        w.flush();
        return 0;
    }

    private void checkOptions() {
        if ((clips == null) == (calibration == null)) {
            throw new IllegalArgumentException("give exactly one of --clips CLIPDIR... (cached"
                    + " clips) and --calibration X.npy... (normalised arrays)");
        }
        if (heldOutClips != null && heldOut != null) {
            throw new IllegalArgumentException("give at most one of --held-out-clips and"
                    + " --held-out");
        }
        atLeast("--threads", threads, 1);
        atLeast("--windows", windows, 1);
        atLeast("--held-out-windows", heldOutWindows, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--validation-windows", validationWindows, 1);
        if (!activations.equals("uint8") && !activations.equals("int8")) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--activations %s: expected one of [uint8, int8]", activations));
        }
        if (!(targetAgreement > 0 && targetAgreement <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--target-agreement %s: must be in (0, 1]", targetAgreement));
        }
        if (windowFrames != null) {
            atLeast("--window-frames", windowFrames, 1);
        }
        if (crop != null) {
            atLeast("--crop", crop, 1);
        }
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %d: must be at least %d", option, value, min));
        }
    }

    /**
     * What --keep-fp32 asks for: nothing, the automatic search, the N most sensitive Convs, or
     * named Convs (checked against the model's Convs by the quantiser).
     */
    private record KeepMode(boolean auto, Integer count, List<String> names) {
        boolean searches() {
            return auto || count != null;
        }
    }

    /** The sensitivity search's outcome, for the report; {@code targetMet} null without a target. */
    private record Mixed(List<ConvSensitivity> ranking, List<String> kept, double validationAgreement,
            Boolean targetMet) {
    }

    private KeepMode keepMode(ModelProto model) {
        if (keepFp32 == null) {
            return new KeepMode(false, null, null);
        }
        String spec = keepFp32.strip();
        if (spec.equals("auto")) {
            return new KeepMode(true, null, null);
        }
        if (spec.matches("[0-9]+")) {
            return new KeepMode(false, Integer.parseInt(spec), null);
        }
        List<String> names = new ArrayList<>();
        for (String n : spec.split(",")) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        List<String> convs = Int8Quantizer.convNames(model);
        for (String n : names) {
            if (!convs.contains(n)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--keep-fp32 %s: '%s' is not a Conv node of %s; expected 'auto', a count or"
                                + " names among %s", keepFp32, n, modelFile, convs));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--keep-fp32 '%s': expected 'auto', a count or comma-separated Conv names", keepFp32));
        }
        return new KeepMode(false, null, names);
    }

    /** Calibration or check inputs: batches made when read, and how many windows they hold. */
    private record Inputs(List<FloatTensor> batches, int windows, List<String> sources) {
    }

    /**
     * The encoding the classifier expects: window length and crop from the model's input when it
     * fixes them (an option that disagrees is refused), else from the options or the reference.
     */
    private SnippetEncoder encoder(ModelProto model) throws IOException {
        long[] shape = inputShape(model);
        int t = fixedOrOption("--window-frames", windowFrames, shape[2],
                SnippetEncoder.REFERENCE_WINDOW_FRAMES);
        long side = shape[3] > 0 && shape[3] == shape[4] ? shape[3] : -1;
        int size = fixedOrOption("--crop", crop, side, TestTransform.SIZE);
        return SnippetEncoder.of(Normalization.read(normalizationFile())).withCropSize(size)
                .withWindowFrames(t);
    }

    private int fixedOrOption(String option, Integer given, long fixed, int fallback) {
        if (given != null && fixed > 0 && given != fixed) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %d: model %s takes %d there", option, given, modelFile, fixed));
        }
        return given != null ? given : fixed > 0 ? (int) fixed : fallback;
    }

    /** The model input's {@code [N, C, T, H, W]}, -1 where not fixed. */
    private long[] inputShape(ModelProto model) {
        Set<String> inits = new HashSet<>();
        model.getGraph().getInitializerList().forEach(i -> inits.add(i.getName()));
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (!inits.contains(v.getName())) {
                TensorInfo info = ModelInspector.tensor(model, v.getName());
                int rank = info.shape().map(List::size).orElse(-1);
                if (rank != 5) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "model %s: input '%s' has rank %d, expected rank 5 [N, 3, T, H, W]"
                                    + " for windows of clips", modelFile, v.getName(), rank));
                }
                long[] shape = new long[5];
                for (int a = 0; a < 5; a++) {
                    shape[a] = info.fixedDim(a);
                }
                return shape;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "model %s has no graph input", modelFile));
    }

    private Path normalizationFile() {
        if (normalization != null) {
            return normalization;
        }
        return NormalizationFiles.find(modelFile).orElseThrow(() -> new IllegalArgumentException(
                String.format(Locale.ROOT, "no normalisation statistics for model %s: give"
                        + " --normalization FILE (the training folds' per-channel mean and std,"
                        + " JSON) or put one of %s beside the model", modelFile,
                        NormalizationFiles.candidates(modelFile))));
    }

    /**
     * Draws {@code count} distinct windows (all when the clips hold fewer), uniformly over every
     * window start of every clip (Floyd's sampling without replacement), in clip and start order.
     */
    private Inputs[] fromClips(String option, List<Path> dirs, int count, int validationCount,
            SnippetEncoder encoder, long drawSeed) throws IOException {
        int t = encoder.windowFrames();
        List<WindowSource> sources = new ArrayList<>();
        long[] firstIndex = new long[dirs.size() + 1];
        for (int i = 0; i < dirs.size(); i++) {
            Clip c;
            try {
                c = Clip.open(dirs.get(i));
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(dirs.get(i).toString(), null, String.format(
                        Locale.ROOT, "%s: not a clip directory (%s missing)", option,
                        e.getFile()));
            }
            sources.add(WindowSource.of(c, encoder));
            firstIndex[i + 1] = firstIndex[i] + Math.max(0, c.frames() - t + 1);
        }
        long total = firstIndex[dirs.size()];
        if (total == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %s: no clip has the %d frames of one window", option, dirs, t));
        }
        int all = (int) Math.min((long) count + validationCount, total);
        // with too few windows for both, the two sets share them in proportion
        int v = validationCount == 0 ? 0
                : (int) Math.max(1, Math.min(all - 1, Math.round((double) all * validationCount
                        / (count + validationCount))));
        if (validationCount > 0 && all < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %s: %d window(s), too few to split into calibration and validation windows",
                    option, dirs, all));
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(drawSeed);
        TreeSet<Long> drawn = new TreeSet<>();
        for (long j = total - all; j < total; j++) {
            long k = rng.nextLong(j + 1);
            drawn.add(drawn.contains(k) ? j : k);
        }
        List<Long> order = new ArrayList<>(drawn);
        TreeSet<Long> validation = new TreeSet<>();
        for (int i = 0; i < v; i++) {
            // a partial Fisher-Yates shuffle: validation windows are a uniform subset of those drawn
            int k = i + rng.nextInt(order.size() - i);
            Long swap = order.get(k);
            order.set(k, order.get(i));
            order.set(i, swap);
            validation.add(swap);
        }
        drawn.removeAll(validation);
        List<String> names = dirs.stream().map(Path::toString).toList();
        return new Inputs[] {inputs(drawn, firstIndex, sources, names),
            v == 0 ? null : inputs(validation, firstIndex, sources, names)};
    }

    private Inputs inputs(TreeSet<Long> drawn, long[] firstIndex, List<WindowSource> sources,
            List<String> names) {
        int n = drawn.size();
        List<int[]> picked = new ArrayList<>(n);
        int clip = 0;
        for (long index : drawn) {
            while (index >= firstIndex[clip + 1]) {
                clip++;
            }
            picked.add(new int[] {clip, (int) (index - firstIndex[clip])});
        }
        List<FloatTensor> batches = new AbstractList<>() {
            @Override
            public FloatTensor get(int b) {
                List<ClipTensor> ws = new ArrayList<>();
                for (int[] p : picked.subList(b * batchSize, Math.min(n, (b + 1) * batchSize))) {
                    ws.add(sources.get(p[0]).window(p[1]));
                }
                ClipBatch batch = ClipBatch.of(ws);
                return FloatTensor.of(batch.toArray(),
                        Arrays.stream(batch.shape()).asLongStream().toArray());
            }

            @Override
            public int size() {
                return (n + batchSize - 1) / batchSize;
            }
        };
        return new Inputs(batches, n, names);
    }

    /** The float model as {@code EngagementClassifier} runs it by default, for a fair timing. */
    private static ModelProto asClassifierRunsIt(ModelProto model) {
        try {
            return Conv3dLowering.defaults().apply(model);
        } catch (IllegalArgumentException e) {
            return model;
        }
    }

    /** Clip folders given both for calibration and for the check. */
    private List<Path> overlap() throws IOException {
        if (clips == null || heldOutClips == null) {
            return List.of();
        }
        Set<Path> calib = new HashSet<>();
        for (Path p : clips) {
            calib.add(p.toRealPath());
        }
        List<Path> both = new ArrayList<>();
        for (Path p : heldOutClips) {
            if (calib.contains(p.toRealPath())) {
                both.add(p);
            }
        }
        return both;
    }

    private void writeReport(ModelProto model, QuantizationReport r, Inputs calib, Inputs check,
            boolean inSample, SnippetEncoder encoder, List<Path> overlap, Int8Quantizer q, Mixed mixed,
            Inputs validation) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = mapper.createObjectNode();
        o.put("model", modelFile.toString());
        o.put("model_sha256", OnnxModels.sha256(model));
        o.put("out", out.toString());
        o.put("precision", "INT8");
        o.put("percentile", percentile);
        o.put("activations", activations);
        o.put("calibration_source", clips != null ? "clips" : "npy");
        ArrayNode c = o.putArray("calibration");
        calib.sources().forEach(c::add);
        o.put("calibration_windows", calib.windows());
        o.put("in_sample", inSample);
        ArrayNode h = o.putArray("held_out");
        if (!inSample) {
            check.sources().forEach(h::add);
        }
        o.put("check_windows", check.windows());
        ArrayNode both = o.putArray("overlapping_clips");
        overlap.forEach(p -> both.add(p.toString()));
        if (encoder != null) {
            o.put("seed", seed);
            o.put("window_frames", encoder.windowFrames());
            o.put("crop", encoder.cropSize());
            o.put("normalization", normalizationFile().toString());
        }
        ObjectNode keep = o.putObject("keep_fp32");
        keep.put("mode", keepFp32 == null ? "none" : mode());
        ArrayNode kept = keep.putArray("kept");
        for (String n : q.excluded()) {
            kept.addObject().put("conv", n).put("reason", "named by --keep-fp32");
        }
        if (mixed != null) {
            keep.put("validation_source", clips != null
                    ? "windows of the calibration clips, disjoint from the calibration windows"
                    : "the calibration arrays (in-sample)");
            keep.put("validation_windows", validation.windows());
            keep.put("validation_same_argmax_share", mixed.validationAgreement());
            if (mixed.targetMet() != null) {
                keep.put("target_agreement", targetAgreement);
                keep.put("target_met", mixed.targetMet());
            }
            for (int i = 0; i < mixed.kept().size(); i++) {
                ConvSensitivity sc = mixed.ranking().get(i);
                kept.addObject().put("conv", sc.conv()).put("sensitivity_rank", i + 1)
                        .put("mean_logit_difference", sc.meanLogitDifference())
                        .put("reason", String.format(Locale.ROOT, "rank %d of %d by the logit error of"
                                + " quantising it alone on the validation windows; %s", i + 1,
                                mixed.ranking().size(), mixed.targetMet() != null
                                ? String.format(Locale.ROOT, "kept to reach the target share %s",
                                        targetAgreement)
                                : "--keep-fp32 " + keepFp32));
            }
            ArrayNode sens = keep.putArray("sensitivity");
            for (ConvSensitivity sc : mixed.ranking()) {
                sens.addObject().put("conv", sc.conv())
                        .put("mean_logit_difference", sc.meanLogitDifference())
                        .put("max_logit_difference", sc.maxLogitDifference())
                        .put("max_probability_difference", sc.maxProbabilityDifference())
                        .put("same_argmax_share", sc.argmaxAgreement());
            }
        }
        o.put("same_argmax", r.sameArgmax());
        o.put("same_argmax_share", r.argmaxAgreement());
        o.put("max_probability_difference", r.maxProbabilityDifference());
        o.put("mean_probability_difference", r.meanProbabilityDifference());
        o.put("max_logit_difference", r.maxLogitDifference());
        ObjectNode time = o.putObject("time_per_window_ms");
        time.put("fp32", 1e3 * r.fp32SecondsPerRow());
        time.put("int8", 1e3 * r.quantisedSecondsPerRow());
        time.put("batch_size", batchSize);
        time.put("threads", threads);
        time.put("note", "same run, calls interleaved; informative only");
        Files.createDirectories(report.toAbsolutePath().getParent());
        AtomicFiles.writeString(report,
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    private String mode() {
        String s = keepFp32.strip();
        return s.equals("auto") ? "auto" : s.matches("[0-9]+") ? "count" : "names";
    }

    /** Reads float32 clip arrays; a single clip [3, T, H, W] gets a batch axis of 1. */
    private static Inputs fromNpy(String option, List<Path> files) throws IOException {
        List<FloatTensor> out = new ArrayList<>();
        int windows = 0;
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
            windows += (int) shape[0];
        }
        return new Inputs(out, windows, files.stream().map(Path::toString).toList());
    }
}
