package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.maps.MapKind;
import org.engagement4j.metrics.maps.MapMetrics;
import org.engagement4j.metrics.maps.MapStandardizer;
import org.engagement4j.metrics.transport.Emd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement compare}: standardises a human and a machine attention map to
 * {@code T x 32 x 32} exactly as the reference did (REFERENCE.md §9) and prints every similarity
 * metric, over the volume and as the mean over frames.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        header = "Compare a human and a machine attention map (all metrics).",
        description = {"Compare a human and a machine attention map the way the paper does:",
            "standardise both to T x 32 x 32 (fine: centre crop 160, Gaussian blur 25/5, every 5th",
            "pixel; coarse: bicubic antialiased resize), min-max over the volume, then every metric."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--human", required = true, paramLabel = "H.npy",
            description = "Human map, [T,H,W] (e.g. 15x160x208) or [H,W]; always treated as fine.")
    Path human;

    @Option(names = "--machine", required = true, paramLabel = "M.npy",
            description = "Machine map, [T,H,W] or [H,W].")
    Path machine;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "Machine map kind: fine (saliency, guided BP, guided Grad-CAM; 160x160) "
                    + "or coarse (Grad-CAM, occlusion; 10x10).")
    MapKind kind;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Frames of the EMD computed in parallel (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    /** One metric's results, for printing. */
    private record Row(String name, boolean higherIsBetter, Double volume, String volumeNote,
            FrameScores frames) {
    }

    @Override
    public Integer call() throws Exception {
        Volume h = MapFiles.read(human, "--human");
        Volume m = MapFiles.read(machine, "--machine");
        MapStandardizer standardizer = MapStandardizer.reference();
        Volume hs = standardize(standardizer, h, MapKind.FINE, "--human " + human);
        Volume ms = standardize(standardizer, m, kind, "--machine " + machine);
        hs.requireSameShape("standardised --human", ms, "standardised --machine");

        List<MapMetric> metrics = new ArrayList<>(MapMetrics.standard());
        metrics.add(Emd.exact().withParallelism(threads));
        List<Row> rows = new ArrayList<>();
        for (MapMetric metric : metrics) {
            Double vol = null;
            String note = null;
            if (!metric.supportsVolume()) {
                note = "per-frame only";
            } else {
                try {
                    vol = metric.volume(hs, ms);
                } catch (IllegalArgumentException e) {
                    note = "undefined: " + e.getMessage();
                }
            }
            rows.add(new Row(metric.name(), metric.higherIsBetter(), vol, note,
                    metric.perFrame(hs, ms)));
        }
        print(rows, hs);
        return 0;
    }

    private static Volume standardize(MapStandardizer s, Volume v, MapKind k, String role) {
        try {
            return s.standardize(v, k);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " (" + k.name().toLowerCase(Locale.ROOT)
                    + "): " + e.getMessage(), e);
        }
    }

    private void print(List<Row> rows, Volume standardized) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("human", human.toString());
            root.put("machine", machine.toString());
            root.put("kind", kind.name().toLowerCase(Locale.ROOT));
            ArrayNode shape = root.putArray("standardized_shape");
            for (int d : standardized.shape()) {
                shape.add(d);
            }
            ObjectNode ms = root.putObject("metrics");
            for (Row r : rows) {
                ObjectNode o = ms.putObject(r.name());
                o.put("higher_is_better", r.higherIsBetter());
                if (r.volume() != null) {
                    o.put("volume", r.volume());
                } else {
                    o.putNull("volume");
                    o.put("volume_note", r.volumeNote());
                }
                if (r.frames().mean().isPresent()) {
                    o.put("per_frame_mean", r.frames().mean().getAsDouble());
                } else {
                    o.putNull("per_frame_mean");
                }
                o.put("defined_frames", r.frames().definedCount());
                o.put("frames", r.frames().frames());
            }
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "human   %s%nmachine %s (%s)%nstandardised to %s%n%n", human,
                    machine, kind.name().toLowerCase(Locale.ROOT), standardized.shapeString());
            out.printf(Locale.ROOT, "%-10s %-7s %14s %16s %8s%n", "metric", "better", "volume",
                    "mean per frame", "frames");
            for (Row r : rows) {
                String vol = r.volume() != null ? String.format(Locale.ROOT, "%.6f", r.volume())
                        : (r.volumeNote().startsWith("undefined") ? "undefined" : "-");
                String mean = r.frames().mean().isPresent()
                        ? String.format(Locale.ROOT, "%.6f", r.frames().mean().getAsDouble())
                        : "undefined";
                out.printf(Locale.ROOT, "%-10s %-7s %14s %16s %8s%n", r.name(),
                        r.higherIsBetter() ? "higher" : "lower", vol, mean,
                        r.frames().definedCount() + "/" + r.frames().frames());
            }
            for (Row r : rows) {
                if (r.volumeNote() != null && r.volumeNote().startsWith("undefined")) {
                    out.printf(Locale.ROOT, "note: %s over the volume is %s%n", r.name(),
                            r.volumeNote());
                }
                if (r.frames().definedCount() < r.frames().frames()) {
                    out.printf(Locale.ROOT,
                            "note: %s is undefined on %d frame(s) (e.g. a constant or unpainted "
                                    + "frame); the mean is over the other frames%n",
                            r.name(), r.frames().frames() - r.frames().definedCount());
                }
            }
        }
        out.flush();
    }
}
