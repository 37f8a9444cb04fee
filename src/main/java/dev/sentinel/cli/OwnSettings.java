package dev.sentinel.cli;

import dev.sentinel.control.ControlSettings;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.Option;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SentinelSection;
import dev.sentinel.settings.TuiMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sentinel's own settings for a run ({@link SentinelOptions}): one given on the command line or
 * by its environment variable wins over the file's {@code [sentinel]}, which wins over the
 * default (as Prometheus' flags do over its file). Without a file the section is empty and the
 * command line decides alone.
 */
final class OwnSettings {

    private final ParsedOptions line;
    private final SentinelSection file;

    OwnSettings(ParsedOptions line, SentinelSection file) {
        this.line = line;
        this.file = file;
    }

    <T> T value(Option<T> option) {
        return line.given(option) || !file.has(option) ? line.value(option) : file.get(option);
    }

    ControlSettings control() {
        Path socket = value(SentinelOptions.SOCKET);
        // Unset, the path is the default one, and a live Sentinel there moves this one aside.
        return new ControlSettings(!value(SentinelOptions.NO_SOCKET),
                socket == null ? ControlSettings.DEFAULT_PATH : socket, socket != null,
                value(SentinelOptions.SOCKET_MODE), value(SentinelOptions.SOCKET_GROUP));
    }

    MetricsSettings metrics() {
        return new MetricsSettings(value(SentinelOptions.METRICS), value(SentinelOptions.METRICS_HOST),
                value(SentinelOptions.METRICS_PORT));
    }

    TuiMode tui() {
        return value(SentinelOptions.NO_TUI) ? TuiMode.NEVER : value(SentinelOptions.TUI);
    }

    Path journal() {
        return value(SentinelOptions.JOURNAL);
    }

    CgroupMode cgroup() {
        return value(SentinelOptions.CGROUP);
    }

    Duration shutdownTimeout() {
        return value(SentinelOptions.SHUTDOWN_TIMEOUT);
    }

    long containerLimit() {
        return value(SentinelOptions.CONTAINER_LIMIT);
    }
}
