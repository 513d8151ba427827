package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.core.video.AspectMode;
import org.engagement4j.core.video.CacheStatus;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ClipInfo;
import org.engagement4j.core.video.ClipSettings;
import org.engagement4j.core.video.Deinterlace;
import org.engagement4j.core.video.FrameSelection;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoInfo;
import org.engagement4j.core.video.VideoPreprocessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engagement preprocess VIDEO --out CLIP}: decodes a recording and writes the clip the
 * network reads (REFERENCE.md §2), with a progress bar on stderr. A clip that is already fresh for
 * the recording and the settings is kept unless {@code --force}.
 */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        header = "Decode a recording into the 160 px, 3.125 fps clip cache.",
        description = {"Decode a recording (MP4, AVCHD .MTS, anything FFmpeg reads) and write a",
            "clip directory: frames of height 160 (width a multiple of 16) at 3.125 fps, RGB uint8",
            "(frames.npy, [T,H,W,3]) with its description (clip.json). A fresh clip is kept."})
final class PreprocessCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VIDEO", description = "The recording.")
    Path video;

    @Option(names = "--out", required = true, paramLabel = "CLIP",
            description = "Clip directory to write (created or replaced as a whole).")
    Path out;

    @Option(names = "--height", defaultValue = "160", paramLabel = "PX",
            description = "Output height in pixels (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--fps", defaultValue = "3.125", paramLabel = "FPS",
            description = "Output frames per second (default: ${DEFAULT-VALUE} = 25/8).")
    double fps;

    @Option(names = "--aspect", defaultValue = "STORAGE", paramLabel = "MODE",
            description = "Width from the stored (reference, 208 for the paper's camera) or the "
                    + "displayed aspect: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    AspectMode aspect;

    @Option(names = "--selection", defaultValue = "NEAREST", paramLabel = "RULE",
            description = "Frame per output slot: nearest in time, or what ffmpeg's fps filter "
                    + "picks: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FrameSelection selection;

    @Option(names = "--deinterlace", defaultValue = "OFF", paramLabel = "MODE",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Deinterlace deinterlace;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Decoder threads, 0 for one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-decode-errors", paramLabel = "N",
            description = "Refuse the recording after N undecodable packets (default: no limit).")
    Long maxDecodeErrors;

    @Option(names = "--force", description = "Remake the clip even if it is fresh.")
    boolean force;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ClipSettings settings = new ClipSettings(height, fps, aspect, selection, deinterlace);
        VideoPreprocessor pre = VideoPreprocessor.reference().withSettings(settings)
                .withDecoderThreads(threads);
        if (maxDecodeErrors != null) {
            pre = pre.withMaxDecodeErrors(maxDecodeErrors);
        }
        long start = System.nanoTime();
        CacheStatus status = pre.check(video, out);
        boolean reused = status.isFresh() && !force;
        Clip clip;
        if (reused) {
            clip = Clip.open(out);
        } else {
            ProgressBar bar = noProgress ? null : new ProgressBar(spec.commandLine().getErr());
            try {
                clip = pre.preprocess(video, out, bar == null ? ProgressListener.NONE : bar);
            } finally {
                if (bar != null) {
                    bar.end();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ClipInfo info = clip.info().orElseThrow();
        VideoInfo v = info.video();
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("video", video.toString());
            root.put("clip", out.toString());
            root.put("reused", reused);
            root.put("frames", clip.frames());
            root.put("height", clip.height());
            root.put("width", clip.width());
            root.put("fps", clip.fps());
            root.put("decoded_frames", info.decodedFrames());
            root.put("decode_errors", info.decodeErrors());
            root.put("sha256", info.source().sha256());
            root.put("seconds", seconds);
            o.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            o.printf(Locale.ROOT, "%s %s: %d frames of %dx%d at %s fps%n",
                    reused ? "kept fresh clip" : "wrote", out, clip.frames(), clip.width(),
                    clip.height(), fmt(clip.fps()));
            o.printf(Locale.ROOT, "from %s (%s, %s %dx%d, sample aspect %d:%d, %s, %s fps), "
                    + "%d frames decoded, %d decoding error(s), %.1f s%n", video, v.container(),
                    v.codec(), v.storedWidth(), v.storedHeight(), v.sarNum(), v.sarDen(),
                    v.fieldOrder(), fmt(v.frameRate()), info.decodedFrames(),
                    info.decodeErrors(), seconds);
        }
        o.flush();
        return 0;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * Draws {@code [#####.....]  42%  50.4 / 120.0 s} on one line of stderr, redrawn when the
     * shown percentage changes; seconds only when the total is unknown.
     */
    static final class ProgressBar implements ProgressListener {

        private static final int WIDTH = 30;

        private final PrintWriter err;
        private int shownPercent = -1;
        private long shownSeconds = -1;
        private boolean drawn;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(long done, long total) {
            if (total > 0) {
                int pct = (int) Math.min(100, done * 100 / total);
                if (pct == shownPercent) {
                    return;
                }
                shownPercent = pct;
                int filled = pct * WIDTH / 100;
                err.printf(Locale.ROOT, "\r[%s%s] %3d%%  %.1f / %.1f s", "#".repeat(filled),
                        ".".repeat(WIDTH - filled), pct, done / 1000.0, total / 1000.0);
            } else {
                long s = done / 1000;
                if (s == shownSeconds) {
                    return;
                }
                shownSeconds = s;
                err.printf(Locale.ROOT, "\r%.1f s decoded", done / 1000.0);
            }
            drawn = true;
            err.flush();
        }

        /** Ends the bar's line, if one was drawn. */
        void end() {
            if (drawn) {
                err.println();
                err.flush();
            }
        }
    }
}
