package org.engagement4j.examples.demo;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.Engagement4j;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.elan.SyntheticCoding;
import org.engagement4j.core.elan.SyntheticSession;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.video.ClipSettings;
import org.engagement4j.core.video.Mp4Writer;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.core.video.VideoInfo;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a synthetic guided-play benchmark (issue 8): recordings of a table scene seen from
 * the side whose engagement episodes follow known rules, the ELAN files of 2–3 simulated coders
 * with controlled disagreement, the hidden truth, and per-frame masks of where the deciding
 * evidence lies. It stands in for the paper's private recordings (Fraile et al., ICMI 2022,
 * §3) in the demo, and catches attention methods that ignore the evidence region.
 *
 * <h2>What is in a recording</h2>
 * The truth and the coders come from {@link SyntheticCoding} (three task spans dolls, shaker,
 * drum; engaged episodes per variable; coders who shift boundaries, miss and add episodes). The
 * picture follows the truth (see {@code SceneRenderer}): the infant's face turned to the
 * experimenter means social engagement; the infant's arm reaching out, lifting and shaking the
 * toy means task engagement; outside the task spans there is no toy. Nuisance (textured
 * background, clothing colours, the experimenter's moving arm, brightness drift, sensor noise)
 * keeps the task from being a single pixel. All the evidence lies inside the centre square
 * crop of the clip that the network sees.
 *
 * <h2>Evidence masks</h2>
 * For each session and variable a uint8 array {@code [T, 160, W160]} of 0 and 1, aligned with
 * the clip {@link org.engagement4j.core.video.VideoPreprocessor#reference()} makes from the
 * video: frame {@code k} is the mask of the source frame nearest to {@code k x 320 ms} (earlier
 * on a tie), the frame {@link org.engagement4j.core.video.FrameSelection#NEAREST} keeps, and
 * {@code T} is that clip's frame count. Ones cover the infant's head (social engagement) or the
 * infant's hand and the toy (task engagement), engaged or not: where a human should look.
 *
 * <h2>Files, atomicity, speed</h2>
 * The layout is described in {@link GeneratedBenchmark}. Everything is written into a hidden
 * temporary folder beside {@code outDir} and moved into place at the end, so {@code outDir} holds
 * a whole benchmark or nothing new. Sessions are rendered and encoded in parallel (one H.264
 * encoder per session); the same seed and settings give byte-identical ELAN, truth, evidence and
 * description files and identical decoded frames, whatever the thread count.
 *
 * <p>Immutable; {@code withX} methods return new instances.
 *
 * @since 0.1.0
 */
public final class GuidedPlayGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(GuidedPlayGenerator.class);

    /** Longest session: keeps an evidence mask (about 33 kB per clip frame) well under 2 GB. */
    private static final long MAX_SESSION_MS = 1_800_000L;

    private final SyntheticCoding coding;
    private final int sessions;
    private final long sessionLengthMs;
    private final int coders;
    private final int width;
    private final int height;
    private final double fps;
    private final int threads;
    private final boolean overwrite;

    private GuidedPlayGenerator(SyntheticCoding coding, int sessions, long sessionLengthMs,
            int coders, int width, int height, double fps, int threads, boolean overwrite) {
        this.coding = coding;
        this.sessions = sessions;
        this.sessionLengthMs = sessionLengthMs;
        this.coders = coders;
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.threads = threads;
        this.overwrite = overwrite;
    }

    /**
     * @return 6 sessions of 90 s, 3 coders, 416 x 320 at 25 fps, {@link
     *     SyntheticCoding#withDefaults()} noise, one thread per core, no overwriting
     */
    public static GuidedPlayGenerator withDefaults() {
        return new GuidedPlayGenerator(SyntheticCoding.withDefaults(), 6, 90_000L, 3, 416, 320,
                25.0, 0, false);
    }

    /**
     * @param n number of sessions, 1 to 999, named {@code syn01, syn02, ...}
     * @return a copy with this many sessions
     * @throws IllegalArgumentException if out of range
     */
    public GuidedPlayGenerator withSessions(int n) {
        if (n < 1 || n > 999) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sessions: %d, must be 1 to 999", n));
        }
        return new GuidedPlayGenerator(coding, n, sessionLengthMs, coders, width, height, fps,
                threads, overwrite);
    }

    /**
     * @param ms session length, 60,000 ms ({@link SyntheticCoding}'s shortest) to 1,800,000 ms
     * @return a copy with this length
     * @throws IllegalArgumentException if out of range
     */
    public GuidedPlayGenerator withSessionLengthMs(long ms) {
        if (ms < 60_000L || ms > MAX_SESSION_MS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "session length: %d ms, must be 60000 to %d ms", ms, MAX_SESSION_MS));
        }
        return new GuidedPlayGenerator(coding, sessions, ms, coders, width, height, fps, threads,
                overwrite);
    }

    /**
     * @param n simulated coders per session ({@code coder1..coderN}), 1 to 10; the paper has 2
     *     or 3
     * @return a copy with this many coders
     * @throws IllegalArgumentException if out of range
     */
    public GuidedPlayGenerator withCoders(int n) {
        if (n < 1 || n > 10) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "coders: %d, must be 1 to 10", n));
        }
        return new GuidedPlayGenerator(coding, sessions, sessionLengthMs, n, width, height, fps,
                threads, overwrite);
    }

    /**
     * @param w video width, even, 32 to 1920 pixels
     * @param h video height, even, 32 to 1080 pixels; the clip is 160 high whatever it is
     * @return a copy with this frame size
     * @throws IllegalArgumentException if a side is odd or out of range
     */
    public GuidedPlayGenerator withFrameSize(int w, int h) {
        if (w < 32 || w > 1920 || h < 32 || h > 1080 || (w & 1) != 0 || (h & 1) != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "frame size: %dx%d, each side must be even, width 32 to 1920 and height 32 "
                            + "to 1080", w, h));
        }
        return new GuidedPlayGenerator(coding, sessions, sessionLengthMs, coders, w, h, fps,
                threads, overwrite);
    }

    /**
     * @param f video frame rate, 3.125 (the clip rate) to 60, at most 3 decimal places; the
     *     preprocessor resamples to 3.125 fps anyway, so a lower rate (e.g. 12.5) generates faster
     * @return a copy with this frame rate
     * @throws IllegalArgumentException if out of range or too finely spelled
     */
    public GuidedPlayGenerator withFps(double f) {
        if (!(f >= ClipSettings.REFERENCE_FPS && f <= 60)
                || BigDecimal.valueOf(f).stripTrailingZeros().scale() > 3) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fps: %s, must be 3.125 to 60 with at most 3 decimal places", f));
        }
        return new GuidedPlayGenerator(coding, sessions, sessionLengthMs, coders, width, height, f,
                threads, overwrite);
    }

    /**
     * @param c the coder simulation (jitter, miss and extra probabilities, episode lengths,
     *     date); its session length and coders are replaced by this generator's
     * @return a copy with this simulation
     */
    public GuidedPlayGenerator withCoding(SyntheticCoding c) {
        return new GuidedPlayGenerator(Objects.requireNonNull(c, "coding"), sessions,
                sessionLengthMs, coders, width, height, fps, threads, overwrite);
    }

    /**
     * @param n worker threads, 0 for one per core (the default), at most 64; results do not
     *     depend on it
     * @return a copy with this thread count
     * @throws IllegalArgumentException if out of range
     */
    public GuidedPlayGenerator withThreads(int n) {
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "threads: %d, must be 0 (one per core) to 64", n));
        }
        return new GuidedPlayGenerator(coding, sessions, sessionLengthMs, coders, width, height,
                fps, n, overwrite);
    }

    /**
     * @param on whether {@link #generate} may replace a non-empty {@code outDir} (the old
     *     content is removed only after the new benchmark is complete)
     * @return a copy with this setting
     */
    public GuidedPlayGenerator withOverwrite(boolean on) {
        return new GuidedPlayGenerator(coding, sessions, sessionLengthMs, coders, width, height,
                fps, threads, on);
    }

    /** @return the number of sessions */
    public int sessions() {
        return sessions;
    }

    /** @return the session length in ms */
    public long sessionLengthMs() {
        return sessionLengthMs;
    }

    /** @return the number of coders */
    public int coders() {
        return coders;
    }

    /** @return the video width */
    public int frameWidth() {
        return width;
    }

    /** @return the video height */
    public int frameHeight() {
        return height;
    }

    /** @return the video frame rate */
    public double fps() {
        return fps;
    }

    /**
     * @param index 1-based session index
     * @return {@code syn01}, {@code syn02}, ... ({@code syn100} after {@code syn99})
     */
    public static String sessionName(int index) {
        return String.format(Locale.ROOT, "syn%02d", index);
    }

    /** @return {@code {width, height}} of the clip the reference preprocessing makes */
    public int[] clipSize() {
        VideoInfo info = new VideoInfo("mp4", "h264", width, height, 1, 1, 0, "progressive", fps,
                OptionalLong.empty());
        return ClipSettings.reference().outputSize(info);
    }

    /** @return video frames per session: enough to cover the session length */
    public long videoFrames() {
        return ceilDiv(sessionLengthMs * fpsMilli(), 1_000_000L);
    }

    /**
     * @return clip frames per session: slots {@code k} with {@code k x 320 ms} before the end of
     *     the last video frame, as the preprocessor counts them
     */
    public int clipFrames() {
        // k * 8 / 25 < N / fps  <=>  k * 8 * fpsMilli < 25_000 * N
        return (int) ceilDiv(25_000L * videoFrames(), 8L * fpsMilli());
    }

    /**
     * @param k a clip frame index
     * @return the video frame the preprocessor keeps for it: the one nearest to
     *     {@code k x 320 ms}, the earlier on a tie, at most the last
     */
    public long sourceFrame(int k) {
        // nearest i to x = k * 8 * fpsMilli / 25000, ties down: ceil(x - 1/2)
        long i = ceilDiv(2L * k * 8 * fpsMilli() - 25_000L, 50_000L);
        return Math.min(Math.max(0, i), videoFrames() - 1);
    }

    private long fpsMilli() {
        return Math.round(fps * 1000);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * Generates the benchmark.
     *
     * @param outDir the folder to create; must be missing or empty unless {@link #withOverwrite}
     * @param seed the seed: the same seed and settings give the same benchmark
     * @param progress receives milliseconds of video rendered out of
     *     {@code sessions x sessionLengthMs}, in order, from the worker threads
     * @return the benchmark written
     * @throws FileAlreadyExistsException if {@code outDir} is a file, or a non-empty folder
     *     without overwriting
     * @throws IOException if writing or encoding fails (nothing is left at {@code outDir})
     */
    public GeneratedBenchmark generate(Path outDir, long seed, ProgressListener progress)
            throws IOException {
        Objects.requireNonNull(progress, "progress");
        Path out = outDir.toAbsolutePath().normalize();
        checkTarget(out);
        Path parent = out.getParent();
        Files.createDirectories(parent);
        long start = System.nanoTime();
        UniformRandomProvider master = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        long codingSeed = master.nextLong();
        List<String> names = new ArrayList<>(sessions);
        for (int i = 1; i <= sessions; i++) {
            names.add(sessionName(i));
        }
        List<SyntheticSession> coded = coding.withSessionLengthMs(sessionLengthMs)
                .withCoders(coders).generateAll(names, codingSeed);
        long[] renderSeeds = new long[sessions];
        for (int i = 0; i < sessions; i++) {
            renderSeeds[i] = master.nextLong();
        }
        int[] clip = clipSize();
        Path temp = AtomicFiles.siblingDirectory(out.toAbsolutePath());
        try {
            for (String d : List.of("videos", GeneratedBenchmark.ELAN_FOLDER, "truth",
                    "evidence")) {
                Files.createDirectories(temp.resolve(d));
            }
            Progress shared = new Progress(progress, (long) sessions * sessionLengthMs);
            int pool = threads > 0 ? threads
                    : Math.max(1, Runtime.getRuntime().availableProcessors());
            ExecutorService exec = Executors.newFixedThreadPool(Math.min(pool, sessions));
            List<Future<GeneratedSession>> jobs = new ArrayList<>();
            try {
                for (int i = 0; i < sessions; i++) {
                    SyntheticSession s = coded.get(i);
                    long rs = renderSeeds[i];
                    jobs.add(exec.submit(() -> session(temp, out, s, rs, clip, shared)));
                }
                List<GeneratedSession> done = new ArrayList<>(sessions);
                for (Future<GeneratedSession> f : jobs) {
                    done.add(await(f));
                }
                GeneratedBenchmark b = new GeneratedBenchmark(out, done, seed,
                        coded.get(0).coders(), width, height, fps, clip[0], clip[1],
                        ClipSettings.REFERENCE_FPS, Engagement4j.VERSION);
                Files.write(temp.resolve(GeneratedBenchmark.DESCRIPTION_FILE),
                        GuidedPlayFiles.benchmarkJson(b, sessionLengthMs));
                shared.finish();
                install(temp, out);
                LOG.info("generated {} sessions of {} ms at {}x{} {} fps into {} in {} s",
                        sessions, sessionLengthMs, width, height, fps, out,
                        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
                return b;
            } finally {
                exec.shutdownNow();
            }
        } finally {
            if (Files.exists(temp)) {
                deleteTree(temp);
            }
        }
    }

    private void checkTarget(Path out) throws IOException {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new FileAlreadyExistsException(out.toString(), null,
                        "is a file, not a benchmark folder");
            }
            if (!overwrite && !isEmpty(out)) {
                throw new FileAlreadyExistsException(out.toString(), null,
                        "is not empty; choose a new or empty folder, or overwrite it");
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** Moves the finished temporary folder to {@code out}, removing what was there after. */
    private void install(Path temp, Path out) throws IOException {
        checkTarget(out);
        Path old = null;
        if (Files.exists(out)) {
            old = out.resolveSibling("." + out.getFileName() + ".old-"
                    + Long.toUnsignedString(System.nanoTime(), 36));
            move(out, old);
        }
        try {
            move(temp, out);
        } catch (IOException e) {
            if (old != null) {
                move(old, out);
            }
            throw e;
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        AtomicFiles.moveDirectory(from, to);
    }

    private static void deleteTree(Path dir) throws IOException {
        AtomicFiles.deleteTree(dir);
    }

    private static GeneratedSession await(Future<GeneratedSession> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("benchmark generation was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException("benchmark generation failed: " + c, c);
        }
    }

    /** Renders, encodes and writes one session into {@code temp}; paths point into {@code out}. */
    private GeneratedSession session(Path temp, Path out, SyntheticSession s, long renderSeed,
            int[] clip, Progress progress) throws IOException {
        String name = s.session();
        CoderAnnotations truth = s.truth();
        SceneRenderer scene = new SceneRenderer(truth, renderSeed, width, height, fpsMilli());
        long frames = videoFrames();
        int[] buf = new int[width * height];
        int[] pixels = new int[width * height];
        Path video = temp.resolve("videos").resolve(name + ".mp4");
        long reportEvery = Math.max(1, Math.round(fps));
        long reported = 0;
        try (Mp4Writer mp4 = Mp4Writer.open(video, width, height, fps)) {
            try {
                for (long i = 0; i < frames; i++) {
                    scene.render(i, buf, pixels);
                    mp4.writeFrame(pixels);
                    if ((i + 1) % reportEvery == 0 || i + 1 == frames) {
                        long now = Math.min(sessionLengthMs, scene.timeMs(i + 1));
                        progress.add(now - reported);
                        reported = now;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedIOException("generation of " + name
                                + " was interrupted");
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                mp4.abort();
                throw e;
            }
        }
        List<Path> elan = new ArrayList<>();
        for (Path p : s.writeTo(temp.resolve(GeneratedBenchmark.ELAN_FOLDER))) {
            elan.add(out.resolve(GeneratedBenchmark.ELAN_FOLDER).resolve(p.getFileName()));
        }
        Files.write(temp.resolve("truth").resolve(name + ".json"),
                GuidedPlayFiles.truthJson(name, sessionLengthMs, truth));
        int t = clipFrames();
        byte[][] masks = masks(scene, t, clip[0], clip[1]);
        Path[] evidence = new Path[2];
        for (Variable v : Variable.values()) {
            String file = name + "_" + GuidedPlayFiles.key(v) + ".npy";
            Npy.write(temp.resolve("evidence").resolve(file),
                    NpyArray.ofBytes(masks[v.ordinal()], t, clip[1], clip[0]));
            evidence[v.ordinal()] = out.resolve("evidence").resolve(file);
        }
        return new GeneratedSession(name, out.resolve("videos").resolve(name + ".mp4"), elan,
                out.resolve("truth").resolve(name + ".json"),
                evidence[Variable.TASK_ENGAGEMENT.ordinal()],
                evidence[Variable.SOCIAL_ENGAGEMENT.ordinal()], sessionLengthMs, t);
    }

    /** The two masks, indexed by {@link Variable#ordinal()}, of {@code t} clip frames. */
    private byte[][] masks(SceneRenderer scene, int t, int cw, int ch) {
        int plane = cw * ch;
        byte[][] m = {new byte[t * plane], new byte[t * plane]};
        double sx = (double) cw / width;
        double sy = (double) ch / height;
        for (int k = 0; k < t; k++) {
            SceneRenderer.Evidence e = scene.evidence(sourceFrame(k));
            int off = k * plane;
            fill(m[Variable.SOCIAL_ENGAGEMENT.ordinal()], off, cw, ch, e.head(), sx, sy);
            byte[] task = m[Variable.TASK_ENGAGEMENT.ordinal()];
            fill(task, off, cw, ch, e.hand(), sx, sy);
            if (e.toy() != null) {
                fill(task, off, cw, ch, e.toy(), sx, sy);
            }
        }
        return m;
    }

    /** Sets every clip pixel that a scaled source box touches. */
    private static void fill(byte[] m, int off, int cw, int ch, SceneRenderer.Box b, double sx,
            double sy) {
        int x0 = Math.max(0, (int) Math.floor(b.x0() * sx));
        int x1 = Math.min(cw, (int) Math.ceil(b.x1() * sx));
        int y0 = Math.max(0, (int) Math.floor(b.y0() * sy));
        int y1 = Math.min(ch, (int) Math.ceil(b.y1() * sy));
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[off + y * cw + x] = 1;
            }
        }
    }

    /** Sums progress from several workers and reports it in order, never decreasing. */
    private static final class Progress {
        private final ProgressListener listener;
        private final long total;
        private long done;

        Progress(ProgressListener listener, long total) {
            this.listener = listener;
            this.total = total;
        }

        synchronized void add(long ms) {
            done = Math.min(total, done + Math.max(0, ms));
            listener.progress(done, total);
        }

        synchronized void finish() {
            done = total;
            listener.progress(done, total);
        }
    }
}
