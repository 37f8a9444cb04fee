package dev.sentinel.config;

import dev.sentinel.settings.ValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads values out of settings: expands variables in strings, hands a value to its option's
 * {@link ValueType} (the command line's parsers and sentences), resolves relative paths against
 * the config file's directory. Every method reports a problem and returns null on a bad value.
 */
final class Values {

    private final Problems problems;
    private final Interpolator interpolator;
    private final Path baseDir;

    Values(Problems problems, Interpolator interpolator, Path baseDir) {
        this.problems = problems;
        this.interpolator = interpolator;
        this.baseDir = baseDir;
    }

    Values withInterpolator(Interpolator other) {
        return new Values(problems, other, baseDir);
    }

    void problem(Setting s, String message) {
        problems.add(s.line(), s.key(), message);
    }

    void problem(String key, ConfigNode node, String message) {
        problems.add(node.line(), key, message);
    }

    void wrongType(Setting s, String noun, String accepted) {
        problem(s, s.node().describe() + " is not " + noun + "; use " + accepted + ".");
    }

    /** A string value with its variables expanded. */
    String string(Setting s, String noun, String accepted) {
        if (s.node() instanceof ConfigNode.Text t) {
            return expand(s.key(), t);
        }
        wrongType(s, noun, accepted);
        return null;
    }

    /** A string that must not be blank once expanded. */
    String nonBlank(Setting s, String noun, String accepted) {
        String v = string(s, noun, accepted);
        if (v != null && v.isBlank()) {
            problem(s, "the value is empty; use " + accepted + ".");
            return null;
        }
        return v;
    }

    /** Expands one string node (an item of an array or a table is reported at its own line). */
    String expand(String key, ConfigNode.Text text) {
        try {
            return interpolator.expand(text.value());
        } catch (IllegalArgumentException e) {
            problem(key, text, e.getMessage());
            return null;
        }
    }

    Boolean bool(Setting s, String accepted) {
        if (s.node() instanceof ConfigNode.Bool b) {
            return b.value();
        }
        wrongType(s, "true or false", accepted);
        return null;
    }

    /** A whole number; its range is the type's to check. */
    Long whole(Setting s, String noun, String accepted) {
        if (s.node() instanceof ConfigNode.Whole w) {
            return w.value();
        }
        wrongType(s, noun, accepted);
        return null;
    }

    /** A string, or a number as the command line would take it: whole, and with {@code fractions} real. */
    String stringOrNumber(Setting s, String noun, String accepted, boolean fractions) {
        if (s.node() instanceof ConfigNode.Text t) {
            return expand(s.key(), t);
        }
        if (s.node() instanceof ConfigNode.Whole w) {
            return Long.toString(w.value());
        }
        if (fractions && s.node() instanceof ConfigNode.Real r) {
            return r.plain();
        }
        wrongType(s, noun, accepted);
        return null;
    }

    /**
     * The value of a setting as {@code type} reads it and checks it; null when it is wrong (said
     * at the setting's line).
     */
    <T> T read(ValueType<T> type, Setting s) {
        T value = type.read(new FileValue(this, s));
        String problem = value == null ? null : type.check(value);
        if (problem != null) {
            problem(s, problem);
            return null;
        }
        return value;
    }

    /** A path; a relative one is taken from the config file's directory, as docker compose does. */
    Path path(Setting s, String noun, String accepted) {
        return resolve(s, nonBlank(s, noun, accepted));
    }

    /** Resolves an already-read path string against the config file's directory. */
    Path resolve(Setting s, String text) {
        if (text == null) {
            return null;
        }
        try {
            return baseDir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            problem(s, "'" + text + "' is not a path (" + e.getReason() + "); use a file path.");
            return null;
        }
    }
}
