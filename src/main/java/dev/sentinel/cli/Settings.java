package dev.sentinel.cli;

import dev.sentinel.control.ControlSettings;
import dev.sentinel.core.GuardianConfig;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.tui.UiSettings;
import java.nio.file.Path;

/**
 * Everything the command line decided, by concern.
 *
 * @param journal where every lifecycle event is appended as a JSON line, or null
 */
record Settings(GuardianConfig guardian, ControlSettings control, MetricsSettings metrics, UiSettings ui,
                Path journal) {
}
