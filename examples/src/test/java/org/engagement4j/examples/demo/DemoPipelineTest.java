package org.engagement4j.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.metrics.Volume;
import org.engagement4j.xai.attention.AttentionMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo pipeline's refusals and settings; the {@code --quick} run itself is in
 * {@code cli/DemoCommandTest} (one run covers the command line and the pipeline).
 */
class DemoPipelineTest {

    @TempDir
    Path tmp;

    @Test
    void aUsedOutputFolderIsRefusedAndNothingIsLeftBehind() throws Exception {
        DemoInputs none = new DemoInputs(tmp, Map.of("x", tmp.resolve("x.mp4")),
                (session, variable, start, frames) -> Volume.filled(0, frames, 160, 208));
        Path used = tmp.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("old.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoPipeline.of(DemoSettings.quick()).run(none, used, 1,
                        DemoListener.NONE));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        e = assertThrows(IllegalArgumentException.class,
                () -> DemoPipeline.of(DemoSettings.quick()).run(none, file, 1,
                        DemoListener.NONE));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DemoPipeline.of(DemoSettings.quick()).run(none,
                        tmp.resolve("no/such/parent"), 1, DemoListener.NONE));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        // Two sessions fail in the statistics stage: the partial output is removed.
        Path eaf = tmp.resolve("eaf");
        SyntheticCoding.withDefaults().withSessionLengthMs(60_000).generate("a", 1).writeTo(eaf);
        SyntheticCoding.withDefaults().withSessionLengthMs(60_000).generate("b", 2).writeTo(eaf);
        DemoInputs two = new DemoInputs(eaf, Map.of("a", tmp.resolve("a.mp4")),
                none.evidence());
        Path out = tmp.resolve("few");
        e = assertThrows(IllegalArgumentException.class,
                () -> DemoPipeline.of(DemoSettings.quick()).run(two, out, 1, DemoListener.NONE));
        assertTrue(e.getMessage().contains("at least 4"), e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".partial-")));
        }
    }

    @Test
    void settingsNameTheBadField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DemoSettings(3, 90_000, 3, 416, 320, 25, 8, 1, 1, 1, 1, 2, 1000,
                        EnumSet.of(AttentionMethod.GRAD_CAM)));
        assertTrue(e.getMessage().contains("sessions = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DemoSettings(4, 90_000, 3, 416, 320, 1, 8, 1, 1, 1, 1, 2, 1000,
                        EnumSet.of(AttentionMethod.GRAD_CAM)));
        assertTrue(e.getMessage().contains("videoFps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DemoSettings.quick().withMethods(EnumSet.noneOf(AttentionMethod.class)));
        assertTrue(e.getMessage().contains("methods"), e.getMessage());
        assertEquals(6, DemoSettings.full().sessions());
        assertEquals(DemoSettings.full().methods(), DemoSettings.quick().methods());
    }

    /** Collects a JSON tree's numbers by path (used by the output check). */
    public static void numbers(JsonNode n, String path, Map<String, Double> out) {
        if (n.isNumber()) {
            out.put(path, n.asDouble());
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                numbers(e.getValue(), path + "/" + e.getKey(), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                numbers(n.get(i), path + "/" + i, out);
            }
        }
    }
}
