package dev.sentinel.cli;

import dev.sentinel.text.Visible;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a parsed command line asks for, decided before anything starts: a refusal with its one
 * sentence, the programs of a config file, or one command. Deciding first keeps every check of
 * the command line testable without starting a program.
 */
sealed interface Invocation {

    /** Bad usage: {@code sentence} goes to stderr after {@code sentinel: }, and the exit status is 2. */
    record Refused(String sentence) implements Invocation {

        /** Says the sentence (a value the user typed with a newline or an escape in it stays one line). */
        int tell(PrintWriter err) {
            err.println("sentinel: " + Visible.escape(sentence));
            err.flush();
            return 2;
        }
    }

    /** {@code --config FILE}: the file's programs, with the command line's options over its [sentinel]. */
    record FromFile(ParsedOptions options, Path file) implements Invocation {
    }

    /** One COMMAND with the command line's options. */
    record OneCommand(Settings settings) implements Invocation {
    }
}
