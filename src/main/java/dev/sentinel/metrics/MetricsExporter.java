package dev.sentinel.metrics;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.Snapshot;
import dev.sentinel.platform.DescriptorBudget;
import dev.sentinel.platform.ProcFs;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Prometheus metrics ({@code GET /metrics}) from the latest snapshot, with Sentinel's own
 * small HTTP server ({@link ScrapeServer}) and the Prometheus Java client's scrape handler
 * ({@link MetricsEndpoint}). A scrape reads the snapshot the loop published last; it never samples
 * the tree and never waits for the loop.
 *
 * <p>Threads: one daemon, {@code sentinel-metrics-http}, which never blocks on a client: a
 * client that connects and sends nothing, or half a request, holds no thread and is closed after
 * {@link ScrapeServer.Limits#DEFAULT}'s request timeout (issue 14).
 *
 * <p>The same port answers Sentinel's own probes, {@code /healthz} and {@code /readyz}
 * ({@link HealthEndpoints}), under the same bounds.
 *
 * <p>When the run ends, {@link #close()} waits for one more scrape (only if something has been
 * scraping, at most about one scrape interval and never more than {@link #MAX_FINAL_WAIT}), so
 * that Prometheus records how the run ended: {@code up} 0 and the last kill counts.
 */
public final class MetricsExporter implements LoopExtension {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExporter.class);
    static final Duration MAX_FINAL_WAIT = Duration.ofSeconds(10);

    private final SentinelMetrics metrics;
    private final HealthEndpoints health;
    private final ScrapeServer server;
    private final String address;
    private final Duration maxFinalWait;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsExporter(SentinelMetrics metrics, HealthEndpoints health, ScrapeServer server, String address,
                            Duration maxFinalWait) {
        this.metrics = metrics;
        this.health = health;
        this.server = server;
        this.address = address;
        this.maxFinalWait = maxFinalWait;
    }

    /**
     * Starts the HTTP server and says where, in one line through {@code notes}. A busy port or a
     * bad address must never stop the guard: then this says so in one line through {@code notes}
     * and returns null, and Sentinel guards without metrics.
     */
    public static MetricsExporter start(MetricsSettings settings, Consumer<String> notes) {
        return start(settings, notes, new SentinelMetrics(true), MAX_FINAL_WAIT);
    }

    static MetricsExporter start(MetricsSettings settings, Consumer<String> notes, SentinelMetrics metrics,
                                 Duration maxFinalWait) {
        ScrapeServer.Limits d = ScrapeServer.Limits.DEFAULT;
        // Fewer connections under a small ulimit -n, so scrapers never take the guard's descriptors.
        return start(settings, notes, metrics, maxFinalWait,
                d.withMaxConnections(DescriptorBudget.of(ProcFs.system()).connections(d.maxConnections())));
    }

    /** For tests: {@code limits} may be shorter than the defaults. */
    static MetricsExporter start(MetricsSettings settings, Consumer<String> notes, SentinelMetrics metrics,
                                 Duration maxFinalWait, ScrapeServer.Limits limits) {
        InetAddress host;
        try {
            host = InetAddress.getByName(settings.host());
        } catch (UnknownHostException e) {
            notes.accept("sentinel: --metrics-host '" + settings.host() + "' is not a known address; "
                    + "guarding without metrics (use an address of this machine, e.g. 0.0.0.0 or 127.0.0.1).");
            return null;
        }
        try {
            HealthEndpoints health = new HealthEndpoints(metrics::latest);
            ScrapeServer server = ScrapeServer.start(new InetSocketAddress(host, settings.port()), limits,
                    new MetricsEndpoint(metrics, health));
            String address = hostPort(host, server.port());
            notes.accept("sentinel: metrics on http://" + address + "/metrics");
            return new MetricsExporter(metrics, health, server, address, maxFinalWait);
        } catch (IOException | RuntimeException e) {
            notes.accept(describeFailure(hostPort(host, settings.port()), settings.port(), e));
            LOG.debug("metrics endpoint failed to start", e);
            return null;
        }
    }

    static String describeFailure(String where, int port, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof BindException && reason.toLowerCase(Locale.ROOT).contains("in use")) {
            return "sentinel: metrics port " + port + " is already in use (" + where + "); guarding without "
                    + "metrics (pick another port with -p PORT, -p 0 for any free one, or --no-metrics).";
        }
        return "sentinel: cannot serve metrics on " + where + " (" + reason + "); guarding without metrics "
                + "(check --metrics-host and -p, or use --no-metrics).";
    }

    static String hostPort(InetAddress host, int port) {
        String h = host.getHostAddress();
        return (host instanceof Inet6Address ? "[" + h + "]" : h) + ":" + port;
    }

    /** {@code host:port} actually served, e.g. {@code 0.0.0.0:8000}. */
    public String address() {
        return address;
    }

    /** The port actually served (useful with port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void attach(LoopContext context) {
        metrics.update(context.latest());
        health.attach(context.handle());
    }

    /** Exports {@code sentinel_hook_runs_total} and {@code sentinel_hook_events_dropped_total}. */
    public void exportHooks(HookStats stats) {
        metrics.hooks(stats);
    }

    @Override
    public void afterTick(Snapshot snapshot) {
        metrics.update(snapshot);
    }

    /** Waits for the final scrape (see the class comment), then stops the server. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Snapshot last = metrics.latest();
            if (last != null) {
                boolean delivered = metrics.scrapes().awaitDelivered(last.sequence(), maxFinalWait);
                LOG.debug("final snapshot {} delivered to a scrape before exit: {}", last.sequence(), delivered);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "metrics endpoint " + address;
    }
}
