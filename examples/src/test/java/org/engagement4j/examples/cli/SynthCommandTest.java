package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.examples.demo.GeneratedBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement synth} on a tiny benchmark. */
class SynthCommandTest {

    @TempDir
    Path dir;

    private static ModelFiles.Outcome run(String... args) {
        return ModelFiles.run(new EngagementCli(), args);
    }

    @Test
    void writesABenchmarkWithAProgressBarAndRefusesANonEmptyFolder() throws IOException {
        Path out = dir.resolve("bench");
        ModelFiles.Outcome o = run("synth", "--out", out.toString(), "--sessions", "1", "--minutes", "1",
                "--coders", "2", "--seed", "5", "--fps", "6.25", "--size", "208x160");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.err().contains("100%"), "progress bar: " + o.err());
        assertTrue(o.out().contains("1 sessions (syn01)"), o.out());
        assertTrue(o.out().contains("188 frames of 208x160"), o.out());
        for (String f : new String[] {"benchmark.json", "videos/syn01.mp4", "truth/syn01.json",
            "evidence/syn01_task.npy", "evidence/syn01_social.npy"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        GeneratedBenchmark b = GeneratedBenchmark.read(out);
        assertEquals(2, b.sessions().get(0).elanFiles().size());
        assertEquals(5, b.seed());

        ModelFiles.Outcome again = run("synth", "--out", out.toString(), "--sessions", "1", "--minutes",
                "1", "--fps", "6.25", "--size", "208x160", "--no-progress");
        assertEquals(ErrorHandler.BAD_INPUT, again.status(), again.out());
        assertTrue(again.err().contains("not empty") && again.err().contains(out.toString()),
                again.err());
        assertEquals(1, Files.list(dir).count(), "nothing left beside the folder");

        ModelFiles.Outcome badSize = run("synth", "--out", dir.resolve("x").toString(), "--size", "big");
        assertEquals(ErrorHandler.BAD_INPUT, badSize.status());
        assertTrue(badSize.err().contains("--size"), badSize.err());
    }
}
