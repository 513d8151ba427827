package org.engagement4j.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a demo run produced: every number of {@code summary.json}, the wall-clock time of each
 * stage (kept apart, because only they differ between two runs with the same seed) and the
 * short text report the command line prints.
 *
 * @since 0.1.0
 */
public final class DemoSummary {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path outDir;
    private final ObjectNode numbers;
    private final Map<String, Double> stageSeconds;
    private final String report;

    DemoSummary(Path outDir, ObjectNode numbers, Map<String, Double> stageSeconds,
            String report) {
        this.outDir = Objects.requireNonNull(outDir, "outDir");
        this.numbers = Objects.requireNonNull(numbers, "numbers").deepCopy();
        this.stageSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
        this.report = Objects.requireNonNull(report, "report");
    }

    DemoSummary movedTo(Path dir) {
        return new DemoSummary(dir, numbers, stageSeconds, report);
    }

    /** @return the output folder */
    public Path outDir() {
        return outDir;
    }

    /**
     * @return every number of the run without the timings (a copy): equal for equal settings
     *     and seed
     */
    public JsonNode numbers() {
        return numbers.deepCopy();
    }

    /** @return stage name to wall-clock seconds, in run order */
    public Map<String, Double> stageSeconds() {
        return stageSeconds;
    }

    /** @return the text tables the command line prints (classifiers, kappa, Table 4) */
    public String report() {
        return report;
    }

    /**
     * @return {@code summary.json}: the numbers plus {@code stage_seconds}, pretty-printed
     */
    public String toJson() {
        ObjectNode all = numbers.deepCopy();
        ObjectNode t = all.putObject("stage_seconds");
        stageSeconds.forEach(t::put);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree always serialises", e);
        }
    }

    @Override
    public String toString() {
        return "DemoSummary[" + outDir + ", stages " + stageSeconds.keySet() + "]";
    }
}
