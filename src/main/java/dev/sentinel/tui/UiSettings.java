package dev.sentinel.tui;

import dev.sentinel.settings.TuiMode;
import java.nio.file.Path;

/**
 * How Sentinel shows itself.
 *
 * @param logFile in dashboard mode, where the child's output is also written; or null
 */
public record UiSettings(TuiMode mode, Path logFile) {
}
