package dev.sentinel.core;

/**
 * Facts about this Sentinel that do not change while it runs.
 *
 * @param socketPath the control socket's path, or null without one
 * @param metricsAddress where metrics are served ({@code host:port}), or null without
 * @param configFile the config file's path in config mode ({@code --config}), null in single-command mode
 */
public record RunInfo(String version, long pid, String socketPath, String metricsAddress, String configFile) {

    /** Single-command mode. */
    public RunInfo(String version, long pid, String socketPath, String metricsAddress) {
        this(version, pid, socketPath, metricsAddress, null);
    }

    /** True when Sentinel runs the programs of a config file, false for one command from its command line. */
    public boolean configMode() {
        return configFile != null;
    }
}
