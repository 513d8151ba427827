package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.examples.demo.DemoInputs;
import org.engagement4j.examples.demo.DemoListener;
import org.engagement4j.examples.demo.DemoOutputCheck;
import org.engagement4j.examples.demo.DemoPipeline;
import org.engagement4j.examples.demo.DemoSettings;
import org.engagement4j.examples.demo.DemoSummary;
import org.engagement4j.examples.demo.GeneratedBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code engagement demo --quick}: the whole pipeline on the real synthetic benchmark through the
 * command line (exit 0, tables on stdout, progress on stderr, every output well-formed), the same
 * numbers again from the same seed, and exit 2 for an output folder that is not fresh.
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aQuickDemoRunsEveryStageAndRepeatsItsNumbers() throws Exception {
        Path out = tmp.resolve("demo");
        ModelFiles.Outcome o = ModelFiles.run(new DemoCommand(), "--quick", "--out",
                out.toString(), "--seed", "7");
        assertEquals(0, o.status(), o.err());
        for (String s : new String[] {"Table 2 per task", "Table 3", "Table 4", "timeline of",
            "stage times", "wrote "}) {
            assertTrue(o.out().contains(s), s + " in\n" + o.out());
        }
        for (String s : new String[] {"== generate", "== attention", "head task_engagement ["}) {
            assertTrue(o.err().contains(s), s + " in stderr");
        }
        DemoSettings quick = DemoSettings.quick();
        DemoOutputCheck.check(out, quick);

        // The same seed on the same benchmark gives the same numbers (the generator's own
        // reproducibility is the generator's test).
        Path again = tmp.resolve("again");
        DemoInputs same = DemoInputs.of(GeneratedBenchmark.read(out.resolve("benchmark")));
        DemoSummary s2 = DemoPipeline.of(quick).run(same, again, 7, DemoListener.NONE);
        JsonNode j1 = new ObjectMapper().readTree(out.resolve(DemoPipeline.SUMMARY).toFile());
        JsonNode j2 = new ObjectMapper().readTree(again.resolve(DemoPipeline.SUMMARY).toFile());
        assertTrue(j1.has("stage_seconds"));
        ((ObjectNode) j1).remove("stage_seconds");
        ((ObjectNode) j2).remove("stage_seconds");
        assertEquals(j1, j2);
        assertEquals(j1, new ObjectMapper().readTree(s2.numbers().toString()));
        assertEquals(7, s2.numbers().get("seed").asLong());
    }

    @Test
    void anOutputThatIsNotFreshExitsTwo() throws Exception {
        Path used = tmp.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("keep.txt"), "x");
        ModelFiles.Outcome o = ModelFiles.run(new DemoCommand(), "--quick", "--out",
                used.toString(), "--no-progress");
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().startsWith("error: --out " + used) && o.err().contains("not empty"),
                o.err());
        assertEquals("x", Files.readString(used.resolve("keep.txt")), "nothing touched");

        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "x");
        o = ModelFiles.run(new DemoCommand(), "--out", file.toString());
        assertEquals(2, o.status(), o.err());
        assertTrue(o.err().contains("not a folder"), o.err());
        assertFalse(o.err().contains("Exception"), "no stack trace: " + o.err());

        assertEquals(2, ModelFiles.run(new DemoCommand()).status(), "--out is required");
    }
}
