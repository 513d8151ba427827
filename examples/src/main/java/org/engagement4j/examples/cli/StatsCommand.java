package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.engagement4j.core.annotation.FileNamePattern;
import org.engagement4j.core.annotation.SessionFolder;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.stats.AgreementMatrix;
import org.engagement4j.core.stats.AgreementTable;
import org.engagement4j.core.stats.DurationSummary;
import org.engagement4j.core.stats.DurationTable;
import org.engagement4j.core.stats.HumanAgreement;
import org.engagement4j.core.stats.StatsJson;
import org.engagement4j.core.stats.TaskDurations;
import org.engagement4j.examples.render.HeatmapPng;
import org.engagement4j.metrics.agreement.PairMean;
import org.engagement4j.metrics.agreement.RaterPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement stats --eaf DIR}: the paper's Table 1 (task durations, mean IoU of the minimal
 * and maximal intervals, total minimal-interval time) and Figure 1 (pairwise raw agreement and
 * Cohen's kappa of the coders, sampled every 100 ms over the minimal intervals), with the
 * per-task and per-variable breakdown, for a folder of per-session, per-coder ELAN files.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        header = "Paper Table 1 and coder agreement matrices for ELAN files.",
        description = {"Duration statistics (paper Table 1) and inter-rater agreement (Figure 1)",
            "of a folder of per-session, per-coder ELAN files (<session>_<coder>_<YYYYMMDD>.eaf).",
            "Agreement: each coder's labels sampled every 100 ms over the span of each task shared",
            "by all coders of the session (half-open), pooled over sessions; each pair of coders",
            "compared on the sessions both coded."})
final class StatsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--eaf", required = true, paramLabel = "DIR",
            description = "Folder of .eaf files, one per session and coder.")
    Path folder;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Option(names = "--png", paramLabel = "OUT.png",
            description = "Also write the agreement and kappa matrices (all tasks, both"
                    + " variables) as a PNG heat map.")
    Path png;

    @Option(names = "--step-ms", defaultValue = "100", paramLabel = "MS",
            description = "Sampling step of the agreement, in ms (default: ${DEFAULT-VALUE}).")
    long stepMs;

    @Option(names = "--exclude-masked",
            description = "Leave samples inside a coder's masked ('ignore') time unlabelled for"
                    + " that coder (the paper kept them).")
    boolean excludeMasked;

    @Option(names = "--pattern", paramLabel = "REGEX",
            description = "File name pattern with named groups session and coder (and optionally"
                    + " date); default: " + FileNamePattern.REFERENCE_REGEX)
    String pattern;

    @Override
    public Integer call() throws Exception {
        if (png != null) {
            Path parent = png.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--png %s: folder %s does not exist", png, parent));
            }
        }
        SessionLoader loader = SessionLoader.create();
        if (pattern != null) {
            loader = loader.withPattern(FileNamePattern.of(pattern));
        }
        SessionFolder loaded = loader.load(folder);
        HumanAgreement sampler = HumanAgreement.reference().withStepMs(stepMs)
                .withMaskedExcluded(excludeMasked);
        DurationTable durations = DurationTable.of(loaded.sessions());
        AgreementTable agreement = sampler.compute(loaded.sessions());
        if (png != null) {
            AgreementMatrix all = agreement.overall();
            HeatmapPng.write(png, List.of(
                    new HeatmapPng.Panel("Raw agreement", all.coders(), all.agreement(), 0, 1),
                    new HeatmapPng.Panel("Cohen's kappa", all.coders(), all.kappa(), 0, 1)));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("folder", folder.toString());
            root.put("sessions", loaded.sessions().size());
            root.put("annotation_files", loaded.annotationFiles().size());
            ArrayNode unmatched = root.putArray("unmatched_files");
            loaded.unmatchedFiles().forEach(p -> unmatched.add(p.getFileName().toString()));
            if (png != null) {
                root.put("png", png.toString());
            }
            ObjectNode stats = (ObjectNode) mapper.readTree(StatsJson.toJson(durations,
                    agreement));
            root.setAll(stats);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            printText(out, loaded, durations, agreement);
        }
        out.flush();
        return 0;
    }

    private void printText(PrintWriter out, SessionFolder loaded, DurationTable durations,
            AgreementTable agreement) {
        out.printf(Locale.ROOT, "%d session(s), %d annotation file(s), coders %s%n",
                loaded.sessions().size(), loaded.annotationFiles().size(), agreement.coders());
        if (!loaded.unmatchedFiles().isEmpty()) {
            out.printf(Locale.ROOT, "not read (name does not match the pattern): %s%n",
                    loaded.unmatchedFiles().stream().map(p -> p.getFileName().toString())
                            .toList());
        }
        out.println();
        out.println("Table 1: duration statistics per task");
        String fmt = "%-30s %-18s %-18s %-18s %-18s%n";
        out.printf(Locale.ROOT, fmt, "", "dolls", "shaker", "drum", "total");
        TaskDurations[] cols = {durations.task(Task.DOLLS), durations.task(Task.SHAKER),
            durations.task(Task.DRUM), durations.total()};
        String[] row = new String[4];
        for (int i = 0; i < 4; i++) {
            row[i] = meanSd(cols[i].individual());
        }
        printRow(out, fmt, "Individual durations", row);
        for (int i = 0; i < 4; i++) {
            OptionalDouble iou = cols[i].meanIou();
            row[i] = iou.isPresent() ? String.format(Locale.ROOT, "%.1f%%",
                    100 * iou.getAsDouble()) : "n/a";
        }
        printRow(out, fmt, "Mean intersection over union", row);
        for (int i = 0; i < 4; i++) {
            row[i] = duration(cols[i].intersectionMs());
        }
        printRow(out, fmt, "Total duration (intersection)", row);

        AgreementMatrix all = agreement.overall();
        out.println();
        out.printf(Locale.ROOT, "Figure 1: agreement of coder pairs, all tasks, both variables"
                + " (%d samples every %d ms)%n", all.samples(), agreement.stepMs());
        printMatrix(out, "raw agreement", all.coders(), all.agreement());
        printMatrix(out, "Cohen's kappa", all.coders(), all.kappa());
        out.printf(Locale.ROOT, "mean over pairs: raw agreement %s, kappa %s%n",
                mean(all.meanAgreement()), mean(all.meanKappa()));

        out.println();
        out.println("Per task and variable (pairs who coded a session together):");
        String pfmt = "%-7s %-18s %-20s %8s %10s %8s%n";
        out.printf(Locale.ROOT, pfmt, "task", "variable", "pair", "samples", "agreement",
                "kappa");
        for (AgreementMatrix m : agreement.matrices()) {
            for (RaterPair p : m.pairs()) {
                out.printf(Locale.ROOT, pfmt, m.scope().taskLabel(), m.scope().variableLabel(),
                        p.first() + "-" + p.second(), p.rows(),
                        String.format(Locale.ROOT, "%.3f", p.agreement().orElseThrow()),
                        p.kappa().isPresent()
                                ? String.format(Locale.ROOT, "%.3f", p.kappa().get().kappa())
                                : "n/a");
            }
        }
    }

    private static void printRow(PrintWriter out, String fmt, String name, String[] cells) {
        Object[] args = new Object[cells.length + 1];
        args[0] = name;
        System.arraycopy(cells, 0, args, 1, cells.length);
        out.printf(Locale.ROOT, fmt, args);
    }

    private static void printMatrix(PrintWriter out, String title, List<String> coders,
            double[][] values) {
        int w = 8;
        for (String c : coders) {
            w = Math.max(w, c.length() + 2);
        }
        out.println(title);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", ""));
        for (String c : coders) {
            head.append(String.format(Locale.ROOT, "%" + w + "s", c));
        }
        out.println(head);
        for (int i = 0; i < coders.size(); i++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s",
                    coders.get(i)));
            for (double v : values[i]) {
                line.append(String.format(Locale.ROOT, "%" + w + "s",
                        Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v)));
            }
            out.println(line);
        }
    }

    private static String mean(PairMean m) {
        String v = m.mean().isPresent() ? String.format(Locale.ROOT, "%.3f",
                m.mean().getAsDouble()) : "n/a";
        return m.undefinedPairs() == 0 ? v
                : String.format(Locale.ROOT, "%s (%d undefined pair(s) left out)", v,
                        m.undefinedPairs());
    }

    private static String meanSd(DurationSummary s) {
        if (s.meanMs().isEmpty()) {
            return "n/a";
        }
        String mean = duration(Math.round(s.meanMs().getAsDouble()));
        return s.sdMs().isEmpty() ? mean
                : mean + " +/- " + duration(Math.round(s.sdMs().getAsDouble()));
    }

    /**
     * Durations as the paper writes them: {@code 2h 17min 53s}, {@code 2min 6s}, {@code 29s};
     * under a minute with one decimal ({@code 4.8s}).
     */
    static String duration(long ms) {
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = Math.round(ms / 1000.0);
        long h = s / 3600;
        long min = s % 3600 / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%dh %dmin %ds", h, min, sec)
                : String.format(Locale.ROOT, "%dmin %ds", min, sec);
    }
}
