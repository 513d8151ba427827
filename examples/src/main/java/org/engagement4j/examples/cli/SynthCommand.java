package org.engagement4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.examples.demo.GeneratedBenchmark;
import org.engagement4j.examples.demo.GuidedPlayGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement synth --out DIR}: writes a synthetic guided-play benchmark (videos, ELAN files
 * of simulated coders, hidden truth, evidence masks; see {@link GuidedPlayGenerator}) with a
 * progress bar on stderr.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        header = "Generate a synthetic guided-play benchmark with known evidence.",
        description = {"Write recordings of a table scene (infant, experimenter, toy) whose",
            "engagement follows known rules, ELAN files of simulated coders, the hidden truth and",
            "per-frame evidence masks aligned with the 3.125 fps clips. The same seed gives the",
            "same benchmark. DIR must be missing or empty unless --overwrite."})
final class SynthCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Benchmark folder to create.")
    Path out;

    @Option(names = "--sessions", defaultValue = "6", paramLabel = "N",
            description = "Recordings syn01..synNN (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--minutes", defaultValue = "1.5", paramLabel = "M",
            description = "Length of each recording, 1 to 30 (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--coders", defaultValue = "3", paramLabel = "K",
            description = "Simulated coders per recording (default: ${DEFAULT-VALUE}).")
    int coders;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fps", defaultValue = "25", paramLabel = "FPS",
            description = "Video frame rate, 3.125 to 60 (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--size", defaultValue = "416x320", paramLabel = "WxH",
            description = "Video frame size, even sides (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Worker threads, 0 for one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--overwrite", description = "Replace a non-empty DIR.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w;
        int h;
        try {
            w = Integer.parseInt(wh[0]);
            h = Integer.parseInt(wh.length == 2 ? wh[1] : "");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--size: '%s' must be WIDTHxHEIGHT, e.g. 416x320", size));
        }
        if (!(minutes >= 1 && minutes <= 30)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--minutes: %s, must be 1 to 30", minutes));
        }
        GuidedPlayGenerator gen = GuidedPlayGenerator.withDefaults().withSessions(sessions)
                .withSessionLengthMs(Math.round(minutes * 60_000)).withCoders(coders)
                .withFps(fps).withFrameSize(w, h).withThreads(threads).withOverwrite(overwrite);
        long start = System.nanoTime();
        PreprocessCommand.ProgressBar bar = noProgress ? null
                : new PreprocessCommand.ProgressBar(spec.commandLine().getErr());
        GeneratedBenchmark b;
        try {
            b = gen.generate(out, seed, bar == null ? ProgressListener.NONE : bar);
        } finally {
            if (bar != null) {
                bar.end();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: %d sessions (%s) of %.1f s, %dx%d at %s fps, coders %s,"
                + " seed %d, in %.1f s%n", b.root(), b.sessions().size(),
                String.join(", ", b.sessionNames()), gen.sessionLengthMs() / 1000.0, w, h,
                fmt(fps), b.coders(), seed, seconds);
        o.printf(Locale.ROOT, "clips and evidence masks: %d frames of %dx%d at %s fps per session;"
                + " ELAN files in %s%n", gen.clipFrames(), b.clipWidth(), b.clipHeight(),
                fmt(b.clipFps()), b.elanFolder());
        o.flush();
        return 0;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
