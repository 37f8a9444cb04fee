package dev.sentinel.cli;

import dev.sentinel.text.Visible;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Bad usage gets one sentence and a pointer to --help, not the whole usage text; exit status 2. */
final class UsageErrors {

    private UsageErrors() {
    }

    /**
     * @param program how the command is called, e.g. {@code sentinel ctl}
     * @param whenNoCommand the sentence for a missing COMMAND, with an example
     */
    static int report(String program, String whenNoCommand, CommandLine.ParameterException e, PrintWriter err) {
        String message = e.getMessage();
        if (e instanceof CommandLine.MissingParameterException && message.contains("COMMAND")) {
            message = whenNoCommand;
        }
        err.println(program + ": " + Visible.escape(message));
        err.println("Try '" + program + " --help' for the options.");
        err.flush();
        return 2;
    }
}
