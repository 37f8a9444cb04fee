package dev.sentinel.core;

/**
 * Facts about this Sentinel that do not change while it runs.
 *
 * @param socketPath the control socket's path, or null without one
 * @param metricsAddress where metrics are served ({@code host:port}), or null without
 */
public record RunInfo(String version, long pid, String socketPath, String metricsAddress) {
}
