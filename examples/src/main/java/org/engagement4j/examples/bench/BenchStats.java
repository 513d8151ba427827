package org.engagement4j.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Summaries of call times shared by the benchmarks: median, minimum, the calls themselves, and
 * the machine's load average (printed because on a shared machine it explains a slow run).
 *
 * @since 0.1.0
 */
final class BenchStats {

    private BenchStats() {
    }

    /**
     * @param v call times, not modified
     * @return their median (the mean of the middle two for an even count), NaN when empty
     */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * @param v call times
     * @return the smallest, NaN when empty
     */
    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    /**
     * @param v call times
     * @return each rounded to a whole number, separated by a space; empty when there are none
     */
    static String format(double[] v) {
        return format(v, " ");
    }

    /**
     * @param v call times
     * @param separator what goes between two of them
     * @return each rounded to a whole number, joined by the separator; empty when there are none
     */
    static String format(double[] v, String separator) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : separator).append(String.format(Locale.ROOT, "%.0f", v[i]));
        }
        return b.toString();
    }

    /** @return the content of {@code /proc/loadavg}, or {@code unknown} where there is none */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
