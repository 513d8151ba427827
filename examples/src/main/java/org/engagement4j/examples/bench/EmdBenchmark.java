package org.engagement4j.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.transport.Emd;

/**
 * Benchmark of the exact {@link Emd} against POT's {@code ot.emd2} (the LEMON network simplex of
 * Bonneel et al. 2011) on the paper's problem size, 32x32 maps with the Euclidean ground in
 * pixel-index units and the reference normalisation.
 *
 * <p>It generates seeded pairs of two kinds, {@code attention} (sums of blurred Gaussian blobs,
 * like attention maps) and {@code uniform} (uniform random values), writes them as raw
 * little-endian float64 files to a temporary folder, times {@link Emd} on one thread after a JIT
 * warm-up, runs {@code /usr/bin/python3 <script> <folder>} (see {@code tools/bench/pot_emd.py})
 * for POT's values and times on the same pairs, checks that the values agree to 1e-9 relative,
 * and prints pairs per second for both and their ratio, then the multi-threaded per-frame
 * throughput of {@link Emd#meanPerFrame}.
 *
 * <p>Usage: {@code EmdBenchmark [pairs per kind (30)] [POT script (tools/bench/pot_emd.py)]
 * [python (/usr/bin/python3)]}. Timings depend on the machine and its load; the ratio is what to
 * compare.
 */
public final class EmdBenchmark {

    private static final int SIZE = 32;
    private static final long SEED = 20220607L;
    private static final double AGREEMENT = 1e-9;

    private EmdBenchmark() {
    }

    /**
     * Per-kind results.
     *
     * @param kind map kind
     * @param pairs number of pairs
     * @param javaSeconds total Java time over the pairs (best of the timed rounds)
     * @param potSeconds total POT time over the pairs
     * @param worstRelativeDifference largest relative difference between the two values
     */
    public record KindResult(String kind, int pairs, double javaSeconds, double potSeconds,
            double worstRelativeDifference) {

        /** @return POT's time over ours: how many times faster the Java EMD is */
        public double speedup() {
            return potSeconds / javaSeconds;
        }
    }

    /**
     * Entry point.
     *
     * @param args pairs per kind, POT script, python executable (all optional)
     * @throws Exception if the POT script fails or a value disagrees
     */
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path script = Path.of(args.length > 1 ? args[1] : "tools/bench/pot_emd.py");
        String python = args.length > 2 ? args[2] : "/usr/bin/python3";
        run(pairs, script, python);
    }

    /**
     * Runs the benchmark and prints its table.
     *
     * @param pairs pairs per kind, at least 1
     * @param script the POT script
     * @param python the python executable that has POT
     * @return the per-kind results
     * @throws IOException if files cannot be written or the script cannot be run
     * @throws InterruptedException if interrupted while waiting for python
     * @throws IllegalStateException if the script fails or the values disagree
     */
    public static List<KindResult> run(int pairs, Path script, String python)
            throws IOException, InterruptedException {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs: " + pairs + " must be >= 1");
        }
        Map<String, List<double[][]>> data = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(SEED);
        data.put("attention", generate(pairs, rng, true));
        data.put("uniform", generate(pairs, rng, false));

        Path folder = Files.createTempDirectory("emd-bench");
        try {
            write(folder, data);
            Map<String, double[]> javaValues = new LinkedHashMap<>();
            Map<String, Double> javaTimes = new LinkedHashMap<>();
            Emd emd = Emd.exact();
            for (Map.Entry<String, List<double[][]>> e : data.entrySet()) {
                List<double[][]> list = e.getValue();
                double[] values = new double[list.size()];
                // JIT warm-up, then the best of three timed rounds
                long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                do {
                    for (double[][] p : list) {
                        emd.frame(p[0], p[1], SIZE, SIZE);
                    }
                } while (System.nanoTime() < warmUntil);
                long best = Long.MAX_VALUE;
                for (int round = 0; round < 3; round++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < list.size(); i++) {
                        values[i] = emd.frame(list.get(i)[0], list.get(i)[1], SIZE, SIZE);
                    }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                javaValues.put(e.getKey(), values);
                javaTimes.put(e.getKey(), best / 1e9);
            }

            Map<String, double[][]> pot = runPot(python, script, folder, data);
            List<KindResult> results = new ArrayList<>();
            for (String kind : data.keySet()) {
                double[] ours = javaValues.get(kind);
                double[][] theirs = pot.get(kind);
                double worst = 0;
                double potTime = 0;
                for (int i = 0; i < ours.length; i++) {
                    double rel = Math.abs(ours[i] - theirs[i][0]) / Math.abs(theirs[i][0]);
                    worst = Math.max(worst, rel);
                    potTime += theirs[i][1];
                    if (!(rel <= AGREEMENT)) {
                        throw new IllegalStateException(String.format(Locale.ROOT,
                                "%s pair %d: Emd %.17g but POT %.17g (relative %.3g > %.0e)",
                                kind, i, ours[i], theirs[i][0], rel, AGREEMENT));
                    }
                }
                results.add(new KindResult(kind, ours.length, javaTimes.get(kind), potTime, worst));
            }
            print(results);
            printParallel(data);
            return results;
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(List<KindResult> results) {
        System.out.printf(Locale.ROOT, "Exact EMD, %dx%d maps, Euclidean ground, one thread%n",
                SIZE, SIZE);
        System.out.printf(Locale.ROOT, "%-10s %6s %12s %12s %12s %12s %9s %10s%n", "kind",
                "pairs", "Java ms/pr", "Java pr/s", "POT ms/pr", "POT pr/s", "speedup",
                "max rel");
        for (KindResult r : results) {
            System.out.printf(Locale.ROOT, "%-10s %6d %12.3f %12.1f %12.3f %12.1f %8.1fx %10.1e%n",
                    r.kind(), r.pairs(), 1e3 * r.javaSeconds() / r.pairs(),
                    r.pairs() / r.javaSeconds(), 1e3 * r.potSeconds() / r.pairs(),
                    r.pairs() / r.potSeconds(), r.speedup(), r.worstRelativeDifference());
        }
    }

    /** Per-frame throughput of {@link Emd#meanPerFrame} on 15-frame snippets, 1 vs all threads. */
    private static void printParallel(Map<String, List<double[][]>> data) {
        int frames = 15;
        List<Volume> humans = new ArrayList<>();
        List<Volume> machines = new ArrayList<>();
        for (List<double[][]> list : data.values()) {
            for (int start = 0; start + frames <= list.size(); start += frames) {
                double[] h = new double[frames * SIZE * SIZE];
                double[] m = new double[frames * SIZE * SIZE];
                for (int t = 0; t < frames; t++) {
                    System.arraycopy(list.get(start + t)[0], 0, h, t * SIZE * SIZE, SIZE * SIZE);
                    System.arraycopy(list.get(start + t)[1], 0, m, t * SIZE * SIZE, SIZE * SIZE);
                }
                humans.add(Volume.of(h, frames, SIZE, SIZE));
                machines.add(Volume.of(m, frames, SIZE, SIZE));
            }
        }
        if (humans.isEmpty()) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int total = humans.size() * frames;
        System.out.printf(Locale.ROOT,
                "%nPer-frame EMD over %d snippets of %d frames (%d frames)%n", humans.size(),
                frames, total);
        double[] reference = null;
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            Emd emd = Emd.exact().withParallelism(threads);
            emd.meanPerFrame(humans, machines); // warm-up (and thread start-up)
            long best = Long.MAX_VALUE;
            double[] means = null;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                means = emd.meanPerFrame(humans, machines);
                best = Math.min(best, System.nanoTime() - t0);
            }
            if (reference == null) {
                reference = means;
            } else if (!java.util.Arrays.equals(reference, means)) {
                throw new IllegalStateException("parallel results differ from sequential ones");
            }
            System.out.printf(Locale.ROOT, "  %2d thread(s): %8.1f frames/s%n", threads,
                    total / (best / 1e9));
        }
        FrameScores first = Emd.exact().perFrame(humans.get(0), machines.get(0));
        System.out.printf(Locale.ROOT, "  first snippet: mean EMD %.4f over %d frames%n",
                first.mean().getAsDouble(), first.frames());
    }

    private static List<double[][]> generate(int pairs, SplittableRandom rng, boolean attention) {
        List<double[][]> out = new ArrayList<>(pairs);
        for (int i = 0; i < pairs; i++) {
            out.add(attention ? new double[][] {attention(rng), attention(rng)}
                    : new double[][] {uniform(rng), uniform(rng)});
        }
        return out;
    }

    private static double[] uniform(SplittableRandom rng) {
        double[] m = new double[SIZE * SIZE];
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble();
        }
        return m;
    }

    /** One to four Gaussian blobs, blurred with a 5x5 box twice, scaled to [0, 1]. */
    private static double[] attention(SplittableRandom rng) {
        double[] m = new double[SIZE * SIZE];
        int blobs = 1 + rng.nextInt(4);
        for (int k = 0; k < blobs; k++) {
            double cy = rng.nextDouble() * SIZE;
            double cx = rng.nextDouble() * SIZE;
            double s = 1 + rng.nextDouble() * 5;
            double weight = 0.3 + 0.7 * rng.nextDouble();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double dy = y - cy;
                    double dx = x - cx;
                    m[y * SIZE + x] += weight * Math.exp(-(dy * dy + dx * dx) / (2 * s * s));
                }
            }
        }
        m = blur(blur(m));
        double max = 0;
        for (double v : m) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= max;
        }
        return m;
    }

    private static double[] blur(double[] m) {
        double[] out = new double[m.length];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double s = 0;
                int n = 0;
                for (int yy = Math.max(0, y - 2); yy <= Math.min(SIZE - 1, y + 2); yy++) {
                    for (int xx = Math.max(0, x - 2); xx <= Math.min(SIZE - 1, x + 2); xx++) {
                        s += m[yy * SIZE + xx];
                        n++;
                    }
                }
                out[y * SIZE + x] = s / n;
            }
        }
        return out;
    }

    private static void write(Path folder, Map<String, List<double[][]>> data) throws IOException {
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, List<double[][]>> e : data.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                String base = e.getKey() + "_" + i + "_";
                writeDoubles(folder.resolve(base + "a.f64"), e.getValue().get(i)[0]);
                writeDoubles(folder.resolve(base + "b.f64"), e.getValue().get(i)[1]);
                manifest.append(e.getKey()).append(' ').append(i).append(' ').append(SIZE)
                        .append(' ').append(SIZE).append('\n');
            }
        }
        Files.writeString(folder.resolve("manifest.txt"), manifest.toString());
    }

    private static void writeDoubles(Path path, double[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Double.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            buf.putDouble(v);
        }
        Files.write(path, buf.array());
    }

    /** @return per kind, per pair {@code {value, seconds}} as printed by the POT script */
    private static Map<String, double[][]> runPot(String python, Path script, Path folder,
            Map<String, List<double[][]>> data) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, script.toString(), folder.toString())
                .redirectErrorStream(true).start();
        Map<String, double[][]> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[][]>> e : data.entrySet()) {
            out.put(e.getKey(), new double[e.getValue().size()][]);
        }
        StringBuilder transcript = new StringBuilder();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                transcript.append(line).append('\n');
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && out.containsKey(f[0])) {
                    out.get(f[0])[Integer.parseInt(f[1])] = new double[] {
                        Double.parseDouble(f[2]), Double.parseDouble(f[3])};
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int status = p.waitFor();
        for (double[][] values : out.values()) {
            for (double[] v : values) {
                if (status != 0 || v == null) {
                    throw new IllegalStateException("POT script failed (exit " + status + "):\n"
                            + transcript);
                }
            }
        }
        return out;
    }
}
