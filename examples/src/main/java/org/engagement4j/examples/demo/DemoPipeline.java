package org.engagement4j.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.engagement4j.core.Engagement4j;
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
import org.engagement4j.core.folds.FoldPlan;
import org.engagement4j.core.folds.FoldSplitter;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.SnippetEncoder;
import org.engagement4j.core.model.Timeline;
import org.engagement4j.core.model.TimelineScorer;
import org.engagement4j.core.model.WindowSource;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.sampling.ComparisonSample;
import org.engagement4j.core.sampling.ComparisonSet;
import org.engagement4j.core.sampling.ComparisonSetSelector;
import org.engagement4j.core.sampling.EvaluationWindow;
import org.engagement4j.core.sampling.EvaluationWindows;
import org.engagement4j.core.sampling.MissingComparison;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.stats.AgreementMatrix;
import org.engagement4j.core.stats.AgreementTable;
import org.engagement4j.core.stats.DurationTable;
import org.engagement4j.core.stats.HumanAgreement;
import org.engagement4j.core.stats.StatsCsv;
import org.engagement4j.core.stats.StatsJson;
import org.engagement4j.core.training.BakedEmbeddings;
import org.engagement4j.core.training.ClipSource;
import org.engagement4j.core.training.EmbeddingBaker;
import org.engagement4j.core.training.EmbeddingTable;
import org.engagement4j.core.training.HeadExport;
import org.engagement4j.core.training.HeadTrainer;
import org.engagement4j.core.training.HeadTrainingResult;
import org.engagement4j.core.training.LabelledEmbeddings;
import org.engagement4j.core.training.LinearHead;
import org.engagement4j.core.transform.ChannelStatistics;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoPreprocessor;
import org.engagement4j.examples.render.HeatmapPng;
import org.engagement4j.examples.render.TimelinePng;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.engagement4j.metrics.agreement.RandomBaseline;
import org.engagement4j.metrics.maps.CenterCrop;
import org.engagement4j.metrics.maps.ConstantMapPolicy;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.maps.MapMetrics;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.engagement4j.metrics.stats.MethodRanking;
import org.engagement4j.metrics.stats.MethodSummary;
import org.engagement4j.metrics.stats.PairwiseComparison;
import org.engagement4j.metrics.stats.Ranking;
import org.engagement4j.metrics.transport.Emd;
import org.engagement4j.xai.attention.AttentionExplainer;
import org.engagement4j.xai.attention.AttentionMap;
import org.engagement4j.xai.attention.AttentionMethod;
import org.engagement4j.xai.attention.Explanation;
import org.engagement4j.xai.attention.Target;
import org.engagement4j.xai.render.AttentionFigure;
import org.engagement4j.xai.render.ImageFiles;
import org.engagement4j.xai.render.OverlayStyle;
import org.engagement4j.xai.render.Overlays;
import org.engagement4j.xai.render.RgbFrames;

/**
 * The one-command demo (issue 8): every stage of the system on a synthetic guided-play
 * benchmark, through the library's own APIs.
 *
 * <ol>
 *   <li><b>generate</b> the benchmark ({@link DemoBenchmark});</li>
 *   <li><b>statistics</b>: sessions from the ELAN files, Table 1 and Figure 1 (coder agreement),
 *   agreement-matrix PNGs;</li>
 *   <li><b>preprocess</b> every recording into the 160 px, 3.125 fps clip cache
 *   ({@link VideoPreprocessor#cached});</li>
 *   <li><b>folds</b>: with a handful of sessions the paper's 5 folds leave too little to train
 *   on, so the demo splits into 4 folds with the reference's balance score: folds 0 and 1
 *   train, fold 2 validates (checkpointing), fold 3 is the held-out test fold;</li>
 *   <li><b>model</b>: no pretrained weights exist offline, so the encoder is a width-reduced
 *   torchvision mc3_18 with fixed seeded random weights (a random-feature encoder); the baker
 *   embeds every fold's snippets over several sampler passes, centre-cropped (augmentation
 *   only adds noise to features that cannot learn invariance: measured, it took the test
 *   accuracy to chance), once per task; one linear head per variable is trained on the
 *   standardised embeddings of all three tasks (the synthetic rules do not depend on the task)
 *   for a fixed number of epochs, the scaling folded into the head, merged into a forward ONNX
 *   model; accuracy and F1
 *   per task against the random baselines, human-human and human-machine Cohen's kappa on the
 *   test fold's back-to-back 5 s windows;</li>
 *   <li><b>timeline</b>: the test recording scored with a 1 s stride (PNG + CSV);</li>
 *   <li><b>attention</b>: the comparison set of the test fold (one pseudo-painter
 *   {@value #PAINTER}{@code -<session>} per test session, who coded nothing, so every test
 *   session is unseen; snippets where all coders agree; the sessions' samples interleaved),
 *   every configured attention method for the class the coders agreed on, the benchmark's
 *   evidence masks as the human maps, all standardised to 15 x 32 x 32 and compared (EMD mean
 *   per frame, Pearson, Spearman, histogram intersection, KL, NSS, AUC-Judd); snippets whose
 *   evidence is empty (nothing to look at) are left out of the comparison and counted; a
 *   Table-4-style ranking per metric with Wilcoxon signed-rank tests of adjacent methods; an
 *   overlay figure (PNG) per snippet and an animated overlay (GIF) per snippet and method;</li>
 *   <li><b>write</b>: {@code summary.json} with every number and the stage times.</li>
 * </ol>
 *
 * <p>Output folder layout: {@code benchmark/} (the generated data), {@code clips/},
 * {@code figures/}, {@code tables/}, {@code model/} (one ONNX model per variable,
 * {@code normalization.json}, {@code provenance.json}), {@code summary.json}. The run is built
 * in a hidden sibling folder and renamed into place at the end: after a failure no
 * half-written output is left. Equal settings and seed give equal numbers (timings aside).
 *
 * @since 0.1.0
 */
public final class DemoPipeline {

    /**
     * The painter name of the comparison set: the evidence masks, who coded no session; each
     * test session gets its own pseudo-painter, this name, a dash and the session.
     */
    public static final String PAINTER = "evidence";

    /** Name of the summary file. */
    public static final String SUMMARY = "summary.json";

    private static final int FOLDS = 4;
    private static final int FOLD_TRIES = 2000;
    private static final int THREADS = 2;
    private static final double HEAD_LEARNING_RATE = 0.003;
    private static final double HEAD_WEIGHT_DECAY = 0.01;

    private final DemoSettings settings;

    private DemoPipeline(DemoSettings settings) {
        this.settings = settings;
    }

    /**
     * @param settings the sizes of the run
     * @return a pipeline
     * @throws NullPointerException if {@code settings} is null
     */
    public static DemoPipeline of(DemoSettings settings) {
        return new DemoPipeline(Objects.requireNonNull(settings, "settings"));
    }

    /** @return the settings */
    public DemoSettings settings() {
        return settings;
    }

    /**
     * Generates the synthetic benchmark into {@code out/benchmark} and runs every stage.
     *
     * @param out the output folder: must not exist, or be empty; its parent must exist
     * @param seed the one seed of the run (data, folds, weights, sampling, training)
     * @param listener receives stage and progress reports
     * @return the summary (also written to {@code out/summary.json})
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if {@code out} is not a fresh folder (the message names
     *     it), or the data cannot train a classifier
     * @throws ModelException if ONNX Runtime fails
     */
    public DemoSummary run(Path out, long seed, DemoListener listener)
            throws IOException, ModelException {
        return run(null, out, seed, listener);
    }

    /**
     * Runs every stage but the generation on given data (for example another benchmark).
     *
     * @param inputs the data; {@code null} generates the synthetic benchmark
     * @param out the output folder: must not exist, or be empty; its parent must exist
     * @param seed the one seed of the run
     * @param listener receives stage and progress reports
     * @return the summary (also written to {@code out/summary.json})
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if {@code out} is not a fresh folder, there are fewer
     *     than 4 sessions, or a variable has one class only in the training folds
     * @throws ModelException if ONNX Runtime fails
     */
    public DemoSummary run(DemoInputs inputs, Path out, long seed, DemoListener listener)
            throws IOException, ModelException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(listener, "listener");
        DemoFiles.requireFreshOutput(out);
        Path target = out.toAbsolutePath();
        Path work = target.resolveSibling("." + target.getFileName() + ".partial-"
                + ProcessHandle.current().pid());
        DemoFiles.deleteTree(work);
        Files.createDirectories(work);
        boolean done = false;
        try {
            DemoSummary s = new Run(work, seed, listener).execute(inputs);
            if (Files.isDirectory(target)) {
                Files.delete(target);
            }
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return s.movedTo(target);
        } finally {
            if (!done) {
                DemoFiles.deleteTree(work);
            }
        }
    }

    /** One run's state: the folders, the listener and the summary being filled. */
    private final class Run {
        private final Path root;
        private final long seed;
        private final DemoListener listener;
        private final ObjectMapper mapper = new ObjectMapper();
        private final ObjectNode summary = mapper.createObjectNode();
        private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
        private final StringBuilder text = new StringBuilder();
        private final Path figures;
        private final Path tables;
        private final Path modelDir;

        Run(Path root, long seed, DemoListener listener) {
            this.root = root;
            this.seed = seed;
            this.listener = listener;
            this.figures = root.resolve("figures");
            this.tables = root.resolve("tables");
            this.modelDir = root.resolve("model");
        }

        DemoSummary execute(DemoInputs given) throws IOException, ModelException {
            Files.createDirectories(figures);
            Files.createDirectories(tables);
            Files.createDirectories(modelDir);
            summary.put("format", "engagement4j-demo-summary");
            summary.put("library_version", Engagement4j.VERSION);
            summary.put("seed", seed);
            summary.set("settings", settingsJson());

            long t0 = System.nanoTime();
            listener.stageStarted("generate");
            DemoInputs inputs = given != null ? given
                    : DemoBenchmark.generate(settings, root.resolve("benchmark"), seed, listener);
            end("generate", t0);

            t0 = System.nanoTime();
            listener.stageStarted("statistics");
            List<CodedSession> sessions = statistics(inputs);
            end("statistics", t0);

            t0 = System.nanoTime();
            listener.stageStarted("preprocess");
            ClipSource clips = preprocess(inputs, sessions);
            end("preprocess", t0);

            t0 = System.nanoTime();
            listener.stageStarted("folds");
            Split split = folds(sessions);
            end("folds", t0);

            t0 = System.nanoTime();
            listener.stageStarted("model");
            Models models = model(split, clips);
            end("model", t0);

            t0 = System.nanoTime();
            listener.stageStarted("timeline");
            timeline(split, clips, models);
            end("timeline", t0);

            t0 = System.nanoTime();
            listener.stageStarted("attention");
            attention(split, clips, models, inputs.evidence());
            end("attention", t0);

            DemoSummary s = new DemoSummary(root, summary, stageSeconds, text.toString());
            DemoFiles.writeText(root.resolve(SUMMARY), s.toJson());
            return s;
        }

        private void end(String stage, long t0) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            stageSeconds.put(stage, seconds);
            listener.stageEnded(stage, seconds);
        }

        private ObjectNode settingsJson() {
            ObjectNode o = mapper.createObjectNode();
            o.put("sessions", settings.sessions());
            o.put("session_length_ms", settings.sessionLengthMs());
            o.put("coders", settings.coders());
            o.put("video", String.format(Locale.ROOT, "%dx%d at %s fps", settings.videoWidth(),
                    settings.videoHeight(), settings.videoFps()));
            o.put("encoder", "mc3_18, base width " + settings.encoderWidth()
                    + ", seeded random weights (fixed)");
            o.put("train_passes", settings.trainPasses());
            o.put("evaluation_passes", settings.evaluationPasses());
            o.put("head_epochs", settings.headEpochs());
            o.put("comparison_samples_per_label", settings.comparisonSamplesPerLabel());
            o.put("max_comparison_samples", settings.maxComparisonSamples());
            o.put("timeline_stride_ms", settings.timelineStrideMs());
            ArrayNode m = o.putArray("methods");
            methods().forEach(x -> m.add(x.id()));
            return o;
        }

        private List<AttentionMethod> methods() {
            return new ArrayList<>(EnumSet.copyOf(settings.methods()));
        }

        // ---------------------------------------------------------------- preprocess

        private ClipSource preprocess(DemoInputs inputs, List<CodedSession> sessions)
                throws IOException {
            Path clipsDir = root.resolve("clips");
            Files.createDirectories(clipsDir);
            VideoPreprocessor pre = VideoPreprocessor.reference().withDecoderThreads(THREADS);
            ArrayNode a = summary.putArray("clips");
            for (CodedSession s : sessions) {
                Path video = inputs.videos().get(s.session());
                if (video == null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "session %s has ELAN files in %s but no recording; recordings are"
                                    + " given for %s", s.session(), inputs.eafDir(),
                            inputs.videos().keySet()));
                }
                ProgressListener bar = listener.step("preprocess " + s.session());
                Clip c = pre.cached(video, clipsDir.resolve(s.session()), bar);
                listener.stepEnded(bar);
                ObjectNode o = a.addObject();
                o.put("session", s.session());
                o.put("frames", c.frames());
                o.put("height", c.height());
                o.put("width", c.width());
                o.put("fps", c.fps());
            }
            return ClipSource.ofDirectory(clipsDir);
        }

        // ---------------------------------------------------------------- statistics

        private List<CodedSession> statistics(DemoInputs inputs) throws IOException {
            SessionFolder loaded = SessionLoader.create().load(inputs.eafDir());
            List<CodedSession> sessions = loaded.sessions();
            if (sessions.size() < FOLDS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %d session(s) with ELAN files; the demo needs at least %d (two"
                                + " training, one validation, one test)", inputs.eafDir(),
                        sessions.size(), FOLDS));
            }
            DurationTable durations = DurationTable.of(sessions);
            AgreementTable agreement = HumanAgreement.reference().compute(sessions);
            StringBuilder csv = new StringBuilder();
            StatsCsv.writeDurations(durations, csv);
            DemoFiles.writeText(tables.resolve("table1_durations.csv"), csv.toString());
            csv.setLength(0);
            StatsCsv.writeAgreement(agreement, csv);
            DemoFiles.writeText(tables.resolve("figure1_agreement.csv"), csv.toString());
            AgreementMatrix all = agreement.overall();
            HeatmapPng.write(figures.resolve("agreement_all.png"), panels(all));
            for (AgreementMatrix m : agreement.matrices()) {
                if (m.scope().task().isEmpty() && m.scope().variable().isPresent()) {
                    HeatmapPng.write(figures.resolve("agreement_"
                            + m.scope().variable().get().paperName() + ".png"), panels(m));
                }
            }
            ObjectNode st = (ObjectNode) mapper.readTree(StatsJson.toJson(durations, agreement));
            st.put("sessions", sessions.size());
            st.put("annotation_files", loaded.annotationFiles().size());
            summary.set("statistics", st);
            text.append(String.format(Locale.ROOT, "%d sessions, %d ELAN files, coders %s;"
                    + " mean human-human kappa (all tasks, both variables, every 100 ms): %s%n",
                    sessions.size(), loaded.annotationFiles().size(), all.coders(),
                    fmt(all.meanKappa().mean())));
            return sessions;
        }

        private List<HeatmapPng.Panel> panels(AgreementMatrix m) {
            String scope = m.scope().taskLabel() + " / " + m.scope().variableLabel();
            return List.of(
                    new HeatmapPng.Panel("Raw agreement (" + scope + ")", m.coders(),
                            m.agreement(), 0, 1),
                    new HeatmapPng.Panel("Cohen's kappa (" + scope + ")", m.coders(), m.kappa(),
                            0, 1));
        }

        // ---------------------------------------------------------------- folds

        private Split folds(List<CodedSession> sessions) throws IOException {
            FoldPlan plan = FoldSplitter.withDefaults().withFolds(FOLDS).withTries(FOLD_TRIES)
                    .withBlocksInTest(false).split(sessions, seed);
            plan.writeJson(tables.resolve("folds.json"));
            Map<String, CodedSession> byId = new TreeMap<>();
            for (CodedSession s : sessions) {
                byId.put(s.session(), s);
            }
            List<CodedSession> train = new ArrayList<>();
            for (int k = 0; k < FOLDS - 2; k++) {
                plan.folds().get(k).forEach(id -> train.add(byId.get(id)));
            }
            List<CodedSession> val = new ArrayList<>();
            plan.folds().get(FOLDS - 2).forEach(id -> val.add(byId.get(id)));
            List<CodedSession> test = new ArrayList<>();
            plan.testFold().forEach(id -> test.add(byId.get(id)));
            ObjectNode f = summary.putObject("folds");
            f.set("plan", mapper.readTree(plan.toJson()));
            f.set("training", ids(train));
            f.set("validation", ids(val));
            f.set("test", ids(test));
            text.append(String.format(Locale.ROOT, "folds: training %s, validation %s, test %s%n",
                    names(train), names(val), names(test)));
            return new Split(plan, train, val, test, sessions);
        }

        private ArrayNode ids(List<CodedSession> s) {
            ArrayNode a = mapper.createArrayNode();
            s.forEach(x -> a.add(x.session()));
            return a;
        }

        // ---------------------------------------------------------------- model

        private Models model(Split split, ClipSource clips) throws IOException, ModelException {
            Mc3Architecture arch = Mc3Architecture.mc3_18(2)
                    .withBaseWidth(settings.encoderWidth())
                    .withInputSize(Dim.symbolic("height"), Dim.symbolic("width"));
            ModelProto encoderModel = Mc3Graph.random(arch, seed);
            Normalization norm = normalization(split.train(), clips);
            norm.write(modelDir.resolve(HeadExport.NORMALIZATION_FILE));

            SnippetSampler sampler = SnippetSampler.withDefaults();
            // A fixed random encoder gains nothing from the training augmentation (it cannot
            // learn invariance) and its features of a moved or flipped scene are mostly noise
            // for the head: every bake uses the centre crop; the passes vary the snippets.
            EmbeddingBaker trainBaker = EmbeddingBaker.evaluation().withSampler(sampler)
                    .withPasses(settings.trainPasses()).withBatchSize(8);
            EmbeddingBaker evalBaker = EmbeddingBaker.evaluation().withSampler(sampler)
                    .withPasses(settings.evaluationPasses()).withBatchSize(8);
            Path bakeDir = root.resolve("bake");
            Files.createDirectories(bakeDir);
            Map<Task, EmbeddingTable[]> baked = new EnumMap<>(Task.class);
            try (EngagementClassifier encoder = classifier(encoderModel)) {
                for (Task task : Task.values()) {
                    EmbeddingTable tr = bake(trainBaker, encoder, split.train(), task, clips,
                            norm, bakeDir, "train");
                    EmbeddingTable va = bake(evalBaker, encoder, split.validation(), task, clips,
                            norm, bakeDir, "validation");
                    EmbeddingTable te = bake(evalBaker, encoder, split.test(), task, clips, norm,
                            bakeDir, "test");
                    baked.put(task, new EmbeddingTable[] {tr, va, te});
                }
            }
            // The bake files are intermediate: the summary keeps what they led to.
            DemoFiles.deleteTree(bakeDir);

            HeadTrainer trainer = HeadTrainer.withDefaults().withEpochs(settings.headEpochs())
                    .withLearningRate(HEAD_LEARNING_RATE).withLearningRateDecay(0)
                    .withWeightDecay(HEAD_WEIGHT_DECAY);
            Map<Variable, ModelProto> merged = new EnumMap<>(Variable.class);
            List<PerformanceRecord> perf = new ArrayList<>();
            List<AgreementRecord> agreement = new ArrayList<>();
            ObjectNode mj = summary.putObject("model");
            mj.put("encoder", String.format(Locale.ROOT, "mc3_18 base width %d (embedding %d),"
                    + " seeded random weights", arch.baseWidth(), 8 * arch.baseWidth()));
            mj.put("encoder_sha256", OnnxModels.sha256(encoderModel));
            mj.set("normalization", mapper.readTree(norm.toJson()));
            ObjectNode heads = mj.putObject("heads");
            ModelEvaluator evaluator = ModelEvaluator.of(norm).withBatchSize(8);
            for (Variable v : Variable.values()) {
                List<LabelledEmbeddings> tr = new ArrayList<>();
                List<LabelledEmbeddings> va = new ArrayList<>();
                List<LabelledEmbeddings> te = new ArrayList<>();
                for (EmbeddingTable[] t : baked.values()) {
                    tr.add(t[0].labelled(v));
                    va.add(t[1].labelled(v));
                    te.add(t[2].labelled(v));
                }
                LabelledEmbeddings train = LabelledEmbeddings.concat(tr, "training folds");
                if (train.positives() == 0 || train.positives() == train.size()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: the %d training snippets are all %s; a classifier needs both"
                                    + " classes (generate longer or more sessions)",
                            v.paperName(), train.size(),
                            train.positives() == 0 ? "not engaged" : "engaged"));
                }
                LabelledEmbeddings validation = LabelledEmbeddings.concat(va, "validation fold");
                LabelledEmbeddings test = LabelledEmbeddings.concat(te, "test fold");
                // Random features differ in scale by orders of magnitude: the head trains on
                // features standardised with the training folds' statistics, and the scaling is
                // folded into the exported head. No checkpointing: with one validation session
                // the F1 curve is too noisy to pick an epoch, so the head trains a fixed number of
                // epochs with weight decay, and the validation fold is evaluated like the test.
                FeatureScaling scaling = FeatureScaling.of(train);
                ProgressListener bar = listener.step("head " + v.paperName());
                HeadTrainingResult result = trainer.train(scaling.apply(train),
                        Optional.empty(), Optional.empty(),
                        LinearHead.initialise(train.dimension(), 2, seed),
                        (r, n) -> bar.progress(r.epoch(), n));
                listener.stepEnded(bar);
                LinearHead head = scaling.fold(result.finalHead());
                ModelProto m = HeadExport.mergeHead(encoderModel, head);
                merged.put(v, m);
                Path file = modelDir.resolve(v.paperName() + ".onnx");
                OnnxModels.write(m, file);
                ObjectNode h = heads.putObject(v.paperName());
                h.put("model", "model/" + file.getFileName());
                h.put("sha256", OnnxModels.sha256(m));
                h.put("training_snippets", train.size());
                h.put("training_positive_rate", train.positiveRate());
                h.put("last_epoch", result.lastEpoch());
                h.put("final_training_accuracy", result.history().get(
                        result.history().size() - 1).train().accuracy());
                h.put("stop_reason", result.stopReason().name());
                result.writeHistoryCsv(tables.resolve("history_" + v.paperName() + ".csv"));
                ObjectNode pooled = h.putObject("pooled");
                putSplit(pooled, "validation", confusion(head, validation), validation);
                putSplit(pooled, "test", confusion(head, test), test);
                int ti = 0;
                for (Map.Entry<Task, EmbeddingTable[]> e : baked.entrySet()) {
                    Task task = e.getKey();
                    double q = EmpiricalProbability.of(split.all(), task, v);
                    LabelledEmbeddings vt = va.get(ti);
                    LabelledEmbeddings tt = te.get(ti);
                    ti++;
                    perf.add(new PerformanceRecord(task, v, q,
                            vt.size() == 0 ? Optional.empty()
                                    : Optional.of(confusion(head, vt)),
                            tt.size() == 0 ? Optional.empty()
                                    : Optional.of(confusion(head, tt))));
                }
                try (EngagementClassifier model = classifier(m)) {
                    for (Task task : Task.values()) {
                        List<EvaluationWindow> windows = EvaluationWindows.withDefaults()
                                .windows(split.test(), task);
                        if (windows.isEmpty()) {
                            continue;
                        }
                        ProgressListener wb = listener.step("kappa " + task.paperName() + " / "
                                + v.paperName());
                        int[] machine = evaluator.predictWindows(model, windows, clips, wb);
                        listener.stepEnded(wb);
                        agreement.add(AgreementRecord.of(task, v, windows, machine));
                    }
                }
            }
            EvaluationReport report = new EvaluationReport(perf, agreement);
            report.write(tables);
            mj.set("evaluation", mapper.readTree(report.toJson()));
            ObjectNode prov = mapper.createObjectNode();
            prov.put("format", "engagement4j-demo-provenance");
            prov.put("seed", seed);
            prov.set("settings", settingsJson());
            prov.set("folds", summary.get("folds"));
            prov.put("encoder_sha256", OnnxModels.sha256(encoderModel));
            prov.set("heads", heads.deepCopy());
            prov.put("head_trainer", trainer.toString());
            prov.put("train_transform", trainBaker.transform().toString());
            prov.put("evaluation_transform", evalBaker.transform().toString());
            prov.put("library_version", Engagement4j.VERSION);
            prov.put("java_version", Runtime.version().toString());
            DemoFiles.writeText(modelDir.resolve(HeadExport.PROVENANCE_FILE),
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsString(prov) + "\n");
            performanceText(perf, agreement, heads);
            return new Models(merged, norm);
        }

        private EmbeddingTable bake(EmbeddingBaker baker, EngagementClassifier encoder,
                List<CodedSession> sessions, Task task, ClipSource clips, Normalization norm,
                Path dir, String kind) throws IOException, ModelException {
            Path file = dir.resolve(task.paperName() + "_" + kind + ".e4jemb");
            ProgressListener bar = listener.step("bake " + task.paperName() + " (" + kind + ")");
            baker.bake(encoder, sessions, task, clips, norm, seed, file, bar);
            listener.stepEnded(bar);
            return BakedEmbeddings.read(file);
        }

        private Normalization normalization(List<CodedSession> sessions, ClipSource clips)
                throws IOException {
            ChannelStatistics stats = ChannelStatistics.create();
            for (CodedSession s : sessions) {
                Clip c = clips.clip(s.session());
                for (int t = 0; t < c.frames(); t++) {
                    stats.add(c.frameBuffer(t));
                }
            }
            return stats.toNormalization();
        }

        private EngagementClassifier classifier(ModelProto m) throws ModelException {
            return EngagementClassifier.builder().model(m.toByteArray())
                    .intraOpThreads(THREADS).interOpThreads(1).build();
        }

        private void putSplit(ObjectNode o, String name, ConfusionMatrix c,
                LabelledEmbeddings set) {
            ObjectNode s = o.putObject(name);
            s.put("snippets", set.size());
            s.put("positive_rate", set.size() == 0 ? 0 : set.positiveRate());
            s.put("accuracy", c.accuracy());
            putOptional(s, "f1", c.f1());
            RandomBaseline b = RandomBaseline.of(set.size() == 0 ? 0 : set.positiveRate());
            s.put("baseline_accuracy", b.accuracy());
            s.put("baseline_f1", b.f1());
        }

        private void performanceText(List<PerformanceRecord> perf,
                List<AgreementRecord> agreement, ObjectNode heads) {
            text.append(String.format(Locale.ROOT, "%nClassifiers (linear heads on a fixed"
                    + " random mc3_18 encoder); * = above the random baseline%n"));
            text.append(String.format(Locale.ROOT, "%-18s %8s %8s %9s %9s %9s %9s%n",
                    "variable", "val acc", "val F1", "test acc", "test F1", "base acc",
                    "base F1"));
            for (Variable v : Variable.values()) {
                JsonNode p = heads.get(v.paperName()).get("pooled");
                JsonNode val = p.get("validation");
                JsonNode test = p.get("test");
                text.append(String.format(Locale.ROOT, "%-18s %8.3f %8s %9.3f %9s %9.3f %9.3f%n",
                        v.paperName(), val.get("accuracy").asDouble(), num(val.get("f1")),
                        test.get("accuracy").asDouble(), num(test.get("f1")),
                        test.get("baseline_accuracy").asDouble(),
                        test.get("baseline_f1").asDouble()));
            }
            text.append(String.format(Locale.ROOT, "%nTable 2 per task (test fold)%n"));
            text.append(String.format(Locale.ROOT, "%-8s %-18s %6s %9s %8s%n", "task",
                    "variable", "q", "test acc", "test F1"));
            for (PerformanceRecord r : perf) {
                text.append(String.format(Locale.ROOT, "%-8s %-18s %6.3f %9s %8s%n",
                        r.task().paperName(), r.variable().paperName(),
                        r.empiricalProbability(), cell(r.testAccuracy(),
                                r.testAccuracyAboveBaseline()),
                        cell(r.testF1(), r.testF1AboveBaseline())));
            }
            text.append(String.format(Locale.ROOT, "%nTable 3: mean Cohen's kappa on the test"
                    + " fold's 5 s windows%n"));
            text.append(String.format(Locale.ROOT, "%-8s %-18s %8s %8s %8s%n", "task",
                    "variable", "windows", "human", "machine"));
            for (AgreementRecord a : agreement) {
                text.append(String.format(Locale.ROOT, "%-8s %-18s %8d %8s %8s%n",
                        a.task().paperName(), a.variable().paperName(), a.windows(),
                        fmt(a.humanHumanKappa().mean()), fmt(a.humanMachineKappa().mean())));
            }
        }

        // ---------------------------------------------------------------- timeline

        private void timeline(Split split, ClipSource clips, Models models)
                throws IOException, ModelException {
            String session = split.test().get(0).session();
            Clip clip = clips.clip(session);
            Map<Variable, EngagementClassifier> loaded = new EnumMap<>(Variable.class);
            try {
                for (Map.Entry<Variable, ModelProto> e : models.merged().entrySet()) {
                    loaded.put(e.getKey(), classifier(e.getValue()));
                }
                ProgressListener bar = listener.step("score " + session);
                Timeline tl = TimelineScorer.withDefaults().withBatchSize(8)
                        .withStrideMs(settings.timelineStrideMs()).score(
                        WindowSource.of(clip, SnippetEncoder.of(models.normalization())), loaded,
                        bar);
                listener.stepEnded(bar);
                TimelinePng.write(figures.resolve("timeline_" + session + ".png"), tl, session);
                DemoFiles.writeText(tables.resolve("timeline_" + session + ".csv"), tl.toCsv());
                ObjectNode o = summary.putObject("timeline");
                o.put("session", session);
                o.put("windows", tl.windows());
                o.put("stride_ms", tl.strideMs());
                ObjectNode tracks = o.putObject("engaged_fraction");
                long scored = tl.segment(tl.windows() - 1).endMs() - tl.segment(0).startMs();
                for (Timeline.Track t : tl.tracks().values()) {
                    tracks.put(t.variable().paperName(), scored <= 0 ? 0
                            : (double) t.engaged().durationMs() / scored);
                }
                text.append(String.format(Locale.ROOT, "%ntimeline of %s: %d windows, engaged"
                        + " fraction %s%n", session, tl.windows(), tracks));
            } finally {
                for (EngagementClassifier c : loaded.values()) {
                    c.close();
                }
            }
        }

        // ---------------------------------------------------------------- attention

        private void attention(Split split, ClipSource clips, Models models,
                DemoEvidence evidence) throws IOException, ModelException {
            ComparisonSet set = comparisonSet(split.test());
            List<AttentionMethod> methods = methods();
            List<MapMetric> metrics = new ArrayList<>();
            metrics.add(Emd.exact().withParallelism(THREADS));
            metrics.addAll(MapMetrics.standard());
            MapStandardizer standardizer = MapStandardizer.reference();
            MapStandardizer machineStandardizer = standardizer
                    .withConstantMapPolicy(ConstantMapPolicy.ZERO);
            Path attDir = figures.resolve("attention");
            Files.createDirectories(attDir);
            OverlayStyle style = OverlayStyle.reference();
            SnippetEncoder encoder = SnippetEncoder.of(models.normalization());

            // metric -> method -> per-sample values (NaN where undefined), compared samples only
            Map<String, Map<String, List<Double>>> scores = new LinkedHashMap<>();
            for (MapMetric m : metrics) {
                Map<String, List<Double>> byMethod = new LinkedHashMap<>();
                methods.forEach(x -> byMethod.put(x.displayName(), new ArrayList<>()));
                scores.put(m.name(), byMethod);
            }
            StringBuilder csv = new StringBuilder("sample,session,task,variable,label,start_ms,"
                    + "probability,method");
            metrics.forEach(m -> csv.append(',').append(m.name()));
            csv.append('\n');
            ArrayNode samples = mapper.createArrayNode();
            int emptyEvidence = 0;
            Set<String> chosenSessions = new TreeSet<>();
            Map<Variable, AttentionExplainer> explainers = new EnumMap<>(Variable.class);
            try {
                for (Map.Entry<Variable, ModelProto> e : models.merged().entrySet()) {
                    explainers.put(e.getKey(), AttentionExplainer.builder().model(e.getValue())
                            .methods(EnumSet.copyOf(methods)).intraOpThreads(THREADS)
                            .build());
                }
                ProgressListener bar = listener.step("attention maps");
                List<ComparisonSample> chosen = set.samples().subList(0,
                        Math.min(settings.maxComparisonSamples(), set.samples().size()));
                chosen.forEach(x -> chosenSessions.add(x.session()));
                for (int i = 0; i < chosen.size(); i++) {
                    ComparisonSample s = chosen.get(i);
                    String id = String.format(Locale.ROOT, "s%02d_%s_%s_%s_%s", i, s.session(),
                            s.task().paperName(), s.variable().paperName(),
                            s.label() ? "engaged" : "not-engaged");
                    Clip clip = clips.clip(s.session());
                    ClipTensor x = encoder.encode(clip, s.startFrame());
                    Target target = s.label() ? Target.POSITIVE : Target.NEGATIVE;
                    Explanation ex = explainers.get(s.variable()).explain(x,
                            EnumSet.copyOf(methods), EnumSet.of(target));
                    Volume human = evidence.evidence(s.session(), s.variable(), s.startFrame(),
                            s.frameCount());
                    ObjectNode sj = samples.addObject();
                    sj.put("id", id);
                    sj.put("session", s.session());
                    sj.put("task", s.task().paperName());
                    sj.put("variable", s.variable().paperName());
                    sj.put("label", s.label());
                    sj.put("start_ms", s.startMs());
                    sj.put("probability_engaged", ex.probabilities()[1]);
                    sj.put("prediction_matches_label", ex.probabilities()[1] > 0.5 == s.label());
                    figure(attDir, id, x, clip.fps(), models.normalization(), human, ex, style);
                    bar.progress(i + 1, chosen.size());
                    Volume h = human.max() > human.min()
                            ? standardizer.standardize(human, MapKind.FINE) : null;
                    if (h == null) {
                        emptyEvidence++;
                        sj.put("compared", false);
                        sj.put("note", "the evidence is the same everywhere in the snippet");
                        continue;
                    }
                    sj.put("compared", true);
                    ObjectNode mj = sj.putObject("metrics");
                    for (AttentionMethod method : methods) {
                        // A constant machine map (e.g. Grad-CAM with every weight negative) is
                        // compared as a uniform map: where the metric is then undefined (the
                        // correlations) the snippet drops out of that metric's ranking only.
                        Volume mm = machineStandardizer.standardize(ex.get(method, target).raw(),
                                method.mapKind());
                        ObjectNode one = mj.putObject(method.displayName());
                        csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%d,%.6f,%s", id,
                                s.session(), s.task().paperName(), s.variable().paperName(),
                                s.label(), s.startMs(), ex.probabilities()[1],
                                method.displayName()));
                        for (MapMetric metric : metrics) {
                            OptionalDouble mean = metric.perFrame(h, mm).mean();
                            double v = mean.orElse(Double.NaN);
                            scores.get(metric.name()).get(method.displayName()).add(v);
                            if (Double.isFinite(v)) {
                                one.put(metric.name(), v);
                                csv.append(String.format(Locale.ROOT, ",%.6f", v));
                            } else {
                                one.putNull(metric.name());
                                csv.append(',');
                            }
                        }
                        csv.append('\n');
                    }
                }
                listener.stepEnded(bar);
            } finally {
                for (AttentionExplainer e : explainers.values()) {
                    e.close();
                }
            }
            DemoFiles.writeText(tables.resolve("attention_scores.csv"), csv.toString());
            ObjectNode att = summary.putObject("attention");
            att.put("painter", PAINTER);
            att.put("painter_sessions", set.painterSessions().toString());
            att.put("sessions", chosenSessions.toString());
            att.put("selected", set.samples().size());
            att.put("missing_samples", set.missing().size());
            att.put("samples", samples.size());
            att.put("compared", samples.size() - emptyEvidence);
            att.put("constant_evidence", emptyEvidence);
            att.set("per_sample", samples);
            rankings(att, metrics, scores);
        }

        /**
         * One pseudo-painter per test session ({@value #PAINTER}{@code -<session>}): the
         * selector gives every painter who coded nothing the same first session, so each
         * session is selected on its own, and the samples are interleaved session by session so
         * that the cap on compared samples takes from every session alike.
         */
        private ComparisonSet comparisonSet(List<CodedSession> test) {
            ComparisonSetSelector selector = ComparisonSetSelector.withDefaults()
                    .withSamplesPerLabel(settings.comparisonSamplesPerLabel());
            Map<String, String> painterSessions = new TreeMap<>();
            List<List<ComparisonSample>> perSession = new ArrayList<>();
            List<MissingComparison> missing = new ArrayList<>();
            List<String> unassigned = new ArrayList<>();
            List<CodedSession> sorted = new ArrayList<>(test);
            sorted.sort(Comparator.comparing(CodedSession::session));
            for (CodedSession session : sorted) {
                ComparisonSet one = selector.select(List.of(session),
                        List.of(PAINTER + "-" + session.session()), seed);
                painterSessions.putAll(one.painterSessions());
                perSession.add(one.samples());
                missing.addAll(one.missing());
                unassigned.addAll(one.unassignedPainters());
            }
            List<ComparisonSample> samples = new ArrayList<>();
            int longest = perSession.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < longest; i++) {
                for (List<ComparisonSample> l : perSession) {
                    if (i < l.size()) {
                        samples.add(l.get(i));
                    }
                }
            }
            return new ComparisonSet(seed, painterSessions, samples, missing, unassigned);
        }

        private void figure(Path dir, String id, ClipTensor x, double fps, Normalization norm,
                Volume human, Explanation ex, OverlayStyle style) throws IOException {
            RgbFrames frames = RgbFrames.fromNormalized(x, norm);
            Volume crop = CenterCrop.apply(human, x.height(), x.width());
            AttentionFigure f = AttentionFigure.of(frames).withStyle(style)
                    .withTitle(String.format(Locale.ROOT, "%s: p(engaged) = %.3f", id,
                            ex.probabilities()[1]))
                    .withRow("Evidence (human)", crop);
            for (AttentionMap m : ex.maps()) {
                f = f.withRow(m.method().displayName(), m);
                ImageFiles.writeGif(dir.resolve(id + "_" + m.method().id() + ".gif"),
                        Overlays.overlay(frames, m, style), fps);
            }
            ImageFiles.writePng(dir.resolve(id + ".png"), f.render());
        }

        private void rankings(ObjectNode att, List<MapMetric> metrics,
                Map<String, Map<String, List<Double>>> scores) throws IOException {
            ObjectNode rj = att.putObject("rankings");
            StringBuilder csv = new StringBuilder(
                    "metric,rank,method,samples,mean,sd,next,mean_difference,wilcoxon_p\n");
            for (MapMetric metric : metrics) {
                Map<String, List<Double>> byMethod = scores.get(metric.name());
                int all = byMethod.values().iterator().next().size();
                List<Integer> defined = new ArrayList<>();
                for (int i = 0; i < all; i++) {
                    final int k = i;
                    if (byMethod.values().stream().allMatch(l -> Double.isFinite(l.get(k)))) {
                        defined.add(i);
                    }
                }
                Map<String, double[]> arrays = new LinkedHashMap<>();
                for (Map.Entry<String, List<Double>> e : byMethod.entrySet()) {
                    arrays.put(e.getKey(), defined.stream().mapToDouble(e.getValue()::get)
                            .toArray());
                }
                int n = defined.size();
                if (n < 2) {
                    rj.putNull(metric.name());
                    continue;
                }
                Ranking r = MethodRanking.withDefaults().withoutBootstrap()
                        .withOrder(metric.higherIsBetter() ? MethodRanking.Order.DESCENDING
                                : MethodRanking.Order.ASCENDING)
                        .rank(arrays);
                ArrayNode a = rj.putArray(metric.name());
                for (int i = 0; i < r.methods().size(); i++) {
                    MethodSummary m = r.methods().get(i);
                    ObjectNode o = a.addObject();
                    o.put("rank", m.rank());
                    o.put("method", m.name());
                    o.put("samples", m.samples());
                    o.put("mean", m.mean());
                    o.put("sd", m.sd());
                    String next = "";
                    String diff = "";
                    String p = "";
                    if (i < r.adjacent().size()) {
                        PairwiseComparison c = r.adjacent().get(i);
                        next = c.second();
                        diff = String.format(Locale.ROOT, "%.6f", c.meanDifference());
                        o.put("next", c.second());
                        o.put("mean_difference", c.meanDifference());
                        if (c.wilcoxon().isPresent()) {
                            o.put("wilcoxon_p", c.wilcoxon().get().pValue());
                            p = String.format(Locale.ROOT, "%.6g", c.wilcoxon().get().pValue());
                        } else {
                            o.putNull("wilcoxon_p");
                        }
                    }
                    csv.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%.6f,%.6f,%s,%s,%s%n",
                            metric.name(), m.rank(), m.name(), m.samples(), m.mean(), m.sd(),
                            next, diff, p));
                }
                if (metric instanceof Emd) {
                    table4Text(r);
                }
            }
            DemoFiles.writeText(tables.resolve("table4_rankings.csv"), csv.toString());
        }

        private void table4Text(Ranking r) {
            text.append(String.format(Locale.ROOT, "%nTable 4: methods ranked by mean EMD to the"
                    + " evidence maps (lower is better; p: Wilcoxon signed-rank vs the next)%n"));
            text.append(String.format(Locale.ROOT, "%-4s %-26s %4s %9s %8s %10s%n", "rank",
                    "method", "n", "mean EMD", "sd", "p vs next"));
            for (int i = 0; i < r.methods().size(); i++) {
                MethodSummary m = r.methods().get(i);
                String p = i < r.adjacent().size() && r.adjacent().get(i).wilcoxon().isPresent()
                        ? String.format(Locale.ROOT, "%.4f", r.adjacent().get(i).wilcoxon()
                                .get().pValue()) : "-";
                text.append(String.format(Locale.ROOT, "%-4d %-26s %4d %9.3f %8.3f %10s%n",
                        m.rank(), m.name(), m.samples(), m.mean(), m.sd(), p));
            }
        }
    }

    private static ConfusionMatrix confusion(LinearHead head, LabelledEmbeddings set) {
        float[] f = set.features();
        int d = set.dimension();
        boolean[] labels = set.labels();
        boolean[] pred = new boolean[set.size()];
        float[] row = new float[d];
        for (int i = 0; i < pred.length; i++) {
            System.arraycopy(f, i * d, row, 0, d);
            pred[i] = head.predict(row) == 1;
        }
        return ConfusionMatrix.of(labels, pred);
    }

    private static void putOptional(ObjectNode o, String key, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(key, v.getAsDouble());
        } else {
            o.putNull(key);
        }
    }

    private static String fmt(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.3f", v.getAsDouble()) : "n/a";
    }

    private static String num(JsonNode n) {
        return n == null || n.isNull() ? "n/a" : String.format(Locale.ROOT, "%.3f", n.asDouble());
    }

    private static String cell(OptionalDouble v, boolean above) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.3f%s", v.getAsDouble(),
                above ? "*" : " ") : "-";
    }

    private static String names(List<CodedSession> s) {
        return s.stream().map(CodedSession::session).toList().toString();
    }

    /** The fold plan and its sessions by role. */
    private record Split(FoldPlan plan, List<CodedSession> train, List<CodedSession> validation,
            List<CodedSession> test, List<CodedSession> all) {
    }

    /**
     * Per-feature mean and standard deviation of the training embeddings: {@code z = (x - mean)
     * / sd}, and a head trained on {@code z} folded back to one on {@code x}.
     */
    private record FeatureScaling(double[] mean, double[] sd) {

        static FeatureScaling of(LabelledEmbeddings set) {
            int d = set.dimension();
            int n = set.size();
            float[] f = set.features();
            double[] mean = new double[d];
            double[] sd = new double[d];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += f[r * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < d; j++) {
                    double e = f[r * d + j] - mean[j];
                    sd[j] += e * e;
                }
            }
            for (int j = 0; j < d; j++) {
                // A dead feature (constant over the training set) keeps scale 1: it adds nothing.
                double s = Math.sqrt(sd[j] / n);
                sd[j] = s > 1e-12 ? s : 1;
            }
            return new FeatureScaling(mean, sd);
        }

        LabelledEmbeddings apply(LabelledEmbeddings set) {
            int d = set.dimension();
            float[] f = set.features();
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) ((f[i] - mean[i % d]) / sd[i % d]);
            }
            return LabelledEmbeddings.of(f, d, set.labels(), set.name() + " (standardised)");
        }

        /** {@code w' = w / sd}, {@code b' = b - sum_j w_j mean_j / sd_j}. */
        LinearHead fold(LinearHead head) {
            int d = mean.length;
            int k = head.classes();
            double[] w = head.weight();
            double[] b = head.bias();
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    w[c * d + j] /= sd[j];
                    b[c] -= w[c * d + j] * mean[j];
                }
            }
            return LinearHead.of(w, b);
        }
    }

    /** The merged forward model of each variable and the training folds' statistics. */
    private record Models(Map<Variable, ModelProto> merged, Normalization normalization) {
    }
}
