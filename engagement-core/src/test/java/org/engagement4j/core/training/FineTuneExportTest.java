package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.metrics.agreement.ConfusionMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FineTuneProvenance}'s JSON form and the folder {@link FineTuneExport} writes. */
class FineTuneExportTest {

    /** Keys {@link FineTuneProvenance#fromJson} does without. */
    private static final Set<String> OPTIONAL = Set.of("search", "test", "fine_tune.optimizer",
            "fine_tune.batch_norm", "fine_tune.checkpoint", "search.normalization");

    @TempDir
    Path tmp;

    /** Every component set, none at its default, with a search and test metrics. */
    static FineTuneProvenance full() {
        FineTuner tuner = FineTuner.withDefaults().withEpochs(7).withBatchSize(6)
                .withMicroBatchSize(3).withLearningRate(3.5e-5).withLearningRateDecay(0.02)
                .withWeightDecay(0.125).withClassWeights(false).withSeed(-9)
                .withCheckpointEvery(11).withValidationEvery(4).withSmoothingWindow(3)
                .withWarmupEpochs(2);
        return new FineTuneProvenance(Task.SHAKER, Variable.SOCIAL_ENGAGEMENT, 1234567890123L,
                List.of(List.of("s1", "s2"), List.of("s3"), List.of("s4"), List.of("s5")),
                List.of(0, 1), 2, 3,
                FineTuneProvenance.Hyperparameters.of(tuner, Optional.of("run/ckpt.e4jft")),
                new FineTuneProvenance.Sampling("sampler-d", 10, 40, 2, "train-t", "eval-t"),
                new FineTuneProvenance.Outcome(5, 3, 17, OptionalDouble.of(0.6875), 20, 8, 7,
                        FineTuneResult.StopReason.COMPLETED, ""),
                Optional.of(new FineTuneProvenance.Search(6, 2, 3, 100, 16, 4, 0.71875,
                        "search.csv", Optional.of(Normalization.of(new double[] {1, 2, 3},
                                new double[] {4, 5, 6})))),
                Optional.of(FineTuneProvenance.TestMetrics.of(3, new SplitMetrics(0.5,
                        ConfusionMatrix.ofCounts(3, 1, 2, 4)))),
                "ab".repeat(32), Map.of("z/clip", "00", "eaf/a.eaf", "11"), "CPU", "0.1.0-test",
                "1.2.3", "17.0.1", "2024-01-01T00:00:00Z");
    }

    @Test
    void jsonRoundTripsEveryComponent() {
        FineTuneProvenance p = full();
        assertEquals(p, FineTuneProvenance.fromJson(p.toJson()));
        assertEquals(0.7, p.test().orElseThrow().accuracy(), 1e-12);
        // Without the optional parts, and with no validation (no smoothed F1, no checkpoint file).
        FineTuneProvenance bare = new FineTuneProvenance(p.task(), p.variable(), p.seed(),
                p.folds(), p.trainingFolds(), -1, -1,
                FineTuneProvenance.Hyperparameters.of(FineTuner.withDefaults(), Optional.empty()),
                p.sampling(), new FineTuneProvenance.Outcome(0, 0, 0, OptionalDouble.empty(), 3,
                        0, 1, FineTuneResult.StopReason.NON_FINITE, "loss NaN at step 3"),
                Optional.empty(), Optional.empty(), p.baseModelSha256(), Map.of(), "CUDA",
                p.libraryVersion(), p.onnxRuntimeVersion(), p.javaVersion(), p.created());
        assertEquals(bare, FineTuneProvenance.fromJson(bare.toJson()));
        assertTrue(bare.toJson().contains("\"best_smoothed_validation_f1\" : null"),
                bare.toJson());
    }

    @Test
    void aNanTestLossIsWrittenAsNullAndReadBackAsNan() throws Exception {
        FineTuneProvenance p = full();
        FineTuneProvenance nan = new FineTuneProvenance(p.task(), p.variable(), p.seed(),
                p.folds(), p.trainingFolds(), p.validationFold(), p.testFold(), p.fineTune(),
                p.sampling(), p.outcome(), p.search(),
                Optional.of(new FineTuneProvenance.TestMetrics(3, Double.NaN, 0.5, 0.25)),
                p.baseModelSha256(), p.dataSha256(), p.provider(), p.libraryVersion(),
                p.onnxRuntimeVersion(), p.javaVersion(), p.created());
        String json = nan.toJson();
        // standard JSON: a strict parser (no NaN tokens allowed) reads it
        new ObjectMapper().readTree(json);
        assertTrue(json.contains("\"loss\" : null"), json);
        assertTrue(Double.isNaN(FineTuneProvenance.fromJson(json).test().orElseThrow().loss()));
    }

    @Test
    void hyperparametersRepeatTheTuner() {
        FineTuneProvenance.Hyperparameters h = full().fineTune();
        FineTuner t = h.toTuner();
        assertEquals(h, FineTuneProvenance.Hyperparameters.of(t, h.checkpointFile()));
        assertEquals(-9, t.seed());
        assertEquals(3, t.microBatchSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FineTuneProvenance.Hyperparameters(0, 6, 3, 1e-3, 0, 0, true, 0, 1, 0,
                        1, 0, Optional.empty()));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void everyRequiredFieldIsRefusedWhenMissingAndNamed() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode full = (ObjectNode) m.readTree(full().toJson());
        List<String> paths = new ArrayList<>();
        for (Iterator<String> it = full.fieldNames(); it.hasNext();) {
            String k = it.next();
            paths.add(k);
            JsonNode v = full.get(k);
            if (v.isObject() && !k.equals("data_sha256")) {
                v.fieldNames().forEachRemaining(c -> paths.add(k + "." + c));
            }
        }
        assertTrue(paths.size() > 50, paths.toString());
        int required = 0;
        for (String path : paths) {
            ObjectNode copy = full.deepCopy();
            String[] parts = path.split("\\.");
            ((ObjectNode) (parts.length == 1 ? copy : copy.get(parts[0])))
                    .remove(parts[parts.length - 1]);
            if (OPTIONAL.contains(path)) {
                FineTuneProvenance.fromJson(copy.toString());
                continue;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FineTuneProvenance.fromJson(copy.toString()), path);
            assertTrue(e.getMessage().contains("'" + path + "'"), path + ": " + e.getMessage());
            required++;
        }
        assertTrue(required > 45, "required fields checked: " + required);
    }

    @Test
    void wrongTypesAndValuesAreNamed() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = (ObjectNode) m.readTree(full().toJson());
        ((ObjectNode) o.get("fine_tune")).put("epochs", "seven");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FineTuneProvenance.fromJson(o.toString()));
        assertTrue(e.getMessage().contains("'fine_tune.epochs' must be an integer"),
                e.getMessage());
        ObjectNode o2 = (ObjectNode) m.readTree(full().toJson());
        o2.put("format", "engagement4j-training-provenance");
        e = assertThrows(IllegalArgumentException.class,
                () -> FineTuneProvenance.fromJson(o2.toString()));
        assertTrue(e.getMessage().contains("'format'"), e.getMessage());
        ObjectNode o3 = (ObjectNode) m.readTree(full().toJson());
        o3.put("task", "piano");
        e = assertThrows(IllegalArgumentException.class,
                () -> FineTuneProvenance.fromJson(o3.toString()));
        assertTrue(e.getMessage().contains("[dolls, shaker, drum]"), e.getMessage());
        ObjectNode o4 = (ObjectNode) m.readTree(full().toJson());
        o4.put("test_fold", 9);
        e = assertThrows(IllegalArgumentException.class,
                () -> FineTuneProvenance.fromJson(o4.toString()));
        assertTrue(e.getMessage().contains("test fold 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FineTuneProvenance.fromJson("{\"format\": "));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void exportWritesTheThreeFilesWithNormalPermissionsAndTheModelHash() throws Exception {
        ModelProto tuned = OnnxModels.parse(TrainingFixtures.narrowModel(5), "narrow");
        FineTuneProvenance p = full();
        Path out = tmp.resolve("a").resolve("out");
        String sha = FineTuneExport.write(out, tuned, TrainingFixtures.NORM, p);
        Path model = out.resolve(FineTuneExport.MODEL_FILE);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(model))), sha);
        if (Files.getFileAttributeView(model, PosixFileAttributeView.class) != null) {
            Path normal = Files.createFile(tmp.resolve("normal"));
            for (Path f : List.of(model, out.resolve(FineTuneExport.NORMALIZATION_FILE),
                    out.resolve(FineTuneExport.PROVENANCE_FILE))) {
                assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(normal)),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                        f.toString());
            }
        }
        try (var files = Files.list(out)) {
            // Nothing but the three files: no temporary file left behind.
            assertEquals(3, files.count());
        }
        assertEquals(TrainingFixtures.NORM,
                Normalization.read(out.resolve(FineTuneExport.NORMALIZATION_FILE)));
        String text = Files.readString(out.resolve(FineTuneExport.PROVENANCE_FILE));
        JsonNode j = new ObjectMapper().readTree(text);
        assertEquals(sha, j.get("model_sha256").asText());
        assertEquals(120.0, j.get("normalization").get("mean").get(0).asDouble());
        assertEquals(FineTuneProvenance.FORMAT, j.get("format").asText());
        // The file parses back to the record (the two added keys are ignored).
        assertEquals(p, FineTuneProvenance.fromJson(text));
        try (EngagementClassifier c = EngagementClassifier.builder().model(model)
                .intraOpThreads(1).build()) {
            assertEquals(sha, c.provenance().modelSha256());
        }
        // A rewrite replaces the files.
        String sha2 = FineTuneExport.write(out, OnnxModels.parse(TrainingFixtures.narrowModel(6),
                "narrow"), TrainingFixtures.NORM, p);
        assertFalse(sha.equals(sha2));
        assertEquals(sha2, new ObjectMapper().readTree(out.resolve(FineTuneExport.PROVENANCE_FILE)
                .toFile()).get("model_sha256").asText());
    }

    @Test
    void inconsistentTestMetricsAreRefused() {
        FineTuneProvenance p = full();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FineTuneProvenance(p.task(), p.variable(), p.seed(), p.folds(),
                        p.trainingFolds(), p.validationFold(), 2, p.fineTune(), p.sampling(),
                        p.outcome(), p.search(), p.test(), p.baseModelSha256(), p.dataSha256(),
                        p.provider(), p.libraryVersion(), p.onnxRuntimeVersion(),
                        p.javaVersion(), p.created()));
        assertTrue(e.getMessage().contains("test metrics of fold 3"), e.getMessage());
    }
}
