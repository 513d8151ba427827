package org.engagement4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A reference script kept running beside a benchmark ({@code tools/bench/*.py --serve}): it prints
 * one JSON info line once ready, then answers each request line with one JSON line; {@code quit}
 * ends it. Anything else it prints (warnings; standard error is merged in) is skipped but kept in
 * a transcript that error messages quote.
 *
 * <p>Keeping the script alive lets a benchmark interleave its calls round robin with ours, so a
 * change of the machine's load hits both sides alike. Not thread-safe; one request at a time.
 *
 * @since 0.1.0
 */
final class TorchProcess implements AutoCloseable {

    private static final long QUIT_WAIT_SECONDS = 60;
    private static final long KILL_WAIT_SECONDS = 10;

    private final List<String> command;
    private final Process process;
    private final BufferedReader replies;
    private final PrintWriter requests;
    private final ObjectMapper mapper = new ObjectMapper();
    private final StringBuilder transcript = new StringBuilder();
    private String infoLine;
    private JsonNode info;
    private boolean closed;

    private TorchProcess(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * Starts the command and waits for its info line.
     *
     * @param command the program and its arguments, not empty
     * @return the running process, which the caller closes
     * @throws IOException if the command cannot be started or its output cannot be read
     * @throws IllegalArgumentException if the command is empty
     * @throws IllegalStateException if the command ends before printing a JSON line (the message
     *     holds what it printed); the process is ended then
     */
    static TorchProcess start(List<String> command) throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: empty; expected a program and its"
                    + " arguments");
        }
        List<String> cmd = List.copyOf(command);
        TorchProcess p = new TorchProcess(cmd,
                new ProcessBuilder(cmd).redirectErrorStream(true).start());
        try {
            p.infoLine = p.nextLine("its info line");
            p.info = p.mapper.readTree(p.infoLine);
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** @return the info line as parsed JSON */
    JsonNode info() {
        return info;
    }

    /** @return the info line exactly as the script printed it */
    String infoLine() {
        return infoLine;
    }

    /**
     * Sends one request line and reads the JSON reply.
     *
     * @param request the line to send, without its line end
     * @return the reply
     * @throws IOException if the reply cannot be read
     * @throws IllegalStateException if closed, or if the script ends before replying
     */
    JsonNode request(String request) throws IOException {
        if (closed) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "request '%s': %s is closed", request, command));
        }
        requests.println(request);
        return mapper.readTree(nextLine("its reply to '" + request + "'"));
    }

    /**
     * Sends one request line and returns the {@code ms} field of the reply: the script's own
     * time of the call.
     *
     * @param request the line to send
     * @return the time in milliseconds
     * @throws IOException if the reply cannot be read
     * @throws IllegalStateException as {@link #request}, or if the reply has no numeric
     *     {@code ms}
     */
    double time(String request) throws IOException {
        JsonNode reply = request(request);
        JsonNode ms = reply.path("ms");
        if (!ms.isNumber()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "reply of %s to '%s' has no numeric field ms: %s", command, request, reply));
        }
        return ms.asDouble();
    }

    /** @return everything the script printed so far, one line each */
    String transcript() {
        return transcript.toString();
    }

    private String nextLine(String awaited) throws IOException {
        for (String line = replies.readLine(); line != null; line = replies.readLine()) {
            transcript.append(line).append('\n');
            if (line.startsWith("{")) {
                return line;
            }
        }
        throw new IllegalStateException(String.format(Locale.ROOT,
                "%s ended before %s; it printed:%n%s", command, awaited, transcript));
    }

    /**
     * Asks the script to quit and waits for it; ends it if it does not. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        requests.println("quit");
        requests.close();
        try {
            if (!process.waitFor(QUIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                replies.close();
            } catch (IOException e) {
                // the process is gone; nothing is left to read
            }
        }
    }
}
