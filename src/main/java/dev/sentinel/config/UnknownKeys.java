package dev.sentinel.config;

import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.SentinelOptions;
import java.util.List;

/**
 * The sentence for a key Sentinel does not know: a likely typo, or a key put in the wrong table.
 * The keys of each table are the option table's.
 */
final class UnknownKeys {

    /** Where the unknown key was written. */
    enum Place { TOP, SENTINEL, DEFAULTS, PROGRAM }

    static final List<String> TABLES = List.of("sentinel", "defaults", "programs");

    private UnknownKeys() {
    }

    static String message(String key, List<String> known, Place place) {
        String close = DidYouMean.closest(key, known);
        if (close != null) {
            return "unknown key; did you mean '" + close + "'?";
        }
        if (place != Place.SENTINEL && SentinelOptions.KEYS.contains(key)) {
            return "this key belongs in the [sentinel] table; move it there.";
        }
        if ((place == Place.TOP || place == Place.SENTINEL) && ProgramOptions.KEYS.contains(key)) {
            return "this key belongs in [defaults] or in a [programs.NAME] table; move it there.";
        }
        String where = switch (place) {
            case TOP -> "the file has the tables [sentinel], [defaults] and [programs.NAME]";
            case SENTINEL -> "[sentinel] takes " + list(known);
            case DEFAULTS -> "[defaults] takes " + list(known);
            case PROGRAM -> "a program takes " + list(known);
        };
        return "unknown key; " + where + ".";
    }

    /** An unknown top-level table, as {@code [program.web]}. */
    static String tableMessage(String key) {
        String close = DidYouMean.closest(key, TABLES);
        return "unknown table; " + (close != null ? "did you mean [" + close + "]?"
                : "the file has the tables [sentinel], [defaults] and [programs.NAME].");
    }

    private static String list(List<String> keys) {
        return String.join(", ", keys.subList(0, keys.size() - 1)) + " and " + keys.get(keys.size() - 1);
    }
}
