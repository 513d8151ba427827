package org.engagement4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.SessionFolder;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.evaluation.EmpiricalProbability;
import org.engagement4j.core.evaluation.EvaluationReport;
import org.engagement4j.core.evaluation.PerformanceRecord;
import org.engagement4j.core.folds.FoldPlan;
import org.engagement4j.core.folds.FoldSplitter;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.Provider;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.training.BakedEmbeddings;
import org.engagement4j.core.training.ClipSource;
import org.engagement4j.core.training.EmbeddingBaker;
import org.engagement4j.core.training.EmbeddingTable;
import org.engagement4j.core.training.EpochRecord;
import org.engagement4j.core.training.FinalFineTuning;
import org.engagement4j.core.training.FineTuneExport;
import org.engagement4j.core.training.FineTuneProvenance;
import org.engagement4j.core.training.FineTuneRecord;
import org.engagement4j.core.training.FineTuneResult;
import org.engagement4j.core.training.FineTuneSearch;
import org.engagement4j.core.training.FineTuner;
import org.engagement4j.core.training.HeadExport;
import org.engagement4j.core.training.HeadSearch;
import org.engagement4j.core.training.HeadTrainer;
import org.engagement4j.core.training.HeadTrainingResult;
import org.engagement4j.core.training.LabelledClips;
import org.engagement4j.core.training.LabelledEmbeddings;
import org.engagement4j.core.training.LinearHead;
import org.engagement4j.core.training.NetworkGradients;
import org.engagement4j.core.training.NetworkWeights;
import org.engagement4j.core.training.SampledClips;
import org.engagement4j.core.training.SearchResult;
import org.engagement4j.core.training.SplitMetrics;
import org.engagement4j.core.training.TrainingProvenance;
import org.engagement4j.core.transform.ChannelStatistics;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.core.transform.TestTransform;
import org.engagement4j.core.transform.TrainAugmentation;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement train ...}: training the paper's classifiers from ELAN files and preprocessed
 * clips. {@code head} bakes embeddings and trains the linear head; {@code search} runs the
 * random hyper-parameter search of the head on baked embeddings; {@code finetune} trains every
 * weight of a forward model (e.g. the one {@code head} wrote).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Train a classifier: bake embeddings, train the head, export the model.",
        description = {"Subcommands: head (bake encoder embeddings over augmented passes, train",
            "Linear(D, 2) on them, export model.onnx + normalization.json + provenance.json);",
            "search (random search of the head's hyper-parameters on baked embeddings with",
            "repeated cross-validation, every trial into search.csv); finetune (fine-tune",
            "every weight of a forward model on the training folds' augmented snippets;",
            "finetune --search N first runs the fine-tune search, into search.csv)."},
        subcommands = {TrainCommand.HeadCommand.class, TrainCommand.SearchCommand.class,
            TrainCommand.FinetuneCommand.class})
final class TrainCommand implements Runnable {

    /** Exit status of a run that stopped on a non-finite loss (its checkpoint is written). */
    static final int STOPPED_EARLY = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code engagement train head}: the reference's head training (REFERENCE.md §6), every
     * option defaulting to the reference's final run (people / attending).
     */
    @Command(name = "head", mixinStandardHelpOptions = true,
            header = "Bake embeddings and train the linear head of one classifier.",
            description = {"1. Sessions from --eaf, folds from --folds (or split with --seed),",
                "   the last fold held out for testing, --validation-fold for checkpointing.",
                "2. Normalisation from the training folds' clips (or --normalization).",
                "3. Bake the --model's encoder output over --passes passes of the sampler:",
                "   training folds with the training augmentation, validation and test folds",
                "   with the test transform. Bake files resume after an interruption.",
                "4. Train Linear(D, 2): Adam with coupled weight decay, exponential decay,",
                "   class weights, one full-batch step per epoch; checkpoint = best smoothed",
                "   validation F1 after the warm-up.",
                "5. Write model.onnx (head merged), normalization.json, provenance.json,",
                "   head.json, history.csv and table2_performance.csv into --out.",
                "Exit status 3: training stopped on a non-finite loss; the last good checkpoint",
                "was still written."})
    static final class HeadCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--eaf", required = true, paramLabel = "DIR",
                description = "Folder of .eaf files, one per session and coder.")
        Path eafDir;

        @Option(names = "--clips", required = true, paramLabel = "DIR",
                description = "Folder of preprocessed clips, one directory per session"
                        + " (engagement preprocess).")
        Path clipsDir;

        @Option(names = "--model", required = true, paramLabel = "M.onnx",
                description = "The forward ONNX model whose encoder is baked (mc3_18 export; its"
                        + " height and width must accept 112 and 160).")
        Path modelFile;

        @Mixin
        PredictCommand.ModelOptions runtime;

        @Option(names = "--task", required = true, paramLabel = "TASK",
                description = "Task: ${COMPLETION-CANDIDATES}.")
        Task task;

        @Option(names = "--variable", required = true, paramLabel = "VAR",
                description = "Variable: ${COMPLETION-CANDIDATES}.")
        Variable variable;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder.")
        Path outDir;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
                description = "The one seed of the run: folds, snippet plans, augmentation,"
                        + " head initialisation (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--folds", paramLabel = "FILE",
                description = "Fold plan JSON (engagement folds --out); default: split now.")
        Path foldsFile;

        @Option(names = "--fold-tries", defaultValue = "100000", paramLabel = "N",
                description = "Random splits tried when no --folds is given (default:"
                        + " ${DEFAULT-VALUE}).")
        int foldTries;

        @Option(names = "--validation-fold", paramLabel = "K",
                description = "The fold used for checkpointing (default: the last fold before"
                        + " the test fold).")
        Integer validationFold;

        @Option(names = "--no-validation",
                description = "Train on every fold but the test fold, without checkpointing.")
        boolean noValidation;

        @Option(names = "--normalization", paramLabel = "FILE",
                description = "Normalisation JSON; default: computed from the training folds'"
                        + " clips.")
        Path normalizationFile;

        @Option(names = "--bake-dir", paramLabel = "DIR",
                description = "Where bake files go (default: <out>/bake); reusable across"
                        + " variables of a task.")
        Path bakeDir;

        @Option(names = "--passes", defaultValue = "100", paramLabel = "N",
                description = "Sampler passes baked per fold (default: ${DEFAULT-VALUE}).")
        int passes;

        @Option(names = "--snippets-per-session", defaultValue = "10", paramLabel = "N",
                description = "Snippets per session and pass (default: ${DEFAULT-VALUE}).")
        int snippetsPerSession;

        @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
                description = "Clips per encoder call (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--epochs", defaultValue = "1500", paramLabel = "N",
                description = "Head epochs, one full-batch step each (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", defaultValue = "0.01", paramLabel = "X",
                description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--lr-decay", defaultValue = "0.005", paramLabel = "X",
                description = "Learning-rate decay per epoch, gamma = 1 - X (default:"
                        + " ${DEFAULT-VALUE}).")
        double learningRateDecay;

        @Option(names = "--weight-decay", defaultValue = "0.0011629532351435", paramLabel = "X",
                description = "Coupled L2 weight decay (default: ${DEFAULT-VALUE}).")
        double weightDecay;

        @Option(names = "--class-weights", negatable = true, defaultValue = "true",
                fallbackValue = "true",
                description = "Weight the loss by [1/(1-p), 1/p] (default: ${DEFAULT-VALUE};"
                        + " --no-class-weights turns it off).")
        boolean classWeights;

        @Option(names = "--smoothing", defaultValue = "8", paramLabel = "W",
                description = "Validation F1 smoothing window (default: ${DEFAULT-VALUE}).")
        int smoothing;

        @Option(names = "--warmup", defaultValue = "8", paramLabel = "N",
                description = "Epochs never checkpointed (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--no-progress", description = "Do not draw progress bars.")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HeadTrainer trainer = HeadTrainer.withDefaults().withEpochs(epochs)
                    .withLearningRate(learningRate).withLearningRateDecay(learningRateDecay)
                    .withWeightDecay(weightDecay).withClassWeights(classWeights)
                    .withSmoothingWindow(smoothing).withWarmupEpochs(warmup);
            SnippetSampler sampler = SnippetSampler.withDefaults()
                    .withSnippetsPerSession(snippetsPerSession);
            EmbeddingBaker trainBaker = EmbeddingBaker.training().withSampler(sampler)
                    .withPasses(passes).withBatchSize(batchSize);
            EmbeddingBaker evalBaker = EmbeddingBaker.evaluation().withSampler(sampler)
                    .withPasses(passes).withBatchSize(batchSize);

            SessionFolder loaded = SessionLoader.create().load(eafDir);
            Folds f = Folds.of(loaded, foldsFile, foldTries, seed, validationFold, noValidation);
            double trainQ = EmpiricalProbability.of(f.sessions(f.training), task, variable);
            if (trainQ == 0 || trainQ == 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--variable %s: the training folds %s are %s throughout their %s time;"
                                + " a classifier needs both classes", variable.paperName(),
                        f.training, trainQ == 0 ? "not engaged" : "engaged", task.paperName()));
            }
            ClipSource clips = ClipSource.ofDirectory(clipsDir);
            Normalization norm = normalizationFile != null ? Normalization.read(normalizationFile)
                    : normalization(f.sessions(f.training), clips, err);
            Path bake = bakeDir != null ? bakeDir : outDir.resolve("bake");
            Files.createDirectories(outDir);
            Map<String, String> hashes = new TreeMap<>();
            for (Path p : loaded.annotationFiles()) {
                hashes.put("eaf/" + p.getFileName(), sha256(p));
            }
            LabelledEmbeddings trainSet;
            Optional<LabelledEmbeddings> valSet = Optional.empty();
            Optional<LabelledEmbeddings> testSet;
            String baseSha;
            try (EngagementClassifier encoder = runtime.load(modelFile)) {
                baseSha = encoder.provenance().modelSha256();
                List<EmbeddingTable> parts = new ArrayList<>();
                for (int k : f.training) {
                    parts.add(bake(trainBaker, encoder, f, k, "train", clips, norm, bake, err,
                            hashes));
                }
                trainSet = EmbeddingTable.concat(parts, "training folds " + f.training)
                        .labelled(variable);
                if (f.validation >= 0) {
                    valSet = Optional.of(bake(evalBaker, encoder, f, f.validation, "eval",
                            clips, norm, bake, err, hashes).labelled(variable));
                }
                testSet = Optional.of(bake(evalBaker, encoder, f, f.test, "eval", clips, norm,
                        bake, err, hashes).labelled(variable));
            } catch (ModelException e) {
                throw PredictCommand.badModel(e);
            }
            for (CodedSession s : f.sessions(f.all())) {
                Clip c = clips.clip(s.session());
                c.info().ifPresent(i -> hashes.put("clip/" + s.session() + " (source)",
                        i.source().sha256()));
            }

            LinearHead initial = LinearHead.initialise(trainSet.dimension(), 2, seed);
            Bar bar = noProgress ? null : new Bar(err, "head");
            HeadTrainingResult result = trainer.train(trainSet, valSet, testSet, initial,
                    (EpochRecord r, int n) -> {
                        if (bar != null) {
                            bar.progress(r.epoch(), n);
                        }
                    });
            if (bar != null) {
                bar.end();
            }

            ModelProto merged = HeadExport.mergeHead(OnnxModels.read(modelFile),
                    result.bestHead());
            TrainingProvenance prov = new TrainingProvenance(task, variable, seed,
                    f.plan.folds(), f.training, f.validation, f.test, trainer, passes,
                    snippetsPerSession, trainBaker.transform().toString(),
                    evalBaker.transform().toString(), baseSha, hashes, result.bestEpoch(),
                    result.lastEpoch(), result.stopReason(), Engagement4j.VERSION,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            String sha = HeadExport.write(outDir, merged, norm, prov);
            result.writeHistoryCsv(outDir.resolve("history.csv"));
            Files.writeString(outDir.resolve("head.json"), result.bestHead().toJson() + "\n",
                    StandardCharsets.UTF_8);
            f.plan.writeJson(outDir.resolve("folds.json"));
            double q = EmpiricalProbability.of(loaded.sessions(), task, variable);
            PerformanceRecord perf = PerformanceRecord.of(task, variable, q, result);
            Files.writeString(outDir.resolve(EvaluationReport.TABLE2),
                    new EvaluationReport(List.of(perf), List.of()).table2Csv(),
                    StandardCharsets.UTF_8);

            EpochRecord best = result.bestRecord();
            out.printf(Locale.ROOT, "%s / %s: %d training rows (p = %.3f), folds %s, validation"
                    + " fold %s, test fold %d%n", task.paperName(), variable.paperName(),
                    trainSet.size(), result.positiveRate(), f.training,
                    f.validation >= 0 ? Integer.toString(f.validation) : "none", f.test);
            out.printf(Locale.ROOT, "checkpoint: epoch %d of %d%s%n", result.bestEpoch(),
                    result.lastEpoch(), best.validation().map(v -> String.format(Locale.ROOT,
                            "; validation accuracy %.4f, F1 %.4f (smoothed %.4f)", v.accuracy(),
                            v.f1(), best.smoothedValidationF1().getAsDouble())).orElse(""));
            best.test().ifPresent(t -> out.printf(Locale.ROOT, "test accuracy %.4f, F1 %.4f"
                    + " (random baseline: accuracy %.4f, F1 %.4f; q = %.4f)%n", t.accuracy(),
                    t.f1(), perf.baseline().accuracy(), perf.baseline().f1(), q));
            out.printf(Locale.ROOT, "wrote %s (sha256 %s), %s, %s, head.json, history.csv,"
                    + " folds.json, %s%n", outDir.resolve(HeadExport.MODEL_FILE), sha,
                    HeadExport.NORMALIZATION_FILE, HeadExport.PROVENANCE_FILE,
                    EvaluationReport.TABLE2);
            out.flush();
            if (result.stopReason() != HeadTrainingResult.StopReason.COMPLETED) {
                err.printf(Locale.ROOT, "warning: training stopped after epoch %d of %d: %s;"
                        + " the checkpoint of epoch %d was written%n", result.lastEpoch(),
                        epochs, result.stopDetail(), result.bestEpoch());
                err.flush();
                return STOPPED_EARLY;
            }
            return 0;
        }

        private EmbeddingTable bake(EmbeddingBaker baker, EngagementClassifier encoder,
                Folds f, int fold, String kind, ClipSource clips, Normalization norm, Path dir,
                PrintWriter err, Map<String, String> hashes) throws IOException, ModelException {
            Path file = dir.resolve(String.format(Locale.ROOT, "%s_fold%d_%s.e4jemb",
                    task.paperName(), fold, kind));
            Bar bar = noProgress ? null : new Bar(err, "bake fold " + fold + " (" + kind + ")");
            baker.bake(encoder, f.sessions(List.of(fold)), task, clips, norm, seed, file,
                    bar == null ? ProgressListener.NONE : bar);
            if (bar != null) {
                bar.end();
            }
            hashes.put("bake/" + file.getFileName(), sha256(file));
            return BakedEmbeddings.read(file);
        }

        private Normalization normalization(List<CodedSession> sessions, ClipSource clips,
                PrintWriter err) throws IOException {
            ChannelStatistics stats = ChannelStatistics.create();
            Bar bar = noProgress ? null : new Bar(err, "normalisation");
            for (int i = 0; i < sessions.size(); i++) {
                Clip c = clips.clip(sessions.get(i).session());
                for (int t = 0; t < c.frames(); t++) {
                    stats.add(c.frameBuffer(t));
                }
                if (bar != null) {
                    bar.progress(i + 1, sessions.size());
                }
            }
            if (bar != null) {
                bar.end();
            }
            return stats.toNormalization();
        }
    }

    /**
     * {@code engagement train search}: the reference's random search of the head's
     * hyper-parameters (REFERENCE.md §6, "Head search") on bake files, every option defaulting
     * to the reference's value.
     */
    @Command(name = "search", mixinStandardHelpOptions = true,
            header = "Random search of the head's hyper-parameters on baked embeddings.",
            description = {"Reads, for every cross-validation fold k = 0 .. --cv-folds - 1,",
                "<task>_fold<k>_train.e4jemb (training augmentation) and",
                "<task>_fold<k>_eval.e4jemb (test transform) from --bake-dir (the names",
                "engagement train head writes; bake a fold of either kind by running train head",
                "with that fold as --validation-fold, or as a training fold, into one",
                "--bake-dir). Each trial samples lr 10^U(-5,0), decay 0 or 10^U(-3,-1) (1:4),",
                "weight decay 0 or 10^U(-4,1) (1:4), class weights on/off, and trains",
                "--repetitions x --cv-folds heads (train on the other folds, checkpoint on",
                "fold k). Writes search.csv into --out and prints the best trial (highest mean",
                "validation F1) as train head options."})
    static final class SearchCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--bake-dir", required = true, paramLabel = "DIR",
                description = "Folder of bake files (engagement train head --bake-dir).")
        Path bakeDir;

        @Option(names = "--task", required = true, paramLabel = "TASK",
                description = "Task: ${COMPLETION-CANDIDATES}.")
        Task task;

        @Option(names = "--variable", required = true, paramLabel = "VAR",
                description = "Variable: ${COMPLETION-CANDIDATES}.")
        Variable variable;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder.")
        Path outDir;

        @Option(names = "--cv-folds", defaultValue = "4", paramLabel = "K",
                description = "Cross-validation folds 0..K-1, the folds before the test fold"
                        + " (default: ${DEFAULT-VALUE}).")
        int cvFolds;

        @Option(names = "--trials", defaultValue = "100", paramLabel = "N",
                description = "Random trials (default: ${DEFAULT-VALUE}).")
        int trials;

        @Option(names = "--epochs", defaultValue = "20", paramLabel = "N",
                description = "Epochs per head (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--repetitions", defaultValue = "4", paramLabel = "N",
                description = "Repetitions of the cross-validation, each from other initial"
                        + " heads (default: ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(names = "--smoothing", defaultValue = "8", paramLabel = "W",
                description = "Validation F1 smoothing window (default: ${DEFAULT-VALUE}).")
        int smoothing;

        @Option(names = "--warmup", defaultValue = "8", paramLabel = "N",
                description = "Epochs never checkpointed (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
                description = "Seed of the sampled parameters and the initial heads (default:"
                        + " ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--search-threads", paramLabel = "N",
                description = "Heads trained in parallel (default: the available processors);"
                        + " the result does not depend on it.")
        Integer threads;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (cvFolds < 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--cv-folds %d: cross-validation needs at least 2 folds", cvFolds));
            }
            HeadSearch search = HeadSearch.withDefaults().withTrials(trials).withEpochs(epochs)
                    .withRepetitions(repetitions).withSmoothingWindow(smoothing)
                    .withWarmupEpochs(warmup).withSeed(seed);
            if (threads != null) {
                search = search.withThreads(threads);
            }
            Map<Integer, LabelledEmbeddings> train = new TreeMap<>();
            Map<Integer, LabelledEmbeddings> eval = new TreeMap<>();
            for (int k = 0; k < cvFolds; k++) {
                train.put(k, read(k, "train"));
                eval.put(k, read(k, "eval"));
            }
            Bar bar = noProgress ? null : new Bar(err, "search");
            SearchResult result = search.run(train, eval, (t, done, total) -> {
                if (bar != null) {
                    bar.progress(done, total);
                }
            });
            if (bar != null) {
                bar.end();
            }
            Files.createDirectories(outDir);
            Path csv = outDir.resolve("search.csv");
            result.writeCsv(csv);
            SearchResult.Trial best = result.best();
            HeadSearch.Parameters p = best.parameters();
            out.printf(Locale.ROOT, "%s / %s: %d trials x %d repetitions x %d folds, %d epochs"
                    + " each%n", task.paperName(), variable.paperName(), trials, repetitions,
                    cvFolds, epochs);
            out.printf(Locale.ROOT, "best: trial %d, mean validation F1 %.4f (sd %.4f)%n",
                    best.trial(), best.meanF1(), best.sdF1());
            out.printf(Locale.ROOT, "train head options: --lr %s --lr-decay %s --weight-decay %s"
                    + " %s%n", p.learningRate(), p.learningRateDecay(), p.weightDecay(),
                    p.classWeights() ? "--class-weights" : "--no-class-weights");
            out.printf(Locale.ROOT, "wrote %s%n", csv);
            out.flush();
            return 0;
        }

        private LabelledEmbeddings read(int fold, String kind) throws IOException {
            Path file = bakeDir.resolve(String.format(Locale.ROOT, "%s_fold%d_%s.e4jemb",
                    task.paperName(), fold, kind));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--bake-dir: %s is missing; the search needs fold %d baked with the %s"
                                + " (run engagement train head with --bake-dir %s so that fold"
                                + " %d is %s)", file, fold, kind.equals("train")
                                ? "training augmentation" : "test transform", bakeDir, fold,
                        kind.equals("train") ? "a training fold" : "the --validation-fold"));
            }
            return BakedEmbeddings.read(file).labelled(variable);
        }
    }

    /**
     * {@code engagement train finetune}: fine-tuning every weight of a forward model
     * (REFERENCE.md §6, {@link FineTuner}) on the training folds' snippets, every option
     * defaulting to the reference's final fine-tuning run.
     */
    @Command(name = "finetune", mixinStandardHelpOptions = true,
            header = "Fine-tune every weight of a forward model of one classifier.",
            description = {"1. Sessions from --eaf, folds from --folds (or split with --seed),",
                "   the last fold held out, --validation-fold left out of training (as in",
                "   train head, so that both train on the same folds).",
                "2. Normalisation from the training folds' clips (or --normalization).",
                "3. One sampler plan of the training folds, each snippet normalised and",
                "   augmented with the training augmentation (seeded per snippet).",
                "4. Adam with coupled weight decay on every weight of --base-model (BatchNorm",
                "   folded, i.e. frozen statistics), mini-batches of --batch-size accumulated",
                "   over --micro-batch clips, checkpoints in --checkpoint (resumed if present).",
                "   The validation fold (centre crop --eval-crop) is evaluated every epoch or",
                "   every --validation-every steps; the checkpoint is the evaluation with the",
                "   best smoothed validation F1 after --warmup (as train head).",
                "5. Write model.onnx (the checkpointed weights), normalization.json,",
                "   provenance.json and curve.csv into --out.",
                "With --search N, steps 4-5 are preceded by the reference's fine-tune search:",
                "N trials of lr 10^U(-8,-2), decay and weight decay 0 or 10^U(-4,0) (1:5), each",
                "trained --repetitions x K times (K = the folds before the test fold, 4 for the",
                "reference: train on the others, checkpoint on fold k) for --search-epochs epochs",
                "of --search-batch-size clips; every trial goes into search.csv. The final run",
                "then uses the best trial's lr, decay and weight decay (replacing --lr, --lr-decay",
                "and --weight-decay), trains on folds 0..K-2, checkpoints on fold K-1 and is",
                "evaluated once on the held-out test fold. The search itself is not resumable.",
                "Exit status 3: training stopped on a non-finite loss; the checkpointed weights",
                "before it were still written and --checkpoint keeps the last good state."})
    static final class FinetuneCommand implements Callable<Integer> {

        /** The evaluation curve beside the model. */
        static final String CURVE_FILE = "curve.csv";
        /** Every trial of the search beside the model. */
        static final String SEARCH_FILE = "search.csv";

        @Spec
        CommandSpec spec;

        @Option(names = "--eaf", required = true, paramLabel = "DIR",
                description = "Folder of .eaf files, one per session and coder.")
        Path eafDir;

        @Option(names = "--clips", required = true, paramLabel = "DIR",
                description = "Folder of preprocessed clips, one directory per session"
                        + " (engagement preprocess).")
        Path clipsDir;

        @Option(names = "--base-model", required = true, paramLabel = "M.onnx",
                description = "The forward 2-class ONNX model to fine-tune (e.g. the model.onnx"
                        + " of engagement train head); height and width must accept 112.")
        Path baseModel;

        @Option(names = "--task", required = true, paramLabel = "TASK",
                description = "Task: ${COMPLETION-CANDIDATES}.")
        Task task;

        @Option(names = "--variable", required = true, paramLabel = "VAR",
                description = "Variable: ${COMPLETION-CANDIDATES}.")
        Variable variable;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output folder.")
        Path outDir;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
                description = "The one seed of the run: folds, snippet plan, augmentation,"
                        + " shuffles (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--folds", paramLabel = "FILE",
                description = "Fold plan JSON (engagement folds --out); default: split now.")
        Path foldsFile;

        @Option(names = "--fold-tries", defaultValue = "100000", paramLabel = "N",
                description = "Random splits tried when no --folds is given (default:"
                        + " ${DEFAULT-VALUE}).")
        int foldTries;

        @Option(names = "--validation-fold", paramLabel = "K",
                description = "The fold left out of training (default: the last fold before the"
                        + " test fold).")
        Integer validationFold;

        @Option(names = "--no-validation",
                description = "Train on every fold but the test fold.")
        boolean noValidation;

        @Option(names = "--normalization", paramLabel = "FILE",
                description = "Normalisation JSON (e.g. the normalization.json of train head);"
                        + " default: computed from the training folds' clips.")
        Path normalizationFile;

        @Option(names = "--snippets-per-session", defaultValue = "10", paramLabel = "N",
                description = "Snippets per session in the training plan (default:"
                        + " ${DEFAULT-VALUE}).")
        int snippetsPerSession;

        @Option(names = "--epochs", defaultValue = "5000", paramLabel = "N",
                description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
                description = "Clips per optimiser step (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--micro-batch", defaultValue = "8", paramLabel = "N",
                description = "Clips per forward/backward run; gradients are accumulated"
                        + " (default: ${DEFAULT-VALUE}).")
        int microBatch;

        @Option(names = "--lr", defaultValue = "1e-6", paramLabel = "X",
                description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
        double learningRate;

        @Option(names = "--lr-decay", defaultValue = "0.001", paramLabel = "X",
                description = "Learning-rate decay per epoch, gamma = 1 - X (default:"
                        + " ${DEFAULT-VALUE}).")
        double learningRateDecay;

        @Option(names = "--weight-decay", defaultValue = "2.43e-3", paramLabel = "X",
                description = "Coupled L2 weight decay (default: ${DEFAULT-VALUE}).")
        double weightDecay;

        @Option(names = "--class-weights", negatable = true, defaultValue = "true",
                fallbackValue = "true",
                description = "Weight the loss by [1/(1-p), 1/p] (default: ${DEFAULT-VALUE};"
                        + " --no-class-weights turns it off).")
        boolean classWeights;

        @Option(names = "--checkpoint", paramLabel = "FILE",
                description = "Checkpoint file, written during training and resumed from when"
                        + " it exists (default: none).")
        Path checkpointFile;

        @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
                description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--provider", defaultValue = "CPU", paramLabel = "P",
                description = "Execution provider: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE});"
                        + " CUDA needs the onnxruntime_gpu build, no CPU fallback.")
        Provider provider;

        @Option(names = "--validation-every", defaultValue = "0", paramLabel = "K",
                description = "Evaluate the validation fold every K optimiser steps; 0: at the end of"
                        + " every epoch (default: ${DEFAULT-VALUE}).")
        int validationEvery;

        @Option(names = "--smoothing", defaultValue = "8", paramLabel = "W",
                description = "Smoothing window of the validation F1, in evaluations (default:"
                        + " ${DEFAULT-VALUE}).")
        int smoothing;

        @Option(names = "--warmup", defaultValue = "8", paramLabel = "N",
                description = "Evaluations never checkpointed at the start (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--eval-crop", defaultValue = "160", paramLabel = "PX",
                description = "Centre-crop side of the validation clips, the test transform (default:"
                        + " ${DEFAULT-VALUE}).")
        int evalCrop;

        @Option(names = "--search", defaultValue = "0", paramLabel = "N",
                description = "Random-search trials before the final run; 0: no search, train"
                        + " with --lr, --lr-decay, --weight-decay (default: ${DEFAULT-VALUE}).")
        int searchTrials;

        @Option(names = "--search-epochs", defaultValue = "100", paramLabel = "N",
                description = "Epochs per search run (default: ${DEFAULT-VALUE}).")
        int searchEpochs;

        @Option(names = "--search-batch-size", defaultValue = "16", paramLabel = "N",
                description = "Clips per optimiser step in the search runs (default:"
                        + " ${DEFAULT-VALUE}).")
        int searchBatchSize;

        @Option(names = "--repetitions", defaultValue = "4", paramLabel = "N",
                description = "Repetitions of the search's cross-validation (default:"
                        + " ${DEFAULT-VALUE}).")
        int repetitions;

        @Option(names = "--search-threads", defaultValue = "1", paramLabel = "N",
                description = "Search runs in parallel, each holding one network in memory;"
                        + " the result does not depend on it (default: ${DEFAULT-VALUE}).")
        int searchThreads;

        @Option(names = "--no-progress", description = "Do not draw progress bars.")
        boolean noProgress;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (searchTrials < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--search %d: must be 0 (no search) or a number of trials", searchTrials));
            }
            if (threads < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--threads %d: must be at least 1", threads));
            }
            FineTuner tuner = FineTuner.withDefaults().withEpochs(epochs).withBatchSize(batchSize)
                    .withMicroBatchSize(microBatch).withLearningRate(learningRate)
                    .withLearningRateDecay(learningRateDecay).withWeightDecay(weightDecay)
                    .withClassWeights(classWeights).withSeed(seed).withValidationEvery(validationEvery)
                    .withSmoothingWindow(smoothing).withWarmupEpochs(warmup);
            SnippetSampler sampler = SnippetSampler.withDefaults()
                    .withSnippetsPerSession(snippetsPerSession);
            if (!Files.isRegularFile(baseModel)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--base-model %s: no such file", baseModel));
            }
            ModelProto base = OnnxModels.read(baseModel);

            SessionFolder loaded = SessionLoader.create().load(eafDir);
            Folds f = Folds.of(loaded, foldsFile, foldTries, seed, validationFold, noValidation);
            if (searchTrials > 0 && (f.validation != f.test - 1 || f.test < 3)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--search: the search cross-validates folds 0..%d and the final run"
                                + " checkpoints on fold %d and tests fold %d; it needs at least 4"
                                + " folds (the plan has %d) and no --validation-fold other than %d"
                                + " nor --no-validation", f.test - 1, f.test - 1, f.test,
                        f.plan.foldCount(), f.test - 1));
            }
            double trainQ = EmpiricalProbability.of(f.sessions(f.training), task, variable);
            if (trainQ == 0 || trainQ == 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--variable %s: the training folds %s are %s throughout their %s time;"
                                + " a classifier needs both classes", variable.paperName(),
                        f.training, trainQ == 0 ? "not engaged" : "engaged", task.paperName()));
            }
            ClipSource clips = ClipSource.ofDirectory(clipsDir);
            Normalization norm = normalizationFile != null ? Normalization.read(normalizationFile)
                    : normalization(f.sessions(f.training), clips, err);
            TrainAugmentation augmentation = TrainAugmentation.reference();
            TestTransform evaluationTransform = TestTransform.of(evalCrop).withFlipProbability(0.5);
            SampledClips data = SampledClips.of(String.format(Locale.ROOT,
                    "%s training folds %s", task.paperName(), f.training),
                    f.sessions(f.training), task, variable, clips, norm, sampler, augmentation, 0,
                    seed);
            Optional<LabelledClips> validation = f.validation < 0 ? Optional.empty()
                    : Optional.of(SampledClips.of(String.format(Locale.ROOT, "%s validation fold %d",
                            task.paperName(), f.validation), f.sessions(List.of(f.validation)), task,
                            variable, clips, norm, sampler, evaluationTransform, 0, seed));
            Files.createDirectories(outDir);
            Map<String, String> hashes = new TreeMap<>();
            for (Path p : loaded.annotationFiles()) {
                hashes.put("eaf/" + p.getFileName(), sha256(p));
            }
            for (CodedSession s : f.sessions(f.training)) {
                Clip c = clips.clip(s.session());
                c.info().ifPresent(i -> hashes.put("clip/" + s.session() + " (source)",
                        i.source().sha256()));
            }

            SearchResult search = null;
            Map<Integer, LabelledClips> foldTraining = new TreeMap<>();
            Map<Integer, LabelledClips> foldEvaluation = new TreeMap<>();
            if (searchTrials > 0) {
                // Cross-validation runs train on folds the final run validates on, so one
                // normalisation from the final run's training folds would include some runs'
                // validation pixels and not others'. The search uses the statistics of all its
                // folds instead (the same for every run; the test fold never contributes); the
                // final run keeps those of its own training folds.
                List<Integer> searchFolds = new ArrayList<>();
                for (int k = 0; k < f.test; k++) {
                    searchFolds.add(k);
                }
                Normalization searchNorm = normalizationFile != null ? norm
                        : normalization(f.sessions(searchFolds), clips, err);
                searchNormalization = searchNorm;
                Map<Integer, LabelledClips> searchTraining = new TreeMap<>();
                Map<Integer, LabelledClips> searchEvaluation = new TreeMap<>();
                foldClips(f, clips, searchNorm, sampler, augmentation, searchTraining,
                        searchEvaluation);
                foldClips(f, clips, norm, sampler, augmentation, foldTraining, foldEvaluation);
                search = search(tuner, searchTraining, searchEvaluation, base, err);
                tuner = search.best().parameters().applyTo(tuner);
                AtomicFiles.writeString(outDir.resolve(SEARCH_FILE), search.toCsv());
                SearchResult.Trial best = search.best();
                out.printf(Locale.ROOT, "search: %d trials x %d repetitions x %d folds; best trial"
                        + " %d, mean validation F1 %.4f (sd %.4f): --lr %s --lr-decay %s"
                        + " --weight-decay %s%n", searchTrials, repetitions, search.folds(),
                        best.trial(), best.meanF1(), best.sdF1(), best.parameters().learningRate(),
                        best.parameters().learningRateDecay(), best.parameters().weightDecay());
            }

            FineTuneResult result;
            SplitMetrics test = null;
            Bar bar = noProgress ? null : new Bar(err, "fine-tune");
            FineTuner.StepListener steps = (epoch, step, perEpoch, global, loss) -> {
                if (bar != null) {
                    bar.progress((long) (epoch - 1) * perEpoch + step, (long) epochs * perEpoch);
                }
            };
            try (NetworkGradients net = NetworkGradients.of(base, parameters(base), threads, provider)) {
                if (search != null) {
                    FinalFineTuning.Result fin = FinalFineTuning.of(tuner).run(net, foldTraining,
                            foldEvaluation, Optional.ofNullable(checkpointFile), steps);
                    result = fin.training();
                    test = fin.test();
                } else {
                    result = tuner.train(net, data, validation, Optional.ofNullable(checkpointFile),
                            steps);
                }
            } catch (ModelException e) {
                throw PredictCommand.badModel(e);
            } finally {
                if (bar != null) {
                    bar.end();
                }
            }
            // The checkpointed (best smoothed validation F1) weights, the final ones without validation.
            ModelProto tuned = NetworkWeights.withWeights(base, result.bestWeights());
            writeCurve(result);
            Path modelOut = outDir.resolve(FineTuneExport.MODEL_FILE);
            String sha = FineTuneExport.write(outDir, tuned, norm, provenance(f, sampler,
                    augmentation, evaluationTransform, data, OnnxModels.sha256(base), hashes,
                    result, tuner, search, test));
            out.printf(Locale.ROOT, "%s / %s: %d clips, %d steps (%d resumed), last epoch %d,"
                    + " last loss %s%n", task.paperName(), variable.paperName(), data.size(),
                    result.globalSteps(), result.resumedFrom(), result.completedEpochs(),
                    result.stepLosses().isEmpty() ? "-" : String.format(Locale.ROOT, "%.6f",
                            result.stepLosses().get(result.stepLosses().size() - 1)));
            result.best().ifPresent(b -> out.printf(Locale.ROOT, "checkpoint: evaluation %d (epoch %d,"
                    + " step %d), validation accuracy %.4f, F1 %.4f (smoothed %.4f)%n", b.evaluation(), b.epoch(),
                    b.globalStep(), b.validation().orElseThrow().accuracy(), b.validation().orElseThrow().f1(),
                    b.smoothedValidationF1().getAsDouble()));
            if (test != null) {
                out.printf(Locale.ROOT, "held-out test fold %d: accuracy %.4f, F1 %.4f%n", f.test,
                        test.accuracy(), test.f1());
            }
            out.printf(Locale.ROOT, "wrote %s (sha256 %s), %s, %s, %s%s%n", modelOut, sha,
                    FineTuneExport.NORMALIZATION_FILE, FineTuneExport.PROVENANCE_FILE, CURVE_FILE,
                    search == null ? "" : ", " + SEARCH_FILE);
            out.flush();
            if (result.stopReason() != FineTuneResult.StopReason.COMPLETED) {
                err.printf(Locale.ROOT, "error: fine-tuning stopped after %d steps: %s; the checkpointed"
                        + " weights before it were written%s%n", result.globalSteps(), result.stopDetail(),
                        checkpointFile == null ? "" : " and " + checkpointFile + " keeps the last good state");
                err.flush();
                return STOPPED_EARLY;
            }
            return 0;
        }

        /** The forward model's float initializers: every weight is trained. */
        private static List<String> parameters(ModelProto model) {
            List<String> names = new ArrayList<>();
            model.getGraph().getInitializerList().stream()
                    .filter(t -> t.getDataType() == org.engagement4j.core.onnx.OnnxProtos.TensorProto.DataType.FLOAT_VALUE)
                    .forEach(t -> names.add(t.getName()));
            return names;
        }

        /** {@code curve.csv}: one line per evaluation, written whole to a temporary file and renamed. */
        private void writeCurve(FineTuneResult result) throws IOException {
            StringBuilder sb = new StringBuilder("evaluation,epoch,global_step,train_loss,val_loss,val_accuracy,"
                    + "val_f1,val_f1_smoothed,checkpoint\n");
            for (FineTuneRecord r : result.curve()) {
                sb.append(r.evaluation()).append(',').append(r.epoch()).append(',').append(r.globalStep())
                        .append(',').append(r.trainLoss());
                if (r.validation().isPresent()) {
                    sb.append(',').append(r.validation().get().loss()).append(',')
                            .append(r.validation().get().accuracy()).append(',').append(r.validation().get().f1())
                            .append(',').append(r.smoothedValidationF1().getAsDouble());
                } else {
                    sb.append(",,,,");
                }
                sb.append(',').append(r.evaluation() == result.bestEvaluation()).append('\n');
            }
            AtomicFiles.writeString(outDir.resolve(CURVE_FILE), sb.toString());
        }

        /** The search over folds {@code 0 .. test-1}, one network per worker. */
        private SearchResult search(FineTuner tuner, Map<Integer, LabelledClips> training,
                Map<Integer, LabelledClips> evaluation, ModelProto base, PrintWriter err) {
            Map<Integer, LabelledClips> validation = new TreeMap<>(evaluation);
            validation.keySet().retainAll(training.keySet());
            FineTuneSearch s = FineTuneSearch.withDefaults().withTrials(searchTrials)
                    .withRepetitions(repetitions).withSeed(seed).withThreads(searchThreads)
                    .withTuner(tuner.withEpochs(searchEpochs).withBatchSize(searchBatchSize));
            Bar bar = noProgress ? null : new Bar(err, "search");
            try {
                return s.run(() -> NetworkGradients.of(base, parameters(base), threads, provider),
                        training, validation, (t, done, total) -> {
                            if (bar != null) {
                                bar.progress(done, total);
                            }
                        });
            } catch (ModelException e) {
                throw PredictCommand.badModel(e);
            } finally {
                if (bar != null) {
                    bar.end();
                }
            }
        }

        /** The search folds' normalisation, recorded in the provenance; null without search. */
        private Normalization searchNormalization;

        private FineTuneProvenance provenance(Folds f, SnippetSampler sampler,
                TrainAugmentation augmentation, TestTransform evaluationTransform,
                SampledClips data, String baseSha, Map<String, String> hashes,
                FineTuneResult result, FineTuner tuner, SearchResult search, SplitMetrics test) {
            Optional<FineTuneProvenance.Search> searched = search == null ? Optional.empty()
                    : Optional.of(FineTuneProvenance.Search.of(search, searchEpochs,
                            searchBatchSize, SEARCH_FILE, Optional.ofNullable(searchNormalization)));
            return new FineTuneProvenance(task, variable, seed, f.plan.folds(), f.training,
                    f.validation, f.test, FineTuneProvenance.Hyperparameters.of(tuner,
                            Optional.ofNullable(checkpointFile).map(Path::toString)),
                    FineTuneProvenance.Sampling.of(sampler, data, augmentation, evaluationTransform),
                    FineTuneProvenance.Outcome.of(result), searched,
                    Optional.ofNullable(test).map(t -> FineTuneProvenance.TestMetrics.of(f.test, t)),
                    baseSha, hashes, provider.name(), Engagement4j.VERSION,
                    FineTuneProvenance.currentOnnxRuntimeVersion(), Runtime.version().toString(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        }

        /** Per fold of the plan up to the test fold: training clips (augmented, before the test
         *  fold) and evaluation clips (test transform), normalised with {@code norm}. */
        private void foldClips(Folds f, ClipSource clips, Normalization norm,
                SnippetSampler sampler, TrainAugmentation augmentation,
                Map<Integer, LabelledClips> training, Map<Integer, LabelledClips> evaluation) {
            for (int k = 0; k <= f.test; k++) {
                if (k < f.test) {
                    training.put(k, SampledClips.of(String.format(Locale.ROOT,
                            "%s fold %d (training)", task.paperName(), k),
                            f.sessions(List.of(k)), task, variable, clips, norm, sampler,
                            augmentation, 0, seed));
                }
                evaluation.put(k, SampledClips.of(String.format(Locale.ROOT,
                        "%s fold %d (evaluation)", task.paperName(), k),
                        f.sessions(List.of(k)), task, variable, clips, norm, sampler,
                        TestTransform.of(evalCrop).withFlipProbability(0.5), 0, seed));
            }
        }

        private Normalization normalization(List<CodedSession> sessions, ClipSource clips,
                PrintWriter err) throws IOException {
            ChannelStatistics stats = ChannelStatistics.create();
            Bar bar = noProgress ? null : new Bar(err, "normalisation");
            for (int i = 0; i < sessions.size(); i++) {
                Clip c = clips.clip(sessions.get(i).session());
                for (int t = 0; t < c.frames(); t++) {
                    stats.add(c.frameBuffer(t));
                }
                if (bar != null) {
                    bar.progress(i + 1, sessions.size());
                }
            }
            if (bar != null) {
                bar.end();
            }
            return stats.toNormalization();
        }
    }

    /** The fold plan of a run and its split into training, validation and test folds. */
    static final class Folds {
        final FoldPlan plan;
        final List<Integer> training = new ArrayList<>();
        final int validation;
        final int test;
        final Map<String, CodedSession> byId = new LinkedHashMap<>();

        private Folds(FoldPlan plan, int validation) {
            this.plan = plan;
            this.validation = validation;
            this.test = plan.testFoldIndex();
            for (int k = 0; k < test; k++) {
                if (k != validation) {
                    training.add(k);
                }
            }
        }

        static Folds of(SessionFolder loaded, Path foldsFile, int tries, long seed,
                Integer validation, boolean noValidation) throws IOException {
            if (loaded.sessions().isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--eaf %s: no ELAN file named <session>_<coder>_<YYYYMMDD>.eaf",
                        loaded.folder()));
            }
            FoldPlan plan = foldsFile != null ? FoldPlan.readJson(foldsFile)
                    : FoldSplitter.withDefaults().withTries(tries).split(loaded.sessions(),
                            seed);
            int test = plan.testFoldIndex();
            int val;
            if (noValidation) {
                if (validation != null) {
                    throw new IllegalArgumentException(
                            "--validation-fold and --no-validation exclude each other");
                }
                val = -1;
            } else {
                val = validation != null ? validation : test - 1;
                if (val < 0 || val >= test) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "--validation-fold %d: must be one of the folds 0..%d before the"
                                    + " test fold %d", val, test - 1, test));
                }
            }
            if (test - (val >= 0 ? 1 : 0) < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the plan has %d folds: with the test fold%s no fold is left to train"
                                + " on", plan.foldCount(), val >= 0 ? " and a validation fold"
                                : ""));
            }
            Folds f = new Folds(plan, val);
            Map<String, CodedSession> loadedById = new LinkedHashMap<>();
            for (CodedSession s : loaded.sessions()) {
                loadedById.put(s.session(), s);
            }
            for (String s : plan.sessions()) {
                CodedSession c = loadedById.get(s);
                if (c == null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "--folds: session %s of the fold plan has no ELAN file in %s", s,
                            loaded.folder()));
                }
                f.byId.put(s, c);
            }
            return f;
        }

        List<Integer> all() {
            List<Integer> a = new ArrayList<>();
            for (int k = 0; k < plan.foldCount(); k++) {
                a.add(k);
            }
            return a;
        }

        List<CodedSession> sessions(List<Integer> folds) {
            List<CodedSession> out = new ArrayList<>();
            for (int k : folds) {
                for (String s : plan.folds().get(k)) {
                    out.add(byId.get(s));
                }
            }
            return out;
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code label [#####.....]  42%  420 / 1000} on one line of stderr, redrawn per percent. */
    static final class Bar implements ProgressListener {

        private static final int WIDTH = 30;
        private final PrintWriter err;
        private final String label;
        private int shown = -1;
        private boolean drawn;

        Bar(PrintWriter err, String label) {
            this.err = err;
            this.label = label;
        }

        @Override
        public void progress(long done, long total) {
            if (total <= 0) {
                return;
            }
            int pct = (int) Math.min(100, done * 100 / total);
            if (pct == shown) {
                return;
            }
            shown = pct;
            int filled = pct * WIDTH / 100;
            err.printf(Locale.ROOT, "\r%s [%s%s] %3d%%  %d / %d", label, "#".repeat(filled),
                    ".".repeat(WIDTH - filled), pct, done, total);
            err.flush();
            drawn = true;
        }

        void end() {
            if (drawn) {
                err.println();
                err.flush();
            }
        }
    }
}
