package org.engagement4j.xai.human;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;

/**
 * Reads and writes human attention maps in the reference painting tool's format (REFERENCE.md
 * §8): a folder per snippet with
 * <ul>
 *   <li>{@value #MAP_FILE}: a NumPy array {@code [T, H, W]}, float32 (float64 is read too), every
 *       value in {@code [0, 1]};</li>
 *   <li>{@value #INFO_FILE}: UTF-8 JSON
 *       <pre>{@code
 * {"saved": "2022-03-01 10:15:00.123456",
 *  "sample": {"session": "s07", "annotator": "mf", "start_time_s": 83.2, "start_ms": 83200,
 *             "target_variable": "attending", "consensus_label": 1},
 *  "labels": {"participating": "self", "attending": "no"}}
 * }</pre>
 *       {@code start_ms} is this library's addition (the reference wrote seconds only); a reader
 *       takes {@code start_ms} when present, else {@code round(1000 * start_time_s)}, and refuses
 *       a file where the two disagree by more than half a millisecond. {@code consensus_label} may
 *       be written {@code 1}, {@code 1.0} or {@code true}, and is {@code null} when not known
 *       (a snippet painted outside a comparison set); the key itself is required. Unknown keys are ignored; missing
 *       required ones are refused.</li>
 * </ul>
 * The reference also saved a visualisation video; it is neither needed nor written here (see
 * {@code org.engagement4j.xai.render} for pictures).
 *
 * <p>Writing is atomic: a new snippet folder is assembled under a hidden temporary name beside
 * it and renamed into place in one step; into an existing folder each file is replaced
 * atomically. Every error message names the file and the rule broken.
 *
 * @since 0.1.0
 */
public final class HumanMaps {

    /** The map's file name inside a snippet folder. */
    public static final String MAP_FILE = "heatmap.npy";

    /** The description's file name inside a snippet folder. */
    public static final String INFO_FILE = "info.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private HumanMaps() {
    }

    /**
     * Reads one snippet folder.
     *
     * @param directory the folder holding {@value #MAP_FILE} and {@value #INFO_FILE}
     * @return the map
     * @throws NoSuchFileException if the folder or one of its files is missing
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file if the map is not a float {@code [T, H, W]}
     *     array in {@code [0, 1]}, or the description is not valid
     */
    public static HumanAttentionMap read(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        HumanMapInfo info = readInfo(directory.resolve(INFO_FILE));
        Path file = directory.resolve(MAP_FILE);
        Volume map = readMap(file);
        try {
            return new HumanAttentionMap(info, map);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every snippet folder directly inside {@code root} (each sub-folder that holds an
     * {@value #INFO_FILE}), in the order of the folder names.
     *
     * @param root a folder of snippet folders
     * @return the maps, possibly none
     * @throws IOException if a folder cannot be listed or a file read
     * @throws IllegalArgumentException naming the file if one snippet is invalid
     */
    public static List<HumanAttentionMap> readAll(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && Files.isRegularFile(p.resolve(INFO_FILE))) {
                    dirs.add(p);
                }
            }
        }
        dirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<HumanAttentionMap> out = new ArrayList<>();
        for (Path d : dirs) {
            out.add(read(d));
        }
        return out;
    }

    /**
     * Writes one snippet folder: the map as float32 and the description.
     *
     * @param directory the snippet folder; created (atomically, with both files) if it does not
     *     exist, its parent must exist; if it exists, both files in it are replaced
     * @param map the map
     * @throws IOException if the files cannot be written (an existing folder is then left with
     *     each file either old or new, never half-written)
     */
    public static void write(Path directory, HumanAttentionMap map) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(map, "map");
        Path target = directory.toAbsolutePath();
        NpyArray array = NpyArray.ofVolume(map.map(), NpyArray.DType.FLOAT32);
        byte[] info = infoJson(map.info()).getBytes(StandardCharsets.UTF_8);
        if (Files.isDirectory(target)) {
            Npy.write(target.resolve(MAP_FILE), array);
            writeAtomically(target.resolve(INFO_FILE), info);
            return;
        }
        Path tmp = AtomicFiles.siblingDirectory(target);
        boolean done = false;
        try {
            Npy.write(tmp.resolve(MAP_FILE), array);
            writeAtomically(tmp.resolve(INFO_FILE), info);
            AtomicFiles.moveDirectory(tmp, target);
            done = true;
        } finally {
            if (!done) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    /**
     * Reads a description file.
     *
     * @param file an {@value #INFO_FILE}
     * @return the description
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if it is not valid (see the class
     *     description)
     */
    public static HumanMapInfo readInfo(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return parseInfo(Files.readString(file, StandardCharsets.UTF_8), "file " + file);
    }

    /**
     * Parses a description.
     *
     * @param json the JSON text
     * @param source where it comes from, for messages (e.g. {@code "file x/info.json"})
     * @return the description
     * @throws IllegalArgumentException starting with {@code source} if the text is not valid
     */
    public static HumanMapInfo parseInfo(String json, String source) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(source, "source");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: not JSON: %s",
                    source, e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        JsonNode sample = root.get("sample");
        if (sample == null || !sample.isObject()) {
            throw new IllegalArgumentException(source + ": missing object \"sample\"");
        }
        String session = text(sample, "session", source);
        String annotator = text(sample, "annotator", source);
        String variable = text(sample, "target_variable", source);
        long startMs = start(sample, source);
        OptionalInt label = label(sample.get("consensus_label"), source);
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = root.get("labels");
        if (l != null && !l.isNull()) {
            if (!l.isObject()) {
                throw new IllegalArgumentException(source + ": \"labels\" must be an object of"
                        + " tier -> value");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: label \"%s\" is %s, expected a string", source, e.getKey(),
                            e.getValue()));
                }
                labels.put(e.getKey(), e.getValue().asText());
            }
        }
        JsonNode saved = root.get("saved");
        try {
            return new HumanMapInfo(session, annotator, startMs, variable, label, labels,
                    saved != null && saved.isTextual() ? saved.asText() : "");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The JSON form of a description (see the class description), indented.
     *
     * @param info the description
     * @return the text, ending with a newline
     */
    public static String infoJson(HumanMapInfo info) {
        Objects.requireNonNull(info, "info");
        ObjectNode root = JSON.createObjectNode();
        if (!info.saved().isEmpty()) {
            root.put("saved", info.saved());
        }
        ObjectNode s = root.putObject("sample");
        s.put("session", info.session());
        s.put("annotator", info.annotator());
        s.put("start_time_s", info.startSeconds());
        s.put("start_ms", info.startMs());
        s.put("target_variable", info.targetVariable());
        if (info.consensusLabel().isPresent()) {
            s.put("consensus_label", info.consensusLabel().getAsInt());
        } else {
            s.putNull("consensus_label");
        }
        ObjectNode l = root.putObject("labels");
        info.labels().forEach(l::put);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree of strings and numbers could not be written",
                    e);
        }
    }

    private static Volume readMap(Path file) throws IOException {
        NpyArray a = Npy.read(file);
        if (a.dtype() != NpyArray.DType.FLOAT32 && a.dtype() != NpyArray.DType.FLOAT64) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "file %s: dtype %s, expected float32 ('<f4') or float64", file,
                    a.dtype().descr()));
        }
        int[] shape = a.shape();
        if (shape.length != 3 || shape[0] < 1 || shape[1] < 1 || shape[2] < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "file %s: shape %s, expected [T, H, W] with every dimension >= 1", file,
                    java.util.Arrays.toString(shape)));
        }
        return Volume.wrap(a.toDoubleArray(), shape[0], shape[1], shape[2]);
    }

    private static String text(JsonNode obj, String key, String source) {
        JsonNode n = obj.get(key);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: sample.%s must be a string, found %s", source, key, n));
        }
        return n.asText();
    }

    private static long start(JsonNode sample, String source) {
        JsonNode ms = sample.get("start_ms");
        JsonNode s = sample.get("start_time_s");
        if ((ms == null || ms.isNull()) && (s == null || s.isNull())) {
            throw new IllegalArgumentException(source + ": sample needs start_time_s (seconds)"
                    + " or start_ms");
        }
        Long fromMs = null;
        if (ms != null && !ms.isNull()) {
            if (!ms.isNumber() || ms.asDouble() != Math.rint(ms.asDouble())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: sample.start_ms is %s, expected a whole number of milliseconds",
                        source, ms));
            }
            fromMs = ms.asLong();
        }
        Double seconds = null;
        if (s != null && !s.isNull()) {
            if (!s.isNumber() || !Double.isFinite(s.asDouble())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: sample.start_time_s is %s, expected a number of seconds", source, s));
            }
            seconds = s.asDouble();
        }
        if (fromMs != null && seconds != null && Math.abs(seconds * 1000 - fromMs) > 0.5) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: sample.start_ms %d and start_time_s %s disagree", source, fromMs,
                    seconds));
        }
        return fromMs != null ? fromMs : Math.round(seconds * 1000);
    }

    private static OptionalInt label(JsonNode n, String source) {
        if (n != null && n.isNull()) {
            return OptionalInt.empty();
        }
        if (n != null && n.isBoolean()) {
            return OptionalInt.of(n.asBoolean() ? 1 : 0);
        }
        if (n != null && n.isNumber() && (n.asDouble() == 0 || n.asDouble() == 1)) {
            return OptionalInt.of((int) n.asDouble());
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: sample.consensus_label is %s, expected 0 (not engaged), 1 (engaged) or null"
                        + " (not known)",
                source, n));
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        AtomicFiles.writeBytes(file, bytes, AtomicFiles.Sync.FSYNC);
    }
}
