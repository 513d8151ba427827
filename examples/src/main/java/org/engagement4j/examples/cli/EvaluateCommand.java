package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.SessionFolder;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.evaluation.AgreementRecord;
import org.engagement4j.core.evaluation.EmpiricalProbability;
import org.engagement4j.core.evaluation.EvaluationReport;
import org.engagement4j.core.evaluation.ModelEvaluator;
import org.engagement4j.core.evaluation.PerformanceRecord;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.sampling.EvaluationWindow;
import org.engagement4j.core.sampling.EvaluationWindows;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.training.ClipSource;
import org.engagement4j.core.training.HeadExport;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement evaluate --trained DIR ... --eaf DIR --clips DIR --out DIR}: the paper's
 * Table 2 (accuracy and F1 against random baselines), Table 3 and Figure 3 (human-human and
 * human-machine Cohen's kappa on back-to-back test windows) for trained classifiers.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Table 2, Table 3 and Figure 3 for trained classifiers.",
        description = {"For each --trained folder (written by engagement train head: model.onnx,",
            "normalization.json, provenance.json with task, variable and folds):",
            " - Table 2: the empirical positive probability q over all --eaf sessions; accuracy",
            "   and F1 on --passes passes of the sampler over the validation and test folds",
            "   (centre crop, no flip); the random baselines max(q, 1-q) and 2q/(1+q).",
            " - Table 3 / Figure 3: Cohen's kappa and raw agreement per rater pair on",
            "   back-to-back 5 s windows over the test sessions' shared span; the machine",
            "   label is the argmax of the logits.",
            "Writes table2_performance.csv, table3_kappa.csv, figure3_pairs.csv and",
            "evaluation.json into --out and prints both tables. With --figures DIR, also",
            "table2_performance.png (accuracy and F1 bars next to the random baselines),",
            "table3_kappa.png (mean human-human and human-machine kappa) and",
            "figure3_kappa.png (the kappa matrix of every rater pair, machine included)."})
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--trained", required = true, paramLabel = "DIR",
            description = "A folder written by engagement train head (repeatable).")
    List<Path> trained;

    @Option(names = "--eaf", required = true, paramLabel = "DIR",
            description = "Folder of .eaf files, one per session and coder.")
    Path eafDir;

    @Option(names = "--clips", required = true, paramLabel = "DIR",
            description = "Folder of preprocessed clips, one directory per session.")
    Path clipsDir;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder for the tables.")
    Path outDir;

    @Mixin
    PredictCommand.ModelOptions runtime;

    @Option(names = "--passes", defaultValue = "100", paramLabel = "N",
            description = "Sampler passes over the validation and test folds for accuracy and"
                    + " F1 (default: ${DEFAULT-VALUE}, as the reference's baked test sets).")
    int passes;

    @Option(names = "--snippets-per-session", defaultValue = "10", paramLabel = "N",
            description = "Snippets per session and pass (default: ${DEFAULT-VALUE}).")
    int snippetsPerSession;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the snippet plans (default: the training run's seed).")
    Long seed;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
            description = "Clips per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--figures", paramLabel = "DIR",
            description = "Also write the tables and Figure 3 as PNG files into DIR (created).")
    Path figuresDir;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    /** What a trained folder's provenance says. */
    private record Run(Path dir, Task task, Variable variable, long seed,
            List<List<String>> folds, int validationFold, int testFold) {
    }

    @Override
    public Integer call() throws Exception {
        if (passes < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--passes %d: must be at least 1", passes));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SessionFolder loaded = SessionLoader.create().load(eafDir);
        Map<String, CodedSession> byId = new LinkedHashMap<>();
        for (CodedSession s : loaded.sessions()) {
            byId.put(s.session(), s);
        }
        ClipSource clips = ClipSource.ofDirectory(clipsDir);
        SnippetSampler sampler = SnippetSampler.withDefaults()
                .withSnippetsPerSession(snippetsPerSession);
        List<PerformanceRecord> perf = new ArrayList<>();
        List<AgreementRecord> agreement = new ArrayList<>();
        for (Path dir : trained) {
            Run run = read(dir);
            Normalization norm = Normalization.read(dir.resolve(HeadExport.NORMALIZATION_FILE));
            ModelEvaluator ev = ModelEvaluator.of(norm).withBatchSize(batchSize);
            List<CodedSession> testSessions = sessions(run, run.testFold(), byId);
            double q = EmpiricalProbability.of(loaded.sessions(), run.task(), run.variable());
            String name = run.task().paperName() + " / " + run.variable().paperName();
            try (EngagementClassifier model = runtime.load(dir.resolve(HeadExport.MODEL_FILE))) {
                Optional<ConfusionMatrix> val = Optional.empty();
                if (run.validationFold() >= 0) {
                    val = Optional.of(confusion(model, ev, sampler, run,
                            sessions(run, run.validationFold(), byId), clips, err,
                            name + " validation"));
                }
                ConfusionMatrix test = confusion(model, ev, sampler, run, testSessions, clips, err,
                        name + " test");
                perf.add(new PerformanceRecord(run.task(), run.variable(), q, val,
                        Optional.of(test)));
                List<EvaluationWindow> windows = EvaluationWindows.withDefaults()
                        .windows(testSessions, run.task());
                if (windows.isEmpty()) {
                    err.printf(Locale.ROOT, "warning: %s: no test session has a %s span shared"
                            + " by all its coders of at least 5 s; no kappa%n", name,
                            run.task().paperName());
                } else {
                    Bar bar = bar(err, name + " windows");
                    int[] machine = ev.predictWindows(model, windows, clips, bar);
                    end(bar);
                    agreement.add(AgreementRecord.of(run.task(), run.variable(), windows,
                            machine));
                }
            } catch (ModelException e) {
                throw PredictCommand.badModel(e);
            }
        }
        EvaluationReport report = new EvaluationReport(perf, agreement);
        report.write(outDir);
        out.println("Table 2 (* above the random baseline)");
        out.printf(Locale.ROOT, "%-8s %-18s %6s %9s %8s %9s %8s%n", "task", "variable", "q",
                "val acc", "val F1", "test acc", "test F1");
        for (PerformanceRecord r : perf) {
            out.printf(Locale.ROOT, "%-8s %-18s %6.3f %9s %8s %9s %8s%n", r.task().paperName(),
                    r.variable().paperName(), r.empiricalProbability(),
                    cell(r.validationAccuracy(), r.validationAccuracyAboveBaseline()),
                    cell(r.validationF1(), r.validationF1AboveBaseline()),
                    cell(r.testAccuracy(), r.testAccuracyAboveBaseline()),
                    cell(r.testF1(), r.testF1AboveBaseline()));
        }
        out.println("Table 3 (mean Cohen's kappa on the test windows)");
        out.printf(Locale.ROOT, "%-8s %-18s %8s %8s %8s%n", "task", "variable", "windows",
                "human", "machine");
        for (AgreementRecord a : agreement) {
            out.printf(Locale.ROOT, "%-8s %-18s %8d %8s %8s%n", a.task().paperName(),
                    a.variable().paperName(), a.windows(),
                    cell(a.humanHumanKappa().mean(), false),
                    cell(a.humanMachineKappa().mean(), false));
        }
        out.printf(Locale.ROOT, "wrote %s, %s, %s, %s into %s%n", EvaluationReport.TABLE2,
                EvaluationReport.TABLE3, EvaluationReport.FIGURE3, EvaluationReport.JSON,
                outDir);
        if (figuresDir != null) {
            for (Path png : EvaluationFigures.write(report, figuresDir)) {
                out.printf(Locale.ROOT, "wrote %s%n", png);
            }
        }
        out.flush();
        return 0;
    }

    private ConfusionMatrix confusion(EngagementClassifier model, ModelEvaluator ev,
            SnippetSampler sampler, Run run, List<CodedSession> sessions, ClipSource clips,
            PrintWriter err, String label) throws IOException, ModelException {
        long s = seed != null ? seed : run.seed();
        List<Snippet> snippets = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            snippets.addAll(sampler.plan(sessions, run.task(), p, s).snippets());
        }
        if (snippets.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: no snippet can be drawn (no coder has a %s span of at least 5 s)",
                    label, run.task().paperName()));
        }
        Bar bar = bar(err, label);
        int[] pred = ev.predictSnippets(model, snippets, clips, bar);
        end(bar);
        return ModelEvaluator.confusion(snippets, run.variable(), pred);
    }

    private static List<CodedSession> sessions(Run run, int fold, Map<String, CodedSession> byId) {
        List<CodedSession> out = new ArrayList<>();
        for (String s : run.folds().get(fold)) {
            CodedSession c = byId.get(s);
            if (c == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--trained %s: session %s of fold %d has no ELAN file in --eaf",
                        run.dir(), s, fold));
            }
            out.add(c);
        }
        return out;
    }

    private static Run read(Path dir) throws IOException {
        Path file = dir.resolve(HeadExport.PROVENANCE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--trained %s: no %s (a folder written by engagement train head holds %s,"
                            + " %s and %s)", dir, HeadExport.PROVENANCE_FILE,
                    HeadExport.MODEL_FILE, HeadExport.NORMALIZATION_FILE,
                    HeadExport.PROVENANCE_FILE));
        }
        JsonNode j = new ObjectMapper().readTree(file.toFile());
        try {
            Task task = null;
            for (Task t : Task.values()) {
                if (t.paperName().equals(j.get("task").asText())) {
                    task = t;
                }
            }
            Variable variable = null;
            for (Variable v : Variable.values()) {
                if (v.paperName().equals(j.get("variable").asText())) {
                    variable = v;
                }
            }
            if (task == null || variable == null) {
                throw new IllegalArgumentException("unknown task or variable "
                        + j.get("task") + " / " + j.get("variable"));
            }
            List<List<String>> folds = new ArrayList<>();
            for (JsonNode f : j.get("folds")) {
                List<String> l = new ArrayList<>();
                f.forEach(s -> l.add(s.asText()));
                folds.add(l);
            }
            int test = j.get("test_fold").asInt();
            int val = j.get("validation_fold").asInt();
            if (test < 0 || test >= folds.size() || val >= folds.size()) {
                throw new IllegalArgumentException("fold indices out of range");
            }
            return new Run(dir, task, variable, j.get("seed").asLong(), folds, val, test);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--trained %s: %s is not a training provenance record: %s", dir, file,
                    e.getMessage()), e);
        }
    }

    private Bar bar(PrintWriter err, String label) {
        return new Bar(noProgress ? null : new TrainCommand.Bar(err, label));
    }

    private static void end(Bar bar) {
        bar.end();
    }

    /** A progress bar, or nothing with --no-progress. */
    private static final class Bar implements ProgressListener {
        private final TrainCommand.Bar bar;

        Bar(TrainCommand.Bar bar) {
            this.bar = bar;
        }

        @Override
        public void progress(long done, long total) {
            if (bar != null) {
                bar.progress(done, total);
            }
        }

        void end() {
            if (bar != null) {
                bar.end();
            }
        }
    }

    private static String cell(java.util.OptionalDouble v, boolean above) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.3f%s", v.getAsDouble(),
                above ? "*" : " ") : "-";
    }
}
