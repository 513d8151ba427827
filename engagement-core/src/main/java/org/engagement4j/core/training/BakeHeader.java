package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.sampling.SnippetShape;
import org.engagement4j.core.transform.Normalization;

/**
 * The header of a bake file ({@link BakedEmbeddings}): what was baked, how, and how much of it is
 * complete.
 *
 * @param formatVersion the file format version ({@link BakedEmbeddings#FORMAT_VERSION})
 * @param task the task of every row
 * @param dimension D, the embedding width
 * @param passes the passes planned
 * @param completedPasses the passes written completely (the rest of the file is ignored)
 * @param rows the rows of those passes
 * @param sessions the session ids rows refer to by index, sorted
 * @param coders the coder names rows refer to by index, sorted
 * @param seed the bake seed (snippet plans and augmentation)
 * @param snippetsPerSession snippets per session and pass
 * @param maxRedraws the sampler's redraw limit
 * @param maskPolicy the sampler's mask policy
 * @param shape the snippet shape
 * @param transform the augmentation or test transform, as its {@code toString()}
 * @param modelSha256 the SHA-256 of the encoder model
 * @param normalization the normalisation applied before the transform
 * @param libraryVersion engagement4j's version that created the file
 * @param created when the file was created (ISO-8601, UTC)
 * @since 0.1.0
 */
public record BakeHeader(int formatVersion, Task task, int dimension, int passes,
        int completedPasses, long rows, List<String> sessions, List<String> coders, long seed,
        int snippetsPerSession, int maxRedraws, String maskPolicy, SnippetShape shape,
        String transform, String modelSha256, Normalization normalization,
        String libraryVersion, String created) {

    /** Keys of the JSON header that do not describe the data, left out of {@link #differences}. */
    private static final List<String> BOOKKEEPING = List.of("library_version", "created");

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a count is out of range
     */
    public BakeHeader {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(maskPolicy, "maskPolicy");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(created, "created");
        sessions = List.copyOf(sessions);
        coders = List.copyOf(coders);
        if (dimension < 1 || passes < 0 || completedPasses < 0 || completedPasses > passes
                || rows < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "bake header: dimension %d, passes %d, completed %d, rows %d out of range",
                    dimension, passes, completedPasses, rows));
        }
    }

    /** @return whether every planned pass is written */
    public boolean isComplete() {
        return completedPasses == passes;
    }

    /** The JSON part of the header (without the binary counters). */
    ObjectNode toJsonNode() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("format", BakedEmbeddings.FORMAT_NAME);
        o.put("format_version", formatVersion);
        o.put("task", task.paperName());
        o.put("dimension", dimension);
        o.put("passes", passes);
        ArrayNode s = o.putArray("sessions");
        sessions.forEach(s::add);
        ArrayNode c = o.putArray("coders");
        coders.forEach(c::add);
        o.put("seed", seed);
        o.put("snippets_per_session", snippetsPerSession);
        o.put("max_redraws", maxRedraws);
        o.put("mask_policy", maskPolicy);
        o.put("window_ms", shape.windowMs());
        o.put("frame_count", shape.frameCount());
        o.put("fps", shape.fps());
        o.put("transform", transform);
        o.put("model_sha256", modelSha256);
        ObjectNode n = o.putObject("normalization");
        ArrayNode mean = n.putArray("mean");
        ArrayNode std = n.putArray("std");
        for (int i = 0; i < 3; i++) {
            mean.add(normalization.mean()[i]);
            std.add(normalization.std()[i]);
        }
        ArrayNode v = o.putArray("labels");
        v.add("task_engagement");
        v.add("social_engagement");
        o.put("row_layout", BakedEmbeddings.ROW_LAYOUT);
        o.put("library_version", libraryVersion);
        o.put("created", created);
        return o;
    }

    static BakeHeader fromJson(JsonNode o, int completedPasses, long rows, String source) {
        try {
            if (!BakedEmbeddings.FORMAT_NAME.equals(o.path("format").asText())) {
                throw new IllegalArgumentException("field format is not \""
                        + BakedEmbeddings.FORMAT_NAME + "\"");
            }
            Task task = null;
            for (Task t : Task.values()) {
                if (t.paperName().equals(o.path("task").asText())) {
                    task = t;
                }
            }
            if (task == null) {
                throw new IllegalArgumentException("field task is " + o.path("task"));
            }
            JsonNode n = o.get("normalization");
            double[] mean = new double[3];
            double[] std = new double[3];
            for (int i = 0; i < 3; i++) {
                mean[i] = n.get("mean").get(i).doubleValue();
                std[i] = n.get("std").get(i).doubleValue();
            }
            return new BakeHeader(o.get("format_version").intValue(), task,
                    o.get("dimension").intValue(), o.get("passes").intValue(), completedPasses,
                    rows, strings(o.get("sessions")), strings(o.get("coders")),
                    o.get("seed").longValue(), o.get("snippets_per_session").intValue(),
                    o.get("max_redraws").intValue(), o.get("mask_policy").asText(),
                    new SnippetShape(o.get("window_ms").longValue(),
                            o.get("frame_count").intValue(), o.get("fps").doubleValue()),
                    o.get("transform").asText(), o.get("model_sha256").asText(),
                    Normalization.of(mean, std), o.path("library_version").asText(),
                    o.path("created").asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: the JSON header is not a valid bake header: %s", source,
                    e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * The JSON fields that describe the data and differ between two headers (creation time and
     * library version are not compared, nor are the completion counters).
     *
     * @param other another header
     * @return {@code "field: this value vs other value"} per differing field, empty when the two
     *     describe the same bake
     */
    public List<String> differences(BakeHeader other) {
        ObjectNode a = toJsonNode();
        ObjectNode b = other.toJsonNode();
        List<String> out = new ArrayList<>();
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!BOOKKEEPING.contains(f) && !a.get(f).equals(b.get(f))) {
                out.add(String.format(Locale.ROOT, "%s: %s vs %s", f, abbreviate(a.get(f)),
                        abbreviate(b.get(f))));
            }
        }
        return out;
    }

    private static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
