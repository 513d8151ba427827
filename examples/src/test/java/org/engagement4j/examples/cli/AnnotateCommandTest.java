package org.engagement4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.video.Clip;
import org.engagement4j.examples.annotator.SnippetFolders;
import org.engagement4j.examples.annotator.SnippetInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotateCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheAddressServesUntilInterruptedAndStops() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("snippets"));
        SnippetFolders.write(root.resolve("a"), SnippetInfo.of("s1", 1000, Task.DRUM,
                Variable.TASK_ENGAGEMENT, null), Clip.of(new byte[2 * 4 * 6 * 3], 2, 4, 6, 3.125));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        Thread t = new Thread(() -> status.set(EngagementCli.run(new PrintWriter(out),
                new PrintWriter(err), "annotate", "--snippets", root.toString(), "--port", "0",
                "--annotator", "mf")));
        t.start();
        Pattern url = Pattern.compile("open (http://127\\.0\\.0\\.1:(\\d+)/)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !m.reset(out.toString()).find(); i++) {
            Thread.sleep(25);
        }
        assertTrue(m.reset(out.toString()).find(), () -> "no address printed: " + out + err);
        assertTrue(out.toString().contains("1 snippets"), out.toString());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(m.group(1) + "api/snippets")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"annotator\":\"mf\""), r.body());
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(0, status.get(), err.toString());
        assertTrue(out.toString().contains("annotator stopped"), out.toString());
        int port = Integer.parseInt(m.group(2));
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void badArgumentsExitWithStatusTwoNamingTheOption() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int s = EngagementCli.run(new PrintWriter(out), new PrintWriter(err), "annotate",
                "--snippets", tmp.resolve("missing").toString(), "--port", "0");
        assertEquals(2, s, err.toString());
        assertTrue(err.toString().contains("--snippets"), err.toString());
        StringWriter err2 = new StringWriter();
        s = EngagementCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err2),
                "annotate", "--snippets", tmp.toString(), "--port", "70000");
        assertEquals(2, s, err2.toString());
        assertTrue(err2.toString().contains("--port 70000"), err2.toString());
        assertFalse(err2.toString().contains("\tat "), err2.toString());
    }
}
