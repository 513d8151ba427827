package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.EngagementScore;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement predict}, in process, on a narrow mc3_18 built in Java. */
class PredictCommandTest {

    @TempDir
    Path tmp;

    private Path model;
    private Path input;
    private float[] data;

    @BeforeEach
    void files() throws Exception {
        model = ModelFiles.narrowModel(tmp, "m.onnx", 2);
        data = ModelFiles.lcg(9, 3 * 3 * 4 * 16 * 16);
        input = ModelFiles.npy(tmp, "x.npy", NpyArray.ofFloats(data, 3, 3, 4, 16, 16));
    }

    @Test
    void jsonRowsMatchTheLibrary() throws Exception {
        ModelFiles.Outcome o = ModelFiles.run(new PredictCommand(), "--model", model.toString(),
                "--input", input.toString(), "--json", "--batch-size", "2", "--threads", "1");
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals(3, root.get("rows").size());
        List<EngagementScore> expected;
        try (EngagementClassifier c = EngagementClassifier.builder().model(model)
                .intraOpThreads(1).build()) {
            expected = c.predict(ClipBatch.of(data, 3, 3, 4, 16, 16));
            assertEquals(c.provenance().modelSha256(),
                    root.get("provenance").get("model_sha256").asText());
        }
        for (int i = 0; i < 3; i++) {
            JsonNode r = root.get("rows").get(i);
            assertEquals(i, r.get("row").asInt());
            assertEquals(expected.get(i).predictedClass(), r.get("predicted_class").asInt());
            for (int k = 0; k < 2; k++) {
                assertEquals(expected.get(i).logits()[k], r.get("logits").get(k).floatValue(),
                        1e-6);
                assertEquals(expected.get(i).probabilities()[k],
                        r.get("probabilities").get(k).asDouble(), 1e-12);
            }
        }
        assertEquals("CPU", root.get("provenance").get("provider").asText());
    }

    @Test
    void textOutputHasOneLinePerRow() {
        ModelFiles.Outcome o = ModelFiles.run(new PredictCommand(), "--model", model.toString(),
                "--input", input.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("sha256 "), o.out());
        for (int i = 0; i < 3; i++) {
            assertTrue(o.out().contains("row " + i + "  class "), o.out());
        }
        assertTrue(o.out().contains("probabilities ["), o.out());
    }

    @Test
    void badInputsExitTwo() throws Exception {
        Path f64 = ModelFiles.npy(tmp, "d.npy", NpyArray.ofDoubles(new double[3 * 4 * 16 * 16],
                1, 3, 4, 16, 16));
        ModelFiles.Outcome dtype = ModelFiles.run(new PredictCommand(), "--model",
                model.toString(), "--input", f64.toString());
        assertEquals(2, dtype.status());
        assertTrue(dtype.err().contains("dtype <f8, expected float32"), dtype.err());

        Path rank4 = ModelFiles.npy(tmp, "r4.npy", NpyArray.ofFloats(new float[3 * 4 * 16 * 16],
                3, 4, 16, 16));
        ModelFiles.Outcome rank = ModelFiles.run(new PredictCommand(), "--model",
                model.toString(), "--input", rank4.toString());
        assertEquals(2, rank.status());
        assertTrue(rank.err().contains("has rank 4, expected rank 5 [N, 3, T, H, W]"),
                rank.err());

        Path grey = ModelFiles.npy(tmp, "g.npy", NpyArray.ofFloats(new float[4 * 16 * 16],
                1, 1, 4, 16, 16));
        ModelFiles.Outcome channels = ModelFiles.run(new PredictCommand(), "--model",
                model.toString(), "--input", grey.toString());
        assertEquals(2, channels.status());
        assertTrue(channels.err().contains("dimension C is 1, expected 3"), channels.err());

        Path corrupt = tmp.resolve("corrupt.onnx");
        Files.write(corrupt, "not a model".getBytes(StandardCharsets.US_ASCII));
        ModelFiles.Outcome bad = ModelFiles.run(new PredictCommand(), "--model",
                corrupt.toString(), "--input", input.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("error: model " + corrupt), bad.err());
        assertTrue(bad.err().contains("[CORRUPT]"), bad.err());

        ModelFiles.Outcome missing = ModelFiles.run(new PredictCommand(), "--model",
                model.toString(), "--input", tmp.resolve("nope.npy").toString());
        assertEquals(2, missing.status());

        ModelFiles.Outcome cuda = ModelFiles.run(new PredictCommand(), "--model",
                model.toString(), "--input", input.toString(), "--provider", "cuda");
        assertEquals(2, cuda.status());
        assertTrue(cuda.err().contains("[PROVIDER_UNAVAILABLE]"), cuda.err());
        ModelFiles.Outcome fallback = ModelFiles.run(new PredictCommand(), "--model",
                model.toString(), "--input", input.toString(), "--provider", "cuda",
                "--allow-cpu-fallback", "--json");
        assertEquals(0, fallback.status(), fallback.err());
        assertTrue(fallback.out().contains("\"provider\" : \"CPU\""), fallback.out());
    }
}
