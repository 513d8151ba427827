package org.engagement4j.metrics.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the text fixtures written by {@code tools/fixtures/agreement_fixtures.py}: one case per
 * line, fields separated by {@code ';'}, numbers inside a field by spaces, {@code '#'} comments.
 */
public final class Fixture {

    private Fixture() {
    }

    public static List<String[]> read(String resource) {
        InputStream in = Objects.requireNonNull(Fixture.class.getResourceAsStream(resource), resource);
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.split(";", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException("no case in " + resource);
        }
        return rows;
    }

    /** Space-separated doubles; {@code nan} reads as NaN. */
    public static double[] doubles(String field) {
        String t = field.trim();
        if (t.isEmpty()) {
            return new double[0];
        }
        String[] parts = t.split(" +");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].equals("nan") ? Double.NaN : Double.parseDouble(parts[i]);
        }
        return out;
    }

    public static long[] longs(String field) {
        String[] parts = field.trim().split(" +");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Long.parseLong(parts[i]);
        }
        return out;
    }

    public static int[] ints(String field) {
        long[] l = longs(field);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }
}
