package org.engagement4j.examples.annotator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.sampling.ComparisonSample;
import org.engagement4j.core.sampling.Snippet;
import org.engagement4j.core.video.Clip;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.engagement4j.xai.human.HumanAttentionMap;
import org.engagement4j.xai.human.HumanMaps;

/**
 * Snippet folders, the human attention annotator's input and output (REFERENCE.md §8). A root
 * folder holds one sub-folder per snippet; its name is the snippet's id. A snippet folder holds
 * <ul>
 *   <li>{@value #FRAMES_FILE}: uint8 {@code [T, H, W, 3]} RGB, the raw low-resolution frames the
 *       network sees (15 x 160 x 208 in the paper; any size is accepted);</li>
 *   <li>{@value #INFO_FILE}: UTF-8 JSON {@code {"session": "s07", "start_ms": 83200,
 *       "start_time_s": 83.2, "task": "dolls", "target_variable": "attending",
 *       "consensus_label": 1, "fps": 3.125}}; {@code task} is the paper's name or the reference's
 *       tier value, {@code target_variable} the reference tier ({@code participating} /
 *       {@code attending}) or the paper's name, {@code consensus_label} 0, 1 or null (not known),
 *       {@code fps} optional (3.125); no coder is named;</li>
 *   <li>once saved, {@link HumanMaps#MAP_FILE} and {@link HumanMaps#INFO_FILE}, written by
 *       {@link HumanMaps#write} and read back by {@link HumanMaps#read};</li>
 *   <li>while unfinished, {@value #DRAFT_MAP_FILE} (float32 {@code [T, H, W]}) and
 *       {@value #DRAFT_INFO_FILE} ({@code {"labels": {...}, "frame": 3, "sigma": 6.4}}).</li>
 * </ul>
 * Every file is written through a temporary sibling renamed into place, and a new snippet folder
 * appears in one rename, so nothing is ever half-written. Error messages name the file and the
 * rule broken.
 *
 * @since 0.1.0
 */
public final class SnippetFolders {

    /** The frames' file name. */
    public static final String FRAMES_FILE = "frames.npy";

    /** The description's file name. */
    public static final String INFO_FILE = "snippet.json";

    /** The draft map's file name. */
    public static final String DRAFT_MAP_FILE = "draft.npy";

    /** The draft description's file name. */
    public static final String DRAFT_INFO_FILE = "draft.json";

    /**
     * Names a snippet folder may have: letters, digits, {@code . _ -}, not starting with a dot
     * (hidden names are temporary folders), at most 200 characters.
     */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9._\\-]{0,199}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private SnippetFolders() {
    }

    /**
     * Writes a new snippet folder holding every frame of {@code frames}.
     *
     * @param dir the snippet folder; must not exist, its parent must; its name must be a valid id
     *     (letters, digits, {@code . _ -}, not starting with a dot)
     * @param info the description
     * @param frames the frames (e.g. {@link Clip#of} of a snippet's bytes)
     * @throws FileAlreadyExistsException if {@code dir} exists
     * @throws IllegalArgumentException if the folder name is not a valid id
     * @throws IOException if the files cannot be written (nothing is left behind then)
     * @since 0.1.0
     */
    public static void write(Path dir, SnippetInfo info, Clip frames) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(frames, "frames");
        Path target = dir.toAbsolutePath();
        String name = target.getFileName().toString();
        if (!isValidId(name)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippet folder %s: name must be letters, digits, '.', '_' or '-', not"
                            + " starting with '.', at most 200 characters", target));
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "snippet folder exists already");
        }
        byte[] rgb = frames.snippet(0, frames.frames());
        NpyArray array = NpyArray.ofBytes(rgb, frames.frames(), frames.height(), frames.width(),
                3);
        Path tmp = AtomicFiles.siblingDirectory(target);
        boolean done = false;
        try {
            Npy.write(tmp.resolve(FRAMES_FILE), array);
            AtomicFiles.writeBytes(tmp.resolve(INFO_FILE), infoJson(info),
                    AtomicFiles.Sync.FSYNC);
            AtomicFiles.moveDirectory(tmp, target);
            done = true;
        } finally {
            if (!done) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    /**
     * Writes a training or evaluation snippet cut from a preprocessed clip, for painting with
     * the given target variable. The consensus label is written as not known: a {@link Snippet}
     * carries one coder's labels, not the coders' consensus.
     *
     * @param dir the new snippet folder (see {@link #write(Path, SnippetInfo, Clip)})
     * @param clip the session's preprocessed clip
     * @param snippet the snippet; its frames must lie inside the clip
     * @param target the variable to paint for
     * @throws IndexOutOfBoundsException if the snippet's frames are not inside the clip
     * @throws IOException if the folder cannot be written
     * @since 0.1.0
     */
    public static void write(Path dir, Clip clip, Snippet snippet, Variable target)
            throws IOException {
        Objects.requireNonNull(snippet, "snippet");
        SnippetInfo info = new SnippetInfo(snippet.session(), snippet.startMs(), snippet.task(),
                Objects.requireNonNull(target, "target"), Optional.empty(), clip.fps());
        write(dir, info, cut(clip, snippet.startFrame(), snippet.frameCount()));
    }

    /**
     * Writes a comparison-set snippet (REFERENCE.md §8) cut from a preprocessed clip, with its
     * target variable and consensus label.
     *
     * @param dir the new snippet folder (see {@link #write(Path, SnippetInfo, Clip)})
     * @param clip the session's preprocessed clip
     * @param sample the comparison sample; its frames must lie inside the clip
     * @throws IndexOutOfBoundsException if the sample's frames are not inside the clip
     * @throws IOException if the folder cannot be written
     * @since 0.1.0
     */
    public static void write(Path dir, Clip clip, ComparisonSample sample) throws IOException {
        Objects.requireNonNull(sample, "sample");
        SnippetInfo info = new SnippetInfo(sample.session(), sample.startMs(), sample.task(),
                sample.variable(), Optional.of(sample.label() ? 1 : 0), clip.fps());
        write(dir, info, cut(clip, sample.startFrame(), sample.frameCount()));
    }

    private static Clip cut(Clip clip, int start, int count) {
        Objects.requireNonNull(clip, "clip");
        return Clip.of(clip.snippet(start, count), count, clip.height(), clip.width(),
                clip.fps());
    }

    /**
     * Reads a snippet folder's description and frames.
     *
     * @param dir the snippet folder
     * @return the snippet
     * @throws NoSuchFileException if the folder or a file is missing
     * @throws IllegalArgumentException naming the file if the description is not valid or the
     *     frames are not a uint8 {@code [T, H, W, 3]} array with every dimension {@code >= 1}
     * @throws IOException if a file cannot be read
     * @since 0.1.0
     */
    public static AnnotationSnippet read(Path dir) throws IOException {
        SnippetInfo info = readInfo(dir);
        Path file = dir.resolve(FRAMES_FILE);
        NpyArray a = Npy.read(file);
        int[] s = a.shape();
        if (a.dtype() != NpyArray.DType.UINT8 || s.length != 4 || s[0] < 1 || s[1] < 1
                || s[2] < 1 || s[3] != 3) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "file %s: %s %s, expected uint8 [T, H, W, 3] RGB frames with T, H, W >= 1",
                    file, a.dtype().descr(), Arrays.toString(s)));
        }
        float[] values = a.toFloatArray();
        byte[] rgb = new byte[values.length];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (int) values[i];
        }
        return new AnnotationSnippet(info, Clip.of(rgb, s[0], s[1], s[2], info.fps()));
    }

    /**
     * Reads a snippet folder's description only (cheap; the list view uses it).
     *
     * @param dir the snippet folder
     * @return the description
     * @throws NoSuchFileException if the description is missing
     * @throws IllegalArgumentException naming the file if it is not valid
     * @throws IOException if it cannot be read
     * @since 0.1.0
     */
    public static SnippetInfo readInfo(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path file = dir.resolve(INFO_FILE);
        String source = "file " + file;
        JsonNode root = parse(Files.readString(file, StandardCharsets.UTF_8), source);
        String session = text(root, "session", source);
        JsonNode ms = root.get("start_ms");
        if (ms == null || !ms.isIntegralNumber() || ms.asLong() < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: start_ms is %s, expected a whole number of milliseconds >= 0", source,
                    ms));
        }
        String taskName = text(root, "task", source);
        Task task = Arrays.stream(Task.values())
                .filter(t -> t.paperName().equalsIgnoreCase(taskName)
                        || t.referenceValue().equalsIgnoreCase(taskName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(String.format(
                        Locale.ROOT, "%s: task \"%s\" is none of dolls, shaker, drum (or people,"
                                + " eggs, drums)", source, taskName)));
        String varName = text(root, "target_variable", source);
        Variable variable = Arrays.stream(Variable.values())
                .filter(v -> v.referenceTier().equalsIgnoreCase(varName)
                        || v.paperName().equalsIgnoreCase(varName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(String.format(
                        Locale.ROOT, "%s: target_variable \"%s\" is none of participating,"
                                + " attending (or task_engagement, social_engagement)", source,
                        varName)));
        JsonNode l = root.get("consensus_label");
        Optional<Integer> label;
        if (l == null || l.isNull()) {
            label = Optional.empty();
        } else if (l.isBoolean()) {
            label = Optional.of(l.asBoolean() ? 1 : 0);
        } else if (l.isNumber() && (l.asDouble() == 0 || l.asDouble() == 1)) {
            label = Optional.of((int) l.asDouble());
        } else {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: consensus_label is %s, expected 0, 1 or null (not known)", source, l));
        }
        JsonNode f = root.get("fps");
        double fps = SnippetInfo.PAPER_FPS;
        if (f != null && !f.isNull()) {
            if (!f.isNumber() || !(f.asDouble() > 0) || Double.isInfinite(f.asDouble())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: fps is %s, expected a number > 0", source, f));
            }
            fps = f.asDouble();
        }
        return new SnippetInfo(session, ms.asLong(), task, variable, label, fps);
    }

    /**
     * The JSON form of a description (see the class description), indented, UTF-8.
     *
     * @param info the description
     * @return the bytes
     * @since 0.1.0
     */
    public static byte[] infoJson(SnippetInfo info) {
        Objects.requireNonNull(info, "info");
        ObjectNode root = JSON.createObjectNode();
        root.put("session", info.session());
        root.put("start_ms", info.startMs());
        root.put("start_time_s", info.startMs() / 1000.0);
        root.put("task", info.task().paperName());
        root.put("target_variable", info.variable().referenceTier());
        if (info.consensusLabel().isPresent()) {
            root.put("consensus_label", info.consensusLabel().get());
        } else {
            root.putNull("consensus_label");
        }
        root.put("fps", info.fps());
        return toBytes(root);
    }

    /**
     * The snippet ids under a root folder: the names of its sub-folders that are valid ids (see
     * {@link #write(Path, SnippetInfo, Clip)}) and hold {@value #INFO_FILE} and
     * {@value #FRAMES_FILE}, sorted. Other entries are ignored.
     *
     * @param root the folder of snippet folders
     * @return the ids, possibly none
     * @throws NoSuchFileException if {@code root} does not exist
     * @throws IOException if it cannot be listed
     * @since 0.1.0
     */
    public static List<String> list(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (isValidId(name) && Files.isDirectory(p)
                        && Files.isRegularFile(p.resolve(INFO_FILE))
                        && Files.isRegularFile(p.resolve(FRAMES_FILE))) {
                    ids.add(name);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * @param name a folder name
     * @return whether it may name a snippet: letters, digits, {@code . _ -}, not starting with a
     *     dot, 1 to 200 characters (so it can never climb out of the root or be absolute)
     * @since 0.1.0
     */
    public static boolean isValidId(String name) {
        return name != null && ID.matcher(name).matches();
    }

    /**
     * @param dir a snippet folder
     * @return {@link SnippetState#IN_PROGRESS} if a draft is kept, else {@link SnippetState#DONE}
     *     if a human map was saved, else {@link SnippetState#NEW}
     * @since 0.1.0
     */
    public static SnippetState state(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (Files.isRegularFile(dir.resolve(DRAFT_INFO_FILE))) {
            return SnippetState.IN_PROGRESS;
        }
        if (Files.isRegularFile(dir.resolve(HumanMaps.INFO_FILE))
                && Files.isRegularFile(dir.resolve(HumanMaps.MAP_FILE))) {
            return SnippetState.DONE;
        }
        return SnippetState.NEW;
    }

    /**
     * Reads the kept draft, if any.
     *
     * @param dir the snippet folder
     * @return the draft; empty if there is none
     * @throws IllegalArgumentException naming the file if the draft is damaged
     * @throws IOException if it cannot be read
     * @since 0.1.0
     */
    public static Optional<Draft> readDraft(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Path info = dir.resolve(DRAFT_INFO_FILE);
        Path mapFile = dir.resolve(DRAFT_MAP_FILE);
        if (!Files.isRegularFile(info)) {
            return Optional.empty();
        }
        String source = "file " + info;
        JsonNode root = parse(Files.readString(info, StandardCharsets.UTF_8), source);
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = root.path("labels");
        if (!l.isObject() && !l.isMissingNode() && !l.isNull()) {
            throw new IllegalArgumentException(source + ": labels must be an object of tier ->"
                    + " value");
        }
        l.fields().forEachRemaining(e -> labels.put(e.getKey(), label(e, source)));
        JsonNode frame = root.get("frame");
        JsonNode sigma = root.get("sigma");
        if (frame == null || !frame.isIntegralNumber() || sigma == null || !sigma.isNumber()) {
            throw new IllegalArgumentException(source + ": needs a whole number \"frame\" and a"
                    + " number \"sigma\"");
        }
        Volume map;
        try {
            map = Npy.read(mapFile).toVolume();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("file " + mapFile + ": " + e.getMessage(), e);
        }
        try {
            return Optional.of(new Draft(map, labels, frame.asInt(), sigma.asDouble()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("files " + mapFile + ", " + info + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Keeps a draft: the map, then the description, each replaced atomically.
     *
     * @param dir the snippet folder (must exist)
     * @param draft the draft
     * @throws IOException if it cannot be written (each file is then either old or new)
     * @since 0.1.0
     */
    public static void writeDraft(Path dir, Draft draft) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(draft, "draft");
        Npy.write(dir.resolve(DRAFT_MAP_FILE),
                NpyArray.ofVolume(draft.map(), NpyArray.DType.FLOAT32));
        ObjectNode root = JSON.createObjectNode();
        ObjectNode l = root.putObject("labels");
        draft.labels().forEach(l::put);
        root.put("frame", draft.frame());
        root.put("sigma", draft.sigma());
        AtomicFiles.writeBytes(dir.resolve(DRAFT_INFO_FILE), toBytes(root),
                AtomicFiles.Sync.FSYNC);
    }

    /**
     * Saves the finished map with {@link HumanMaps#write}, then drops the draft.
     *
     * @param dir the snippet folder (must exist)
     * @param map the map and its description
     * @throws IOException if it cannot be written; the draft is kept then
     * @since 0.1.0
     */
    public static void save(Path dir, HumanAttentionMap map) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "snippet folder missing");
        }
        HumanMaps.write(dir, map);
        // the description goes first: without it the folder reads as not in progress
        Files.deleteIfExists(dir.resolve(DRAFT_INFO_FILE));
        Files.deleteIfExists(dir.resolve(DRAFT_MAP_FILE));
    }

    private static String label(Map.Entry<String, JsonNode> e, String source) {
        if (!e.getValue().isTextual()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: label \"%s\" is %s, expected a string", source, e.getKey(),
                    e.getValue()));
        }
        return e.getValue().asText();
    }

    private static JsonNode parse(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: not JSON: %s",
                    source, e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        return root;
    }

    private static String text(JsonNode obj, String key, String source) {
        JsonNode n = obj.get(key);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %s must be a non-blank string, found %s", source, key, n));
        }
        return n.asText();
    }

    private static byte[] toBytes(ObjectNode root) {
        try {
            return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree of strings and numbers could not be"
                    + " written", e);
        }
    }
}
