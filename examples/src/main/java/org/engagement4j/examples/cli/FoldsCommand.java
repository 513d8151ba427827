package org.engagement4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.SessionFolder;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;
import org.engagement4j.core.folds.FoldPlan;
import org.engagement4j.core.folds.FoldSplitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement folds --eaf DIR --seed N}: splits the sessions of a folder of ELAN files into
 * stratified folds (the last one is the test fold), as the paper's Section 3.3 describes.
 */
@Command(name = "folds", mixinStandardHelpOptions = true,
        header = "Seeded 5-fold session split of a folder of ELAN files.",
        description = {"Split the sessions of a folder of per-session, per-coder ELAN files",
            "(<session>_<coder>_<YYYYMMDD>.eaf) into folds by rejection sampling: the split whose",
            "per-fold positive rates (per task and variable) and fold sizes are closest to the",
            "whole data set's. The last fold is the test fold."})
final class FoldsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--eaf", required = true, paramLabel = "DIR",
            description = "Folder of .eaf files, one per session and coder.")
    Path folder;

    @Option(names = "--seed", required = true, paramLabel = "N",
            description = "Seed; the same files, options and seed give the same folds.")
    long seed;

    @Option(names = "--folds", defaultValue = "5", paramLabel = "K",
            description = "Number of folds, the last being the test fold (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--tries", defaultValue = "100000", paramLabel = "N",
            description = "Random splits to draw (default: ${DEFAULT-VALUE}).")
    int tries;

    @Option(names = "--group", split = ",", paramLabel = "SESSION",
            description = "Sessions to deal round-robin over the folds, e.g. those of a second"
                    + " experimenter (comma-separated).")
    List<String> group = new ArrayList<>();

    @Option(names = "--blocks-in-test", negatable = true, defaultValue = "true",
            fallbackValue = "true",
            description = "Require a session of every coder block (set of coders) in the test"
                    + " fold (default: ${DEFAULT-VALUE}; --no-blocks-in-test turns it off).")
    boolean blocksInTest;

    @Option(names = "--json", description = "Print the plan as JSON instead of text.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the plan as JSON to FILE.")
    Path outFile;

    @Override
    public Integer call() throws Exception {
        SessionFolder loaded = SessionLoader.create().load(folder);
        List<CodedSession> sessions = loaded.sessions();
        FoldSplitter splitter = FoldSplitter.withDefaults().withFolds(folds).withTries(tries)
                .withGroup(group).withBlocksInTest(blocksInTest);
        FoldPlan plan = splitter.split(sessions, seed);
        if (outFile != null) {
            plan.writeJson(outFile);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(plan.toJson());
        } else {
            printText(out, plan, sessions.size(), loaded.annotationFiles().size());
        }
        out.flush();
        return 0;
    }

    private void printText(PrintWriter out, FoldPlan plan, int sessions, int files) {
        out.printf(Locale.ROOT, "%d sessions (%d files) from %s%n", sessions, files, folder);
        out.printf(Locale.ROOT, "seed %d: %d of %d tries met the constraints; best score %.6f%n",
                plan.seed(), plan.acceptedTries(), plan.tries(), plan.score());
        out.printf(Locale.ROOT, "%-10s %s%n", "all", rates(plan.overallRate()));
        for (int k = 0; k < plan.foldCount(); k++) {
            String name = k == plan.testFoldIndex() ? "fold " + k + "*" : "fold " + k;
            out.printf(Locale.ROOT, "%-10s %s  %s%n", name, rates(plan.foldRates().get(k)),
                    String.join(" ", plan.folds().get(k)));
        }
        out.println("* test fold; columns: positive rate (task_engagement/social_engagement)"
                + " for dolls, shaker, drum");
    }

    private static String rates(Map<Task, Map<Variable, Double>> r) {
        StringBuilder sb = new StringBuilder();
        for (Task t : Task.values()) {
            Map<Variable, Double> m = r.getOrDefault(t, Map.of());
            sb.append(String.format(Locale.ROOT, "%s %s/%s  ", t.paperName(),
                    rate(m.get(Variable.TASK_ENGAGEMENT)), rate(m.get(Variable.SOCIAL_ENGAGEMENT))));
        }
        return sb.toString().trim();
    }

    private static String rate(Double d) {
        return d == null ? "  -  " : String.format(Locale.ROOT, "%.3f", d);
    }
}
