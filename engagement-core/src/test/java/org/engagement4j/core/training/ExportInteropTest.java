package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our exports in Python: {@code fixtures/export/} holds what {@link ExportFixtures} writes with
 * {@link HeadExport} and {@link FineTuneExport}, and {@code python_ort.json} what Python's
 * onnxruntime computed on those files ({@code tools/fixtures/export_fixtures.py}, which also
 * checked their signatures and JSON keys). Issue 7, "Export".
 */
class ExportInteropTest {

    private static final List<String> MODELS = List.of(ExportFixtures.HEAD_DIR,
            ExportFixtures.FINETUNED_DIR);

    private static Path committed;
    private static JsonNode python;

    @BeforeAll
    static void load() {
        committed = HeadFixtures.dir("export");
        python = HeadFixtures.json(committed.resolve(ExportFixtures.PYTHON_FILE));
    }

    /**
     * The committed files are what the export code writes today. On the machine that made them a
     * rerun is byte-identical (also with two ONNX Runtime threads for the gradients); another
     * CPU's kernels may round a fine-tuning gradient differently in its last bit, so the graphs,
     * initializer names, types and shapes must be identical and the float values equal within
     * 1e-5, rather than the bytes.
     */
    @Test
    void committedFilesAreWhatTheExportWritesToday(@TempDir Path tmp) throws Exception {
        ExportFixtures.generate(tmp);
        for (String name : MODELS) {
            Path dir = committed.resolve(name);
            ModelProto want = OnnxModels.read(dir.resolve(HeadExport.MODEL_FILE));
            ModelProto got = OnnxModels.read(tmp.resolve(name).resolve(HeadExport.MODEL_FILE));
            assertEquals(withoutWeights(want), withoutWeights(got), name + ": graph");
            GraphProto w = want.getGraph();
            GraphProto g = got.getGraph();
            for (int i = 0; i < w.getInitializerCount(); i++) {
                float[] a = Tensors.toFloats(w.getInitializer(i));
                float[] b = Tensors.toFloats(g.getInitializer(i));
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-5,
                            name + ": " + w.getInitializer(i).getName() + "[" + j + "]");
                }
            }
            assertEquals(Normalization.read(dir.resolve(HeadExport.NORMALIZATION_FILE)),
                    Normalization.read(tmp.resolve(name).resolve(HeadExport.NORMALIZATION_FILE)));
        }
        // The provenance repeats except for the JVM that ran and the hash of weights that may
        // differ in the last bit (checked against the file in pythonSawTheFilesWeCommitted).
        for (String name : MODELS) {
            ObjectNode want = (ObjectNode) HeadFixtures.json(committed.resolve(name)
                    .resolve(HeadExport.PROVENANCE_FILE));
            ObjectNode got = (ObjectNode) HeadFixtures.json(tmp.resolve(name)
                    .resolve(HeadExport.PROVENANCE_FILE));
            for (ObjectNode o : List.of(want, got)) {
                o.remove("java_version");
                o.remove("model_sha256");
            }
            assertEquals(want, got, name + ": provenance");
        }
        // The fine-tuned export's record reads back as FineTuneExport wrote it.
        FineTuneProvenance tuned = FineTuneProvenance.fromJson(Files.readString(committed
                .resolve(ExportFixtures.FINETUNED_DIR).resolve(FineTuneExport.PROVENANCE_FILE)));
        assertEquals(OnnxModels.sha256(ExportFixtures.fineTuneBase()), tuned.baseModelSha256());
        assertEquals(FineTuneResult.StopReason.COMPLETED, tuned.outcome().stopReason());
        assertEquals(2, tuned.outcome().lastEpoch());
        // No validation set: the exported weights are the last evaluation's.
        assertEquals(tuned.outcome().globalSteps(), tuned.outcome().bestGlobalStep());
        assertEquals(2, tuned.outcome().bestEpoch());
        assertArrayEquals(Files.readAllBytes(committed.resolve(ExportFixtures.INPUT_FILE)),
                Files.readAllBytes(tmp.resolve(ExportFixtures.INPUT_FILE)));
    }

    @Test
    void fineTuningMovedTheWeightsThatWereWritten() throws Exception {
        ModelProto base = ExportFixtures.fineTuneBase();
        ModelProto tuned = OnnxModels.read(committed.resolve(ExportFixtures.FINETUNED_DIR)
                .resolve(HeadExport.MODEL_FILE));
        assertEquals(withoutWeights(base), withoutWeights(tuned));
        int moved = 0;
        for (int i = 0; i < base.getGraph().getInitializerCount(); i++) {
            TensorProto t = base.getGraph().getInitializer(i);
            if (!Arrays.equals(Tensors.toFloats(t),
                    Tensors.toFloats(tuned.getGraph().getInitializer(i)))) {
                moved++;
            }
        }
        assertEquals(base.getGraph().getInitializerCount(), moved, "every weight was trained");
    }

    @ParameterizedTest
    @ValueSource(strings = {ExportFixtures.HEAD_DIR, ExportFixtures.FINETUNED_DIR})
    void engagementClassifierGivesPythonsLogits(String name) throws Exception {
        JsonNode py = python.get("models").get(name);
        NpyArray input = HeadFixtures.npy(committed.resolve(ExportFixtures.INPUT_FILE));
        assertArrayEquals(ExportFixtures.INPUT_SHAPE, input.shape());
        Path model = committed.resolve(name).resolve(HeadExport.MODEL_FILE);
        try (EngagementClassifier c = EngagementClassifier.builder().model(model)
                .intraOpThreads(1).build()) {
            assertEquals(2, c.signature().classes());
            assertEquals(py.get("input").get("name").asText(), c.signature().inputName());
            assertEquals(py.get("output").get("name").asText(), c.signature().logitsName());
            // Python saw batch and time symbolic, height and width fixed: so does the classifier.
            assertArrayEquals(new long[] {-1, 3, -1, 64, 64}, c.signature().inputShape());
            ClipBatch x = ClipBatch.of(input.toFloatArray(), input.shape());
            float[][] logits = c.logits(x);
            double[][] probabilities = c.probabilities(x);
            assertEquals(py.get("logits").size(), logits.length);
            for (int i = 0; i < logits.length; i++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(py.get("logits").get(i).get(k).asDouble(), logits[i][k], 1e-5,
                            name + " clip " + i + " logit " + k);
                    assertEquals(py.get("probabilities").get(i).get(k).asDouble(),
                            probabilities[i][k], 1e-5, name + " clip " + i + " probability " + k);
                }
            }
            assertEquals(py.get("sha256").asText(), c.provenance().modelSha256());
        }
    }

    @Test
    void pythonSawTheFilesWeCommitted() throws Exception {
        assertEquals(ExportFixtures.sha256(Files.readAllBytes(committed
                .resolve(ExportFixtures.INPUT_FILE))), python.get("input").get("sha256").asText());
        for (String name : MODELS) {
            String sha = ExportFixtures.sha256(Files.readAllBytes(committed.resolve(name)
                    .resolve(HeadExport.MODEL_FILE)));
            assertEquals(sha, python.get("models").get(name).get("sha256").asText(), name);
        }
        for (String name : MODELS) {
            JsonNode provenance = HeadFixtures.json(committed.resolve(name)
                    .resolve(HeadExport.PROVENANCE_FILE));
            assertEquals(python.get("models").get(name).get("sha256").asText(),
                    provenance.get("model_sha256").asText(), name);
        }
        assertTrue(python.get("onnxruntime").asText().matches("\\d+\\.\\d+\\.\\d+.*"),
                python.get("onnxruntime").asText());
    }

    /** The model with every initializer's values cleared (name, type and shape kept). */
    private static ModelProto withoutWeights(ModelProto m) {
        GraphProto.Builder g = m.getGraph().toBuilder().clearInitializer();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            g.addInitializer(TensorProto.newBuilder().setName(t.getName())
                    .setDataType(t.getDataType()).addAllDims(t.getDimsList()));
        }
        return m.toBuilder().setGraph(g).build();
    }
}
