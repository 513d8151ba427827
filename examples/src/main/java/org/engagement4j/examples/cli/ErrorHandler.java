package org.engagement4j.examples.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Maps exceptions from commands to exit statuses: bad input (an {@link IllegalArgumentException}
 * or an unreadable file) prints its one-line message and exits 2; anything else exits 1 with the
 * stack trace, because it is a bug.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int BAD_INPUT = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl,
            CommandLine.ParseResult parseResult) {
        if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException
                || ex instanceof java.io.IOException) {
            cl.getErr().println("error: " + ex.getMessage());
            cl.getErr().flush();
            return BAD_INPUT;
        }
        ex.printStackTrace(cl.getErr());
        return 1;
    }
}
