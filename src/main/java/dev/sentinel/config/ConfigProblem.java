package dev.sentinel.config;

import dev.sentinel.text.Visible;
import java.nio.file.Path;

/**
 * One thing wrong with a config file, at a line (0 when the problem has no line, as a missing file).
 * {@link #toString()} is the form users see: {@code FILE:LINE: key: what is wrong; what is accepted}.
 *
 * @param key the dotted key ({@code programs.web.memory_limit}), or null
 */
public record ConfigProblem(Path file, int line, String key, String message) {

    @Override
    public String toString() {
        // Values are quoted in messages; one with a newline or an escape must not break the line or drive the terminal.
        return Visible.escape(file + (line > 0 ? ":" + line : "") + ": " + (key == null ? "" : key + ": ") + message);
    }
}
