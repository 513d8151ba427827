package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.core.video.CacheStatus;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ClipInfo;
import org.engagement4j.core.video.ClipSettings;
import org.engagement4j.core.video.VideoInfo;
import org.engagement4j.core.video.VideoPreprocessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engagement clip-info CLIP}: what a clip directory holds and where it came from; with
 * {@code --check VIDEO}, whether it is still fresh for that recording.
 */
@Command(name = "clip-info", mixinStandardHelpOptions = true,
        header = "Describe a cached clip: shape, frame rate, source.",
        description = {"Describe a clip made by 'engagement preprocess': shape, frame rate,",
            "settings, the source recording (size, SHA-256) and its video stream."})
final class ClipInfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLIP", description = "The clip directory.")
    Path clipDir;

    @Option(names = "--check", paramLabel = "VIDEO",
            description = "Also say whether the clip is fresh for this recording.")
    Path check;

    @Option(names = "--times", description = "Also list the source time of every frame.")
    boolean times;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Clip clip = Clip.open(clipDir);
        ClipInfo info = clip.info().orElseThrow();
        CacheStatus status = check == null ? null
                : VideoPreprocessor.reference().withSettings(info.settings()).check(check, clipDir);
        ClipSettings s = info.settings();
        VideoInfo v = info.video();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("clip", clipDir.toString());
            root.put("format_version", info.formatVersion());
            root.put("frames", clip.frames());
            root.put("height", clip.height());
            root.put("width", clip.width());
            root.put("fps", clip.fps());
            root.put("duration_s", clip.durationSeconds());
            ObjectNode settings = root.putObject("settings");
            settings.put("height", s.height());
            settings.put("fps", s.fps());
            settings.put("aspect", s.aspect().name());
            settings.put("selection", s.selection().name());
            settings.put("deinterlace", s.deinterlace().name());
            ObjectNode source = root.putObject("source");
            source.put("path", info.source().path());
            source.put("size", info.source().size());
            source.put("modified", info.source().modified().toString());
            source.put("sha256", info.source().sha256());
            ObjectNode video = root.putObject("video");
            video.put("container", v.container());
            video.put("codec", v.codec());
            video.put("stored_width", v.storedWidth());
            video.put("stored_height", v.storedHeight());
            video.put("sar", v.sarNum() + ":" + v.sarDen());
            video.put("display_width", v.displayWidth());
            video.put("display_height", v.displayHeight());
            video.put("rotation", v.rotation());
            video.put("field_order", v.fieldOrder());
            video.put("frame_rate", v.frameRate());
            if (v.durationMicros().isPresent()) {
                video.put("duration_s", v.durationMicros().getAsLong() / 1e6);
            } else {
                video.putNull("duration_s");
            }
            root.put("decoded_frames", info.decodedFrames());
            root.put("decode_errors", info.decodeErrors());
            root.put("library_version", info.libraryVersion());
            root.put("created", info.created().toString());
            if (status != null) {
                ObjectNode st = root.putObject("status");
                st.put("video", check.toString());
                st.put("state", status.state().name());
                st.put("reason", status.reason());
            }
            if (times) {
                ArrayNode arr = root.putArray("frame_times_us");
                for (long t : info.frameTimesMicros()) {
                    arr.add(t);
                }
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "clip       %s (format %d)%n", clipDir, info.formatVersion());
            out.printf(Locale.ROOT, "frames     %d x %dx%d RGB uint8 at %s fps (%.3f s)%n",
                    clip.frames(), clip.width(), clip.height(), s.fps(), clip.durationSeconds());
            out.printf(Locale.ROOT, "settings   height %d, aspect %s, selection %s, "
                    + "deinterlace %s%n", s.height(), s.aspect(), s.selection(),
                    s.deinterlace());
            out.printf(Locale.ROOT, "source     %s%n", info.source().path());
            out.printf(Locale.ROOT, "           %d bytes, modified %s%n", info.source().size(),
                    info.source().modified());
            out.printf(Locale.ROOT, "           sha256 %s%n", info.source().sha256());
            out.printf(Locale.ROOT, "video      %s in %s, %dx%d, sample aspect %d:%d "
                    + "(shown %dx%d), rotation %d, %s, %s fps, %s%n", v.codec(), v.container(),
                    v.storedWidth(), v.storedHeight(), v.sarNum(), v.sarDen(), v.displayWidth(),
                    v.displayHeight(), v.rotation(), v.fieldOrder(), v.frameRate(),
                    v.durationMicros().isPresent()
                            ? String.format(Locale.ROOT, "%.3f s",
                                    v.durationMicros().getAsLong() / 1e6)
                            : "duration unknown");
            out.printf(Locale.ROOT, "decoding   %d frames, %d error(s)%n", info.decodedFrames(),
                    info.decodeErrors());
            out.printf(Locale.ROOT, "written    %s by engagement4j %s%n", info.created(),
                    info.libraryVersion());
            if (status != null) {
                out.printf(Locale.ROOT, "status     %s for %s: %s%n", status.state(), check,
                        status.reason());
            }
            if (times) {
                long[] t = info.frameTimesMicros();
                for (int i = 0; i < t.length; i++) {
                    out.printf(Locale.ROOT, "frame %5d  %.6f s%n", i, t[i] / 1e6);
                }
            }
        }
        out.flush();
        return 0;
    }
}
