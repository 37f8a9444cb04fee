package dev.sentinel.config;

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
        return file + (line > 0 ? ":" + line : "") + ": " + (key == null ? "" : key + ": ") + message;
    }
}
