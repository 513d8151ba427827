package org.engagement4j.core.training;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.sampling.SnippetSampler;
import org.engagement4j.core.transform.ClipAugmentation;
import org.engagement4j.core.transform.Normalization;

/**
 * How a fine-tuned network came about, stored beside it by {@link FineTuneExport} (issue 7,
 * "Export"; DESIGN.md, "determinism and provenance"): the seed, the folds, the
 * {@link FineTuner} settings, the sampler and augmentation, the checkpoint choice, the search that
 * chose the hyper-parameters and the held-out test metrics when there were such, and the SHA-256 of
 * every input, so that a run can be traced and repeated. The fine-tuning counterpart of
 * {@link TrainingProvenance}, with the same JSON conventions (snake_case keys, tasks and variables
 * by their paper names, hashes as lower-case hex).
 *
 * <p>{@link #toJson()} and {@link #fromJson} round-trip every component. {@link FineTuneExport}
 * adds {@code model_sha256} and {@code normalization}, which {@link #fromJson} ignores, as it
 * ignores the descriptive {@code fine_tune.optimizer} and {@code fine_tune.batch_norm}.
 *
 * @param task the task
 * @param variable the variable
 * @param seed the run's one seed
 * @param folds the session ids per fold
 * @param trainingFolds the folds fine-tuned on
 * @param validationFold the checkpointing fold, or -1 for none
 * @param testFold the held-out fold, or -1 for none
 * @param fineTune the fine-tuner's settings (the search's best ones after a search)
 * @param sampling the training clips: sampler, plan and transforms
 * @param outcome how the run ended and which evaluation was checkpointed
 * @param search the hyper-parameter search before the run, if any
 * @param test the checkpointed weights' metrics on the held-out fold, if measured
 * @param baseModelSha256 the SHA-256 of the model fine-tuning started from
 * @param dataSha256 file name (or role) to SHA-256, sorted by key
 * @param provider the execution provider the gradients ran on ({@code CPU}, {@code CUDA})
 * @param libraryVersion engagement4j's version
 * @param onnxRuntimeVersion ONNX Runtime's version ({@link #currentOnnxRuntimeVersion()})
 * @param javaVersion the Java runtime's version ({@code Runtime.version()})
 * @param created when the run ended, ISO-8601 UTC
 * @since 0.1.0
 */
public record FineTuneProvenance(Task task, Variable variable, long seed,
        List<List<String>> folds, List<Integer> trainingFolds, int validationFold, int testFold,
        Hyperparameters fineTune, Sampling sampling, Outcome outcome, Optional<Search> search,
        Optional<TestMetrics> test, String baseModelSha256, Map<String, String> dataSha256,
        String provider, String libraryVersion, String onnxRuntimeVersion, String javaVersion,
        String created) {

    /** The {@code format} value of the JSON form. */
    public static final String FORMAT = "engagement4j-finetune-provenance";

    private static final String OPTIMIZER = String.format(Locale.ROOT,
            "Adam(beta1=%s, beta2=%s, eps=%s), coupled weight decay", HeadTrainer.BETA1,
            HeadTrainer.BETA2, HeadTrainer.EPSILON);
    private static final String BATCH_NORM =
            "folded into the convolutions (frozen running statistics)";

    /**
     * Copies the collections.
     *
     * @throws NullPointerException if a component (or a fold, or a hash) is null
     * @throws IllegalArgumentException if a fold index is outside the folds, or the test
     *     metrics name another fold than {@code testFold}
     */
    public FineTuneProvenance {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(fineTune, "fineTune");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(baseModelSha256, "baseModelSha256");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(onnxRuntimeVersion, "onnxRuntimeVersion");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(created, "created");
        folds = Objects.requireNonNull(folds, "folds").stream().map(List::copyOf).toList();
        trainingFolds = List.copyOf(trainingFolds);
        dataSha256 = Collections.unmodifiableMap(new TreeMap<>(dataSha256));
        ProvenanceJson.checkFolds(folds.size(), trainingFolds, validationFold, testFold);
        if (test.isPresent() && test.get().fold() != testFold) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "test metrics of fold %d, but the test fold is %d", test.get().fold(),
                    testFold));
        }
    }

    /**
     * The version of the ONNX Runtime library on the class path, for
     * {@link #onnxRuntimeVersion()}.
     *
     * @return e.g. {@code 1.20.0}
     */
    public static String currentOnnxRuntimeVersion() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /**
     * The fine-tuner's settings ({@link FineTuner}).
     *
     * @param epochs epochs
     * @param batchSize clips per optimiser step
     * @param microBatch clips per forward/backward run
     * @param learningRate the initial learning rate
     * @param learningRateDecay the decay per epoch ({@code gamma = 1 - decay})
     * @param weightDecay the coupled L2 weight decay
     * @param classWeights whether the loss was weighted by {@code [1/(1-p), 1/p]}
     * @param tunerSeed the fine-tuner's seed (batch order)
     * @param checkpointEvery steps between two resume checkpoints
     * @param validationEvery steps between evaluations; 0 for every epoch
     * @param smoothingWindow the smoothing window of the validation F1, in evaluations
     * @param warmupEpochs evaluations never checkpointed at the start
     * @param checkpointFile the resume checkpoint's file, if one was kept
     * @since 0.1.0
     */
    public record Hyperparameters(int epochs, int batchSize, int microBatch, double learningRate,
            double learningRateDecay, double weightDecay, boolean classWeights, long tunerSeed,
            int checkpointEvery, int validationEvery, int smoothingWindow, int warmupEpochs,
            Optional<String> checkpointFile) {

        /**
         * @throws NullPointerException if {@code checkpointFile} is null
         * @throws IllegalArgumentException if a value is outside what {@link FineTuner} accepts
         */
        public Hyperparameters {
            Objects.requireNonNull(checkpointFile, "checkpointFile");
            // FineTuner's own checks, so that toTuner() never fails on a record that exists.
            tuner(epochs, batchSize, microBatch, learningRate, learningRateDecay, weightDecay,
                    classWeights, tunerSeed, checkpointEvery, validationEvery, smoothingWindow,
                    warmupEpochs);
        }

        /**
         * The settings of a fine-tuner.
         *
         * @param tuner the fine-tuner that ran
         * @param checkpointFile its resume checkpoint's file, if one was kept
         * @return the settings
         */
        public static Hyperparameters of(FineTuner tuner, Optional<String> checkpointFile) {
            return new Hyperparameters(tuner.epochs(), tuner.batchSize(), tuner.microBatchSize(),
                    tuner.learningRate(), tuner.learningRateDecay(), tuner.weightDecay(),
                    tuner.classWeights(), tuner.seed(), tuner.checkpointEvery(),
                    tuner.validationEvery(), tuner.smoothingWindow(), tuner.warmupEpochs(),
                    checkpointFile);
        }

        /** @return a fine-tuner with these settings, to repeat the run */
        public FineTuner toTuner() {
            return tuner(epochs, batchSize, microBatch, learningRate, learningRateDecay,
                    weightDecay, classWeights, tunerSeed, checkpointEvery, validationEvery,
                    smoothingWindow, warmupEpochs);
        }

        private static FineTuner tuner(int epochs, int batchSize, int microBatch, double lr,
                double decay, double wd, boolean classWeights, long seed, int checkpointEvery,
                int validationEvery, int smoothing, int warmup) {
            return FineTuner.withDefaults().withEpochs(epochs).withBatchSize(batchSize)
                    .withMicroBatchSize(microBatch).withLearningRate(lr)
                    .withLearningRateDecay(decay).withWeightDecay(wd)
                    .withClassWeights(classWeights).withSeed(seed)
                    .withCheckpointEvery(checkpointEvery).withValidationEvery(validationEvery)
                    .withSmoothingWindow(smoothing).withWarmupEpochs(warmup);
        }
    }

    /**
     * The training clips.
     *
     * @param sampler the snippet sampler, described
     * @param snippetsPerSession snippets per session in the plan
     * @param clips training clips per epoch
     * @param planEpoch the sampler epoch the first training epoch was planned at
     * @param trainTransform the training augmentation ({@code toString()})
     * @param evaluationTransform the validation and test clips' transform
     * @since 0.1.0
     */
    public record Sampling(String sampler, int snippetsPerSession, int clips, int planEpoch,
            String trainTransform, String evaluationTransform) {

        /**
         * @throws NullPointerException if a description is null
         */
        public Sampling {
            Objects.requireNonNull(sampler, "sampler");
            Objects.requireNonNull(trainTransform, "trainTransform");
            Objects.requireNonNull(evaluationTransform, "evaluationTransform");
        }

        /**
         * Describes a sampler and the clips it planned.
         *
         * @param sampler the sampler
         * @param data the training clips it planned
         * @param trainTransform the training augmentation ({@code toString()} is recorded)
         * @param evaluationTransform the evaluation transform ({@code toString()} is recorded)
         * @return the description
         * @throws NullPointerException if an argument is null
         */
        public static Sampling of(SnippetSampler sampler, SampledClips data,
                ClipAugmentation trainTransform, ClipAugmentation evaluationTransform) {
            return new Sampling(String.format(Locale.ROOT,
                    "SnippetSampler[shape=%s, snippetsPerSession=%d, maxRedraws=%d, mask=%s]",
                    sampler.shape(), sampler.snippetsPerSession(), sampler.maxRedraws(),
                    sampler.maskPolicy()), sampler.snippetsPerSession(), data.size(),
                    data.epoch(), trainTransform.toString(), evaluationTransform.toString());
        }
    }

    /**
     * How the run ended and which evaluation was checkpointed ({@link FineTuneResult}).
     *
     * @param bestEvaluation the checkpointed evaluation's index
     * @param bestEpoch its epoch (0 without evaluations)
     * @param bestGlobalStep its global step (0 without evaluations)
     * @param bestSmoothedValidationF1 its smoothed validation F1, without a validation set empty
     * @param globalSteps optimiser steps in total
     * @param resumedFromStep the step the run resumed from, 0 for a fresh run
     * @param lastEpoch the last completed epoch
     * @param stopReason why the run ended
     * @param stopDetail what went wrong, empty when completed
     * @since 0.1.0
     */
    public record Outcome(int bestEvaluation, int bestEpoch, long bestGlobalStep,
            OptionalDouble bestSmoothedValidationF1, long globalSteps, long resumedFromStep,
            int lastEpoch, FineTuneResult.StopReason stopReason, String stopDetail) {

        /**
         * @throws NullPointerException if a component is null
         */
        public Outcome {
            Objects.requireNonNull(bestSmoothedValidationF1, "bestSmoothedValidationF1");
            Objects.requireNonNull(stopReason, "stopReason");
            Objects.requireNonNull(stopDetail, "stopDetail");
        }

        /**
         * @param result a fine-tuning result
         * @return how it ended; the best epoch and step are those of the checkpointed
         *     evaluation (the last one without a validation set), 0 with an empty curve
         */
        public static Outcome of(FineTuneResult result) {
            // Without a validation set best() is empty, but the curve still says when the
            // exported (final) weights were taken.
            Optional<FineTuneRecord> best = result.curve().isEmpty() ? Optional.empty()
                    : Optional.of(result.curve().get(result.bestEvaluation()));
            return new Outcome(result.bestEvaluation(), best.map(FineTuneRecord::epoch).orElse(0),
                    best.map(FineTuneRecord::globalStep).orElse(0L),
                    best.map(FineTuneRecord::smoothedValidationF1).orElse(OptionalDouble.empty()),
                    result.globalSteps(), result.resumedFrom(), result.completedEpochs(),
                    result.stopReason(), result.stopDetail());
        }
    }

    /**
     * The random search that chose the hyper-parameters ({@link FineTuneSearch}).
     *
     * @param trials trials run
     * @param repetitions repetitions of the cross-validation
     * @param cvFolds cross-validation folds
     * @param epochs epochs per search run
     * @param batchSize clips per optimiser step in the search runs
     * @param bestTrial the chosen trial
     * @param bestMeanF1 its mean validation F1
     * @param csv the file every trial was written to, relative to the export, or empty
     * @param normalization the statistics the search runs used, if they differ from the export's
     * @since 0.1.0
     */
    public record Search(int trials, int repetitions, int cvFolds, int epochs, int batchSize,
            int bestTrial, double bestMeanF1, String csv, Optional<Normalization> normalization) {

        /**
         * @throws NullPointerException if a component is null
         */
        public Search {
            Objects.requireNonNull(csv, "csv");
            Objects.requireNonNull(normalization, "normalization");
        }

        /**
         * Summarises a search result.
         *
         * @param result the search
         * @param epochs epochs per search run
         * @param batchSize clips per step in the search runs
         * @param csv where the trials were written, or empty
         * @param normalization the search runs' statistics, if not the export's
         * @return the summary
         * @throws IllegalArgumentException if the search has no trials
         */
        public static Search of(SearchResult result, int epochs, int batchSize, String csv,
                Optional<Normalization> normalization) {
            SearchResult.Trial best = result.best();
            return new Search(result.trials().size(), result.repetitions(), result.folds(),
                    epochs, batchSize, best.trial(), best.meanF1(), csv, normalization);
        }
    }

    /**
     * The checkpointed weights on the held-out fold.
     *
     * @param fold the held-out fold
     * @param loss mean cross-entropy
     * @param accuracy accuracy
     * @param f1 F1 of the engaged class
     * @since 0.1.0
     */
    public record TestMetrics(int fold, double loss, double accuracy, double f1) {

        /**
         * @param fold the held-out fold
         * @param metrics its metrics
         * @return the record
         */
        public static TestMetrics of(int fold, SplitMetrics metrics) {
            return new TestMetrics(fold, metrics.loss(), metrics.accuracy(), metrics.f1());
        }
    }

    /** The JSON tree (for {@link FineTuneExport}, which adds the model hash and normalisation). */
    ObjectNode jsonNode() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = ProvenanceJson.start(FORMAT, task, variable, seed, folds, trainingFolds,
                validationFold, testFold);
        ObjectNode ft = o.putObject("fine_tune");
        ft.put("epochs", fineTune.epochs());
        ft.put("batch_size", fineTune.batchSize());
        ft.put("micro_batch", fineTune.microBatch());
        ft.put("learning_rate", fineTune.learningRate());
        ft.put("learning_rate_decay", fineTune.learningRateDecay());
        ft.put("weight_decay", fineTune.weightDecay());
        ft.put("class_weights", fineTune.classWeights());
        ft.put("seed", fineTune.tunerSeed());
        ft.put("checkpoint_every", fineTune.checkpointEvery());
        ft.put("smoothing_window", fineTune.smoothingWindow());
        ft.put("warmup_epochs", fineTune.warmupEpochs());
        ft.put("optimizer", OPTIMIZER);
        ft.put("batch_norm", BATCH_NORM);
        ft.put("checkpoint", fineTune.checkpointFile().orElse(null));
        ObjectNode sm = o.putObject("sampler");
        sm.put("description", sampling.sampler());
        sm.put("snippets_per_session", sampling.snippetsPerSession());
        sm.put("clips", sampling.clips());
        sm.put("plan_epoch", sampling.planEpoch());
        sm.put("train_transform", sampling.trainTransform());
        sm.put("evaluation_transform", sampling.evaluationTransform());
        search.ifPresent(s -> {
            ObjectNode sn = o.putObject("search");
            sn.put("trials", s.trials());
            sn.put("repetitions", s.repetitions());
            sn.put("cv_folds", s.cvFolds());
            sn.put("epochs", s.epochs());
            sn.put("batch_size", s.batchSize());
            sn.put("csv", s.csv());
            sn.put("best_trial", s.bestTrial());
            sn.put("best_mean_f1", s.bestMeanF1());
            s.normalization().ifPresent(n -> sn.set("normalization", tree(m, n.toJson())));
        });
        test.ifPresent(t -> {
            ObjectNode tn = o.putObject("test");
            tn.put("fold", t.fold());
            tn.put("loss", t.loss());
            tn.put("accuracy", t.accuracy());
            tn.put("f1", t.f1());
        });
        o.put("base_model_sha256", baseModelSha256);
        ObjectNode d = o.putObject("data_sha256");
        dataSha256.forEach(d::put);
        o.put("global_steps", outcome.globalSteps());
        o.put("resumed_from_step", outcome.resumedFromStep());
        o.put("last_epoch", outcome.lastEpoch());
        o.put("best_evaluation", outcome.bestEvaluation());
        o.put("best_epoch", outcome.bestEpoch());
        o.put("best_global_step", outcome.bestGlobalStep());
        if (outcome.bestSmoothedValidationF1().isPresent()) {
            o.put("best_smoothed_validation_f1",
                    outcome.bestSmoothedValidationF1().getAsDouble());
        } else {
            o.putNull("best_smoothed_validation_f1");
        }
        o.put("validation_every", fineTune.validationEvery());
        o.put("provider", provider);
        o.put("stop_reason", outcome.stopReason().name());
        o.put("stop_detail", outcome.stopDetail());
        o.put("library_version", libraryVersion);
        o.put("onnxruntime_version", onnxRuntimeVersion);
        o.put("java_version", javaVersion);
        o.put("created", created);
        return o;
    }

    private static JsonNode tree(ObjectMapper m, String json) {
        try {
            return m.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("Normalization.toJson() is always JSON", e);
        }
    }

    /** @return the JSON form, indented */
    public String toJson() {
        return ProvenanceJson.pretty(jsonNode());
    }

    /**
     * Parses the JSON form ({@link #toJson()}, or a {@link FineTuneExport#PROVENANCE_FILE}).
     * Unknown keys are ignored; {@code search} and {@code test} may be absent;
     * {@code fine_tune.checkpoint} and {@code best_smoothed_validation_f1} may be null.
     *
     * @param json the text
     * @return the provenance
     * @throws IllegalArgumentException if the text is not JSON, its {@code format} is not
     *     {@value #FORMAT}, a required field is missing or of the wrong type (the message names
     *     the field, e.g. {@code fine_tune.epochs}), or a value breaks a record's rule
     */
    public static FineTuneProvenance fromJson(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode o;
        try {
            o = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("fine-tune provenance: not JSON: "
                    + e.getMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("fine-tune provenance: not a JSON object");
        }
        String format = text(o, "format");
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fine-tune provenance: field 'format' is '%s', expected '%s'", format, FORMAT));
        }
        Task task = named(Task.values(), Task::paperName, text(o, "task"), "task");
        Variable variable = named(Variable.values(), Variable::paperName, text(o, "variable"),
                "variable");
        List<List<String>> folds = new ArrayList<>();
        JsonNode fa = array(o, "folds");
        for (int i = 0; i < fa.size(); i++) {
            List<String> fold = new ArrayList<>();
            JsonNode f = fa.get(i);
            if (!f.isArray()) {
                throw bad("folds[" + i + "]", "an array of session ids");
            }
            for (int j = 0; j < f.size(); j++) {
                if (!f.get(j).isTextual()) {
                    throw bad("folds[" + i + "][" + j + "]", "a session id (text)");
                }
                fold.add(f.get(j).asText());
            }
            folds.add(fold);
        }
        List<Integer> training = new ArrayList<>();
        JsonNode ta = array(o, "training_folds");
        for (int i = 0; i < ta.size(); i++) {
            if (!ta.get(i).canConvertToInt() || !ta.get(i).isIntegralNumber()) {
                throw bad("training_folds[" + i + "]", "a fold index");
            }
            training.add(ta.get(i).asInt());
        }
        JsonNode ft = object(o, "fine_tune", "fine_tune");
        JsonNode cp = ft.get("checkpoint");
        Optional<String> checkpoint = cp == null || cp.isNull() ? Optional.empty()
                : Optional.of(text(ft, "checkpoint", "fine_tune.checkpoint"));
        Hyperparameters h = new Hyperparameters(integer(ft, "epochs", "fine_tune.epochs"),
                integer(ft, "batch_size", "fine_tune.batch_size"),
                integer(ft, "micro_batch", "fine_tune.micro_batch"),
                number(ft, "learning_rate", "fine_tune.learning_rate"),
                number(ft, "learning_rate_decay", "fine_tune.learning_rate_decay"),
                number(ft, "weight_decay", "fine_tune.weight_decay"),
                bool(ft, "class_weights", "fine_tune.class_weights"),
                longValue(ft, "seed", "fine_tune.seed"),
                integer(ft, "checkpoint_every", "fine_tune.checkpoint_every"),
                integer(o, "validation_every", "validation_every"),
                integer(ft, "smoothing_window", "fine_tune.smoothing_window"),
                integer(ft, "warmup_epochs", "fine_tune.warmup_epochs"), checkpoint);
        JsonNode sm = object(o, "sampler", "sampler");
        Sampling sampling = new Sampling(text(sm, "description", "sampler.description"),
                integer(sm, "snippets_per_session", "sampler.snippets_per_session"),
                integer(sm, "clips", "sampler.clips"),
                integer(sm, "plan_epoch", "sampler.plan_epoch"),
                text(sm, "train_transform", "sampler.train_transform"),
                text(sm, "evaluation_transform", "sampler.evaluation_transform"));
        Optional<Search> search = Optional.empty();
        if (o.hasNonNull("search")) {
            JsonNode sn = object(o, "search", "search");
            Optional<Normalization> norm = Optional.empty();
            if (sn.hasNonNull("normalization")) {
                try {
                    norm = Optional.of(Normalization.fromJson(sn.get("normalization").toString()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("fine-tune provenance: field"
                            + " 'search.normalization': " + e.getMessage(), e);
                }
            }
            search = Optional.of(new Search(integer(sn, "trials", "search.trials"),
                    integer(sn, "repetitions", "search.repetitions"),
                    integer(sn, "cv_folds", "search.cv_folds"),
                    integer(sn, "epochs", "search.epochs"),
                    integer(sn, "batch_size", "search.batch_size"),
                    integer(sn, "best_trial", "search.best_trial"),
                    number(sn, "best_mean_f1", "search.best_mean_f1"),
                    text(sn, "csv", "search.csv"), norm));
        }
        Optional<TestMetrics> test = Optional.empty();
        if (o.hasNonNull("test")) {
            JsonNode tn = object(o, "test", "test");
            test = Optional.of(new TestMetrics(integer(tn, "fold", "test.fold"),
                    number(tn, "loss", "test.loss"), number(tn, "accuracy", "test.accuracy"),
                    number(tn, "f1", "test.f1")));
        }
        Map<String, String> hashes = new TreeMap<>();
        JsonNode d = object(o, "data_sha256", "data_sha256");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            hashes.put(e.getKey(), text(d, e.getKey(), "data_sha256." + e.getKey()));
        }
        JsonNode f1 = o.get("best_smoothed_validation_f1");
        if (f1 == null) {
            throw missing("best_smoothed_validation_f1");
        }
        OptionalDouble smoothed = f1.isNull() ? OptionalDouble.empty()
                : OptionalDouble.of(number(o, "best_smoothed_validation_f1",
                        "best_smoothed_validation_f1"));
        Outcome outcome = new Outcome(integer(o, "best_evaluation", "best_evaluation"),
                integer(o, "best_epoch", "best_epoch"),
                longValue(o, "best_global_step", "best_global_step"), smoothed,
                longValue(o, "global_steps", "global_steps"),
                longValue(o, "resumed_from_step", "resumed_from_step"),
                integer(o, "last_epoch", "last_epoch"),
                named(FineTuneResult.StopReason.values(), Enum::name, text(o, "stop_reason"),
                        "stop_reason"),
                text(o, "stop_detail"));
        return new FineTuneProvenance(task, variable, longValue(o, "seed", "seed"), folds,
                training, integer(o, "validation_fold", "validation_fold"),
                integer(o, "test_fold", "test_fold"), h, sampling, outcome, search, test,
                text(o, "base_model_sha256"), hashes, text(o, "provider"),
                text(o, "library_version"), text(o, "onnxruntime_version"),
                text(o, "java_version"), text(o, "created"));
    }

    private static <E extends Enum<E>> E named(E[] values, Function<E, String> name,
            String value, String field) {
        List<String> names = new ArrayList<>();
        for (E e : values) {
            if (name.apply(e).equals(value)) {
                return e;
            }
            names.add(name.apply(e));
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "fine-tune provenance: field '%s' is '%s', expected one of %s", field, value,
                names));
    }

    private static JsonNode field(JsonNode o, String key, String path) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            throw missing(path);
        }
        return v;
    }

    private static IllegalArgumentException missing(String path) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "fine-tune provenance: required field '%s' is missing", path));
    }

    private static IllegalArgumentException bad(String path, String expected) {
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "fine-tune provenance: field '%s' must be %s", path, expected));
    }

    private static String text(JsonNode o, String key) {
        return text(o, key, key);
    }

    private static String text(JsonNode o, String key, String path) {
        JsonNode v = field(o, key, path);
        if (!v.isTextual()) {
            throw bad(path, "text");
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode o, String key) {
        JsonNode v = field(o, key, key);
        if (!v.isArray()) {
            throw bad(key, "an array");
        }
        return v;
    }

    private static JsonNode object(JsonNode o, String key, String path) {
        JsonNode v = field(o, key, path);
        if (!v.isObject()) {
            throw bad(path, "an object");
        }
        return v;
    }

    private static int integer(JsonNode o, String key, String path) {
        JsonNode v = field(o, key, path);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw bad(path, "an integer");
        }
        return v.asInt();
    }

    private static long longValue(JsonNode o, String key, String path) {
        JsonNode v = field(o, key, path);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(path, "a 64-bit integer");
        }
        return v.asLong();
    }

    private static double number(JsonNode o, String key, String path) {
        JsonNode v = o.get(key);
        if (v == null) {
            throw missing(path);
        }
        if (v.isNull()) {
            // a non-finite value, written as null (JSON has no NaN)
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw bad(path, "a number");
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode o, String key, String path) {
        JsonNode v = field(o, key, path);
        if (!v.isBoolean()) {
            throw bad(path, "true or false");
        }
        return v.asBoolean();
    }
}
