package org.engagement4j.core.folds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldPlanJsonTest {

    @TempDir
    Path tmp;

    private static FoldPlan plan() {
        return FoldSplitter.withDefaults().withTries(2_000)
                .withGroup(List.of("s05", "s08", "s11", "s14", "s17", "s20"))
                .split(FoldFixtures.referenceLike(5, 6, 1), 77);
    }

    @Test
    void roundTripsThroughAFile() throws IOException {
        FoldPlan p = plan();
        Path f = tmp.resolve("folds.json");
        p.writeJson(f);
        assertEquals(p, FoldPlan.readJson(f));
    }

    @Test
    void usesThePaperNames() throws IOException {
        JsonNode root = new ObjectMapper().readTree(plan().toJson());
        assertEquals(77, root.get("seed").asLong());
        assertEquals(4, root.get("test_fold").asInt());
        assertTrue(root.get("folds").get(4).get("test").asBoolean());
        assertTrue(root.get("overall_positive_rate").get("dolls").has("task_engagement"));
        assertTrue(root.get("overall_positive_rate").get("shaker").has("social_engagement"));
        assertEquals(5, root.get("folds").size());
    }

    @Test
    void badJsonNamesTheField() {
        String json = plan().toJson();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FoldPlan.fromJson(json.replace("\"seed\"", "\"sed\"")));
        assertTrue(e.getMessage().contains("'seed'"), e.getMessage());
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> FoldPlan.fromJson(json.replace("\"dolls\"", "\"puppets\"")));
        assertTrue(task.getMessage().contains("puppets"), task.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FoldPlan.fromJson("{"));
        assertThrows(IllegalArgumentException.class, () -> FoldPlan.fromJson("[]"));
    }

    @Test
    void planIsImmutableAndValidated() {
        FoldPlan p = plan();
        assertThrows(UnsupportedOperationException.class, () -> p.folds().get(0).add("x"));
        assertThrows(UnsupportedOperationException.class, () -> p.folds().add(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new FoldPlan(
                List.of(List.of("a"), List.of("a")), 0, 0, 1, 1, List.of(), false, Map.of(),
                List.of(Map.of(), Map.of())));
        assertThrows(IllegalArgumentException.class, () -> new FoldPlan(
                List.of(List.of("a"), List.of()), 0, 0, 1, 1, List.of(), false, Map.of(),
                List.of(Map.of(), Map.of())));
        assertThrows(IllegalArgumentException.class, () -> new FoldPlan(
                List.of(List.of("a"), List.of("b")), Double.NaN, 0, 1, 1, List.of(), false,
                Map.of(), List.of(Map.of(), Map.of())));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> p.foldOf("nope"));
        assertTrue(none.getMessage().contains("nope"));
        assertEquals(p.testFold(), p.folds().get(4));
        assertEquals(4, p.trainingFolds().size());
    }
}
