package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.folds.FoldPlan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code engagement folds}, run in-process on synthetic ELAN files. */
class FoldsCommandTest {

    @TempDir
    Path tmp;

    private Path eaf;

    private static ModelFiles.Outcome run(String... args) {
        return ModelFiles.run(new FoldsCommand(), args);
    }

    /** Ten sessions: 1 coded by a, b and c; then three each by {a,b}, {a,c}, {b,c}. */
    @BeforeEach
    void writeFolder() throws IOException {
        eaf = tmp.resolve("eaf");
        SyntheticCoding gen = SyntheticCoding.withDefaults().withSessionLengthMs(120_000);
        List<List<String>> blocks = List.of(List.of("a", "b", "c"), List.of("a", "b"),
                List.of("a", "c"), List.of("b", "c"));
        int id = 0;
        for (List<String> block : blocks) {
            int n = block.size() == 3 ? 1 : 3;
            for (int i = 0; i < n; i++) {
                gen.withCoderNames(block).generate(String.format("s%02d", id), id).writeTo(eaf);
                id++;
            }
        }
    }

    @Test
    void jsonPlanIsReproducibleAndHonoursTheConstraints() throws IOException {
        ModelFiles.Outcome o = run("--eaf", eaf.toString(), "--seed", "7", "--folds", "3", "--tries",
                "2000", "--group", "s01,s04,s07", "--json", "--out",
                tmp.resolve("plan.json").toString());
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        assertEquals(7, root.get("seed").asLong());
        assertEquals(3, root.get("folds").size());
        Set<String> all = new HashSet<>();
        for (JsonNode f : root.get("folds")) {
            int group = 0;
            for (JsonNode s : f.get("sessions")) {
                all.add(s.asText());
                group += Set.of("s01", "s04", "s07").contains(s.asText()) ? 1 : 0;
            }
            assertEquals(1, group, "round-robin group: " + o.out());
        }
        assertEquals(10, all.size());
        FoldPlan plan = FoldPlan.readJson(tmp.resolve("plan.json"));
        assertEquals(plan, FoldPlan.fromJson(o.out()));
        // Blocks {a,b,c}, {a,b}, {a,c}, {b,c} all in the test fold.
        assertTrue(plan.testFold().contains("s00"), plan.testFold().toString());
        ModelFiles.Outcome again = run("--eaf", eaf.toString(), "--seed", "7", "--folds", "3", "--tries",
                "2000", "--group", "s01,s04,s07", "--json");
        assertEquals(o.out(), again.out());
    }

    @Test
    void textOutputMarksTheTestFold() {
        ModelFiles.Outcome o = run("--eaf", eaf.toString(), "--seed", "1", "--folds", "2", "--tries",
                "500");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("10 sessions (21 files)"), o.out());
        assertTrue(o.out().contains("fold 1*"), o.out());
        assertTrue(o.out().contains("dolls"), o.out());
    }

    @Test
    void badInputExitsTwoWithAMessage() throws IOException {
        ModelFiles.Outcome missing = run("--eaf", tmp.resolve("nope").toString(), "--seed", "1");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("nope"), missing.err());
        ModelFiles.Outcome unknown = run("--eaf", eaf.toString(), "--seed", "1", "--group", "zz",
                "--tries", "10");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("zz"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), unknown.err());
        // Four blocks cannot fit a test fold of at most 2 of 10 sessions in 5 folds.
        ModelFiles.Outcome blocks = run("--eaf", eaf.toString(), "--seed", "1", "--tries", "10");
        assertEquals(2, blocks.status());
        assertTrue(blocks.err().contains("coder blocks"), blocks.err());
        ModelFiles.Outcome off = run("--eaf", eaf.toString(), "--seed", "1", "--tries", "10",
                "--no-blocks-in-test");
        assertEquals(0, off.status(), off.err());
        Files.writeString(eaf.resolve("s99_a_20220301.eaf"), "<not-elan/>");
        ModelFiles.Outcome broken = run("--eaf", eaf.toString(), "--seed", "1", "--tries", "10");
        assertEquals(2, broken.status());
        assertTrue(broken.err().contains("s99_a_20220301.eaf"), broken.err());
    }
}
