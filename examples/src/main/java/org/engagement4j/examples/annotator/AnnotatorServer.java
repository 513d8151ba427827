package org.engagement4j.examples.annotator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.video.Clip;
import org.engagement4j.metrics.Volume;
import org.engagement4j.xai.human.HumanAttentionMap;
import org.engagement4j.xai.human.HumanMapInfo;
import org.engagement4j.xai.human.HumanMaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The human attention annotator's embedded web server (REFERENCE.md §8): a static page to label
 * and paint snippets, and a small JSON API over a folder of {@link SnippetFolders snippet
 * folders}. Built on the JDK's {@code com.sun.net.httpserver}.
 *
 * <h2>API</h2>
 * <ul>
 *   <li>{@code GET /api/snippets}: {@code {"annotator": ..., "snippets": [{"id", "session",
 *       "start_ms", "task", "target_variable", "consensus_label", "state"}]}}, state {@code new},
 *       {@code in progress} or {@code done}; a folder whose description cannot be read is listed
 *       with {@code "state": "error"} and an {@code "error"} message.</li>
 *   <li>{@code GET /api/snippets/ID}: the description, {@code frames}, {@code height},
 *       {@code width}, the initial brush sigma, and {@code draft}: {@code {"source": "draft" |
 *       "saved" | "none", "labels", "frame", "sigma"}}.</li>
 *   <li>{@code GET /api/snippets/ID/frames}: the raw frames, {@code T*H*W*3} bytes RGB.</li>
 *   <li>{@code GET /api/snippets/ID/map}: the map to resume from (the draft, else the saved map,
 *       else zeros), {@code T*H*W} little-endian float32.</li>
 *   <li>{@code PUT /api/snippets/ID/draft?frame=F&sigma=S&participating=V&attending=V} and
 *       {@code POST /api/snippets/ID/save?participating=V&attending=V}: body {@code T*H*W}
 *       little-endian float32 values, {@code Content-Type: application/octet-stream}. Label
 *       values are short words ({@code yes} / {@code no} from the page); saving needs both.
 *       Saving writes {@link HumanMaps#write} and drops the draft.</li>
 * </ul>
 * Errors answer {@code {"error": message, "field": name}}: 400 for a bad field (a map of the
 * wrong length, a value that is not finite or outside {@code [0, 1]}), 404 for an unknown path or
 * snippet id (only the names of the listed folders are ids, so {@code ..}, absolute paths and
 * encoded slashes never reach the file system), 405 for a wrong method, 413 for a body longer
 * than the snippet's map, refused from its declared length before it is read, 415 for another
 * content type (which also forces browsers to ask before a cross-site write). While bound to a
 * loopback address, requests naming another host are refused (403) against DNS rebinding.
 *
 * <p>Writes are atomic and serialised per snippet; the server is safe to use from many clients.
 * Close it to stop serving.
 *
 * @since 0.1.0
 */
public final class AnnotatorServer implements AutoCloseable {

    /** The address the server binds unless told otherwise: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(AnnotatorServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_\\-]{1,32}");
    private static final DateTimeFormatter SAVED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final String OCTETS = "application/octet-stream";
    private static final Map<String, String> STATIC = Map.of(
            "style.css", "text/css; charset=utf-8",
            "index.js", "text/javascript; charset=utf-8",
            "paint.js", "text/javascript; charset=utf-8",
            "brush.js", "text/javascript; charset=utf-8");
    private static final List<String> TIERS = List.of(Variable.TASK_ENGAGEMENT.referenceTier(),
            Variable.SOCIAL_ENGAGEMENT.referenceTier());

    private final Path root;
    private final String host;
    private final int requestedPort;
    private final String annotator;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService executor;
    private boolean closed;

    private AnnotatorServer(Builder b) {
        this.root = b.root;
        this.host = b.host;
        this.requestedPort = b.port;
        this.annotator = b.annotator;
    }

    /**
     * @param snippets the folder of snippet folders
     * @return a builder: host {@value #DEFAULT_HOST}, port 8080, annotator {@code annotator}
     * @since 0.1.0
     */
    public static Builder builder(Path snippets) {
        return new Builder(Objects.requireNonNull(snippets, "snippets"));
    }

    /**
     * Configures an {@link AnnotatorServer}; {@link #build()} validates.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Path root;
        private String host = DEFAULT_HOST;
        private int port = 8080;
        private String annotator = "annotator";

        private Builder(Path root) {
            this.root = root;
        }

        /**
         * @param host the address to bind, e.g. {@value #DEFAULT_HOST} (default) or
         *     {@code 0.0.0.0} to serve other machines too
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the TCP port, 0 for any free one (tests), default 8080
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param annotator the painter's name written into every saved {@code info.json}
         * @return this builder
         */
        public Builder annotator(String annotator) {
            this.annotator = Objects.requireNonNull(annotator, "annotator");
            return this;
        }

        /**
         * @return the server, not yet started
         * @throws IllegalArgumentException if the snippet folder does not exist, the port is
         *     outside {@code [0, 65535]}, the host is blank or the annotator name is blank or not
         *     a plain word (letters, digits, {@code . _ -})
         */
        public AnnotatorServer build() {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--snippets %s: not a folder (expected a folder of snippet folders)",
                        root));
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--port %d: must be in [0, 65535] (0 picks a free port)", port));
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("--host: must not be blank");
            }
            if (!annotator.matches("[A-Za-z0-9._\\-]{1,64}")) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--annotator '%s': must be 1 to 64 letters, digits, '.', '_' or '-'",
                        annotator));
            }
            return new AnnotatorServer(this);
        }
    }

    /**
     * Binds the address and starts serving.
     *
     * @return this server
     * @throws IOException if the address cannot be bound (e.g. the port is taken)
     * @throws IllegalStateException if already started or closed
     * @since 0.1.0
     */
    public synchronized AnnotatorServer start() throws IOException {
        if (closed) {
            throw new IllegalStateException("annotator server: closed");
        }
        if (server != null) {
            throw new IllegalStateException("annotator server: already started");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host),
                    requestedPort), 0);
        } catch (java.net.BindException e) {
            java.net.BindException named = new java.net.BindException(String.format(Locale.ROOT,
                    "cannot listen on %s port %d: %s (choose another --port, or 0 for any)",
                    host, requestedPort, e.getMessage()));
            named.initCause(e);
            throw named;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "annotator-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(ex);
        s.createContext("/", this::handle);
        s.start();
        server = s;
        executor = ex;
        LOG.info("annotator serving {} on {}", root, uri());
        return this;
    }

    /**
     * @return the bound port (the chosen one when built with port 0)
     * @throws IllegalStateException if not started or closed
     * @since 0.1.0
     */
    public synchronized int port() {
        return address().getPort();
    }

    /**
     * @return the bound address
     * @throws IllegalStateException if not started or closed
     * @since 0.1.0
     */
    public synchronized InetSocketAddress address() {
        if (closed) {
            throw new IllegalStateException("annotator server: closed");
        }
        if (server == null) {
            throw new IllegalStateException("annotator server: not started");
        }
        return server.getAddress();
    }

    /**
     * @return the list page's address, e.g. {@code http://127.0.0.1:8080/}
     * @throws IllegalStateException if not started or closed
     * @since 0.1.0
     */
    public synchronized URI uri() {
        InetAddress a = address().getAddress();
        String h = a.getHostAddress();
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /**
     * Stops serving; idempotent. Handlers already running finish (up to 5 s) before it returns.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server == null) {
            return;
        }
        // an interrupted caller would cut HttpServer.stop's wait short and leave the port
        // listening for a moment: wait uninterrupted, then restore the flag
        boolean interrupted = Thread.interrupted();
        try {
            server.stop(0);
            executor.shutdown();
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("annotator: request threads still busy after close");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- request handling ------------------------------------------------------------------

    /** A request refused with a status and a JSON error naming the field. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;

        Refusal(int status, String field, String message) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            try {
                checkHost(ex);
                route(ex);
            } catch (Refusal r) {
                ObjectNode body = JSON.createObjectNode();
                body.put("error", r.getMessage());
                if (r.field != null) {
                    body.put("field", r.field);
                }
                send(ex, r.status, "application/json; charset=utf-8", toBytes(body));
            } catch (IllegalArgumentException e) {
                ObjectNode body = JSON.createObjectNode();
                body.put("error", e.getMessage());
                send(ex, 400, "application/json; charset=utf-8", toBytes(body));
            } catch (IOException | RuntimeException e) {
                LOG.error("annotator: {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
                ObjectNode body = JSON.createObjectNode();
                body.put("error", "internal error: " + e);
                try {
                    send(ex, 500, "application/json; charset=utf-8", toBytes(body));
                } catch (IOException | RuntimeException suppressed) {
                    LOG.debug("annotator: could not report the failure", suppressed);
                }
            }
        } finally {
            ex.close();
        }
    }

    private void checkHost(HttpExchange ex) throws Refusal {
        InetAddress bound = server.getAddress().getAddress();
        if (!bound.isLoopbackAddress()) {
            return;
        }
        String h = ex.getRequestHeaders().getFirst("Host");
        if (h == null) {
            return;
        }
        String name = h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1)
                : (h.contains(":") ? h.substring(0, h.indexOf(':')) : h);
        if (!(name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]")
                || name.equals(bound.getHostAddress()))) {
            throw new Refusal(403, "Host", String.format(Locale.ROOT,
                    "Host %s: this annotator serves loopback clients only", h));
        }
    }

    private void route(HttpExchange ex) throws IOException, Refusal {
        String method = ex.getRequestMethod();
        List<String> seg = segments(ex.getRequestURI().getRawPath());
        if (seg.isEmpty() || seg.equals(List.of("index.html"))) {
            requireMethod(method, "GET");
            sendResource(ex, "index.html", "text/html; charset=utf-8");
            return;
        }
        if (seg.equals(List.of("paint"))) {
            requireMethod(method, "GET");
            sendResource(ex, "paint.html", "text/html; charset=utf-8");
            return;
        }
        if (seg.size() == 2 && seg.get(0).equals("static") && STATIC.containsKey(seg.get(1))) {
            requireMethod(method, "GET");
            sendResource(ex, seg.get(1), STATIC.get(seg.get(1)));
            return;
        }
        if (seg.size() >= 2 && seg.get(0).equals("api") && seg.get(1).equals("snippets")) {
            if (seg.size() == 2) {
                requireMethod(method, "GET");
                sendJson(ex, listJson());
                return;
            }
            String id = seg.get(2);
            Path dir = snippetDir(id);
            String action = seg.size() == 3 ? "" : seg.size() == 4 ? seg.get(3) : null;
            if ("".equals(action)) {
                requireMethod(method, "GET");
                sendJson(ex, snippetJson(id, dir));
                return;
            }
            if ("frames".equals(action)) {
                requireMethod(method, "GET");
                Clip c = SnippetFolders.read(dir).frames();
                send(ex, 200, OCTETS, c.snippet(0, c.frames()));
                return;
            }
            if ("map".equals(action)) {
                requireMethod(method, "GET");
                send(ex, 200, OCTETS, floatBytes(resumeMap(id, dir)));
                return;
            }
            if ("draft".equals(action)) {
                requireMethod(method, "PUT");
                putDraft(ex, id, dir);
                return;
            }
            if ("save".equals(action)) {
                requireMethod(method, "POST");
                save(ex, id, dir);
                return;
            }
        }
        throw new Refusal(404, "path", "no such page or API: " + ex.getRequestURI().getRawPath());
    }

    private static List<String> segments(String rawPath) throws Refusal {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/", -1)) {
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, "path", "malformed percent-encoding in the path");
            }
        }
        return out;
    }

    private static void requireMethod(String method, String expected) throws Refusal {
        if (!method.equals(expected)) {
            throw new Refusal(405, "method", String.format(Locale.ROOT,
                    "method %s not allowed here, expected %s", method, expected));
        }
    }

    /** The folder of a listed snippet; anything else (.., absolute, unknown) is a 404. */
    private Path snippetDir(String id) throws IOException, Refusal {
        if (!SnippetFolders.isValidId(id) || !SnippetFolders.list(root).contains(id)) {
            throw new Refusal(404, "id", "unknown snippet id: " + id);
        }
        return root.resolve(id);
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private ObjectNode listJson() throws IOException {
        ObjectNode rootNode = JSON.createObjectNode();
        rootNode.put("annotator", annotator);
        ArrayNode arr = rootNode.putArray("snippets");
        for (String id : SnippetFolders.list(root)) {
            ObjectNode n = arr.addObject();
            n.put("id", id);
            try {
                describe(n, SnippetFolders.readInfo(root.resolve(id)));
                n.put("state", SnippetFolders.state(root.resolve(id)).label());
            } catch (IllegalArgumentException e) {
                n.put("state", "error");
                n.put("error", e.getMessage());
            }
        }
        return rootNode;
    }

    private static void describe(ObjectNode n, SnippetInfo info) {
        n.put("session", info.session());
        n.put("start_ms", info.startMs());
        n.put("task", info.task().paperName());
        n.put("target_variable", info.variable().referenceTier());
        if (info.consensusLabel().isPresent()) {
            n.put("consensus_label", info.consensusLabel().get());
        } else {
            n.putNull("consensus_label");
        }
    }

    private ObjectNode snippetJson(String id, Path dir) throws IOException {
        AnnotationSnippet s = SnippetFolders.read(dir);
        Clip c = s.frames();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        describe(n, s.info());
        n.put("fps", s.info().fps());
        n.put("frames", c.frames());
        n.put("height", c.height());
        n.put("width", c.width());
        n.put("annotator", annotator);
        n.put("initial_sigma", Brush.initial(c.height(), c.width()).sigma());
        ObjectNode d = n.putObject("draft");
        synchronized (lock(id)) {
            n.put("state", SnippetFolders.state(dir).label());
            Optional<Draft> draft = SnippetFolders.readDraft(dir);
            ObjectNode labels = d.putObject("labels");
            if (draft.isPresent()) {
                d.put("source", "draft");
                draft.get().labels().forEach(labels::put);
                d.put("frame", draft.get().frame());
                d.put("sigma", draft.get().sigma());
            } else if (SnippetFolders.state(dir) == SnippetState.DONE) {
                d.put("source", "saved");
                HumanMaps.readInfo(dir.resolve(HumanMaps.INFO_FILE)).labels()
                        .forEach(labels::put);
                d.put("frame", 0);
                d.put("sigma", Brush.initial(c.height(), c.width()).sigma());
            } else {
                d.put("source", "none");
                d.put("frame", 0);
                d.put("sigma", Brush.initial(c.height(), c.width()).sigma());
            }
        }
        return n;
    }

    private float[] resumeMap(String id, Path dir) throws IOException {
        int[] shape = shape(dir);
        Volume v = null;
        synchronized (lock(id)) {
            Optional<Draft> draft = SnippetFolders.readDraft(dir);
            if (draft.isPresent()) {
                v = draft.get().map();
            } else if (SnippetFolders.state(dir) == SnippetState.DONE) {
                v = HumanMaps.read(dir).map();
            }
        }
        if (v == null) {
            return new float[shape[0] * shape[1] * shape[2]];
        }
        if (v.frames() != shape[0] || v.height() != shape[1] || v.width() != shape[2]) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "snippet %s: the kept map is %s but the frames are [%d, %d, %d]", id,
                    v.shapeString(), shape[0], shape[1], shape[2]));
        }
        return v.toFloatArray();
    }

    /** {@code [T, H, W]} of a snippet's frames. */
    private static int[] shape(Path dir) throws IOException {
        Clip c = SnippetFolders.read(dir).frames();
        return new int[] {c.frames(), c.height(), c.width()};
    }

    private void putDraft(HttpExchange ex, String id, Path dir) throws IOException, Refusal {
        requireOctets(ex);
        int[] shape = shape(dir);
        Map<String, String> q = query(ex);
        int frame = intParam(q, "frame", 0, shape[0] - 1);
        double sigma = doubleParam(q, "sigma");
        Map<String, String> labels = labels(q, false);
        Volume map = readMap(ex, shape);
        Draft draft = new Draft(map, labels, frame, sigma);
        synchronized (lock(id)) {
            SnippetFolders.writeDraft(dir, draft);
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("state", SnippetState.IN_PROGRESS.label());
        sendJson(ex, ok);
    }

    private void save(HttpExchange ex, String id, Path dir) throws IOException, Refusal {
        requireOctets(ex);
        SnippetInfo info = SnippetFolders.readInfo(dir);
        int[] shape = shape(dir);
        Map<String, String> labels = labels(query(ex), true);
        Volume map = readMap(ex, shape);
        String target = info.variable().referenceTier();
        // The coders' consensus when the snippet folder knows it; never the painter's own label.
        OptionalInt consensus = info.consensusLabel().map(OptionalInt::of)
                .orElse(OptionalInt.empty());
        HumanMapInfo hi = new HumanMapInfo(info.session(), annotator, info.startMs(), target,
                consensus, labels, LocalDateTime.now().format(SAVED));
        synchronized (lock(id)) {
            SnippetFolders.save(dir, new HumanAttentionMap(hi, map));
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("state", SnippetState.DONE.label());
        sendJson(ex, ok);
    }

    private static void requireOctets(HttpExchange ex) throws Refusal {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith(OCTETS)) {
            throw new Refusal(415, "Content-Type", String.format(Locale.ROOT,
                    "Content-Type %s, expected %s (the map as little-endian float32)", ct,
                    OCTETS));
        }
    }

    private static Map<String, String> labels(Map<String, String> q, boolean required)
            throws Refusal {
        Map<String, String> out = new LinkedHashMap<>();
        for (String tier : TIERS) {
            String v = q.get(tier);
            if (v == null || v.isEmpty()) {
                if (required) {
                    throw new Refusal(400, tier, String.format(Locale.ROOT,
                            "%s: missing; label the snippet engaged or not engaged before saving",
                            tier));
                }
                continue;
            }
            if (!LABEL.matcher(v).matches()) {
                throw new Refusal(400, tier, String.format(Locale.ROOT,
                        "%s: '%s' is not a label (1 to 32 of a-z, 0-9, '_', '-'; e.g. yes, no)",
                        tier, v));
            }
            out.put(tier, v);
        }
        return out;
    }

    private static Map<String, String> query(HttpExchange ex) throws Refusal {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                        StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
                        StandardCharsets.UTF_8);
                out.put(k, v);
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, "query", "malformed percent-encoding in the query");
            }
        }
        return out;
    }

    private static int intParam(Map<String, String> q, String name, int min, int max)
            throws Refusal {
        String v = q.get(name);
        try {
            int i = Integer.parseInt(Objects.requireNonNullElse(v, ""));
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below with the valid range
        }
        throw new Refusal(400, name, String.format(Locale.ROOT,
                "%s: '%s', expected a whole number in [%d, %d]", name, v, min, max));
    }

    private static double doubleParam(Map<String, String> q, String name) throws Refusal {
        String v = q.get(name);
        try {
            double d = Double.parseDouble(Objects.requireNonNullElse(v, ""));
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Refusal(400, name, String.format(Locale.ROOT,
                "%s: '%s', expected a finite number > 0", name, v));
    }

    /**
     * Reads exactly {@code T*H*W*4} body bytes; a longer declared or actual body is refused with
     * 413 before more than one byte past the limit is read.
     */
    private static Volume readMap(HttpExchange ex, int[] shape) throws IOException, Refusal {
        long expected = 4L * shape[0] * shape[1] * shape[2];
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            long declared;
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw new Refusal(400, "Content-Length", "Content-Length '" + cl
                        + "' is not a number");
            }
            if (declared > expected) {
                throw new Refusal(413, "map", String.format(Locale.ROOT,
                        "map: body of %d bytes is larger than the %d bytes of a [%d, %d, %d]"
                                + " float32 map", declared, expected, shape[0], shape[1],
                        shape[2]));
            }
        }
        byte[] body = new byte[(int) expected];
        int n = 0;
        InputStream in = ex.getRequestBody();
        while (n < body.length) {
            int r = in.read(body, n, body.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (n == body.length && in.read() >= 0) {
            throw new Refusal(413, "map", String.format(Locale.ROOT,
                    "map: body is larger than the %d bytes of a [%d, %d, %d] float32 map",
                    expected, shape[0], shape[1], shape[2]));
        }
        if (n != body.length) {
            throw new Refusal(400, "map", String.format(Locale.ROOT,
                    "map: %d bytes, expected exactly %d (a [%d, %d, %d] little-endian float32"
                            + " map)", n, expected, shape[0], shape[1], shape[2]));
        }
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        int frameSize = shape[1] * shape[2];
        double[] v = new double[body.length / 4];
        for (int i = 0; i < v.length; i++) {
            float f = b.getFloat(4 * i);
            if (!(f >= 0 && f <= 1)) {
                int t = i / frameSize;
                int r = i % frameSize;
                throw new Refusal(400, "map", String.format(Locale.ROOT,
                        "map: value %s at [frame %d, row %d, column %d] is %s; a painted map"
                                + " holds finite values in [0, 1]", f, t, r / shape[2],
                        r % shape[2], Float.isFinite(f) ? "outside [0, 1]" : "not finite"));
            }
            v[i] = f;
        }
        return Volume.wrap(v, shape[0], shape[1], shape[2]);
    }

    private static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private void sendResource(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = AnnotatorServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new NoSuchFileException(name, null, "annotator resource missing from the"
                        + " class path");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            send(ex, 200, type, out.toByteArray());
        }
    }

    private static void sendJson(HttpExchange ex, ObjectNode body) throws IOException {
        send(ex, 200, "application/json; charset=utf-8", toBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: blob:");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] toBytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a JSON tree of strings and numbers could not be"
                    + " written", e);
        }
    }
}
