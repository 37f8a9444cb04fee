package dev.sentinel.cli;

import dev.sentinel.config.SentinelConfig;
import dev.sentinel.control.ControlSettings;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.tui.UiSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the command line (and in config mode the file) decided, by concern.
 *
 * @param programs what to guard: one program in single-command mode, the file's in config mode
 * @param config the config file as loaded, or null in single-command mode
 * @param journal where every lifecycle event is appended as a JSON line, or null
 * @param cgroup whether each program gets a cgroup of its own
 * @param shutdownTimeout the whole shutdown's budget, after which every tree left gets SIGKILL
 * @param containerLimit the programs' container's memory limit as given, or -1 to read Sentinel's own
 */
record Settings(List<ProgramSettings> programs, SentinelConfig config, ControlSettings control, MetricsSettings metrics,
                UiSettings ui, Path journal, CgroupMode cgroup, Duration shutdownTimeout,
                long containerLimit) {

    Settings {
        programs = List.copyOf(programs);
    }

    boolean configMode() {
        return config != null;
    }

    /** The first (in single-command mode the only) program. */
    ProgramSettings program() {
        return programs.get(0);
    }
}
