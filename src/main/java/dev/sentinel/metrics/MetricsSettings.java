package dev.sentinel.metrics;

/**
 * Where Prometheus metrics are served.
 *
 * @param port 0 picks a free port
 */
public record MetricsSettings(boolean enabled, String host, int port) {
}
