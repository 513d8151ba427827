package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.NormalizationFiles;
import org.engagement4j.core.model.Provenance;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.StringStringEntryProto;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.xai.attention.AttentionExplainer;
import org.engagement4j.xai.attention.AttentionMap;
import org.engagement4j.xai.attention.AttentionMethod;
import org.engagement4j.xai.attention.Explanation;
import org.engagement4j.xai.attention.OcclusionWindow;
import org.engagement4j.xai.attention.Target;
import org.engagement4j.xai.render.AttentionFigure;
import org.engagement4j.xai.render.ColorMap;
import org.engagement4j.xai.render.ImageFiles;
import org.engagement4j.xai.render.OverlayStyle;
import org.engagement4j.xai.render.Overlays;
import org.engagement4j.xai.render.RgbFrames;
import org.engagement4j.xai.render.VideoFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement explain --model M.onnx (--input X.npy | --clip CLIP --start-ms S) --out DIR}:
 * the paper's attention maps of one clip (gradient saliency, guided backpropagation, Grad-CAM,
 * guided Grad-CAM; occlusion on request), computed in Java through the backward graph, written as
 * one float32 {@code <method>_<target>.npy} per map and target (the map before the final min-max
 * step) plus pictures: a PNG grid, an animated GIF and an H.264 MP4 (unless {@code --no-mp4}) of
 * each map over the clip's frames, and a methods-by-frames figure per target; {@code explanation.json} records the logits, the
 * provenance and the files.
 *
 * <p>Normalisation: {@code --input} is an already normalised, cropped float32 clip. For
 * {@code --clip} the frames are normalised with the training folds' statistics: from
 * {@code --normalization FILE}, else from the model's metadata entry
 * {@value #NORMALIZATION_METADATA} (the JSON of {@code Normalization.toJson()}), else from
 * {@code M.normalization.json} or {@code normalization.json} beside the model; without any the
 * command refuses to guess and exits 2.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        header = "Attention maps (saliency, guided BP, Grad-CAM, ...) of a model for one clip.",
        description = {"Compute attention maps of an ONNX video classifier for one clip, in Java",
            "(backward graph on ONNX Runtime): gradient saliency, guided backpropagation,",
            "Grad-CAM, guided Grad-CAM and occlusion, for the positive (class 1) and/or",
            "negative (class 0) target. Writes <method>_<target>.npy (float32, before min-max),",
            "<method>_<target>.png (overlay grid), <method>_<target>.gif and .mp4 (animated",
            "overlay, H.264), figure_<target>.png (methods x frames) and explanation.json",
            "into --out.",
            "Occlusion costs one forward pass per block position (1500 for 15 x 160 x 160)."})
final class ExplainCommand implements Callable<Integer> {

    /** The model metadata entry that may carry the normalisation statistics. */
    static final String NORMALIZATION_METADATA = "engagement4j.normalization";

    private static final double DEFAULT_FPS = 3.125;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.onnx",
            description = "The forward ONNX model (input [N, 3, T, H, W], logits [N, K]).")
    Path modelFile;

    @Option(names = "--input", paramLabel = "X.npy",
            description = "A normalised clip, float32 [1, 3, T, H, W] or [3, T, H, W].")
    Path input;

    @Option(names = "--clip", paramLabel = "CLIP",
            description = "A clip directory (frames.npy + clip.json); needs --start-ms.")
    Path clipDir;

    @Option(names = "--start-ms", paramLabel = "S",
            description = "Start of the snippet in the clip, ms (frame int(S * fps / 1000)).")
    Long startMs;

    @Option(names = "--normalization", paramLabel = "FILE",
            description = {"Per-channel mean and std (JSON, as Normalization.write). Needed by",
                "--clip unless the model carries them (metadata " + NORMALIZATION_METADATA + ")",
                "or M.normalization.json / normalization.json lies beside the model. With",
                "--input it is only used to show the frames in their true colours."})
    Path normalization;

    @Option(names = "--target", defaultValue = "both", paramLabel = "T",
            description = "positive (class 1), negative (class 0) or both (default:"
                    + " ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--methods", defaultValue = "saliency,guided,gradcam,guided-gradcam",
            paramLabel = "LIST", split = ",",
            description = {"Comma-separated: saliency, guided, gradcam, guided-gradcam,",
                "occlusion (default: ${DEFAULT-VALUE})."})
    List<String> methods;

    @Option(names = "--layer", paramLabel = "NAME",
            description = {"Grad-CAM layer (a tensor name); default: layer4's last conv2 output",
                "before the residual Add, found in the graph."})
    String layer;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (created if missing; files in it are replaced).")
    Path out;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--occlusion-batch", defaultValue = "8", paramLabel = "N",
            description = "Occluded clips per forward run (default: ${DEFAULT-VALUE}).")
    int occlusionBatch;

    @Option(names = "--colormap", defaultValue = "JET", paramLabel = "NAME",
            description = "Colour map: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ColorMap colorMap;

    @Option(names = "--columns", defaultValue = "5", paramLabel = "N",
            description = "Frames per row of the PNG grids (default: ${DEFAULT-VALUE}).")
    int columns;

    @Option(names = "--scale", defaultValue = "1", paramLabel = "K",
            description = "Enlarge the pictures K times (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--no-pictures", description = "Write the .npy maps and the JSON only.")
    boolean noPictures;

    @Option(names = "--no-mp4", description = "Skip the MP4 overlays (PNG and GIF are still "
            + "written).")
    boolean noMp4;

    @Option(names = "--progress", description = "Report occlusion progress on standard error.")
    boolean progress;

    /** The clip to explain, the frames to draw on and where they came from. */
    private record Source(ClipTensor tensor, RgbFrames frames, double fps, ObjectNode json) {
    }

    @Override
    public Integer call() throws Exception {
        Set<Target> targets = targets(target);
        Set<AttentionMethod> ms = methods(methods);
        if (threads < 1 || occlusionBatch < 1 || columns < 1 || scale < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--threads %d, --occlusion-batch %d, --columns %d, --scale %d: each must be at"
                            + " least 1", threads, occlusionBatch, columns, scale));
        }
        if ((input == null) == (clipDir == null)) {
            throw new IllegalArgumentException("give exactly one of --input X.npy and --clip CLIP");
        }
        if (clipDir != null && startMs == null) {
            throw new IllegalArgumentException("--clip " + clipDir + " needs --start-ms S");
        }
        if (input != null && startMs != null) {
            throw new IllegalArgumentException("--start-ms goes with --clip, not with --input");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
        }
        ModelProto model = OnnxModels.read(modelFile);
        Normalization norm = normalization(model, clipDir != null);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AttentionExplainer.Builder b = AttentionExplainer.builder().model(modelFile).methods(ms)
                .intraOpThreads(threads).occlusionBatchSize(occlusionBatch);
        if (layer != null) {
            b.layer(layer);
        }
        try (AttentionExplainer explainer = build(b)) {
            Source src = input != null ? fromInput(norm) : fromClip(explainer, norm);
            Explanation e;
            try {
                e = explainer.explain(src.tensor(), ms, targets,
                        progress ? bar(err) : ProgressListener.NONE);
            } catch (ModelException ex) {
                throw bad(ex);
            }
            Files.createDirectories(out);
            List<String> written = write(e, src, ms, targets, explainer);
            summary(o, e, src, written.size());
        }
        o.flush();
        return 0;
    }

    private static AttentionExplainer build(AttentionExplainer.Builder b) {
        try {
            return b.build();
        } catch (ModelException e) {
            throw bad(e);
        }
    }

    private static IllegalArgumentException bad(ModelException e) {
        return new IllegalArgumentException(e.getMessage() + " [" + e.reason() + "]", e);
    }

    static Set<Target> targets(String t) {
        String s = t.trim().toLowerCase(Locale.ROOT);
        if (s.equals("both")) {
            return EnumSet.allOf(Target.class);
        }
        try {
            return EnumSet.of(Target.fromId(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--target " + t + ": expected positive, negative"
                    + " or both", e);
        }
    }

    static Set<AttentionMethod> methods(List<String> names) {
        EnumSet<AttentionMethod> ms = EnumSet.noneOf(AttentionMethod.class);
        for (String n : names) {
            if (n.isBlank()) {
                continue;
            }
            try {
                ms.add(AttentionMethod.fromId(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--methods: " + e.getMessage(), e);
            }
        }
        if (ms.isEmpty()) {
            throw new IllegalArgumentException("--methods: at least one method is needed");
        }
        return ms;
    }

    /**
     * The statistics: the option, the model's metadata, or a file beside the model; null when
     * none is found and {@code required} is false.
     */
    private Normalization normalization(ModelProto model, boolean required) throws IOException {
        if (normalization != null) {
            return Normalization.read(normalization);
        }
        for (StringStringEntryProto p : model.getMetadataPropsList()) {
            if (p.getKey().equals(NORMALIZATION_METADATA)) {
                try {
                    return Normalization.fromJson(p.getValue());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "model %s: metadata %s: %s", modelFile, NORMALIZATION_METADATA,
                            e.getMessage()), e);
                }
            }
        }
        Optional<Path> found = NormalizationFiles.find(modelFile);
        if (found.isPresent()) {
            return Normalization.read(found.get());
        }
        String base = NormalizationFiles.baseName(modelFile);
        if (required) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--clip needs the training folds' normalisation statistics, and model %s"
                            + " carries none (no metadata %s, no %s beside it): give"
                            + " --normalization FILE (JSON {\"mean\": [r, g, b], \"std\": [r, g,"
                            + " b]} on the 0-255 scale)", modelFile, NORMALIZATION_METADATA,
                    base + ".normalization.json"));
        }
        return null;
    }

    private Source fromInput(Normalization norm) throws IOException {
        NpyArray a = Npy.read(input);
        if (a.dtype() != NpyArray.DType.FLOAT32) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s: dtype %s, expected float32 ('<f4'), a normalised clip", input,
                    a.dtype().descr()));
        }
        int[] s = a.shape();
        int[] chw;
        if (s.length == 5 && s[0] == 1) {
            chw = Arrays.copyOfRange(s, 1, 5);
        } else if (s.length == 4) {
            chw = s;
        } else {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s: shape %s, expected one clip [1, 3, T, H, W] or [3, T, H, W]",
                    input, Arrays.toString(s)));
        }
        ClipTensor t;
        try {
            t = ClipTensor.of(a.toFloatArray(), chw[0], chw[1], chw[2], chw[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--input " + input + ": " + e.getMessage(), e);
        }
        if (t.channels() != 3) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--input %s: %d channels, expected 3 (R, G, B)", input, t.channels()));
        }
        RgbFrames frames = norm != null ? RgbFrames.fromNormalized(t, norm) : RgbFrames.stretched(t);
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("npy", input.toString());
        j.put("colours", norm != null ? "normalisation inverted" : "stretched min-max");
        return new Source(t, frames, DEFAULT_FPS, j);
    }

    private Source fromClip(AttentionExplainer explainer, Normalization norm) throws IOException {
        Clip clip = Clip.open(clipDir);
        long[] want = explainer.signature().inputShape();
        SnippetEncoder enc = SnippetEncoder.of(norm);
        if (want[3] > 0) {
            if (want[4] > 0 && want[4] != want[3]) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "model %s takes %d x %d frames; --clip crops square frames only",
                        modelFile, want[3], want[4]));
            }
            enc = enc.withCropSize((int) want[3]);
        }
        if (want[2] > 0) {
            enc = enc.withWindowFrames((int) want[2]);
        }
        int start = SnippetEncoder.startFrame(startMs, clip.fps());
        ClipTensor t;
        try {
            t = enc.encode(clip, start);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--clip %s --start-ms %d (frame %d): %s", clipDir, startMs, start,
                    e.getMessage()), e);
        }
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("clip", clipDir.toString());
        j.put("start_ms", startMs);
        j.put("start_frame", start);
        j.put("frames", enc.windowFrames());
        j.put("crop", enc.cropSize());
        j.put("fps", clip.fps());
        j.put("normalization", norm.toJson());
        return new Source(t, RgbFrames.fromNormalized(t, norm), clip.fps(), j);
    }

    private List<String> write(Explanation e, Source src, Set<AttentionMethod> ms,
            Set<Target> targets, AttentionExplainer explainer) throws IOException {
        List<String> files = new ArrayList<>();
        OverlayStyle style = OverlayStyle.reference().withColorMap(colorMap);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("model", modelFile.toString());
        root.set("provenance", provenance(mapper, e.provenance()));
        root.set("input", src.json());
        ArrayNode shape = root.putArray("shape");
        Arrays.stream(src.tensor().shape()).forEach(shape::add);
        ArrayNode logits = root.putArray("logits");
        for (float v : e.logits()) {
            logits.add(v);
        }
        ArrayNode probs = root.putArray("probabilities");
        for (double v : e.probabilities()) {
            probs.add(v);
        }
        explainer.layer().ifPresent(l -> root.put("gradcam_layer", l));
        if (ms.contains(AttentionMethod.OCCLUSION)) {
            ObjectNode occ = root.putObject("occlusion");
            OcclusionWindow w = explainer.occlusionWindow();
            occ.putArray("radius").add(w.radiusT()).add(w.radiusH()).add(w.radiusW());
            occ.putArray("stride").add(w.strideT()).add(w.strideH()).add(w.strideW());
        }
        ArrayNode maps = root.putArray("maps");
        for (AttentionMap m : e.maps()) {
            String base = m.method().id() + "_" + m.target().id();
            Npy.write(out.resolve(base + ".npy"), m.toNpy());
            files.add(base + ".npy");
            ObjectNode j = maps.addObject();
            j.put("method", m.method().id());
            j.put("target", m.target().id());
            j.put("class", m.target().classIndex());
            j.put("npy", base + ".npy");
            ArrayNode s = j.putArray("shape");
            Arrays.stream(m.shape()).forEach(s::add);
            j.put("min", m.raw().min());
            j.put("max", m.raw().max());
            j.put("constant", m.isConstant());
            if (!noPictures) {
                List<BufferedImage> over = Overlays.overlay(src.frames(), m, style);
                ImageFiles.writePng(out.resolve(base + ".png"),
                        Overlays.grid(over, columns, scale, true));
                List<BufferedImage> big = new ArrayList<>();
                for (BufferedImage img : over) {
                    big.add(scale == 1 ? img : Overlays.scaled(img, scale));
                }
                ImageFiles.writeGif(out.resolve(base + ".gif"), big, src.fps());
                j.put("png", base + ".png");
                j.put("gif", base + ".gif");
                files.add(base + ".png");
                files.add(base + ".gif");
                if (!noMp4) {
                    VideoFiles.writeMp4(out.resolve(base + ".mp4"), big, src.fps());
                    j.put("mp4", base + ".mp4");
                    files.add(base + ".mp4");
                }
            }
        }
        if (!noPictures) {
            ObjectNode figures = root.putObject("figures");
            for (Target t : targets) {
                AttentionFigure f = AttentionFigure.of(src.frames()).withScale(scale).withStyle(style)
                        .withTitle(String.format(Locale.ROOT, "target %s (class %d), p = %.3f",
                                t.id(), t.classIndex(), e.probabilities()[t.classIndex()]));
                for (AttentionMap m : e.maps()) {
                    if (m.target() == t) {
                        f = f.withRow(m.method().displayName(), m);
                    }
                }
                String name = "figure_" + t.id() + ".png";
                ImageFiles.writePng(out.resolve(name), f.render());
                files.add(name);
                figures.put(t.id(), name);
            }
        }
        AtomicFiles.writeString(out.resolve("explanation.json"),
                mapper.writeValueAsString(root) + "\n");
        files.add("explanation.json");
        return files;
    }

    private static ObjectNode provenance(ObjectMapper mapper, Provenance p) {
        ObjectNode o = mapper.createObjectNode();
        o.put("model_sha256", p.modelSha256());
        o.put("opset", p.opset());
        o.put("provider", p.provider().name());
        o.put("library_version", p.libraryVersion());
        o.put("onnxruntime_version", p.onnxRuntimeVersion());
        o.put("java_version", p.javaVersion());
        return o;
    }

    private void summary(PrintWriter o, Explanation e, Source src, int files) {
        Provenance p = e.provenance();
        o.printf(Locale.ROOT, "model %s (sha256 %s, opset %d, %s)%n", modelFile,
                p.modelSha256().substring(0, 12), p.opset(), p.provider());
        o.printf(Locale.ROOT, "input %s %s: logits %s, p(positive) %.4f%n",
                input != null ? input : clipDir + " @ " + startMs + " ms",
                Arrays.toString(src.tensor().shape()), Arrays.toString(e.logits()),
                e.probabilities()[Target.POSITIVE.classIndex()]);
        for (AttentionMap m : e.maps()) {
            o.printf(Locale.ROOT, "%-16s %-8s %s  max %.4g%s%n", m.method().id(),
                    m.target().id(), m.raw().shapeString(), m.raw().max(),
                    m.isConstant() ? "  (constant)" : "");
        }
        o.printf(Locale.ROOT, "wrote %d files to %s%n", files, out);
    }

    private static ProgressListener bar(PrintWriter err) {
        return new ProgressListener() {
            private long shown = -1;

            @Override
            public void progress(long done, long total) {
                long pct = total > 0 ? done * 100 / total : -1;
                if (pct != shown || done == total) {
                    shown = pct;
                    err.printf(Locale.ROOT, "\rpasses: %d/%d%s", done, total,
                            done == total ? "\n" : "");
                    err.flush();
                }
            }
        };
    }
}
