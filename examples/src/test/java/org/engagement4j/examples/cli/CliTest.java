package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.engagement4j.metrics.io.Npy;
import org.engagement4j.metrics.io.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process exactly as the README shows it. */
class CliTest {

    private static final Path DATA = Path.of("data");

    @TempDir
    Path tmp;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = EngagementCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(status, out.toString(), err.toString());
    }

    private static void assertBadInput(Outcome o, String... fragments) {
        assertEquals(2, o.status(), () -> "exit status; stderr was: " + o.err());
        for (String f : fragments) {
            assertTrue(o.err().contains(f), () -> "stderr should mention '" + f + "': " + o.err());
        }
        assertFalse(o.err().contains("\tat "), () -> "no stack trace expected: " + o.err());
        assertFalse(o.err().contains("Exception"), () -> "no exception name expected: " + o.err());
    }

    private Path oneHot(String name, int h, int w, int y, int x) throws IOException {
        double[] d = new double[h * w];
        d[y * w + x] = 1.0;
        Path p = tmp.resolve(name);
        Npy.write(p, NpyArray.ofDoubles(d, h, w));
        return p;
    }

    @Test
    void readmeMainCommandComparesTheBundledMaps() {
        // The README's first command, minus the build step.
        Outcome o = run("compare", "--human", DATA.resolve("human.npy").toString(), "--machine",
                DATA.resolve("guided_gradcam.npy").toString(), "--kind", "fine");
        assertEquals(0, o.status(), o.err());
        for (String metric : new String[] {"pearson", "spearman", "sim", "kl", "nss", "auc_judd",
            "emd"}) {
            assertTrue(o.out().contains(metric), () -> metric + " missing from: " + o.out());
        }
        assertTrue(o.out().contains("[15, 32, 32]"), o.out());
    }

    @Test
    void compareJsonHasEveryMetricWithFiniteValues() throws IOException {
        Outcome o = run("compare", "--human", DATA.resolve("human.npy").toString(), "--machine",
                DATA.resolve("gradcam.npy").toString(), "--kind", "coarse", "--json");
        assertEquals(0, o.status(), o.err());
        JsonNode root = new ObjectMapper().readTree(o.out());
        JsonNode metrics = root.get("metrics");
        assertEquals(7, metrics.size(), o.out());
        JsonNode pearson = metrics.get("pearson");
        double r = pearson.get("volume").asDouble();
        assertTrue(r > -1 && r < 1, o.out());
        double emd = metrics.get("emd").get("per_frame_mean").asDouble();
        assertTrue(emd > 0 && emd < 32 * Math.sqrt(2), o.out());
        // The bundled human map has one unpainted frame: Pearson is undefined there, and said so.
        assertEquals(14, pearson.get("defined_frames").asInt(), o.out());
        assertEquals(15, pearson.get("frames").asInt(), o.out());
    }

    @Test
    void emdOfAOneHotMovedByThreeFourIsFive() throws IOException {
        Path a = oneHot("a.npy", 8, 8, 1, 1);
        Path b = oneHot("b.npy", 8, 8, 4, 5);
        Outcome o = run("emd", a.toString(), b.toString(), "--json");
        assertEquals(0, o.status(), o.err());
        double mean = new ObjectMapper().readTree(o.out()).get("mean").asDouble();
        assertEquals(5.0, mean, 1e-9);

        Outcome l1 = run("emd", a.toString(), b.toString(), "--ground", "l1", "--json");
        assertEquals(7.0, new ObjectMapper().readTree(l1.out()).get("mean").asDouble(), 1e-9);
    }

    @Test
    void emdPerFramePrintsEveryFrame() throws IOException {
        double[] d = new double[3 * 4 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 7919 % 13) + 1;
        }
        Path a = tmp.resolve("v.npy");
        Npy.write(a, NpyArray.ofDoubles(d, 3, 4, 4));
        Outcome o = run("emd", a.toString(), a.toString(), "--per-frame");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("frame   2"), o.out());
        assertTrue(o.out().contains("over 3 frame(s)"), o.out());
    }

    @Test
    void missingFileExitsTwoNamingIt() throws IOException {
        Path a = oneHot("a.npy", 4, 4, 0, 0);
        Path missing = tmp.resolve("nope.npy");
        assertBadInput(run("emd", a.toString(), missing.toString()), "nope.npy");
    }

    @Test
    void notNpyExitsTwoNamingIt() throws IOException {
        Path a = oneHot("a.npy", 4, 4, 0, 0);
        Path text = tmp.resolve("notes.npy");
        Files.writeString(text, "this is not a numpy file", StandardCharsets.UTF_8);
        assertBadInput(run("emd", a.toString(), text.toString()), "notes.npy");
    }

    @Test
    void shapeMismatchExitsTwo() throws IOException {
        Path a = oneHot("a.npy", 4, 4, 0, 0);
        Path b = oneHot("b.npy", 5, 4, 0, 0);
        assertBadInput(run("emd", a.toString(), b.toString()), "shape");
    }

    @Test
    void negativeOrNanValuesExitTwo() throws IOException {
        Path a = oneHot("a.npy", 4, 4, 0, 0);
        double[] d = new double[16];
        d[5] = -1;
        Path neg = tmp.resolve("neg.npy");
        Npy.write(neg, NpyArray.ofDoubles(d, 4, 4));
        assertBadInput(run("emd", a.toString(), neg.toString()), "negative");
        d[5] = Double.NaN;
        Path nan = tmp.resolve("nan.npy");
        Npy.write(nan, NpyArray.ofDoubles(d, 4, 4));
        assertBadInput(run("emd", a.toString(), nan.toString()), "finite");
    }

    @Test
    void unknownGroundListsTheValidNames() throws IOException {
        Path a = oneHot("a.npy", 4, 4, 0, 0);
        assertBadInput(run("emd", a.toString(), a.toString(), "--ground", "cosine"), "cosine",
                "euclidean");
    }

    @Test
    void compareRejectsACoarseMapGivenAsFine() {
        Outcome o = run("compare", "--human", DATA.resolve("human.npy").toString(), "--machine",
                DATA.resolve("gradcam.npy").toString(), "--kind", "fine");
        assertBadInput(o, "--machine");
    }
}
