package org.engagement4j.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.transform.Normalization;
import org.engagement4j.xai.attention.AttentionMethod;

/** Checks a demo output folder: every file present and readable, every number in range. */
public final class DemoOutputCheck {

    private DemoOutputCheck() {
    }

    /**
     * @param out the demo's output folder
     * @param settings the settings it ran with
     * @throws Exception on read failures; assertion errors name the file or number
     */
    public static void check(Path out, DemoSettings settings) throws Exception {
        for (String f : List.of("summary.json", "tables/table1_durations.csv",
                "tables/figure1_agreement.csv", "tables/folds.json",
                "tables/table2_performance.csv", "tables/table3_kappa.csv",
                "tables/figure3_pairs.csv", "tables/evaluation.json",
                "tables/attention_scores.csv", "tables/table4_rankings.csv",
                "tables/history_task_engagement.csv", "tables/history_social_engagement.csv",
                "model/task_engagement.onnx", "model/social_engagement.onnx",
                "model/normalization.json", "model/provenance.json")) {
            Path p = out.resolve(f);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 0, f);
        }
        for (String f : List.of("tables/table1_durations.csv", "tables/table4_rankings.csv",
                "tables/attention_scores.csv", "tables/table2_performance.csv")) {
            List<String> lines = Files.readAllLines(out.resolve(f));
            assertTrue(lines.size() >= 2, f + " has a header and rows");
            int cols = lines.get(0).split(",", -1).length;
            for (String l : lines) {
                assertEquals(cols, l.split(",", -1).length, f + ": " + l);
            }
        }
        assertTrue(Files.notExists(out.resolve("bake")), "bake files are removed");
        Normalization.read(out.resolve("model/normalization.json"));
        for (String m : List.of("task_engagement", "social_engagement")) {
            try (EngagementClassifier c = EngagementClassifier.builder()
                    .model(out.resolve("model/" + m + ".onnx")).intraOpThreads(1).build()) {
                assertEquals(2, c.signature().classes(), m + " has 2 logits");
            }
        }

        JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("engagement4j-demo-summary", s.get("format").asText());
        for (String stage : List.of("generate", "statistics", "preprocess", "folds", "model",
                "timeline", "attention")) {
            assertTrue(s.get("stage_seconds").get(stage).asDouble() >= 0, stage);
        }
        Map<String, Double> numbers = new TreeMap<>();
        DemoPipelineTest.numbers(s, "", numbers);
        for (Map.Entry<String, Double> e : numbers.entrySet()) {
            String k = e.getKey();
            double v = e.getValue();
            assertTrue(Double.isFinite(v), k);
            if (k.endsWith("/accuracy") || k.endsWith("/f1") || k.endsWith("_rate")
                    || k.endsWith("wilcoxon_p") || k.endsWith("baseline_accuracy")
                    || k.endsWith("baseline_f1") || k.endsWith("probability_engaged")
                    || k.contains("/engaged_fraction/")) {
                assertTrue(v >= 0 && v <= 1, k + " = " + v + " outside [0, 1]");
            }
            if (k.endsWith("/kappa")) {
                assertTrue(v >= -1 && v <= 1, k + " = " + v);
            }
            if (k.endsWith("/emd") || k.endsWith("/kl")) {
                assertTrue(v >= 0, k + " = " + v);
            }
        }
        for (String v : List.of("task_engagement", "social_engagement")) {
            JsonNode h = s.get("model").get("heads").get(v);
            assertNotNull(h, v);
            assertTrue(h.get("pooled").get("test").get("snippets").asInt() > 0, v);
        }
        assertFalse(s.get("model").get("evaluation").get("agreement").isEmpty(), "kappa rows");

        JsonNode att = s.get("attention");
        int compared = 0;
        for (JsonNode x : att.get("per_sample")) {
            if (x.get("compared").asBoolean()) {
                compared++;
                assertEquals(settings.methods().size(), x.get("metrics").size(),
                        x.get("id").asText());
            }
        }
        assertTrue(compared >= 2, "at least two snippets compared, found " + compared);
        // One pseudo-painter per test session, the sessions' samples taken in turn: as long as
        // there are enough samples, every test session is in the comparison.
        TreeSet<String> test = new TreeSet<>();
        s.get("folds").get("test").forEach(x -> test.add(x.asText()));
        TreeSet<String> used = new TreeSet<>();
        for (JsonNode x : att.get("per_sample")) {
            used.add(x.get("session").asText());
        }
        assertTrue(test.containsAll(used), used + " are test sessions " + test);
        if (att.get("per_sample").size() >= test.size()) {
            assertEquals(test, used, "every test session has comparison snippets");
        }
        assertEquals(used.toString(), att.get("sessions").asText());
        TreeSet<String> wanted = new TreeSet<>();
        for (AttentionMethod m : settings.methods()) {
            wanted.add(m.displayName());
        }
        assertEquals(compared, att.get("compared").asInt());
        for (String metric : List.of("emd", "pearson", "spearman", "sim", "kl", "nss",
                "auc_judd")) {
            JsonNode r = att.get("rankings").get(metric);
            assertNotNull(r, metric + " ranking");
            if (r.isNull()) {
                // Undefined on all but at most one snippet (e.g. constant maps for a correlation).
                assertFalse(metric.equals("emd") || metric.equals("kl") || metric.equals("sim"),
                        metric + " is defined for every compared snippet");
                continue;
            }
            TreeSet<String> ranked = new TreeSet<>();
            for (int i = 0; i < r.size(); i++) {
                ranked.add(r.get(i).get("method").asText());
                assertEquals(i + 1, r.get(i).get("rank").asInt(), metric);
                int n = r.get(i).get("samples").asInt();
                assertTrue(n >= 2 && n <= compared, metric + ": " + n + " samples");
                if (metric.equals("emd")) {
                    assertEquals(compared, n, "EMD is defined for every compared snippet");
                }
            }
            assertEquals(wanted, ranked, metric + " ranks every method");
        }

        int pngs = 0;
        int gifs = 0;
        try (Stream<Path> files = Files.walk(out.resolve("figures"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".png")) {
                    pngs++;
                    image(p);
                } else if (n.endsWith(".gif")) {
                    gifs++;
                    image(p);
                }
            }
        }
        int samples = att.get("samples").asInt();
        assertTrue(Files.isRegularFile(out.resolve("figures/agreement_all.png")));
        assertTrue(pngs >= 2 + samples, "PNG figures: " + pngs);
        assertEquals(samples * settings.methods().size(), gifs, "one GIF per snippet and method");
        try (Stream<Path> files = Files.list(out.resolve("figures"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("timeline_")),
                    "timeline PNG");
        }
    }

    private static void image(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p.toString());
        assertTrue(img.getWidth() > 0 && img.getHeight() > 0, p.toString());
    }
}
