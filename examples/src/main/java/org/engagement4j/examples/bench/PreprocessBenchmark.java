package org.engagement4j.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;
import org.engagement4j.core.video.Clip;
import org.engagement4j.core.video.ClipSettings;
import org.engagement4j.core.video.FrameSelection;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoPreprocessor;

/**
 * Speed of the reference preprocessing: a generated recording like the paper's camera output
 * (1440x1080, 25 fps, H.264 at about 6 Mb/s, with temporal noise so the encoder cannot cheat;
 * 2 minutes by default) is turned into 160-pixel-high RGB frames at 3.125 fps by our
 * {@link VideoPreprocessor} and by the {@code ffmpeg} command line running the reference's filter
 * ({@code -an -vf scale=-16:160,fps=fps=25/8}, RGB24 written to a file). Each side runs once to
 * warm caches, then {@code --repeats} times alternating; the medians, their ratio (goal: ours at
 * most 1.2 times ffmpeg's) and our peak heap are printed.
 *
 * <p>The reference side uses the {@code ffmpeg} executable shipped in the {@code org.bytedeco:ffmpeg}
 * jar (the same FFmpeg libraries as ours) unless {@code --ffmpeg PATH} names another. The recording
 * is made with a system {@code ffmpeg} that has libx264 (High profile with B-frames, like a
 * camera) when there is one, else with the shipped one and OpenH264 (baseline).
 *
 * <p>Usage: {@code PreprocessBenchmark [--seconds 120] [--repeats 3] [--bitrate 6M]
 * [--work DIR] [--ffmpeg PATH]}. Run it with {@code tools/bench/preprocess.sh}.
 */
public final class PreprocessBenchmark {

    private PreprocessBenchmark() {
    }

    /**
     * The measured numbers.
     *
     * @param frames output frames
     * @param oursSeconds median wall time of our preprocessing
     * @param ffmpegSeconds median wall time of the ffmpeg command line
     * @param peakHeapBytes the largest heap use seen during our runs (sum of heap pool peaks)
     * @param encoder the H.264 encoder that made the recording
     */
    public record Result(int frames, double oursSeconds, double ffmpegSeconds, long peakHeapBytes,
            String encoder) {

        /** @return ours / ffmpeg */
        public double ratio() {
            return oursSeconds / ffmpegSeconds;
        }
    }

    /**
     * Entry point.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int seconds = 120;
        int repeats = 3;
        String bitrate = "6M";
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "engagement4j-bench");
        String ffmpeg = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--bitrate" -> bitrate = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                case "--ffmpeg" -> ffmpeg = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Result r = run(work, seconds, bitrate, repeats, ffmpeg, System.out);
        System.out.printf(Locale.ROOT, "ratio ours / ffmpeg = %.3f (goal <= 1.2)%n", r.ratio());
    }

    /**
     * Generates (or reuses) the recording and measures both sides.
     *
     * @param work folder for the recording and the outputs
     * @param seconds recording length
     * @param bitrate H.264 bit rate in ffmpeg's notation ({@code 6M})
     * @param repeats measured runs per side
     * @param ffmpegPath the reference ffmpeg, or null for the shipped one
     * @param log where progress and results are printed
     * @return the numbers
     * @throws IOException if a run fails
     * @throws InterruptedException if interrupted while waiting for ffmpeg
     */
    public static Result run(Path work, int seconds, String bitrate, int repeats,
            String ffmpegPath, PrintStream log) throws IOException, InterruptedException {
        Files.createDirectories(work);
        String reference = ffmpegPath != null ? ffmpegPath : shippedFfmpeg();
        if (reference == null) {
            throw new IOException("no runnable ffmpeg executable (give one with --ffmpeg)");
        }
        String system = runs("ffmpeg") && hasEncoder("ffmpeg", "libx264") ? "ffmpeg" : null;
        String maker = system != null ? system : reference;
        String encoder = system != null ? "libx264" : "libopenh264";
        Path recording = work.resolve(String.format(Locale.ROOT, "camera-%ds-%s-%s.mp4", seconds,
                bitrate, encoder));
        if (!Files.exists(recording)) {
            log.printf(Locale.ROOT, "recording %s (%d s, 1440x1080, 25 fps, %s, %s)...%n",
                    recording, seconds, encoder, bitrate);
            record(maker, recording, 1440, 1080, seconds, bitrate, encoder);
        }
        log.printf(Locale.ROOT, "recording %s: %.1f MB; reference ffmpeg: %s%n", recording,
                Files.size(recording) / 1e6, reference);
        Path raw = work.resolve("ffmpeg-out.rgb");
        Path clip = work.resolve("ours.clip");
        VideoPreprocessor ours = VideoPreprocessor.reference().withSettings(
                ClipSettings.reference().withSelection(FrameSelection.FFMPEG_FPS_FILTER));
        List<MemoryPoolMXBean> heap = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heap.add(p);
            }
        }
        double[] t1 = new double[repeats];
        double[] t2 = new double[repeats];
        long peak = 0;
        int frames = 0;
        for (int i = -1; i < repeats; i++) {
            double f = timeFfmpeg(reference, recording, raw);
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long s0 = System.nanoTime();
            Clip c = ours.preprocess(recording, clip, ProgressListener.NONE);
            double o = (System.nanoTime() - s0) / 1e9;
            long p = heap.stream().mapToLong(b -> b.getPeakUsage().getUsed()).sum();
            frames = c.frames();
            long expected = Files.size(raw) / c.frameBytes();
            if (expected != frames) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "ffmpeg wrote %d frames, we wrote %d", expected, frames));
            }
            if (i < 0) {
                log.printf(Locale.ROOT, "warm-up: ffmpeg %.2f s, ours %.2f s%n", f, o);
                continue;
            }
            t1[i] = o;
            t2[i] = f;
            peak = Math.max(peak, p);
            log.printf(Locale.ROOT, "run %d: ffmpeg %.2f s, ours %.2f s, our peak heap %.1f MB%n",
                    i + 1, f, o, p / 1e6);
        }
        Result r = new Result(frames, BenchStats.median(t1), BenchStats.median(t2), peak,
                encoder);
        log.printf(Locale.ROOT, "%d frames of %dx%d; median ours %.2f s, ffmpeg %.2f s; "
                + "peak heap %.1f MB%n", frames, 208, 160, r.oursSeconds(), r.ffmpegSeconds(),
                peak / 1e6);
        return r;
    }

    /**
     * Writes a noisy test recording with the ffmpeg command line.
     *
     * @param ffmpeg the executable
     * @param out the file (its extension picks the container: .mp4, .mts)
     * @param width picture width
     * @param height picture height
     * @param seconds length
     * @param bitrate H.264 bit rate ({@code 6M})
     * @param encoder {@code libx264} or {@code libopenh264}
     * @throws IOException if ffmpeg fails
     * @throws InterruptedException if interrupted
     */
    public static void record(String ffmpeg, Path out, int width, int height, int seconds,
            String bitrate, String encoder) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner",
                "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                String.format(Locale.ROOT,
                        "testsrc2=size=%dx%d:rate=25,noise=alls=12:allf=t+u", width, height),
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
                Integer.toString(seconds), "-c:v", encoder, "-b:v", bitrate, "-pix_fmt",
                "yuv420p"));
        if (encoder.equals("libx264")) {
            cmd.addAll(List.of("-preset", "veryfast", "-maxrate", bitrate, "-bufsize", "12M"));
        }
        cmd.addAll(List.of("-c:a", "aac", "-shortest", out.toString()));
        exec(cmd, 3600);
    }

    /**
     * @return the path of the {@code ffmpeg} executable shipped in the {@code org.bytedeco:ffmpeg}
     *     jar when it runs on this machine, else null
     */
    public static String shippedFfmpeg() {
        try {
            String path = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            return runs(path) ? path : null;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    private static double timeFfmpeg(String ffmpeg, Path in, Path raw)
            throws IOException, InterruptedException {
        long s0 = System.nanoTime();
        exec(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i",
                in.toString(), "-an", "-vf", "scale=-16:160,fps=fps=25/8", "-pix_fmt", "rgb24",
                "-f", "rawvideo", raw.toString()), 3600);
        return (System.nanoTime() - s0) / 1e9;
    }

    private static boolean runs(String exe) {
        try {
            exec(List.of(exe, "-hide_banner", "-version"), 60);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean hasEncoder(String exe, String name) {
        try {
            return exec(List.of(exe, "-hide_banner", "-encoders"), 60).contains(" " + name + " ");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String exec(List<String> cmd, int timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", cmd)
                    + "\n" + out);
        }
        return out;
    }
}
