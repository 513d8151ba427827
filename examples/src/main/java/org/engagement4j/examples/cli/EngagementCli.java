package org.engagement4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code engagement} command line tool. Each subcommand is its own class in this package.
 * {@link #main(String[])} exits with the status of {@link #run(String...)}; tests call
 * {@code run} directly.
 */
@Command(name = "engagement", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Infant engagement scoring, attention maps and map comparison.",
        subcommands = {CommandLine.HelpCommand.class, EmdCommand.class, CompareCommand.class,
            EafInfoCommand.class, StatsCommand.class, FoldsCommand.class,
            PreprocessCommand.class, ClipInfoCommand.class, MakeModelCommand.class,
            ModelInfoCommand.class, PredictCommand.class, ScoreCommand.class, TrainCommand.class,
            EvaluateCommand.class, ExplainCommand.class, SynthCommand.class,
            AnnotateCommand.class, DemoCommand.class, QuantizeCommand.class,
            SnippetsCommand.class})
public final class EngagementCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Entry point.
     *
     * @param args command line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the tool and returns its exit status: 0 on success, 2 for bad input (the message names
     * the file or argument; no stack trace), 1 for other failures.
     *
     * @param args command line arguments
     * @return the exit status
     */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    /**
     * Runs the tool with the given output and error streams (for tests and embedding).
     *
     * @param out where results go
     * @param err where error messages go
     * @param args command line arguments
     * @return the exit status
     */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** @return the configured picocli command line (for tests and embedding) */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new EngagementCli());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
