package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * How a trained model came about, stored beside it ({@link HeadExport#PROVENANCE_FILE}): the
 * seed, the folds, the hyper-parameters, the checkpoint, and the SHA-256 of every input (the base
 * model, bake files, annotation files, clips), so that a run can be traced and repeated (DESIGN.md,
 * "determinism and provenance").
 *
 * @param task the task
 * @param variable the variable
 * @param seed the run's one seed
 * @param folds the session ids per fold (the last fold is the test fold)
 * @param trainingFolds the folds the head trained on
 * @param validationFold the fold used for checkpointing, or -1 for none
 * @param testFold the held-out fold, or -1 for none
 * @param head the head trainer's settings
 * @param bakePasses the passes baked per fold
 * @param snippetsPerSession snippets per session and pass
 * @param trainTransform the training bake's transform ({@code toString()})
 * @param evaluationTransform the validation and test bakes' transform
 * @param baseModelSha256 the SHA-256 of the encoder model the head was trained on
 * @param dataSha256 file name (or role) to SHA-256, sorted by key
 * @param bestEpoch the checkpointed epoch
 * @param lastEpoch the last completed epoch
 * @param stopReason why training ended
 * @param libraryVersion engagement4j's version
 * @param created when the run ended, ISO-8601 UTC
 * @since 0.1.0
 */
public record TrainingProvenance(Task task, Variable variable, long seed,
        List<List<String>> folds, List<Integer> trainingFolds, int validationFold, int testFold,
        HeadTrainer head, int bakePasses, int snippetsPerSession, String trainTransform,
        String evaluationTransform, String baseModelSha256, Map<String, String> dataSha256,
        int bestEpoch, int lastEpoch, HeadTrainingResult.StopReason stopReason,
        String libraryVersion, String created) {

    /**
     * Copies the collections.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a fold index is outside the folds
     */
    public TrainingProvenance {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(trainTransform, "trainTransform");
        Objects.requireNonNull(evaluationTransform, "evaluationTransform");
        Objects.requireNonNull(baseModelSha256, "baseModelSha256");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(created, "created");
        folds = folds.stream().map(List::copyOf).toList();
        trainingFolds = List.copyOf(trainingFolds);
        dataSha256 = java.util.Collections.unmodifiableMap(new TreeMap<>(dataSha256));
        ProvenanceJson.checkFolds(folds.size(), trainingFolds, validationFold, testFold);
    }

    /** The JSON tree (for {@link HeadExport}, which adds the model hash and normalisation). */
    ObjectNode jsonNode() {
        ObjectNode o = ProvenanceJson.start("engagement4j-training-provenance", task, variable,
                seed, folds, trainingFolds, validationFold, testFold);
        ObjectNode h = o.putObject("head");
        h.put("epochs", head.epochs());
        h.put("learning_rate", head.learningRate());
        h.put("learning_rate_decay", head.learningRateDecay());
        h.put("weight_decay", head.weightDecay());
        h.put("class_weights", head.classWeights());
        h.put("smoothing_window", head.smoothingWindow());
        h.put("warmup_epochs", head.warmupEpochs());
        h.put("optimizer", String.format(Locale.ROOT, "Adam(beta1=%s, beta2=%s, eps=%s),"
                + " coupled weight decay", HeadTrainer.BETA1, HeadTrainer.BETA2,
                HeadTrainer.EPSILON));
        ObjectNode b = o.putObject("bake");
        b.put("passes", bakePasses);
        b.put("snippets_per_session", snippetsPerSession);
        b.put("train_transform", trainTransform);
        b.put("evaluation_transform", evaluationTransform);
        o.put("base_model_sha256", baseModelSha256);
        ObjectNode d = o.putObject("data_sha256");
        dataSha256.forEach(d::put);
        o.put("best_epoch", bestEpoch);
        o.put("last_epoch", lastEpoch);
        o.put("stop_reason", stopReason.name());
        o.put("library_version", libraryVersion);
        o.put("java_version", Runtime.version().toString());
        o.put("created", created);
        return o;
    }

    /** @return the JSON form, indented */
    public String toJson() {
        return ProvenanceJson.pretty(jsonNode());
    }
}
