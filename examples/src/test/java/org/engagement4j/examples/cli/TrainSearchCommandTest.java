package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.training.HeadExport;
import org.engagement4j.core.training.SearchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement train search} on bake files written by {@code engagement train head}
 * (synthetic sessions and clips, the narrow mc3_18 of {@link ModelFiles}).
 */
class TrainSearchCommandTest {

    @TempDir
    Path tmp;

    @Test
    void searchesOnTheBakeFilesOfTrainHead() throws Exception {
        Path eaf = tmp.resolve("eaf");
        Path clips = tmp.resolve("clips");
        SyntheticCoding gen = SyntheticCoding.withDefaults().withSessionLengthMs(120_000);
        for (int i = 0; i < 10; i++) {
            String id = String.format("s%02d", i);
            gen.withCoderNames(List.of("a", "b")).generate(id, i).writeTo(eaf);
            TrainCommandTest.clip(clips.resolve(id), 380, 24, 32, i);
        }
        Path model = ModelFiles.narrowModel(tmp, "base.onnx", 2);
        Path bake = tmp.resolve("bake");
        // Each validation fold is baked with the test transform, the others with the training
        // augmentation; four runs leave both kinds of folds 0..3 in one bake folder.
        // The bake files must share one normalisation: the first run's.
        Path norm = tmp.resolve("head3").resolve(HeadExport.NORMALIZATION_FILE);
        for (int v = 3; v >= 0; v--) {
            List<String> args = new ArrayList<>(List.of("head",
                    "--eaf", eaf.toString(), "--clips", clips.toString(), "--model",
                    model.toString(), "--task", "dolls", "--variable", "social_engagement",
                    "--out", tmp.resolve("head" + v).toString(), "--seed", "3",
                    "--fold-tries", "300", "--passes", "2", "--snippets-per-session", "3",
                    "--epochs", "1", "--threads", "1", "--batch-size", "8", "--bake-dir",
                    bake.toString(), "--validation-fold", Integer.toString(v), "--no-progress"));
            if (v < 3) {
                args.addAll(List.of("--normalization", norm.toString()));
            }
            ModelFiles.Outcome h = TrainCommandTest.run(new TrainCommand(),
                    args.toArray(String[]::new));
            assertEquals(0, h.status(), h.err());
            if (v == 1) {
                // Before fold 0's runs: fold 0 is baked only with the training augmentation.
                ModelFiles.Outcome missing = TrainCommandTest.run(new TrainCommand(),
                        search(bake, tmp.resolve("missing"), "1"));
                assertNotEquals(0, missing.status());
                assertTrue(missing.err().contains("dolls_fold0_eval.e4jemb is missing"),
                        missing.err());
            }
        }
        ModelFiles.Outcome one = TrainCommandTest.run(new TrainCommand(),
                search(bake, tmp.resolve("s1"), "1"));
        assertEquals(0, one.status(), one.err());
        assertTrue(one.out().contains("best: trial"), one.out());
        assertTrue(one.out().contains("train head options: --lr "), one.out());
        SearchResult r = SearchResult.readCsv(tmp.resolve("s1").resolve("search.csv"));
        assertEquals(4, r.trials().size());
        assertEquals(2, r.repetitions());
        assertEquals(4, r.folds());
        assertTrue(one.out().contains("best: trial " + r.best().trial() + ","), one.out());

        ModelFiles.Outcome three = TrainCommandTest.run(new TrainCommand(),
                search(bake, tmp.resolve("s3"), "3"));
        assertEquals(0, three.status(), three.err());
        assertEquals(Files.readString(tmp.resolve("s1").resolve("search.csv")),
                Files.readString(tmp.resolve("s3").resolve("search.csv")));
    }

    private static String[] search(Path bake, Path out, String threads) {
        List<String> a = new ArrayList<>(List.of("search", "--bake-dir", bake.toString(),
                "--task", "dolls", "--variable", "social_engagement", "--out", out.toString(),
                "--trials", "4", "--epochs", "5", "--repetitions", "2", "--smoothing", "2",
                "--warmup", "1", "--seed", "5", "--search-threads", threads, "--no-progress"));
        return a.toArray(String[]::new);
    }
}
