package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.transport.Emd;
import org.engagement4j.metrics.transport.GroundDistance;
import org.engagement4j.metrics.transport.MassPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engagement emd A.npy B.npy}: the exact Earth Mover's Distance between two maps, frame by
 * frame, and its mean over frames (the paper's EMD).
 */
@Command(name = "emd", mixinStandardHelpOptions = true,
        header = "Exact Earth Mover's Distance between two maps, per frame.",
        description = {"Exact Earth Mover's Distance between two maps of shape [H,W] or [T,H,W],",
            "computed per frame (each frame normalised to sum 1 after adding eps, as the reference),",
            "and the mean over frames."})
final class EmdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.npy", description = "First map (.npy, [H,W] or [T,H,W]).")
    Path first;

    @Parameters(index = "1", paramLabel = "B.npy", description = "Second map, same shape.")
    Path second;

    @Option(names = "--ground", defaultValue = "euclidean", paramLabel = "NAME",
            description = "Ground distance in pixel units: euclidean (default), l1 or sqeuclidean.")
    String ground;

    @Option(names = "--mass", defaultValue = "REFERENCE", paramLabel = "POLICY",
            description = "Mass policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MassPolicy mass;

    @Option(names = "--per-frame", description = "Also print the EMD of every frame.")
    boolean perFrame;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Frames computed in parallel (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        GroundDistance g = GroundDistance.parse(ground);
        Volume a = MapFiles.read(first, "first map");
        Volume b = MapFiles.read(second, "second map");
        a.requireSameShape("first map " + first, b, "second map " + second);
        Emd emd = Emd.exact().withGround(g).withMassPolicy(mass).withParallelism(threads);
        FrameScores scores = emd.perFrame(a, b);
        double mean = scores.mean().orElseThrow();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("first", first.toString());
            root.put("second", second.toString());
            root.put("ground", g.name());
            root.put("mass_policy", mass.name());
            root.put("frames", scores.frames());
            root.put("mean", mean);
            if (perFrame) {
                ArrayNode arr = root.putArray("per_frame");
                for (double v : scores.values()) {
                    arr.add(v);
                }
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            if (perFrame) {
                for (int t = 0; t < scores.frames(); t++) {
                    out.printf(Locale.ROOT, "frame %3d  %.10g%n", t, scores.value(t));
                }
            }
            out.printf(Locale.ROOT, "mean EMD over %d frame(s) (%s ground, pixel units): %.10g%n",
                    scores.frames(), g.name(), mean);
        }
        out.flush();
        return 0;
    }
}
