package org.engagement4j.examples.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.engagement4j.core.elan.ElanDocument;
import org.engagement4j.core.elan.ElanReader;

/**
 * Benchmark of {@link ElanReader} on a real ELAN file: the time of the first parse in a fresh
 * JVM, then, after a JIT warm-up, the mean, median and best time per parse.
 *
 * <p>Usage: {@code ElanBenchmark [file (../shared/data/elan/sample_3.0.eaf)] [timed parses (50)]
 * [warm-up parses (30)]}. Timings depend on the machine and its load.
 */
public final class ElanBenchmark {

    private ElanBenchmark() {
    }

    /**
     * Timings of one run.
     *
     * @param file the file parsed
     * @param annotations placed annotations in the file
     * @param firstMs the first parse (cold JVM)
     * @param meanMs mean of the timed parses
     * @param medianMs median of the timed parses
     * @param bestMs fastest timed parse
     * @param parses number of timed parses
     */
    public record Result(Path file, int annotations, double firstMs, double meanMs,
            double medianMs, double bestMs, int parses) {
    }

    /**
     * Runs the benchmark.
     *
     * @param file an {@code .eaf} file
     * @param parses timed parses, {@code >= 1}
     * @param warmup untimed parses before them, {@code >= 0}
     * @return the timings
     * @throws IOException if the file cannot be read
     */
    public static Result run(Path file, int parses, int warmup) throws IOException {
        if (parses < 1 || warmup < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need at least 1 timed parse and no negative warm-up, got %d and %d", parses,
                    warmup));
        }
        ElanReader reader = ElanReader.create();
        long t0 = System.nanoTime();
        ElanDocument d = reader.read(file);
        double first = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < warmup; i++) {
            d = reader.read(file);
        }
        double[] ms = new double[parses];
        for (int i = 0; i < parses; i++) {
            long s = System.nanoTime();
            d = reader.read(file);
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        double mean = Arrays.stream(ms).average().orElseThrow();
        return new Result(file, d.annotationCount(), first, mean, BenchStats.median(ms),
                BenchStats.min(ms), parses);
    }

    /**
     * Entry point.
     *
     * @param args {@code [file] [timed parses] [warm-up parses]}
     * @throws IOException if the file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/elan/sample_3.0.eaf");
        int parses = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Result r = run(file, parses, warmup);
        System.out.printf(Locale.ROOT, "%s: %d annotations%n", r.file(), r.annotations());
        System.out.printf(Locale.ROOT, "first parse (cold JVM): %.1f ms%n", r.firstMs());
        System.out.printf(Locale.ROOT,
                "after %d warm-up parses, %d timed: mean %.1f ms, median %.1f ms, best %.1f ms"
                        + " per parse%n", warmup, r.parses(), r.meanMs(), r.medianMs(),
                r.bestMs());
    }
}
