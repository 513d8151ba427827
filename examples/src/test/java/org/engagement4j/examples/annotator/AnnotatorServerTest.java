package org.engagement4j.examples.annotator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.xai.human.HumanAttentionMap;
import org.engagement4j.xai.human.HumanMaps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotatorServerTest {

    private static final int N = TestSnippets.T * TestSnippets.H * TestSnippets.W;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path root;
    private AnnotatorServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectory(tmp.resolve("snippets"));
        TestSnippets.write(root, "one");
        TestSnippets.write(root, "two");
        Files.writeString(tmp.resolve("secret.json"), "{}");
        server = AnnotatorServer.builder(root).port(0).annotator("mf").build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.uri() + path.substring(1)))
                .header("Content-Type", "application/octet-stream")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static float[] painted() {
        float[] v = new float[N];
        Brush.initial(TestSnippets.H, TestSnippets.W).stamp(v, TestSnippets.H, TestSnippets.W,
                2, 10.3, 20.7, false);
        return v;
    }

    @Test
    void bindsLoopbackByDefaultAndServesThePages() throws Exception {
        assertTrue(server.address().getAddress().isLoopbackAddress());
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        HttpResponse<byte[]> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(new String(index.body(), StandardCharsets.UTF_8).contains("index.js"));
        assertEquals(200, get("/paint?id=one").statusCode());
        HttpResponse<byte[]> brush = get("/static/brush.js");
        assertEquals(200, brush.statusCode());
        assertTrue(brush.headers().firstValue("Content-Type").orElseThrow()
                .startsWith("text/javascript"));
        assertEquals(404, get("/static/secret.json").statusCode());
        assertEquals(404, get("/static/..%2F..%2Fsecret.json").statusCode());
    }

    @Test
    void listsSnippetsWithTheirState() throws Exception {
        HttpResponse<byte[]> r = get("/api/snippets");
        assertEquals(200, r.statusCode());
        JsonNode list = json(r);
        assertEquals("mf", list.get("annotator").asText());
        assertEquals(2, list.get("snippets").size());
        JsonNode one = list.get("snippets").get(0);
        assertEquals("one", one.get("id").asText());
        assertEquals("sone", one.get("session").asText());
        assertEquals("attending", one.get("target_variable").asText());
        assertEquals("new", one.get("state").asText());
    }

    @Test
    void servesMetadataAndRawFrames() throws Exception {
        JsonNode meta = json(get("/api/snippets/one"));
        assertEquals(TestSnippets.T, meta.get("frames").asInt());
        assertEquals(TestSnippets.H, meta.get("height").asInt());
        assertEquals(TestSnippets.W, meta.get("width").asInt());
        assertEquals(1.6, meta.get("initial_sigma").asDouble(), 1e-12);
        assertEquals("none", meta.get("draft").get("source").asText());
        HttpResponse<byte[]> frames = get("/api/snippets/one/frames");
        assertArrayEquals(TestSnippets.frames(TestSnippets.T, TestSnippets.H, TestSnippets.W)
                .snippet(0, TestSnippets.T), frames.body());
        assertArrayEquals(new byte[4 * N], get("/api/snippets/one/map").body());
    }

    @Test
    void draftIsKeptAndResumed() throws Exception {
        float[] v = painted();
        HttpResponse<byte[]> put = send("PUT",
                "/api/snippets/one/draft?frame=2&sigma=1.84&participating=yes", floats(v));
        assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        JsonNode meta = json(get("/api/snippets/one"));
        assertEquals("draft", meta.get("draft").get("source").asText());
        assertEquals(2, meta.get("draft").get("frame").asInt());
        assertEquals(1.84, meta.get("draft").get("sigma").asDouble());
        assertEquals("yes", meta.get("draft").get("labels").get("participating").asText());
        assertFalse(meta.get("draft").get("labels").has("attending"));
        assertArrayEquals(floats(v), get("/api/snippets/one/map").body());
        assertEquals("in progress", json(get("/api/snippets")).get("snippets").get(0)
                .get("state").asText());
    }

    @Test
    void unknownConsensusIsSavedAsUnknownNotAsThePaintersLabel() throws Exception {
        SnippetFolders.write(root.resolve("three"), SnippetInfo.of("sthree", 1_000, Task.DRUM,
                Variable.TASK_ENGAGEMENT, null), TestSnippets.frames(TestSnippets.T, TestSnippets.H,
                TestSnippets.W));
        HttpResponse<byte[]> r = send("POST",
                "/api/snippets/three/save?participating=yes&attending=no", floats(painted()));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        HumanAttentionMap m = HumanMaps.read(root.resolve("three"));
        assertEquals(OptionalInt.empty(), m.info().consensusLabel());
        assertEquals("yes", m.info().labels().get("participating"));
    }

    @Test
    void saveWritesWhatHumanMapsReads() throws Exception {
        float[] v = painted();
        send("PUT", "/api/snippets/two/draft?frame=1&sigma=2", floats(new float[N]));
        HttpResponse<byte[]> r = send("POST",
                "/api/snippets/two/save?participating=no&attending=yes", floats(v));
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        HumanAttentionMap m = HumanMaps.read(root.resolve("two"));
        assertEquals(Map.of("participating", "no", "attending", "yes"), m.info().labels());
        assertEquals("mf", m.info().annotator());
        assertEquals("stwo", m.info().session());
        assertEquals(83_200, m.info().startMs());
        assertEquals("attending", m.info().targetVariable());
        assertEquals(OptionalInt.of(1), m.info().consensusLabel());
        assertArrayEquals(v, m.map().toFloatArray());
        assertFalse(Files.exists(root.resolve("two").resolve(SnippetFolders.DRAFT_INFO_FILE)));
        assertEquals("done", json(get("/api/snippets")).get("snippets").get(1).get("state")
                .asText());
        // reopening a done snippet resumes from the saved map and labels
        JsonNode meta = json(get("/api/snippets/two"));
        assertEquals("saved", meta.get("draft").get("source").asText());
        assertEquals("yes", meta.get("draft").get("labels").get("attending").asText());
        assertArrayEquals(floats(v), get("/api/snippets/two/map").body());
    }

    @Test
    void saveNeedsBothLabels() throws Exception {
        HttpResponse<byte[]> r = send("POST", "/api/snippets/one/save?participating=yes",
                floats(painted()));
        assertEquals(400, r.statusCode());
        assertEquals("attending", json(r).get("field").asText());
        r = send("POST", "/api/snippets/one/save?participating=Yes%21&attending=no",
                floats(painted()));
        assertEquals(400, r.statusCode());
        assertEquals("participating", json(r).get("field").asText());
        assertFalse(Files.exists(root.resolve("one").resolve(HumanMaps.INFO_FILE)));
    }

    @Test
    void traversalAbsolutePathsAndUnknownIdsAreRefusedAndNothingIsWritten() throws Exception {
        byte[] body = floats(painted());
        for (String id : List.of("..", "..%2F", "..%2Fsecret.json", "%2Fetc%2Fpasswd",
                "%2Ftmp", "one%2F..%2F..", "three", ".", "%2e%2e", "one%00")) {
            String q = "?participating=yes&attending=no";
            assertEquals(404, get("/api/snippets/" + id).statusCode(), id);
            assertEquals(404, get("/api/snippets/" + id + "/frames").statusCode(), id);
            int s = send("POST", "/api/snippets/" + id + "/save" + q, body).statusCode();
            assertTrue(s == 404 || s == 400, id + " -> " + s);
            s = send("PUT", "/api/snippets/" + id + "/draft?frame=0&sigma=1", body)
                    .statusCode();
            assertTrue(s == 404 || s == 400, id + " -> " + s);
        }
        assertEquals(404, get("/api/snippets/one/../two/frames").statusCode());
        try (Stream<Path> s = Files.walk(tmp)) {
            List<String> names = s.map(p -> tmp.relativize(p).toString()).sorted().toList();
            assertFalse(names.stream().anyMatch(n -> n.contains("heatmap") || n.contains("draft")
                    || n.contains("info.json")), names.toString());
        }
    }

    @Test
    void wrongLengthNanAndOutOfRangeValuesAre400NamingTheField() throws Exception {
        String path = "/api/snippets/one/draft?frame=0&sigma=1.6";
        HttpResponse<byte[]> r = send("PUT", path, new byte[4 * N - 4]);
        assertEquals(400, r.statusCode());
        assertEquals("map", json(r).get("field").asText());
        assertTrue(json(r).get("error").asText().contains("expected exactly " + 4 * N),
                json(r).toString());
        float[] v = new float[N];
        v[5] = Float.NaN;
        r = send("PUT", path, floats(v));
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("not finite"), json(r).toString());
        v[5] = 1.0001f;
        r = send("PUT", path, floats(v));
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("column 5"), json(r).toString());
        v[5] = -0.5f;
        assertEquals(400, send("PUT", path, floats(v)).statusCode());
        v[5] = Float.POSITIVE_INFINITY;
        assertEquals(400, send("PUT", path, floats(v)).statusCode());
        r = send("PUT", "/api/snippets/one/draft?frame=5&sigma=1.6", new byte[4 * N]);
        assertEquals("frame", json(r).get("field").asText());
        r = send("PUT", "/api/snippets/one/draft?frame=0&sigma=-1", new byte[4 * N]);
        assertEquals("sigma", json(r).get("field").asText());
        assertFalse(Files.exists(root.resolve("one").resolve(SnippetFolders.DRAFT_INFO_FILE)));
        // a text body (what a cross-site form could send) is refused outright
        HttpResponse<byte[]> text = http.send(HttpRequest.newBuilder(
                server.uri().resolve("/api/snippets/one/save?participating=yes&attending=no"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4 * N])).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(415, text.statusCode());
        assertEquals(405, get("/api/snippets/one/save").statusCode());
    }

    @Test
    void oversizeBodyIs413BeforeItIsRead() throws Exception {
        HttpResponse<byte[]> r = send("PUT", "/api/snippets/one/draft?frame=0&sigma=1.6",
                new byte[4 * N + 4]);
        assertEquals(413, r.statusCode());
        assertEquals("map", json(r).get("field").asText());
        // a client announcing a gigabyte gets its answer without sending any of it
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /api/snippets/one/draft?frame=0&sigma=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 1000000000\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", status);
        }
        assertFalse(Files.exists(root.resolve("one").resolve(SnippetFolders.DRAFT_INFO_FILE)));
    }

    @Test
    void foreignHostHeaderIsRefusedWhileOnLoopback() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /api/snippets HTTP/1.1\r\nHost: evil.example:80\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12),
                    StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 403", status);
        }
    }

    @Test
    void builderAndLifecycleRefuseMisuse() throws IOException {
        assertThrows(IllegalArgumentException.class,
                () -> AnnotatorServer.builder(tmp.resolve("none")).build());
        assertThrows(IllegalArgumentException.class,
                () -> AnnotatorServer.builder(root).port(70_000).build());
        assertThrows(IllegalArgumentException.class,
                () -> AnnotatorServer.builder(root).annotator("a b").build());
        try (AnnotatorServer clash = AnnotatorServer.builder(root).port(server.port()).build()) {
            IOException e = assertThrows(IOException.class, clash::start);
            assertTrue(e.getMessage().contains("port " + server.port()), e.getMessage());
        }
        AnnotatorServer s = AnnotatorServer.builder(root).port(0).build();
        assertThrows(IllegalStateException.class, s::port);
        s.start();
        assertThrows(IllegalStateException.class, s::start);
        int port = s.port();
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, s::port);
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());
    }
}
