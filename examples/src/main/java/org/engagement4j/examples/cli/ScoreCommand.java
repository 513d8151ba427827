package org.engagement4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.NormalizationFiles;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.model.Timeline;
import org.engagement4j.core.model.TimelineScorer;
import org.engagement4j.core.model.WindowSource;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoPreprocessor;
import org.engagement4j.examples.render.TimelinePng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engagement score --model M.onnx CLIP|VIDEO}: the engagement timeline of a whole
 * recording: a sliding window scored by one model per engagement variable, the probability per
 * window, optional smoothing and the engaged spans; printed as a summary, written as CSV or JSON,
 * and drawn as a PNG.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        header = "Score a whole recording with sliding windows (timeline).",
        description = {"Score a whole recording with a sliding window: probability of engagement",
            "per window and variable, optional moving-average smoothing, engaged spans.",
            "CLIP is a clip directory (frames.npy + clip.json, see the video package); VIDEO is a",
            "recording, preprocessed first (160 px high, 3.125 fps) into --cache or a temporary",
            "folder. Windows are normalised with the training folds' statistics (--normalization)",
            "and centre-cropped (--crop)."})
final class ScoreCommand implements Callable<Integer> {

    private static final Pattern DURATION = Pattern.compile(
            "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s)?\\s*", Pattern.CASE_INSENSITIVE);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLIP|VIDEO",
            description = "A clip directory or a video file.")
    Path recording;

    @Option(names = "--model", required = true, paramLabel = "[VARIABLE=]M.onnx",
            description = {"A model; repeat for one model per variable, e.g.",
                "--model task=task.onnx --model social=social.onnx. Without a prefix the model",
                "scores --variable. Variables: task (task engagement, tier participating),",
                "social (social engagement, tier attending)."})
    List<String> models;

    @Option(names = "--variable", defaultValue = "task", paramLabel = "VARIABLE",
            description = "Variable of a --model given without prefix (default: ${DEFAULT-VALUE}).")
    String defaultVariable;

    @Option(names = "--normalization", paramLabel = "FILE",
            description = {"Per-channel mean and std (JSON, as Normalization.write), the training",
                "folds' statistics. Default: M.normalization.json or normalization.json beside",
                "the first model."})
    Path normalization;

    @Option(names = "--stride", defaultValue = "1s", paramLabel = "TIME",
            description = "Time between window starts: 1s, 500ms, 4.8s; a bare number is seconds"
                    + " (default: ${DEFAULT-VALUE}).")
    String stride;

    @Option(names = "--smoothing", defaultValue = "1", paramLabel = "W",
            description = "Centred moving average over W windows, W odd; 1 = none (default:"
                    + " ${DEFAULT-VALUE}).")
    int smoothing;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "P",
            description = "A window is engaged when its (smoothed) probability exceeds P"
                    + " (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--crop", defaultValue = "160", paramLabel = "PX",
            description = "Side of the centre crop (default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--window-frames", defaultValue = "15", paramLabel = "N",
            description = "Frames per window (default: ${DEFAULT-VALUE}, 4.8 s at 3.125 fps).")
    int windowFrames;

    @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N",
            description = "Windows per model run (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the timeline: .csv (one row per window) or .json.")
    Path out;

    @Option(names = "--png", paramLabel = "FILE", description = "Draw the timeline as a PNG.")
    Path png;

    @Option(names = "--json", description = "Print the timeline as JSON instead of a summary.")
    boolean json;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Clip directory for a VIDEO input (reused when up to date).")
    Path cache;

    @Option(names = "--progress", description = "Report progress on standard error.")
    boolean progress;

    @Mixin
    PredictCommand.ModelOptions modelOptions;

    @Override
    public Integer call() throws Exception {
        long strideMs = parseDuration(stride);
        checkOutput("--out", out);
        checkOutput("--png", png);
        if (out != null && !(name(out).endsWith(".csv") || name(out).endsWith(".json"))) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--out %s: unknown format, expected a .csv or .json file name", out));
        }
        Map<Variable, Path> byVariable = parseModels();
        Path norm = normalizationFile(byVariable.values().iterator().next());
        Normalization n = Normalization.read(norm);
        TimelineScorer scorer = TimelineScorer.withDefaults().withStrideMs(strideMs)
                .withSmoothing(smoothing).withThreshold(threshold).withBatchSize(batchSize);
        SnippetEncoder encoder = SnippetEncoder.of(n).withCropSize(crop)
                .withWindowFrames(windowFrames);
        PrintWriter err = spec.commandLine().getErr();
        Path temp = null;
        Map<Variable, EngagementClassifier> loaded = new EnumMap<>(Variable.class);
        try {
            Clip clip;
            if (Files.isDirectory(recording)) {
                clip = Clip.open(recording);
            } else if (Files.isRegularFile(recording)) {
                Path dir = cache;
                if (dir == null) {
                    temp = Files.createTempDirectory("engagement-score");
                    dir = temp.resolve("clip");
                }
                clip = VideoPreprocessor.reference().cached(recording, dir,
                        progress ? bar(err, "preprocessing (ms of video)") : ProgressListener.NONE);
            } else {
                throw new java.nio.file.NoSuchFileException(recording.toString(), null,
                        "no clip directory or video file");
            }
            for (Map.Entry<Variable, Path> e : byVariable.entrySet()) {
                loaded.put(e.getKey(), modelOptions.load(e.getValue()));
            }
            Timeline tl;
            try {
                tl = scorer.score(WindowSource.of(clip, encoder), loaded,
                        progress ? bar(err, "scoring (windows)") : ProgressListener.NONE);
            } catch (ModelException e) {
                throw PredictCommand.badModel(e);
            }
            if (out != null) {
                if (name(out).endsWith(".csv")) {
                    tl.writeCsv(out);
                } else {
                    tl.writeJson(out);
                }
            }
            if (png != null) {
                TimelinePng.write(png, tl, recording.getFileName().toString());
            }
            PrintWriter o = spec.commandLine().getOut();
            if (json) {
                o.println(tl.toJson());
            } else {
                summary(o, clip, tl, byVariable);
            }
            o.flush();
            return 0;
        } finally {
            for (EngagementClassifier c : loaded.values()) {
                c.close();
            }
            if (temp != null) {
                deleteTree(temp);
            }
        }
    }

    private static String name(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private static void checkOutput(String option, Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %s: folder %s does not exist", option, file, parent));
        }
    }

    /**
     * @param text e.g. {@code 1s}, {@code 500ms}, {@code 4.8s}, {@code 2}
     * @return milliseconds, at least 1
     */
    static long parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--stride %s: expected a time such as 1s, 500ms or 4.8s", text));
        }
        double v = Double.parseDouble(m.group(1));
        boolean ms = "ms".equalsIgnoreCase(m.group(2));
        long out = Math.round(ms ? v : v * 1000);
        if (out < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--stride %s: %d ms, must be at least 1 ms", text, out));
        }
        return out;
    }

    static Variable parseVariable(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Variable v : Variable.values()) {
            if (t.equals(v.paperName()) || t.equals(v.referenceTier())
                    || t.equals(v.paperName().substring(0, v.paperName().indexOf('_')))) {
                return v;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "variable '%s': expected one of [task, social, task_engagement,"
                        + " social_engagement, participating, attending]", text));
    }

    private Map<Variable, Path> parseModels() {
        Variable plain = parseVariable(defaultVariable);
        Map<Variable, Path> ordered = new LinkedHashMap<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            Variable v = eq > 0 ? parseVariable(m.substring(0, eq)) : plain;
            Path p = Path.of(eq > 0 ? m.substring(eq + 1) : m);
            if (ordered.put(v, p) != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--model %s: variable %s already has a model; one model per variable",
                        m, v.paperName()));
            }
        }
        return ordered;
    }

    private Path normalizationFile(Path firstModel) {
        if (normalization != null) {
            return normalization;
        }
        Optional<Path> found = NormalizationFiles.find(firstModel);
        if (found.isPresent()) {
            return found.get();
        }
        String base = NormalizationFiles.baseName(firstModel);
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "no normalisation statistics for model %s: give --normalization FILE (the"
                        + " training folds' per-channel mean and std, JSON) or put %s beside"
                        + " the model", firstModel, base + ".normalization.json"));
    }

    private static ProgressListener bar(PrintWriter err, String what) {
        return new ProgressListener() {
            private long shown = -1;

            @Override
            public void progress(long done, long total) {
                long pct = total > 0 ? done * 100 / total : -1;
                if (pct != shown || done == total) {
                    shown = pct;
                    err.printf(Locale.ROOT, "\r%s: %d/%s%s", what, done,
                            total < 0 ? "?" : Long.toString(total), done == total ? "\n" : "");
                    err.flush();
                }
            }
        };
    }

    private static void summary(PrintWriter o, Clip clip, Timeline tl,
            Map<Variable, Path> models) {
        o.printf(Locale.ROOT, "recording %s: %d frames at %s fps (%.1f s)%n", clip,
                clip.frames(), clip.fps(), tl.durationMs() / 1000.0);
        o.printf(Locale.ROOT, "%d windows of %d frames every %d ms, smoothing %d, threshold %s%n",
                tl.windows(), tl.windowFrames(), tl.strideMs(), tl.smoothing(), tl.threshold());
        long scored = tl.segment(tl.windows() - 1).endMs() - tl.segment(0).startMs();
        for (Timeline.Track t : tl.tracks().values()) {
            long engaged = t.engaged().durationMs();
            o.printf(Locale.ROOT, "%s (model %s, sha256 %s, %s): engaged %.1f s of %.1f s scored"
                    + " (%.1f %%)%n", t.variable().paperName(), models.get(t.variable()),
                    t.provenance().modelSha256().substring(0, 12), t.provenance().provider(),
                    engaged / 1000.0, scored / 1000.0, scored > 0 ? 100.0 * engaged / scored : 0);
            StringBuilder spans = new StringBuilder();
            for (Interval i : t.engaged().intervals()) {
                spans.append(spans.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                        "%.2f-%.2f s", i.startMs() / 1000.0, i.endMs() / 1000.0));
            }
            o.printf(Locale.ROOT, "  engaged spans: %s%n", spans.length() == 0 ? "none" : spans);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the temporary clip " + root, e);
        }
    }
}
