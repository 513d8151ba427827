package org.engagement4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.transform.ClipTensor;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngagementClassifier} against torch's outputs on the fixture models, and every way a
 * model, a batch or a lifetime can be wrong.
 */
class EngagementClassifierTest {

    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + "[" + i + "]");
        }
    }

    private static float[] flat(float[][] rows) {
        int k = rows[0].length;
        float[] out = new float[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * k, k);
        }
        return out;
    }

    @Test
    void logitsAndEmbeddingsMatchTorch() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx")) {
            float[][] logits = c.logits(x);
            assertClose(ClassifierFixtures.npy("tiny2_logits.npy").toFloatArray(), flat(logits),
                    "logits");
            List<Embedding> emb = c.embed(x);
            float[][] rows = new float[][] {emb.get(0).values(), emb.get(1).values()};
            assertClose(ClassifierFixtures.npy("tiny2_embedding.npy").toFloatArray(), flat(rows),
                    "embedding");
            List<EngagementScore> scores = c.predict(x);
            for (int i = 0; i < 2; i++) {
                EngagementScore s = scores.get(i);
                assertArrayEquals(logits[i], s.logits());
                double[] p = ScoreDecoder.softmax(logits[i]);
                assertArrayEquals(p, s.probabilities(), 0);
                assertEquals(p[1], s.probability(), 0);
                assertEquals(logits[i][1] > logits[i][0], s.engaged());
                assertEquals(c.provenance(), s.provenance());
            }
            double[][] probs = c.probabilities(x);
            assertArrayEquals(scores.get(1).probabilities(), probs[1], 0);
            // a single snippet gives the same numbers as its row of the batch
            EngagementScore one = c.predict(x.clip(1));
            assertClose(logits[1], one.logits(), "single snippet");
            assertClose(rows[1], c.embed(x.clip(1)).values(), "single embedding");
        }
    }

    @Test
    void signatureOfATorchExport() throws Exception {
        try (EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx")) {
            ModelSignature s = c.signature();
            assertEquals("clip", s.inputName());
            assertArrayEquals(new long[] {-1, 3, -1, 32, 32}, s.inputShape());
            assertEquals("[batch, 3, time, 32, 32]", s.inputShapeText());
            assertEquals("logits", s.logitsName());
            assertEquals(2, s.classes());
            assertEquals(Optional.of("/Flatten_output_0"), s.embeddingName());
            assertEquals(4, s.embeddingSize());
            assertEquals(13, s.opset());
        }
    }

    @Test
    void timeAxisIsDynamic() throws Exception {
        ClipTensor eight = ClassifierFixtures.input().clip(0).frames(3, 8);
        try (EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx")) {
            EngagementScore s = c.predict(eight);
            assertEquals(2, s.classes());
            assertEquals(4, c.embed(eight).size());
        }
    }

    @Test
    void kineticsHeadWith400Classes() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = ClassifierFixtures.load("tiny400.onnx")) {
            assertEquals(400, c.signature().classes());
            assertEquals(17, c.signature().opset());
            assertEquals("input", c.signature().inputName());
            assertEquals("output", c.signature().logitsName());
            float[][] logits = c.logits(x);
            assertClose(ClassifierFixtures.npy("tiny400_logits.npy").toFloatArray(), flat(logits),
                    "logits");
            EngagementScore s = c.predict(x.clip(0));
            assertEquals(400, s.probabilities().length);
            assertEquals(1.0, Arrays.stream(s.probabilities()).sum(), 1e-12);
            int best = 0;
            for (int k = 1; k < 400; k++) {
                if (logits[0][k] > logits[0][best]) {
                    best = k;
                }
            }
            assertEquals(best, s.predictedClass());
        }
    }

    @Test
    void targetClassOfTheDecoderIsConfigurable() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny400.onnx"))
                .decoder(ScoreDecoder.of().withTargetClass(399)).build()) {
            EngagementScore s = c.predict(x.clip(0));
            assertEquals(399, s.targetClass());
            assertEquals(s.probabilities()[399], s.probability(), 0);
        }
        ModelException e = assertThrows(ModelException.class, () -> EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny2.onnx"))
                .decoder(ScoreDecoder.of().withTargetClass(2)).build());
        assertEquals(ModelException.Reason.UNSUPPORTED_MODEL, e.reason());
        assertTrue(e.getMessage().contains("target class 2"), e.getMessage());
    }

    @Test
    void staticModelChecksEveryFixedDimension() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = ClassifierFixtures.load("tiny_static.onnx")) {
            assertArrayEquals(new long[] {1, 3, 15, 32, 32}, c.signature().inputShape());
            assertClose(ClassifierFixtures.npy("tiny_static_logits.npy").toFloatArray(),
                    c.predict(x.clip(0)).logits(), "static logits");
            IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                    () -> c.predict(x));
            assertTrue(batch.getMessage().contains("dimension N is 2, expected 1"),
                    batch.getMessage());
            IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
                    () -> c.predict(x.clip(0).frames(0, 14)));
            assertTrue(time.getMessage().contains("dimension T is 14, expected 15"),
                    time.getMessage());
        }
    }

    @Test
    void wrongBatchShapesNameTheDimension() throws Exception {
        try (EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx")) {
            ClipTensor small = ClipTensor.of(new float[3 * 15 * 16 * 16], 3, 15, 16, 16);
            IllegalArgumentException h = assertThrows(IllegalArgumentException.class,
                    () -> c.predict(small));
            assertEquals("batch ClipBatch[1, 3, 15, 16, 16] does not fit input clip"
                    + " [batch, 3, time, 32, 32] of model " + ClassifierFixtures.file("tiny2.onnx")
                    + ": dimension H is 16, expected 32", h.getMessage());
            ClipTensor grey = ClipTensor.of(new float[15 * 32 * 32], 1, 15, 32, 32);
            IllegalArgumentException ch = assertThrows(IllegalArgumentException.class,
                    () -> c.predict(grey));
            assertTrue(ch.getMessage().endsWith("dimension C is 1, expected 3"), ch.getMessage());
        }
    }

    private static ModelException refused(String file) {
        return assertThrows(ModelException.class,
                () -> EngagementClassifier.builder().model(ClassifierFixtures.file(file)).build());
    }

    @Test
    void modelsThatAreNotVideoClassifiersAreRefused() {
        String[][] cases = {
            {"bad_rank4.onnx", "input x is FLOAT [-1, 3, 32, 32]; expected float [N, 3, T, H, W]"},
            {"bad_int_input.onnx", "input raw is INT32 [-1, 3, -1, 32, 32]; expected float"},
            {"bad_two_inputs.onnx", "2 inputs [a, b]; expected exactly one"},
            {"bad_output_rank3.onnx", "output out is FLOAT [-1, 2, 1]; expected float [N, classes]"},
            {"bad_channels.onnx", "input x is FLOAT [-1, 1, -1, 32, 32]; expected float"},
        };
        for (String[] c : cases) {
            ModelException e = refused(c[0]);
            assertEquals(ModelException.Reason.UNSUPPORTED_MODEL, e.reason(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("model " + ClassifierFixtures.file(c[0])),
                    e.getMessage());
        }
    }

    @Test
    void unknownNamesListWhatWasExpected() {
        ModelException in = assertThrows(ModelException.class, () -> EngagementClassifier
                .builder().model(ClassifierFixtures.file("tiny2.onnx")).inputName("video")
                .build());
        assertEquals(ModelException.Reason.UNSUPPORTED_MODEL, in.reason());
        assertTrue(in.getMessage().endsWith("unknown input name video, expected one of [clip]"),
                in.getMessage());
        ModelException out = assertThrows(ModelException.class, () -> EngagementClassifier
                .builder().model(ClassifierFixtures.file("tiny2.onnx")).logitsName("scores")
                .build());
        assertTrue(out.getMessage().endsWith("unknown output name scores, expected one of"
                + " [logits]"), out.getMessage());
    }

    @Test
    void explicitNamesThatExistAreAccepted() throws Exception {
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny2.onnx")).inputName("clip")
                .logitsName("logits").build()) {
            assertEquals("logits", c.signature().logitsName());
        }
    }

    @Test
    void corruptAndMissingFilesAreRefused() throws IOException {
        byte[] good = Files.readAllBytes(ClassifierFixtures.file("tiny2.onnx"));
        byte[][] corrupt = {
            new byte[0],
            Arrays.copyOf(good, good.length / 2),
            "this is not a model\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        };
        for (byte[] bytes : corrupt) {
            ModelException e = assertThrows(ModelException.class,
                    () -> EngagementClassifier.builder().model(bytes).build());
            assertEquals(ModelException.Reason.CORRUPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().startsWith("model (" + bytes.length + " bytes): "),
                    e.getMessage());
        }
        Path missing = tmp.resolve("missing.onnx");
        ModelException m = assertThrows(ModelException.class,
                () -> EngagementClassifier.builder().model(missing).build());
        assertEquals(ModelException.Reason.UNREADABLE, m.reason());
        assertTrue(m.getMessage().startsWith("model " + missing + ": cannot be read"),
                m.getMessage());
        ModelException dir = assertThrows(ModelException.class,
                () -> EngagementClassifier.builder().model(tmp).build());
        assertEquals(ModelException.Reason.UNREADABLE, dir.reason());
        assertThrows(IllegalStateException.class, () -> EngagementClassifier.builder().build());
    }

    @Test
    void closedClassifierRefusesEveryCall() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx");
        assertFalse(c.isClosed());
        c.close();
        c.close();
        assertTrue(c.isClosed());
        List<Executable> calls = List.of(() -> c.predict(x), () -> c.predict(x.clip(0)),
                () -> c.logits(x), () -> c.probabilities(x), () -> c.embed(x),
                () -> c.embed(x.clip(0)), c::signature, c::provenance, c::decoder);
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertEquals("EngagementClassifier is closed", e.getMessage());
        }
        assertTrue(c.toString().endsWith(", closed]"), c.toString());
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx")) {
            float[][] expected = c.logits(x);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[][]>> futures = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    futures.add(pool.submit(() -> c.logits(x)));
                }
                for (Future<float[][]> f : futures) {
                    float[][] got = f.get(60, TimeUnit.SECONDS);
                    for (int i = 0; i < expected.length; i++) {
                        assertArrayEquals(expected[i], got[i]);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void provenanceNamesModelAndSoftware() throws Exception {
        byte[] bytes = Files.readAllBytes(ClassifierFixtures.file("tiny2.onnx"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        try (EngagementClassifier c = ClassifierFixtures.load("tiny2.onnx")) {
            Provenance p = c.provenance();
            assertEquals(sha, p.modelSha256());
            assertEquals(13, p.opset());
            assertEquals(Provider.CPU, p.provider());
            assertEquals(Engagement4j.VERSION, p.libraryVersion());
            assertEquals("1.22.0", p.onnxRuntimeVersion());
            assertEquals(Runtime.version().toString(), p.javaVersion());
            assertEquals(p, c.embed(ClassifierFixtures.input()).get(0).provenance());
        }
        // the same bytes given directly hash the same
        try (EngagementClassifier c = EngagementClassifier.builder().model(bytes).build()) {
            assertEquals(sha, c.provenance().modelSha256());
        }
    }

    private static boolean cudaBuild() {
        return ai.onnxruntime.OrtEnvironment.getAvailableProviders()
                .contains(ai.onnxruntime.OrtProvider.CUDA);
    }

    @Test
    void cudaWithoutTheGpuBuildFailsClearly() {
        Assumptions.assumeFalse(cudaBuild(), "this ONNX Runtime build has CUDA");
        ModelException e = assertThrows(ModelException.class, () -> EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny2.onnx")).provider(Provider.CUDA).build());
        assertEquals(ModelException.Reason.PROVIDER_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("provider CUDA requested but this ONNX Runtime build"
                + " has no CUDA execution provider"), e.getMessage());
        assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
        assertTrue(e.getMessage().contains("allowCpuFallback(true)"), e.getMessage());
    }

    @Test
    void cudaFallsBackToTheCpuWhenAllowed() throws Exception {
        Assumptions.assumeFalse(cudaBuild(), "this ONNX Runtime build has CUDA");
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny2.onnx")).provider(Provider.CUDA)
                .allowCpuFallback(true).intraOpThreads(1).build()) {
            assertEquals(Provider.CPU, c.provenance().provider());
            assertClose(ClassifierFixtures.npy("tiny2_logits.npy").toFloatArray(),
                    flat(c.logits(x)), "logits after fallback");
        }
    }

    /** Runs only with the cuda Maven profile on a machine with a GPU. */
    @Test
    void cudaRunsWhereTheGpuBuildIs() throws Exception {
        Assumptions.assumeTrue(cudaBuild(), "needs the onnxruntime_gpu build (-Pcuda)");
        ClipBatch x = ClassifierFixtures.input();
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny2.onnx")).provider(Provider.CUDA)
                .allowCpuFallback(false).build()) {
            assertEquals(Provider.CUDA, c.provenance().provider());
            assertClose(ClassifierFixtures.npy("tiny2_logits.npy").toFloatArray(),
                    flat(c.logits(x)), "logits on CUDA");
        } catch (ModelException e) {
            // a CUDA build without a usable GPU or driver: the failure must say so
            assertEquals(ModelException.Reason.PROVIDER_UNAVAILABLE, e.reason(), e.getMessage());
        }
    }

    @Test
    void embeddingCanBeLeftOut() throws Exception {
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(ClassifierFixtures.file("tiny2.onnx")).exposeEmbedding(false).build()) {
            assertEquals(Optional.empty(), c.signature().embeddingName());
            assertEquals(0, c.signature().embeddingSize());
            ModelException e = assertThrows(ModelException.class,
                    () -> c.embed(ClassifierFixtures.input()));
            assertEquals(ModelException.Reason.UNSUPPORTED_MODEL, e.reason());
        }
    }

    @Test
    void handBuiltModelWithoutTorchNamesWorksToo() throws Exception {
        // mean_model: logit 1 = sum of channel means; its pooled tensor is [N, 3]
        float[] data = new float[3 * 2 * 4 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i / 32 + 1) * 0.25f; // channel c holds (c + 1) / 4
        }
        ClipTensor clip = ClipTensor.of(data, 3, 2, 4, 4);
        try (EngagementClassifier c = ClassifierFixtures.load("mean_model.onnx")) {
            assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f}, c.embed(clip).values(), 1e-6f);
            EngagementScore s = c.predict(clip);
            assertArrayEquals(new float[] {0f, 1.5f}, s.logits(), 1e-6f);
            assertEquals(1 / (1 + Math.exp(-1.5)), s.probability(), 1e-6);
            assertTrue(s.engaged());
        }
    }

    @Test
    void builderChecksItsArguments() {
        EngagementClassifier.Builder b = EngagementClassifier.builder();
        assertThrows(IllegalArgumentException.class, () -> b.intraOpThreads(0));
        assertThrows(IllegalArgumentException.class, () -> b.interOpThreads(-1));
        assertThrows(IllegalArgumentException.class, () -> b.cudaDevice(-1));
        assertThrows(NullPointerException.class, () -> b.provider(null));
        assertSame(b, b.sessionConfig("session.intra_op.allow_spinning", "0"));
    }

    @Test
    void sessionOptionsDoNotChangeTheResult() throws Exception {
        ClipBatch x = ClassifierFixtures.input();
        NpyArray expected = ClassifierFixtures.npy("tiny2_logits.npy");
        for (EngagementClassifier.Optimization level : EngagementClassifier.Optimization.values()) {
            try (EngagementClassifier c = EngagementClassifier.builder()
                    .model(ClassifierFixtures.file("tiny2.onnx")).intraOpThreads(2)
                    .interOpThreads(1).optimization(level).memoryPattern(false).cpuArena(false)
                    .sessionConfig("session.intra_op.allow_spinning", "0").build()) {
                assertClose(expected.toFloatArray(), flat(c.logits(x)), level.name());
            }
        }
    }
}
