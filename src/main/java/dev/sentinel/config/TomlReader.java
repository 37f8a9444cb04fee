package dev.sentinel.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * The only class that touches the TOML library: it turns the text into {@link ConfigNode}s with
 * the line of every key and array item, or reports the library's syntax errors at their lines.
 */
final class TomlReader {

    private final String text;
    private final int[] lineStarts;

    private TomlReader(String text) {
        this.text = text;
        this.lineStarts = lineStarts(text);
    }

    /** The document's root table, or null when the text is not valid TOML (the errors are in problems). */
    static ConfigNode.Table read(String text, Problems problems) {
        TomlParseResult result;
        try {
            result = Toml.parse(text);
        } catch (RuntimeException | AssertionError e) {
            // tomlj's own check failing inside it (an assert on an escape its parser recovered from,
            // found by ConfigTextFuzzTest): a file it cannot read, not a reason to end a reload.
            problems.add(0, null, "not valid TOML: the TOML reader could not make sense of it ("
                    + e.getClass().getSimpleName() + "); look for a broken escape or quote.");
            return null;
        }
        if (result.hasErrors()) {
            for (TomlParseError e : result.errors()) {
                TomlPosition at = e.position();
                problems.add(at == null ? 0 : at.line(), null, "not valid TOML"
                        + (at == null ? "" : " at column " + at.column()) + ": " + sentence(e.getMessage()) + ".");
            }
            return null;
        }
        return new TomlReader(text).table(result, 1);
    }

    private ConfigNode.Table table(TomlTable t, int line) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        for (String key : t.keySet()) {
            List<String> path = List.of(key);
            entries.put(key, node(t.get(path), lineOf(t.inputPositionOf(path), line)));
        }
        return new ConfigNode.Table(Collections.unmodifiableMap(entries), line);
    }

    private ConfigNode node(Object value, int line) {
        if (value instanceof String s) {
            return new ConfigNode.Text(s, line);
        }
        if (value instanceof Long l) {
            return new ConfigNode.Whole(l, line);
        }
        if (value instanceof Double d) {
            return new ConfigNode.Real(d, line);
        }
        if (value instanceof Boolean b) {
            return new ConfigNode.Bool(b, line);
        }
        if (value instanceof TomlTable t) {
            return table(t, line);
        }
        if (value instanceof TomlArray a) {
            List<ConfigNode> items = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                items.add(node(a.get(i), itemLine(a.inputPositionOf(i), line)));
            }
            return new ConfigNode.Array(items, line);
        }
        String type = value.getClass().getSimpleName();
        return new ConfigNode.Other(type.endsWith("Time") ? "time" : "date", line);
    }

    private static int lineOf(TomlPosition position, int fallback) {
        return position == null ? fallback : position.line();
    }

    /**
     * The line an array item starts on. The library places an item where the separator before it
     * ends (after the '[' or the previous comma), so an item on a line of its own would be reported
     * a line early: skip blanks, newlines and comments from there.
     */
    private int itemLine(TomlPosition position, int fallback) {
        if (position == null || position.line() < 1 || position.line() > lineStarts.length) {
            return fallback;
        }
        int line = position.line();
        int i = Math.min(text.length(), lineStarts[line - 1] + Math.max(0, position.column() - 1));
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#') {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return line;
            }
            i++;
        }
        return position.line();
    }

    private static int[] lineStarts(String text) {
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[line++] = i + 1;
            }
        }
        return starts;
    }

    /** The library's message as the end of our sentence (no period of its own). */
    private static String sentence(String message) {
        String m = message == null || message.isBlank() ? "syntax error" : message.strip();
        return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
    }
}
