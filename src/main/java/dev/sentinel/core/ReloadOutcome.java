package dev.sentinel.core;

import java.util.List;

/**
 * What a reload did, or why it did nothing.
 *
 * @param applied false when the file had errors (or there is no file): nothing was changed
 * @param lines one sentence each: what was done per program, or every problem of the file
 */
public record ReloadOutcome(boolean applied, List<String> lines) {

    public ReloadOutcome {
        lines = List.copyOf(lines);
    }

    public static ReloadOutcome refused(String why) {
        return new ReloadOutcome(false, List.of(why));
    }
}
