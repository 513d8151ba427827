package org.engagement4j.metrics.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the text fixtures written by {@code tools/fixtures/emd_fixtures.py}: one case a line,
 * fields separated by ';', lines starting with '#' are comments. Maps are {@code u8:} or
 * {@code u16:} followed by base64 of row-major unsigned bytes or big-endian shorts.
 */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * @param name file name under {@code fixtures/emd/}
     * @return the fields of every case
     */
    static List<String[]> read(String name) {
        String resource = "/fixtures/emd/" + name;
        List<String[]> out = new ArrayList<>();
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                out.add(line.split(";", -1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * @param field {@code u8:<base64>} or {@code u16:<base64>}
     * @return the integers as doubles
     */
    static double[] map(String field) {
        int colon = field.indexOf(':');
        String codec = field.substring(0, colon);
        byte[] bytes = Base64.getDecoder().decode(field.substring(colon + 1));
        if (codec.equals("u8")) {
            double[] out = new double[bytes.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes[i] & 0xFF;
            }
            return out;
        }
        if (codec.equals("u16")) {
            double[] out = new double[bytes.length / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
            }
            return out;
        }
        throw new IllegalArgumentException("unknown map codec " + codec);
    }

    /**
     * @param field a policy name as written by the generator
     * @return the policy
     */
    static MassPolicy policy(String field) {
        return MassPolicy.valueOf(field.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * @param actual computed value
     * @param expected reference value
     * @return {@code |actual - expected| / |expected|}, or the absolute difference when the
     *     reference is 0
     */
    static double relativeError(double actual, double expected) {
        double diff = Math.abs(actual - expected);
        return expected == 0 ? diff : diff / Math.abs(expected);
    }
}
