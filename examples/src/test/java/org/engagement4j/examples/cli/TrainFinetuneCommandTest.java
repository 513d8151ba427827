package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.training.FineTuneExport;
import org.engagement4j.core.training.FineTuneProvenance;
import org.engagement4j.core.training.HeadExport;
import org.engagement4j.core.training.SearchResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement train finetune}, in process, on synthetic ELAN files and clips and a narrow
 * 2-class mc3_18 built in Java: 2 epochs of a few augmented snippets.
 */
class TrainFinetuneCommandTest {

    @TempDir
    Path tmp;

    private Path eaf;
    private Path clips;
    private Path model;

    @BeforeEach
    void data() throws IOException {
        eaf = tmp.resolve("eaf");
        clips = tmp.resolve("clips");
        SyntheticCoding gen = SyntheticCoding.withDefaults().withSessionLengthMs(120_000);
        for (int i = 0; i < 10; i++) {
            String id = String.format("s%02d", i);
            gen.withCoderNames(List.of("a", "b")).generate(id, i).writeTo(eaf);
            TrainCommandTest.clip(clips.resolve(id), 380, 24, 32, i);
        }
        model = ModelFiles.narrowModel(tmp, "base.onnx", 2);
    }

    private List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("finetune", "--eaf", eaf.toString(), "--clips",
                clips.toString(), "--base-model", model.toString(), "--task", "dolls",
                "--variable", "social_engagement", "--out", out.toString(), "--seed", "3",
                "--fold-tries", "300", "--snippets-per-session", "1", "--epochs", "2",
                "--batch-size", "4", "--micro-batch", "2", "--lr", "1e-3", "--threads", "1",
                "--eval-crop", "20", "--warmup", "0", "--smoothing", "1", "--no-progress"));
        a.addAll(List.of(extra));
        return a;
    }

    private static ModelFiles.Outcome run(List<String> args) {
        return TrainCommandTest.run(new TrainCommand(), args.toArray(String[]::new));
    }

    @Test
    void writesALoadableFineTunedModelAndResumesFromItsCheckpoint() throws Exception {
        Path out = tmp.resolve("out");
        ModelFiles.Outcome o = run(args(out));
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("wrote "), o.out());
        Path tuned = out.resolve(HeadExport.MODEL_FILE);
        assertTrue(Files.isRegularFile(out.resolve(HeadExport.NORMALIZATION_FILE)));
        JsonNode prov = new ObjectMapper().readTree(out.resolve(HeadExport.PROVENANCE_FILE)
                .toFile());
        assertEquals("COMPLETED", prov.get("stop_reason").asText());
        assertEquals(2, prov.get("last_epoch").asInt());
        assertEquals(2, prov.get("fine_tune").get("epochs").asInt());
        assertEquals(3, prov.get("seed").asLong());
        assertTrue(prov.get("global_steps").asLong() >= 2);
        assertEquals(64, prov.get("model_sha256").asText().length());
        // Every key the command wrote before FineTuneExport took over is still there.
        for (String k : List.of("format", "task", "variable", "seed", "folds", "training_folds",
                "validation_fold", "test_fold", "fine_tune", "sampler", "base_model_sha256",
                "model_sha256", "data_sha256", "global_steps", "resumed_from_step", "last_epoch",
                "best_evaluation", "validation_every", "provider", "stop_reason", "stop_detail",
                "normalization", "library_version", "java_version", "created")) {
            assertTrue(prov.has(k), k + " in " + prov);
        }
        for (String k : List.of("epochs", "batch_size", "micro_batch", "learning_rate",
                "learning_rate_decay", "weight_decay", "class_weights", "optimizer", "batch_norm",
                "checkpoint")) {
            assertTrue(prov.get("fine_tune").has(k), "fine_tune." + k + " in " + prov);
        }
        for (String k : List.of("snippets_per_session", "clips", "plan_epoch", "train_transform")) {
            assertTrue(prov.get("sampler").has(k), "sampler." + k + " in " + prov);
        }
        assertFalse(prov.has("search") || prov.has("test"), prov.toString());
        FineTuneProvenance parsed = FineTuneProvenance.fromJson(Files.readString(
                out.resolve(FineTuneExport.PROVENANCE_FILE)));
        assertEquals(OnnxModels.sha256(OnnxModels.read(model)), parsed.baseModelSha256());
        assertEquals("CPU", parsed.provider());
        assertEquals(2, parsed.fineTune().microBatch());
        assertEquals(4, parsed.fineTune().batchSize());
        assertEquals(1e-3, parsed.fineTune().learningRate());
        assertEquals(0, parsed.fineTune().warmupEpochs());
        assertEquals(1, parsed.fineTune().smoothingWindow());
        assertTrue(parsed.sampling().evaluationTransform().contains("20"),
                parsed.sampling().evaluationTransform());
        assertTrue(parsed.dataSha256().keySet().stream().anyMatch(k -> k.startsWith("eaf/")),
                parsed.dataSha256().toString());
        assertTrue(parsed.onnxRuntimeVersion().matches("\\d+\\.\\d+\\.\\d+.*"),
                parsed.onnxRuntimeVersion());
        List<String> curve = Files.readAllLines(out.resolve(TrainCommand.FinetuneCommand.CURVE_FILE));
        assertEquals(4, curve.size(), "header, evaluation 0, one per epoch: " + curve);
        assertTrue(curve.get(0).startsWith("evaluation,epoch,global_step,train_loss,val_loss"), curve.get(0));
        assertEquals(1, curve.stream().filter(l -> l.endsWith(",true")).count(), "one checkpoint row");
        int best = prov.get("best_evaluation").asInt();
        assertTrue(curve.get(1 + best).endsWith(",true"), curve.toString());
        assertTrue(o.out().contains("checkpoint: evaluation " + best), o.out());
        // Exported: the checkpointed weights, the base model's own when evaluation 0 won.
        assertEquals(best == 0, Arrays.equals(Files.readAllBytes(model), Files.readAllBytes(tuned)),
                "model.onnx holds the weights of evaluation " + best);

        float[] x = ModelFiles.lcg(4, 3 * 15 * 20 * 20);
        try (EngagementClassifier c = EngagementClassifier.builder().model(tuned)
                .intraOpThreads(1).build()) {
            float[] logits = c.logits(ClipBatch.of(x, 1, 3, 15, 20, 20))[0];
            assertEquals(2, logits.length);
            assertTrue(Float.isFinite(logits[0]) && Float.isFinite(logits[1]));
        }

        // One epoch with a checkpoint, then the second resumed from it: the same model.
        Path ck = tmp.resolve("ft.ckpt");
        Path first = tmp.resolve("first");
        List<String> oneEpoch = args(first, "--checkpoint", ck.toString());
        oneEpoch.set(oneEpoch.indexOf("--epochs") + 1, "1");
        ModelFiles.Outcome o1 = run(oneEpoch);
        assertEquals(0, o1.status(), o1.err());
        assertTrue(Files.isRegularFile(ck));
        Path second = tmp.resolve("second");
        List<String> resumed = args(second, "--checkpoint", ck.toString());
        resumed.remove("--no-progress");
        ModelFiles.Outcome o2 = run(resumed);
        assertEquals(0, o2.status(), o2.err());
        assertTrue(o2.err().contains("fine-tune [") && o2.err().contains("100%"), o2.err());
        JsonNode p2 = new ObjectMapper().readTree(second.resolve(HeadExport.PROVENANCE_FILE)
                .toFile());
        assertTrue(p2.get("resumed_from_step").asLong() > 0, p2.toString());
        assertArrayEquals(Files.readAllBytes(tuned),
                Files.readAllBytes(second.resolve(HeadExport.MODEL_FILE)));
    }

    @Test
    void badInputExitsWithStatusTwo() throws Exception {
        List<String> missing = args(tmp.resolve("x"));
        missing.set(missing.indexOf(model.toString()), tmp.resolve("none.onnx").toString());
        ModelFiles.Outcome m = run(missing);
        assertEquals(2, m.status(), m.err());
        assertTrue(m.err().contains("none.onnx"), m.err());
        assertFalse(m.err().contains("\tat "), m.err());

        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
        List<String> corrupt = args(tmp.resolve("w"));
        corrupt.set(corrupt.indexOf(model.toString()), junk.toString());
        ModelFiles.Outcome c = run(corrupt);
        assertEquals(2, c.status(), c.err());
        assertTrue(c.err().contains("junk.onnx"), c.err());

        ModelFiles.Outcome zero = run(args(tmp.resolve("y"), "--micro-batch", "0"));
        assertEquals(2, zero.status(), zero.err());
        assertTrue(zero.err().contains("micro-batch"), zero.err());

        Path flat = tmp.resolve("flat");
        SyntheticCoding never = SyntheticCoding.withDefaults().withSessionLengthMs(120_000)
                .withMissProbability(1).withExtraProbability(0);
        for (int i = 0; i < 10; i++) {
            never.withCoderNames(List.of("a", "b")).generate(String.format("s%02d", i), i)
                    .writeTo(flat);
        }
        List<String> oneClass = args(tmp.resolve("z"));
        oneClass.set(oneClass.indexOf(eaf.toString()), flat.toString());
        ModelFiles.Outcome oc = run(oneClass);
        assertEquals(2, oc.status(), oc.err());
        assertTrue(oc.err().contains("both classes"), oc.err());
    }

    @Test
    void cudaOnThisBuildAndNanLossExitWithAClearMessage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA), "this build has CUDA");
        ModelFiles.Outcome cuda = run(args(tmp.resolve("cuda"), "--provider", "cuda"));
        assertEquals(2, cuda.status(), cuda.err());
        assertTrue(cuda.err().contains("provider CUDA requested but this ONNX Runtime build has no CUDA"),
                cuda.err());
        assertFalse(cuda.err().contains("\tat "), cuda.err());

        // A (valid) normalisation with a vanishing spread overflows every input to infinity: the
        // first loss is NaN. The run stops with status 3, a message naming the step, the base
        // weights written and no checkpoint of the bad step.
        Path norm = tmp.resolve("tiny-std.json");
        org.engagement4j.core.transform.Normalization.of(new double[] {100, 100, 100},
                new double[] {1e-300, 1e-300, 1e-300}).write(norm);
        Path ck = tmp.resolve("nan.ckpt");
        Path out = tmp.resolve("nan");
        ModelFiles.Outcome nan = run(args(out, "--normalization", norm.toString(), "--no-validation",
                "--checkpoint", ck.toString()));
        assertEquals(TrainCommand.STOPPED_EARLY, nan.status(), nan.err());
        assertTrue(nan.err().contains("fine-tuning stopped after 0 steps")
                && nan.err().contains("epoch 1 step 1 is NaN"), nan.err());
        assertFalse(Files.exists(ck), "no checkpoint of a bad step");
        JsonNode prov = new ObjectMapper().readTree(out.resolve(HeadExport.PROVENANCE_FILE).toFile());
        assertEquals("NON_FINITE", prov.get("stop_reason").asText());
    }

    /** Two trials of one epoch, one repetition, two workers: the search before the final run. */
    private static final String[] SEARCH = {"--search", "2", "--repetitions", "1",
        "--search-epochs", "1", "--search-batch-size", "4", "--search-threads", "2"};

    @Test
    void searchWritesEveryTrialAndTheFinalRunUsesTheBestOnTheReferenceFolds() throws Exception {
        Path out = tmp.resolve("one");
        ModelFiles.Outcome o = run(args(out, SEARCH).stream()
                .filter(a -> !a.equals("--no-progress")).toList());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("search [") && o.err().contains("100%"), o.err());
        Path csv = out.resolve(TrainCommand.FinetuneCommand.SEARCH_FILE);
        SearchResult search = SearchResult.readCsv(csv);
        assertEquals(2, search.trials().size());
        assertEquals(1, search.repetitions());
        assertEquals(4, search.folds(), "cross-validation over the folds before the test fold");
        assertTrue(o.out().contains("best trial " + search.best().trial()), o.out());
        assertTrue(o.out().contains("held-out test fold 4"), o.out());

        JsonNode prov = new ObjectMapper().readTree(out.resolve(HeadExport.PROVENANCE_FILE)
                .toFile());
        assertEquals(List.of(0, 1, 2), List.of(prov.get("training_folds").get(0).asInt(),
                prov.get("training_folds").get(1).asInt(), prov.get("training_folds").get(2).asInt()));
        assertEquals(3, prov.get("training_folds").size());
        assertEquals(3, prov.get("validation_fold").asInt());
        assertEquals(4, prov.get("test").get("fold").asInt());
        assertEquals(search.best().parameters().learningRate(),
                prov.get("fine_tune").get("learning_rate").asDouble());
        assertEquals(search.best().parameters().weightDecay(),
                prov.get("fine_tune").get("weight_decay").asDouble());
        assertEquals(search.best().trial(), prov.get("search").get("best_trial").asInt());
        // The search is normalised with all its folds (0-3), the final run with its own (0-2).
        JsonNode searchNorm = prov.get("search").get("normalization");
        assertEquals(3, searchNorm.get("mean").size());
        assertNotEquals(prov.get("normalization").get("mean").toString(),
                searchNorm.get("mean").toString());
        assertTrue(Files.isRegularFile(out.resolve(HeadExport.MODEL_FILE)));
        FineTuneProvenance parsed = FineTuneProvenance.fromJson(Files.readString(
                out.resolve(FineTuneExport.PROVENANCE_FILE)));
        assertEquals(search.best().meanF1(), parsed.search().orElseThrow().bestMeanF1());
        assertEquals(TrainCommand.FinetuneCommand.SEARCH_FILE, parsed.search().orElseThrow().csv());
        assertTrue(parsed.search().orElseThrow().normalization().isPresent());
        assertEquals(prov.get("test").get("f1").asDouble(), parsed.test().orElseThrow().f1());
        assertEquals(parsed.outcome().bestEvaluation(), prov.get("best_evaluation").asInt());
        // Thread-count independence of search.csv: FineTuneSearchTest (core), cheaper there.
    }

    @Test
    void searchNeedsTheReferenceValidationFold() {
        List<String> bad = new ArrayList<>(args(tmp.resolve("bad"), SEARCH));
        bad.addAll(List.of("--validation-fold", "0"));
        ModelFiles.Outcome o = run(bad);
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("--search"), o.err());
    }
}
