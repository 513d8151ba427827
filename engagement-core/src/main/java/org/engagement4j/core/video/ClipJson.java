package org.engagement4j.core.video;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The {@code clip.json} side of a clip: {@link ClipInfo} to and from JSON, field by field, so the
 * file is stable and readable from any language (see {@link Clip} for the format).
 */
final class ClipJson {

    /** Marks the file as ours. */
    static final String FORMAT_NAME = "engagement4j-clip";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ClipJson() {
    }

    static byte[] write(ClipInfo info) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("format_version", info.formatVersion());
        root.put("data_file", Clip.DATA_FILE);
        root.put("dtype", "uint8");
        root.put("layout", "THWC");
        root.put("frames", info.frames());
        root.put("height", info.height());
        root.put("width", info.width());
        root.put("channels", 3);
        root.put("fps", info.fps());
        ObjectNode settings = root.putObject("settings");
        settings.put("height", info.settings().height());
        settings.put("fps", info.settings().fps());
        settings.put("aspect", info.settings().aspect().name());
        settings.put("selection", info.settings().selection().name());
        settings.put("deinterlace", info.settings().deinterlace().name());
        ObjectNode source = root.putObject("source");
        source.put("path", info.source().path());
        source.put("size", info.source().size());
        source.put("modified", info.source().modified().toString());
        source.put("sha256", info.source().sha256());
        VideoInfo v = info.video();
        ObjectNode video = root.putObject("video");
        video.put("container", v.container());
        video.put("codec", v.codec());
        video.put("stored_width", v.storedWidth());
        video.put("stored_height", v.storedHeight());
        video.put("sar_num", v.sarNum());
        video.put("sar_den", v.sarDen());
        video.put("rotation", v.rotation());
        video.put("field_order", v.fieldOrder());
        video.put("frame_rate", v.frameRate());
        if (v.durationMicros().isPresent()) {
            video.put("duration_us", v.durationMicros().getAsLong());
        } else {
            video.putNull("duration_us");
        }
        video.put("display_width", v.displayWidth());
        video.put("display_height", v.displayHeight());
        root.put("decoded_frames", info.decodedFrames());
        root.put("decode_errors", info.decodeErrors());
        ArrayNode times = root.putArray("frame_times_us");
        for (long t : info.frameTimesMicros()) {
            times.add(t);
        }
        root.put("library_version", info.libraryVersion());
        root.put("created", info.created().toString());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /**
     * @param bytes the file's content
     * @param file the file, for messages
     * @return the clip's description
     * @throws IllegalArgumentException naming the file and the field if the JSON is not a clip
     *     description this version understands
     */
    static ClipInfo read(byte[] bytes, Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw bad(file, "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw bad(file, "not readable as JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "not a JSON object");
        }
        String format = text(root, "format", file);
        if (!format.equals(FORMAT_NAME)) {
            throw bad(file, "format is '" + format + "', expected '" + FORMAT_NAME + "'");
        }
        int version = integer(root, "format_version", file);
        if (version != ClipInfo.FORMAT_VERSION) {
            throw bad(file, String.format(Locale.ROOT,
                    "format_version %d is not supported (this library reads %d)", version,
                    ClipInfo.FORMAT_VERSION));
        }
        try {
            JsonNode s = object(root, "settings", file);
            ClipSettings settings = new ClipSettings(integer(s, "height", file),
                    number(s, "fps", file),
                    AspectMode.valueOf(text(s, "aspect", file)),
                    FrameSelection.valueOf(text(s, "selection", file)),
                    Deinterlace.valueOf(text(s, "deinterlace", file)));
            JsonNode src = object(root, "source", file);
            SourceFile source = new SourceFile(text(src, "path", file), longValue(src, "size", file),
                    Instant.parse(text(src, "modified", file)), text(src, "sha256", file));
            JsonNode v = object(root, "video", file);
            JsonNode dur = v.get("duration_us");
            OptionalLong duration = dur == null || dur.isNull() ? OptionalLong.empty()
                    : OptionalLong.of(longValue(v, "duration_us", file));
            VideoInfo video = new VideoInfo(text(v, "container", file), text(v, "codec", file),
                    integer(v, "stored_width", file), integer(v, "stored_height", file),
                    integer(v, "sar_num", file), integer(v, "sar_den", file),
                    integer(v, "rotation", file), text(v, "field_order", file),
                    number(v, "frame_rate", file), duration);
            JsonNode times = root.get("frame_times_us");
            if (times == null || !times.isArray()) {
                throw bad(file, "field 'frame_times_us' must be an array of integers");
            }
            long[] t = new long[times.size()];
            for (int i = 0; i < t.length; i++) {
                if (!times.get(i).canConvertToLong() || !times.get(i).isIntegralNumber()) {
                    throw bad(file, "frame_times_us[" + i + "] is not an integer");
                }
                t[i] = times.get(i).asLong();
            }
            int frames = integer(root, "frames", file);
            double fps = number(root, "fps", file);
            if (fps != settings.fps()) {
                throw bad(file, String.format(Locale.ROOT,
                        "fps %s differs from settings.fps %s", fps, settings.fps()));
            }
            if (integer(root, "channels", file) != 3 || !text(root, "dtype", file).equals("uint8")
                    || !text(root, "layout", file).equals("THWC")) {
                throw bad(file, "only uint8 THWC clips with 3 channels are supported");
            }
            return new ClipInfo(version, frames, integer(root, "height", file),
                    integer(root, "width", file), settings, source, video,
                    longValue(root, "decoded_frames", file), longValue(root, "decode_errors", file),
                    t, text(root, "library_version", file),
                    Instant.parse(text(root, "created", file)));
        } catch (DateTimeParseException e) {
            throw bad(file, "a time stamp is not an ISO-8601 instant: " + e.getParsedString());
        } catch (BadClip e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw bad(file, e.getMessage());
        }
    }

    /** An already-worded refusal, rethrown unchanged by the generic handler above. */
    private static final class BadClip extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadClip(String message) {
            super(message);
        }
    }

    private static BadClip bad(Path file, String detail) {
        return new BadClip(String.format(Locale.ROOT, "clip %s: %s", file, detail));
    }

    private static JsonNode field(JsonNode n, String name, Path file) {
        JsonNode f = n.get(name);
        if (f == null || f.isNull()) {
            throw bad(file, "missing field '" + name + "'");
        }
        return f;
    }

    private static JsonNode object(JsonNode n, String name, Path file) {
        JsonNode f = field(n, name, file);
        if (!f.isObject()) {
            throw bad(file, "field '" + name + "' must be an object");
        }
        return f;
    }

    private static String text(JsonNode n, String name, Path file) {
        JsonNode f = field(n, name, file);
        if (!f.isTextual()) {
            throw bad(file, "field '" + name + "' must be a string");
        }
        return f.asText();
    }

    private static int integer(JsonNode n, String name, Path file) {
        JsonNode f = field(n, name, file);
        if (!f.isIntegralNumber() || !f.canConvertToInt()) {
            throw bad(file, "field '" + name + "' must be an integer");
        }
        return f.asInt();
    }

    private static long longValue(JsonNode n, String name, Path file) {
        JsonNode f = field(n, name, file);
        if (!f.isIntegralNumber() || !f.canConvertToLong()) {
            throw bad(file, "field '" + name + "' must be an integer");
        }
        return f.asLong();
    }

    private static double number(JsonNode n, String name, Path file) {
        JsonNode f = field(n, name, file);
        if (!f.isNumber()) {
            throw bad(file, "field '" + name + "' must be a number");
        }
        return f.asDouble();
    }
}
