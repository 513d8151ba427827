package org.engagement4j.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.IntervalSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;

/**
 * The JSON files of a {@link GeneratedBenchmark} ({@code benchmark.json}, {@code truth/*.json})
 * and the validation of a benchmark folder. Field names are snake case; intervals are
 * {@code [start_ms, end_ms]} pairs, half-open.
 */
final class GuidedPlayFiles {

    static final String FORMAT = "engagement4j-synthetic-guided-play";
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GuidedPlayFiles() {
    }

    /** @return {@code "task"} or {@code "social"}: the evidence file suffix of a variable */
    static String key(Variable v) {
        return v == Variable.TASK_ENGAGEMENT ? "task" : "social";
    }

    // ------------------------------------------------------------------ writing

    static byte[] truthJson(String session, long durationMs, CoderAnnotations truth)
            throws JsonProcessingException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("session", session);
        root.put("duration_ms", durationMs);
        ArrayNode tasks = root.putArray("tasks");
        for (Task t : Task.values()) {
            Interval span = truth.taskSpans().get(t);
            if (span == null) {
                continue;
            }
            ObjectNode o = tasks.addObject();
            o.put("task", t.paperName());
            o.put("start_ms", span.startMs());
            o.put("end_ms", span.endMs());
            for (Variable v : Variable.values()) {
                intervals(o.putArray(v.paperName()), truth.engaged(t, v));
            }
        }
        intervals(root.putArray("masked"), truth.masked());
        return bytes(root);
    }

    private static void intervals(ArrayNode a, IntervalSet set) {
        for (Interval i : set.intervals()) {
            a.addArray().add(i.startMs()).add(i.endMs());
        }
    }

    static byte[] benchmarkJson(GeneratedBenchmark b, long sessionLengthMs) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("library_version", b.libraryVersion());
        root.put("seed", b.seed());
        root.put("session_length_ms", sessionLengthMs);
        root.put("frame_width", b.frameWidth());
        root.put("frame_height", b.frameHeight());
        root.put("fps", b.fps());
        root.put("clip_width", b.clipWidth());
        root.put("clip_height", b.clipHeight());
        root.put("clip_fps", b.clipFps());
        ArrayNode coders = root.putArray("coders");
        b.coders().forEach(coders::add);
        ArrayNode sessions = root.putArray("sessions");
        for (GeneratedSession s : b.sessions()) {
            ObjectNode o = sessions.addObject();
            o.put("name", s.name());
            o.put("duration_ms", s.durationMs());
            o.put("clip_frames", s.clipFrames());
            o.put("video", relative(b.root(), s.video()));
            ArrayNode elan = o.putArray("elan");
            for (Path p : s.elanFiles()) {
                elan.add(relative(b.root(), p));
            }
            o.put("truth", relative(b.root(), s.truth()));
            o.put("task_evidence", relative(b.root(), s.taskEvidence()));
            o.put("social_evidence", relative(b.root(), s.socialEvidence()));
        }
        return bytes(root);
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static byte[] bytes(JsonNode n) throws JsonProcessingException {
        return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ reading

    static GeneratedBenchmark readBenchmark(Path root) throws IOException {
        Path desc = root.resolve(GeneratedBenchmark.DESCRIPTION_FILE);
        JsonNode j = parse(desc);
        if (!FORMAT.equals(j.path("format").asText())
                || j.path("format_version").asInt(-1) != FORMAT_VERSION) {
            throw bad(desc, String.format(Locale.ROOT, "format must be '%s' version %d, got '%s'"
                    + " version %s", FORMAT, FORMAT_VERSION, j.path("format").asText(),
                    j.path("format_version").asText()));
        }
        int clipW = positiveInt(desc, j, "clip_width");
        int clipH = positiveInt(desc, j, "clip_height");
        List<String> coders = new ArrayList<>();
        for (JsonNode c : array(desc, j, "coders")) {
            coders.add(c.asText());
        }
        List<GeneratedSession> sessions = new ArrayList<>();
        for (JsonNode s : array(desc, j, "sessions")) {
            String name = text(desc, s, "name");
            List<Path> elan = new ArrayList<>();
            for (JsonNode e : array(desc, s, "elan")) {
                elan.add(existing(root, desc, e.asText()));
            }
            int frames = positiveInt(desc, s, "clip_frames");
            Path video = existing(root, desc, text(desc, s, "video"));
            if (Files.size(video) == 0) {
                throw bad(video, "the video is empty");
            }
            Path truth = existing(root, desc, text(desc, s, "truth"));
            readTruth(truth);
            Path task = existing(root, desc, text(desc, s, "task_evidence"));
            Path social = existing(root, desc, text(desc, s, "social_evidence"));
            checkMask(task, frames, clipH, clipW);
            checkMask(social, frames, clipH, clipW);
            sessions.add(new GeneratedSession(name, video, elan, truth, task, social,
                    positiveLong(desc, s, "duration_ms"), frames));
        }
        if (sessions.isEmpty()) {
            throw bad(desc, "lists no session");
        }
        return new GeneratedBenchmark(root, sessions, j.path("seed").asLong(), coders,
                positiveInt(desc, j, "frame_width"), positiveInt(desc, j, "frame_height"),
                positiveDouble(desc, j, "fps"), clipW, clipH, positiveDouble(desc, j, "clip_fps"),
                text(desc, j, "library_version"));
    }

    static CoderAnnotations readTruth(Path file) throws IOException {
        JsonNode j = parse(file);
        Map<Task, Interval> spans = new EnumMap<>(Task.class);
        Map<Task, Map<Variable, IntervalSet>> engaged = new EnumMap<>(Task.class);
        for (JsonNode t : array(file, j, "tasks")) {
            String name = text(file, t, "task");
            Task task = null;
            for (Task c : Task.values()) {
                if (c.paperName().equals(name)) {
                    task = c;
                }
            }
            if (task == null) {
                throw bad(file, String.format(Locale.ROOT,
                        "task '%s' must be dolls, shaker or drum", name));
            }
            spans.put(task, interval(file, t.path("start_ms"), t.path("end_ms")));
            Map<Variable, IntervalSet> perVar = new EnumMap<>(Variable.class);
            for (Variable v : Variable.values()) {
                perVar.put(v, intervalSet(file, array(file, t, v.paperName())));
            }
            engaged.put(task, perVar);
        }
        try {
            return new CoderAnnotations(SyntheticCoding.TRUTH, spans, engaged,
                    intervalSet(file, array(file, j, "masked")));
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
    }

    private static void checkMask(Path file, int frames, int height, int width)
            throws IOException {
        NpyArray a;
        try {
            a = Npy.read(file);
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
        int[] shape = a.shape();
        if (a.dtype() != NpyArray.DType.UINT8 || shape.length != 3 || shape[0] != frames
                || shape[1] != height || shape[2] != width) {
            throw bad(file, String.format(Locale.ROOT,
                    "evidence mask must be uint8 [%d, %d, %d], got %s %s", frames, height, width,
                    a.dtype(), java.util.Arrays.toString(shape)));
        }
        float[] v = a.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0f && v[i] != 1f) {
                throw bad(file, String.format(Locale.ROOT,
                        "evidence mask values must be 0 or 1, element %d is %s", i, v[i]));
            }
        }
    }

    private static JsonNode parse(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "missing benchmark file");
        }
        try {
            JsonNode n = MAPPER.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw bad(file, "must hold a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw bad(file, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Path existing(Path root, Path desc, String relative) throws IOException {
        Path p = root.resolve(relative).normalize();
        if (relative.isEmpty() || !p.startsWith(root.normalize())) {
            throw bad(desc, String.format(Locale.ROOT, "path '%s' must lie inside %s", relative,
                    root));
        }
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "listed in " + desc
                    + " but missing");
        }
        return p;
    }

    private static Iterable<JsonNode> array(Path file, JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw bad(file, String.format(Locale.ROOT, "field '%s' must be an array", field));
        }
        return a;
    }

    private static String text(Path file, JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isTextual() || a.asText().isEmpty()) {
            throw bad(file, String.format(Locale.ROOT, "field '%s' must be a non-empty string",
                    field));
        }
        return a.asText();
    }

    private static int positiveInt(Path file, JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.canConvertToInt() || !a.isIntegralNumber() || a.asInt() <= 0) {
            throw bad(file, String.format(Locale.ROOT, "field '%s' must be a positive integer, "
                    + "got %s", field, a));
        }
        return a.asInt();
    }

    private static long positiveLong(Path file, JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isIntegralNumber() || a.asLong() <= 0) {
            throw bad(file, String.format(Locale.ROOT, "field '%s' must be a positive integer, "
                    + "got %s", field, a));
        }
        return a.asLong();
    }

    private static double positiveDouble(Path file, JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isNumber() || !(a.asDouble() > 0)) {
            throw bad(file, String.format(Locale.ROOT, "field '%s' must be a positive number, "
                    + "got %s", field, a));
        }
        return a.asDouble();
    }

    private static Interval interval(Path file, JsonNode start, JsonNode end) {
        if (!start.isIntegralNumber() || !end.isIntegralNumber() || start.asLong() < 0
                || end.asLong() <= start.asLong()) {
            throw bad(file, String.format(Locale.ROOT,
                    "interval [%s, %s] must be whole ms with 0 <= start < end", start, end));
        }
        return Interval.of(start.asLong(), end.asLong());
    }

    private static IntervalSet intervalSet(Path file, Iterable<JsonNode> pairs) {
        List<Interval> out = new ArrayList<>();
        for (JsonNode p : pairs) {
            if (!p.isArray() || p.size() != 2) {
                throw bad(file, "an interval must be a [start_ms, end_ms] pair, got " + p);
            }
            out.add(interval(file, p.get(0), p.get(1)));
        }
        return IntervalSet.of(out);
    }

    private static IllegalArgumentException bad(Path file, String rule) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "benchmark file %s: %s",
                file, rule));
    }
}
