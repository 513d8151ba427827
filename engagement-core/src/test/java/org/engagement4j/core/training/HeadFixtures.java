package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;

/** The files written by {@code tools/fixtures/head_fixtures.py}, and those of the classifier. */
final class HeadFixtures {

    private HeadFixtures() {
    }

    static Path dir(String name) {
        URL url = HeadFixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("fixtures/" + name + " is not on the test class path");
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path head(String file) {
        return dir("head").resolve(file);
    }

    static Path classifier(String file) {
        return dir("classifier").resolve(file);
    }

    static NpyArray npy(Path file) {
        try {
            return Npy.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LabelledEmbeddings set(String x, String y, String name) {
        NpyArray a = npy(head(x));
        double[] labels = npy(head(y)).toDoubleArray();
        boolean[] l = new boolean[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i] == 1.0;
        }
        return LabelledEmbeddings.of(a.toFloatArray(), a.shape()[1], l, name);
    }

    static LinearHead initialHead() {
        return LinearHead.ofFloats(npy(head("init_weight.npy")).toFloatArray(),
                npy(head("init_bias.npy")).toFloatArray());
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).doubleValue();
        }
        return out;
    }
}
