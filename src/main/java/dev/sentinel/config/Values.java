package dev.sentinel.config;

import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Durations;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads typed values out of settings: expands variables in strings, parses sizes and durations
 * with core's parsers (the command line's words and sentences), resolves relative paths against
 * the config file's directory. Every method reports a problem and returns null on a bad value.
 */
final class Values {

    static final String SIZE_ACCEPTED = ByteSize.ACCEPTED + ", or none";

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

    /** A whole number in [min, max]; {@code accepted} says what to write instead. */
    Integer whole(Setting s, long min, long max, String noun, String accepted) {
        if (!(s.node() instanceof ConfigNode.Whole w)) {
            wrongType(s, noun, accepted);
            return null;
        }
        if (w.value() < min || w.value() > max) {
            problem(s, w.value() + " is " + (w.value() < min ? (min == 0 ? "negative" : "below " + min)
                    : "above " + max) + "; use " + accepted + ".");
            return null;
        }
        return (int) w.value();
    }

    /** A duration: a string as the command line takes it, or a bare number of seconds. */
    Duration duration(Setting s) {
        String text;
        if (s.node() instanceof ConfigNode.Text t) {
            text = expand(s.key(), t);
        } else if (s.node() instanceof ConfigNode.Whole w) {
            text = Long.toString(w.value());
        } else if (s.node() instanceof ConfigNode.Real r) {
            text = r.plain();
        } else {
            wrongType(s, "a duration", Durations.ACCEPTED);
            return null;
        }
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problem(s, e.getMessage());
            return null;
        }
    }

    /** A memory limit: a size string, {@code "none"}, or a whole number of bytes. */
    MemoryLimit memoryLimit(Setting s) {
        return sized(s, "a memory limit", SIZE_ACCEPTED, MemoryLimit::parse);
    }

    /** A kernel limit: {@code "auto"}, {@code "off"}, a size string, or a whole number of bytes. */
    KernelLimit kernelLimit(Setting s) {
        return sized(s, "a kernel limit", "\"auto\", \"off\" or " + SIZE_ACCEPTED, KernelLimit::parse);
    }

    /** A size-like value written as a string or a whole number of bytes, parsed by {@code parse}. */
    private <T> T sized(Setting s, String noun, String accepted, java.util.function.Function<String, T> parse) {
        String text;
        if (s.node() instanceof ConfigNode.Text t) {
            text = expand(s.key(), t);
        } else if (s.node() instanceof ConfigNode.Whole w) {
            text = Long.toString(w.value());
        } else {
            wrongType(s, noun, accepted);
            return null;
        }
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problem(s, e.getMessage());
            return null;
        }
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
