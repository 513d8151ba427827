package org.engagement4j.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.Embedding;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trained head merged into a forward graph: the torch exports of the classifier fixtures
 * (tiny2, 2 classes; tiny400, the Kinetics-sized head) with a head whose logits torch computed on
 * the torch features ({@code tools/fixtures/head_fixtures.py}, export.json).
 */
class HeadExportTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tiny2", "tiny400"})
    void mergedModelGivesTorchsLinearOnTorchsFeatures(String name) throws Exception {
        JsonNode ex = HeadFixtures.json(HeadFixtures.head("export.json"));
        double[] w = HeadFixtures.doubles(ex.get("weight"));
        double[] b = HeadFixtures.doubles(ex.get("bias"));
        LinearHead head = LinearHead.of(w, b);
        ModelProto base = OnnxModels.read(HeadFixtures.classifier(name + ".onnx"));
        ModelProto merged = HeadExport.mergeHead(base, head);
        assertEquals(ModelInspector.opTypes(base).size(), ModelInspector.opTypes(merged).size());
        NpyArray input = HeadFixtures.npy(HeadFixtures.classifier("input.npy"));
        double[] expected = HeadFixtures.doubles(ex.get(name + "_logits"));
        double[] features = HeadFixtures.doubles(ex.get(name + "_features"));
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(OnnxModels.toBytes(merged)).intraOpThreads(1).build()) {
            assertEquals(2, c.signature().classes());
            ClipBatch x = ClipBatch.of(input.toFloatArray(), input.shape());
            float[][] logits = c.logits(x);
            List<Embedding> emb = c.embed(x);
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(expected[i * 2 + k], logits[i][k], 1e-5, name + " logit " + k);
                }
                float[] e = emb.get(i).values();
                for (int j = 0; j < e.length; j++) {
                    assertEquals(features[i * e.length + j], e[j], 1e-5, name + " feature " + j);
                }
                // The Java head on the merged model's own features gives its logits.
                double[] z = head.logits(e);
                assertEquals(z[0], logits[i][0], 1e-5);
                assertEquals(z[1], logits[i][1], 1e-5);
            }
        }
        // The old head's initializers are gone: 400 x 4 + 400 floats would still be there.
        long floats = merged.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().startsWith("fc.")).count();
        assertEquals(2, floats);
        String out = merged.getGraph().getOutput(0).getType().getTensorType().getShape()
                .getDim(1).toString();
        assertTrue(out.contains("2"), out);
    }

    @Test
    void aHeadOfTheWrongWidthIsRefused() throws Exception {
        ModelProto base = OnnxModels.read(HeadFixtures.classifier("tiny2.onnx"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeadExport.mergeHead(base, LinearHead.initialise(5, 2, 1)));
        assertTrue(e.getMessage().contains("4 features") && e.getMessage().contains("reads 5"),
                e.getMessage());
        // Its logits come out of a Reshape, not of a linear layer.
        e = assertThrows(IllegalArgumentException.class, () -> HeadExport.mergeHead(
                OnnxModels.read(HeadFixtures.classifier("bad_output_rank3.onnx")),
                LinearHead.initialise(3, 2, 1)));
        assertTrue(e.getMessage().contains("Reshape"), e.getMessage());
    }

    @Test
    void writtenFolderLoadsAndRecordsWhereItCameFrom() throws Exception {
        ModelProto base = OnnxModels.parse(TrainingFixtures.narrowModel(3), "narrow");
        LinearHead head = LinearHead.initialise(16, 2, 42);
        ModelProto merged = HeadExport.mergeHead(base, head);
        Normalization norm = TrainingFixtures.NORM;
        TrainingProvenance p = new TrainingProvenance(Task.DRUM, Variable.SOCIAL_ENGAGEMENT, 7,
                List.of(List.of("a", "b"), List.of("c"), List.of("d")), List.of(0), 1, 2,
                HeadTrainer.withDefaults().withEpochs(5), 3, 10, "train-t", "eval-t",
                OnnxModels.sha256(base), Map.of("z.e4jemb", "00", "a.eaf", "11"), 4, 5,
                HeadTrainingResult.StopReason.COMPLETED, "test", "2024-01-01T00:00:00Z");
        String sha = HeadExport.write(tmp.resolve("out"), merged, norm, p);
        Path model = tmp.resolve("out").resolve(HeadExport.MODEL_FILE);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(model))), sha);
        if (Files.getFileAttributeView(model, PosixFileAttributeView.class) != null) {
            // A serving process under another account must be able to read the export whenever
            // the umask lets it read any new file (Files.createTempFile would make it 0600).
            Path normal = Files.createFile(tmp.resolve("out").resolve("normal"));
            for (Path f : List.of(model, tmp.resolve("out").resolve(HeadExport.NORMALIZATION_FILE),
                    tmp.resolve("out").resolve(HeadExport.PROVENANCE_FILE))) {
                assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(normal)),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                        f.toString());
            }
            Files.delete(normal);
        }
        assertEquals(norm, Normalization.read(tmp.resolve("out")
                .resolve(HeadExport.NORMALIZATION_FILE)));
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("out")
                .resolve(HeadExport.PROVENANCE_FILE).toFile());
        assertEquals(sha, j.get("model_sha256").asText());
        assertEquals(7, j.get("seed").asLong());
        assertEquals("drum", j.get("task").asText());
        assertEquals(1, j.get("validation_fold").asInt());
        assertEquals(5, j.get("head").get("epochs").asInt());
        assertEquals(List.of("a.eaf", "z.e4jemb"),
                List.copyOf(iterable(j.get("data_sha256").fieldNames())));
        assertEquals(120.0, j.get("normalization").get("mean").get(0).asDouble());
        float[] x = new float[3 * 15 * 20 * 20];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.1);
        }
        try (EngagementClassifier c = EngagementClassifier.builder().model(model)
                .intraOpThreads(1).build()) {
            ClipBatch batch = ClipBatch.of(x, 1, 3, 15, 20, 20);
            float[] logits = c.logits(batch)[0];
            double[] z = head.logits(c.embed(batch).get(0).values());
            assertEquals(z[0], logits[0], 1e-5);
            assertEquals(z[1], logits[1], 1e-5);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
