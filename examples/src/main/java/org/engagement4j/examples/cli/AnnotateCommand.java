package org.engagement4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.engagement4j.examples.annotator.AnnotatorServer;
import org.engagement4j.examples.annotator.SnippetFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement annotate --snippets DIR}: serves the human attention annotator (REFERENCE.md
 * §8) until interrupted (Ctrl-C).
 */
@Command(name = "annotate", mixinStandardHelpOptions = true,
        header = "Label snippets and paint human attention maps in a browser.",
        description = {"Serve the human attention annotator on a folder of snippet folders",
            "(frames.npy + snippet.json each). Open the printed address in a browser; saved",
            "snippets get heatmap.npy and info.json as engagement-xai reads them. Runs until",
            "Ctrl-C. Binds 127.0.0.1 unless --host says otherwise."})
final class AnnotateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--snippets", required = true, paramLabel = "DIR",
            description = "Folder of snippet folders.")
    Path snippets;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = AnnotatorServer.DEFAULT_HOST, paramLabel = "ADDRESS",
            description = "Address to bind (default ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Option(names = "--annotator", paramLabel = "NAME",
            description = "Painter's name written into every info.json (default: the user"
                    + " name).")
    String annotator;

    @Override
    public Integer call() throws Exception {
        String name = annotator != null ? annotator
                : System.getProperty("user.name", "annotator").replaceAll("[^A-Za-z0-9._\\-]", "_");
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        boolean interrupted = false;
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                // let a save in flight finish before the JVM goes
                closed.await(6, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "annotator-shutdown");
        try (AnnotatorServer server = AnnotatorServer.builder(snippets).host(host).port(port)
                .annotator(name).build()) {
            List<String> ids = SnippetFolders.list(snippets);
            server.start();
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("annotator: %d snippets in %s, painting as %s%n", ids.size(), snippets,
                    name);
            out.println("open " + server.uri() + "  (Ctrl-C to stop)");
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // embedding code (and the tests) stop the command by interrupting its thread;
                // the flag is restored only after close(), which must wait for the listener
                interrupted = true;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook waits for the close below
                }
            }
        } finally {
            closed.countDown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        out.println("annotator stopped");
        out.flush();
        return 0;
    }
}
