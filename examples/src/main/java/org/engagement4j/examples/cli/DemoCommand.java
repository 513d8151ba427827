package org.engagement4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.video.ProgressListener;
import org.engagement4j.examples.demo.DemoListener;
import org.engagement4j.examples.demo.DemoPipeline;
import org.engagement4j.examples.demo.DemoSettings;
import org.engagement4j.examples.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement demo --out DIR [--seed S] [--quick]}: the whole system in one command on a
 * synthetic guided-play benchmark ({@link DemoPipeline}), with a progress bar per step on
 * stderr and the result tables on stdout.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run the whole system on a generated synthetic benchmark (one command).",
        description = {"Generates a synthetic guided-play benchmark (videos, ELAN files of",
            "simulated coders, evidence masks), preprocesses it, computes Table 1 and the coder",
            "agreement, splits folds, trains a linear head per variable on a fixed seeded",
            "random mc3_18 encoder, evaluates it (accuracy, F1, random baselines, Cohen's",
            "kappa), scores a held-out recording (timeline), computes every attention map of a",
            "comparison set, compares them with the evidence masks (EMD and the other metrics)",
            "and ranks the methods with Wilcoxon tests. Everything goes to --out: figures/,",
            "tables/, model/, clips/, benchmark/ and summary.json. The same seed gives the",
            "same numbers. --out must be new or empty."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder; must not exist or be empty.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "The one seed of the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick",
            description = "A small run (4 short recordings, a narrower encoder) for tests.")
    boolean quick;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoSettings settings = quick ? DemoSettings.quick() : DemoSettings.full();
        DemoSummary s;
        try {
            s = DemoPipeline.of(settings).run(out, seed, noProgress ? DemoListener.NONE
                    : new Bars(err));
        } catch (ModelException e) {
            throw PredictCommand.badModel(e);
        }
        o.print(s.report());
        o.println();
        o.println("stage times (s):");
        double total = 0;
        for (Map.Entry<String, Double> e : s.stageSeconds().entrySet()) {
            o.printf(Locale.ROOT, "  %-11s %7.1f%n", e.getKey(), e.getValue());
            total += e.getValue();
        }
        o.printf(Locale.ROOT, "  %-11s %7.1f%n", "total", total);
        o.printf(Locale.ROOT, "wrote %s (figures/, tables/, model/, %s)%n", s.outDir(),
                DemoPipeline.SUMMARY);
        o.flush();
        return 0;
    }

    /** Stage headings and one {@link TrainCommand.Bar} per step, on stderr. */
    private static final class Bars implements DemoListener {
        private final PrintWriter err;

        Bars(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void stageStarted(String stage) {
            err.printf(Locale.ROOT, "== %s%n", stage);
            err.flush();
        }

        @Override
        public ProgressListener step(String label) {
            return new TrainCommand.Bar(err, label);
        }

        @Override
        public void stepEnded(ProgressListener step) {
            if (step instanceof TrainCommand.Bar b) {
                b.end();
            }
        }

        @Override
        public void stageEnded(String stage, double seconds) {
            err.printf(Locale.ROOT, "   %s done in %.1f s%n", stage, seconds);
            err.flush();
        }
    }
}
