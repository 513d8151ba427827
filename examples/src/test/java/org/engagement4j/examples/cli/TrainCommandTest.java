package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.model.ClipBatch;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.training.HeadExport;
import org.engagement4j.core.training.LinearHead;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement train head} and {@code engagement evaluate}, in process, on synthetic ELAN
 * files, synthetic clips and a narrow mc3_18 built in Java (embedding width 16).
 */
class TrainCommandTest {

    @TempDir
    Path tmp;

    private Path eaf;
    private Path clips;
    private Path model;

    static ModelFiles.Outcome run(Object command, String... args) {
        return ModelFiles.run(command, args);
    }

    /** Ten 2-minute sessions: s00 coded by a, b and c, the others by a and b; 24 x 32 clips. */
    @BeforeEach
    void data() throws IOException {
        eaf = tmp.resolve("eaf");
        clips = tmp.resolve("clips");
        SyntheticCoding gen = SyntheticCoding.withDefaults().withSessionLengthMs(120_000);
        for (int i = 0; i < 10; i++) {
            String id = String.format("s%02d", i);
            gen.withCoderNames(i == 0 ? List.of("a", "b", "c") : List.of("a", "b"))
                    .generate(id, i).writeTo(eaf);
            clip(clips.resolve(id), 380, 24, 32, i);
        }
        model = ModelFiles.narrowModel(tmp, "base.onnx", 2);
    }

    /** A clip directory ({@code frames.npy} + {@code clip.json}) of seeded noise frames. */
    static void clip(Path dir, int frames, int height, int width, long seed) throws IOException {
        Files.createDirectories(dir);
        byte[] rgb = new byte[frames * height * width * 3];
        new SplittableRandom(seed).nextBytes(rgb);
        ModelFiles.writeClip(dir, rgb, frames, height, width);
    }

    private List<String> trainArgs(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("head", "--eaf", eaf.toString(), "--clips",
                clips.toString(), "--model", model.toString(), "--task", "dolls", "--variable",
                "social_engagement", "--out", out.toString(), "--seed", "3", "--fold-tries",
                "300", "--passes", "2", "--snippets-per-session", "3", "--epochs", "30",
                "--threads", "1", "--batch-size", "8"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void trainsExportsAndEvaluatesReproducibly() throws Exception {
        Path out = tmp.resolve("run");
        ModelFiles.Outcome o = run(new TrainCommand(), trainArgs(out).toArray(String[]::new));
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("checkpoint: epoch"), o.out());
        assertTrue(o.err().contains("bake fold 0 (train) ["), "progress bars on stderr");
        for (String f : List.of(HeadExport.MODEL_FILE, HeadExport.NORMALIZATION_FILE,
                HeadExport.PROVENANCE_FILE, "head.json", "history.csv", "folds.json",
                "table2_performance.csv", "bake/dolls_fold0_train.e4jemb",
                "bake/dolls_fold3_eval.e4jemb", "bake/dolls_fold4_eval.e4jemb")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode prov = new ObjectMapper().readTree(out.resolve(HeadExport.PROVENANCE_FILE)
                .toFile());
        assertEquals(3, prov.get("seed").asLong());
        assertEquals("dolls", prov.get("task").asText());
        assertEquals("social_engagement", prov.get("variable").asText());
        assertEquals(3, prov.get("validation_fold").asInt());
        assertEquals(4, prov.get("test_fold").asInt());
        assertEquals(0.0011629532351435, prov.get("head").get("weight_decay").asDouble());
        assertEquals(30, prov.get("head").get("epochs").asInt());
        assertTrue(prov.get("data_sha256").has("bake/dolls_fold0_train.e4jemb"));
        assertTrue(prov.get("data_sha256").has("eaf/s00_a_" + "20220301.eaf")
                || prov.get("data_sha256").size() > 20, prov.get("data_sha256").toString());
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(32, history.size(), "header + epochs 0..30");

        // The exported model is the base encoder with head.json merged in.
        LinearHead head = LinearHead.fromJson(Files.readString(out.resolve("head.json")),
                "head.json");
        float[] x = ModelFiles.lcg(4, 3 * 15 * 20 * 20);
        ClipBatch batch = ClipBatch.of(x, 1, 3, 15, 20, 20);
        try (EngagementClassifier c = EngagementClassifier.builder()
                .model(out.resolve(HeadExport.MODEL_FILE)).intraOpThreads(1).build()) {
            float[] logits = c.logits(batch)[0];
            double[] z = head.logits(c.embed(batch).get(0).values());
            assertEquals(z[0], logits[0], 1e-5);
            assertEquals(z[1], logits[1], 1e-5);
        }

        // Same seed again, into another folder but with the same bake files: identical model.
        Path again = tmp.resolve("again");
        ModelFiles.Outcome o2 = run(new TrainCommand(), trainArgs(again, "--bake-dir",
                out.resolve("bake").toString(), "--no-progress").toArray(String[]::new));
        assertEquals(0, o2.status(), o2.err());
        assertEquals("", o2.err().replaceAll("(?m)^\\[main\\] INFO .*$\\n?", ""));
        assertArrayEquals(Files.readAllBytes(out.resolve(HeadExport.MODEL_FILE)),
                Files.readAllBytes(again.resolve(HeadExport.MODEL_FILE)));

        Path eval = tmp.resolve("eval");
        ModelFiles.Outcome e = run(new EvaluateCommand(), "--trained", out.toString(), "--eaf",
                eaf.toString(), "--clips", clips.toString(), "--out", eval.toString(),
                "--passes", "1", "--threads", "1", "--no-progress", "--figures",
                eval.resolve("figures").toString());
        assertEquals(0, e.status(), e.err());
        for (String png : List.of(EvaluationFigures.TABLE2, EvaluationFigures.TABLE3,
                EvaluationFigures.FIGURE3)) {
            assertTrue(javax.imageio.ImageIO.read(eval.resolve("figures").resolve(png).toFile())
                    .getWidth() > 0, png);
        }
        assertTrue(e.out().contains("Table 2") && e.out().contains("Table 3"), e.out());
        List<String> t3 = Files.readAllLines(eval.resolve("table3_kappa.csv"));
        assertEquals(2, t3.size());
        assertTrue(t3.get(1).startsWith("dolls,social_engagement,"), t3.get(1));
        JsonNode report = new ObjectMapper().readTree(eval.resolve("evaluation.json").toFile());
        assertTrue(report.get("performance").get(0).get("test").has("tp"));
        assertTrue(report.get("agreement").get(0).get("pairs").size() >= 3);
        List<String> f3 = Files.readAllLines(eval.resolve("figure3_pairs.csv"));
        assertTrue(f3.stream().anyMatch(l -> l.contains(",a,machine,")), f3.toString());
    }

    @Test
    void aNonFiniteLossStopsWithTheCheckpointWritten() throws Exception {
        Path out = tmp.resolve("nan");
        ModelFiles.Outcome o = run(new TrainCommand(), trainArgs(out, "--lr", "1e300", "--no-progress")
                .toArray(String[]::new));
        assertEquals(TrainCommand.STOPPED_EARLY, o.status(), o.err());
        assertTrue(o.err().contains("warning: training stopped after epoch"), o.err());
        assertTrue(Files.isRegularFile(out.resolve(HeadExport.MODEL_FILE)));
        JsonNode prov = new ObjectMapper().readTree(out.resolve(HeadExport.PROVENANCE_FILE)
                .toFile());
        assertEquals("NON_FINITE", prov.get("stop_reason").asText());
    }

    @Test
    void badInputIsAClearError() throws Exception {
        // A variable nobody ever marked: the coders miss every engaged episode.
        Path flat = tmp.resolve("flat");
        SyntheticCoding never = SyntheticCoding.withDefaults().withSessionLengthMs(120_000)
                .withMissProbability(1).withExtraProbability(0);
        for (int i = 0; i < 10; i++) {
            never.withCoderNames(List.of("a", "b")).generate(String.format("s%02d", i), i)
                    .writeTo(flat);
        }
        List<String> args = trainArgs(tmp.resolve("x"));
        args.set(args.indexOf(eaf.toString()), flat.toString());
        ModelFiles.Outcome oneClass = run(new TrainCommand(), args.toArray(String[]::new));
        assertEquals(2, oneClass.status(), oneClass.err());
        assertTrue(oneClass.err().contains("not engaged throughout")
                && oneClass.err().contains("both classes"), oneClass.err());
        assertFalse(oneClass.err().contains("\tat "), oneClass.err());

        Path few = tmp.resolve("few");
        for (int i = 0; i < 3; i++) {
            SyntheticCoding.withDefaults().withSessionLengthMs(120_000)
                    .withCoderNames(List.of("a", "b")).generate("t" + i, i).writeTo(few);
        }
        args = trainArgs(tmp.resolve("y"));
        args.set(args.indexOf(eaf.toString()), few.toString());
        ModelFiles.Outcome tooFew = run(new TrainCommand(), args.toArray(String[]::new));
        assertEquals(2, tooFew.status(), tooFew.err());
        assertTrue(tooFew.err().contains("cannot split 3 session(s) into 5 folds"),
                tooFew.err());

        ModelFiles.Outcome badFold = run(new TrainCommand(), trainArgs(tmp.resolve("z"),
                "--validation-fold", "4").toArray(String[]::new));
        assertEquals(2, badFold.status(), badFold.err());
        assertTrue(badFold.err().contains("--validation-fold 4"), badFold.err());

        ModelFiles.Outcome noTrained = run(new EvaluateCommand(), "--trained", tmp.toString(), "--eaf",
                eaf.toString(), "--clips", clips.toString(), "--out", tmp.resolve("e")
                        .toString());
        assertEquals(2, noTrained.status(), noTrained.err());
        assertTrue(noTrained.err().contains("provenance.json"), noTrained.err());
    }
}
