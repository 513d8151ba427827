package org.engagement4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BenchStats} and {@link TorchProcess}, the latter against a tiny shell server. */
class BenchHelpersTest {

    /** Prints a warning and an info line, then answers {@code time N} with {@code ms = 2N}. */
    private static final String SERVER = "echo 'warming up'; echo '{\"torch\": \"x\", \"threads\": 2}';"
            + " while read cmd arg; do [ \"$cmd\" = quit ] && exit 0;"
            + " echo \"{\\\"ms\\\": $((arg * 2))}\"; done";

    @Test
    void statsOfCallTimes() {
        double[] v = {5, 1, 4, 2};
        assertEquals(3.0, BenchStats.median(v));
        assertEquals(4.0, BenchStats.median(new double[] {9, 4, 1}));
        assertEquals(1.0, BenchStats.min(v));
        assertEquals("5 1 4 2", BenchStats.format(v));
        assertEquals("2, 3", BenchStats.format(new double[] {1.6, 2.6}, ", "));
        assertEquals(5.0, v[0], "median must not sort its argument");
        assertTrue(Double.isNaN(BenchStats.median(new double[0])));
        assertTrue(Double.isNaN(BenchStats.min(new double[0])));
        assertEquals("", BenchStats.format(new double[0]));
        assertFalse(BenchStats.loadAverage().isEmpty());
    }

    @Test
    void answersRequestsAndEndsOnClose() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        TorchProcess p = TorchProcess.start(List.of("/bin/sh", "-c", SERVER));
        try (p) {
            assertEquals("{\"torch\": \"x\", \"threads\": 2}", p.infoLine());
            assertEquals(2, p.info().get("threads").asInt());
            assertEquals(14.0, p.time("time 7"));
            assertEquals(0.0, p.request("time 0").get("ms").asDouble());
            assertTrue(p.transcript().startsWith("warming up\n"), p.transcript());
        }
        p.close();
        assertThrows(IllegalStateException.class, () -> p.time("time 1"));
    }

    @Test
    void aScriptThatEndsEarlyIsReportedWithItsOutput() {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TorchProcess.start(List.of("/bin/sh", "-c", "echo no torch here; exit 3")));
        assertTrue(e.getMessage().contains("no torch here"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TorchProcess.start(List.of()));
    }

    @Test
    void aReplyWithoutTimeIsRejected() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
        try (TorchProcess p = TorchProcess.start(List.of("/bin/sh", "-c",
                "echo '{}'; read x; echo '{\"what\": 1}'; read y"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.time("maps"));
            assertTrue(e.getMessage().contains("ms"), e.getMessage());
        }
    }
}
