package dev.sentinel.settings;

import java.nio.file.Path;

/** Where a program's output goes in config mode ({@code output = "prefix" | "discard" | PATH}). */
public sealed interface OutputTarget {

    /** Each line to Sentinel's stdout or stderr, after the program's name (headless), or to the dashboard's pane. */
    record Prefix() implements OutputTarget {
    }

    /** To /dev/null. */
    record Discard() implements OutputTarget {
    }

    /** Appended to a file, rotated at 10 MiB with 3 kept. */
    record ToFile(Path path) implements OutputTarget {
    }

    OutputTarget PREFIX = new Prefix();
    OutputTarget DISCARD = new Discard();
}
