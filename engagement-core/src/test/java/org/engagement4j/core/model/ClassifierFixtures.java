package org.engagement4j.core.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;

/** The files written by {@code tools/fixtures/classifier_fixtures.py}. */
final class ClassifierFixtures {

    static final Path DIR = directory();

    private ClassifierFixtures() {
    }

    private static Path directory() {
        URL url = ClassifierFixtures.class.getResource("/fixtures/classifier/tiny2.onnx");
        if (url == null) {
            throw new IllegalStateException(
                    "fixtures/classifier/tiny2.onnx is not on the test class path");
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return DIR.resolve(name);
    }

    static NpyArray npy(String name) {
        try {
            return Npy.read(file(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fixture input, float32 [2, 3, 15, 32, 32]. */
    static ClipBatch input() {
        NpyArray a = npy("input.npy");
        return ClipBatch.of(a.toFloatArray(), a.shape());
    }

    static EngagementClassifier load(String name) throws ModelException {
        return EngagementClassifier.builder().model(file(name)).intraOpThreads(1).build();
    }
}
