package dev.sentinel.cli;

import dev.sentinel.control.ControlSettings;
import dev.sentinel.core.GuardianConfig;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.tui.UiSettings;

/** Everything the command line decided, by concern. */
record Settings(GuardianConfig guardian, ControlSettings control, MetricsSettings metrics, UiSettings ui) {
}
