package dev.sentinel.metrics;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import java.util.function.Consumer;

/** Serves Prometheus metrics from the latest snapshot. (Stub: issue 4 builds it.) */
public final class MetricsExporter implements LoopExtension {

    private MetricsExporter() {
    }

    /**
     * Starts the HTTP server. A busy port must never stop the guard: then this says so in one line
     * through {@code notes} and returns null.
     */
    public static MetricsExporter start(MetricsSettings settings, Consumer<String> notes) {
        return null;
    }

    /** {@code host:port} actually served. */
    public String address() {
        return null;
    }

    @Override
    public void attach(LoopContext context) {
    }

    @Override
    public void close() {
    }
}
