package dev.sentinel.metrics;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.Snapshot;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves Prometheus metrics ({@code GET /metrics}) from the latest snapshot, with the Prometheus
 * Java client's {@link HTTPServer}. A scrape reads the snapshot the loop published last; it never
 * samples the tree and never waits for the loop.
 *
 * <p>Threads: the server's dispatcher plus {@value #HTTP_THREADS} request threads, all daemons. A
 * client that connects and sends nothing can hold one of them, never the supervisor loop.
 *
 * <p>When the run ends, {@link #close()} waits for one more scrape (only if something has been
 * scraping, at most about one scrape interval and never more than {@link #MAX_FINAL_WAIT}), so
 * that Prometheus records how the run ended: {@code up} 0 and the last kill counts.
 */
public final class MetricsExporter implements LoopExtension {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExporter.class);
    static final int HTTP_THREADS = 2;
    private static final String NODELAY = "sun.net.httpserver.nodelay";
    private static final String TIMER_MILLIS = "sun.net.httpserver.timerMillis";
    static final Duration MAX_FINAL_WAIT = Duration.ofSeconds(10);

    private final SentinelMetrics metrics;
    private final HTTPServer server;
    private final String address;
    private final Duration maxFinalWait;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsExporter(SentinelMetrics metrics, HTTPServer server, String address, Duration maxFinalWait) {
        this.metrics = metrics;
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
        InetAddress host;
        try {
            host = InetAddress.getByName(settings.host());
        } catch (UnknownHostException e) {
            notes.accept("sentinel: --metrics-host '" + settings.host() + "' is not a known address; "
                    + "guarding without metrics (use an address of this machine, e.g. 0.0.0.0 or 127.0.0.1).");
            return null;
        }
        // The JDK's HTTP server leaves Nagle's algorithm on; with the scraper's delayed ACKs every
        // scrape over a kept-alive connection then waits ~40 ms (measured: 44 ms -> 2.7 ms median).
        // The server reads these once, when its first instance is made.
        defaultProperty(NODELAY, "true");
        // The client library caps a request at 60 s and a response at 600 s, so the JDK's server
        // checks its connections on a timer, every second by default: a thread woken once a second
        // for the whole life of an idle Sentinel. Every 10 s enforces those caps just as well.
        defaultProperty(TIMER_MILLIS, "10000");
        ThreadPoolExecutor executor = new HttpExecutor(metrics.scrapes());
        try {
            HTTPServer server = HTTPServer.builder()
                    .inetAddress(host)
                    .port(settings.port())
                    .registry(metrics.registry())
                    .executorService(executor)
                    .buildAndStart();
            String address = hostPort(host, server.getPort());
            notes.accept("sentinel: metrics on http://" + address + "/metrics");
            return new MetricsExporter(metrics, server, address, maxFinalWait);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
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

    /** Sets a JDK property unless the user set it (with SENTINEL_JAVA_OPTS). */
    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    /** The port actually served (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void attach(LoopContext context) {
        metrics.update(context.latest());
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

    /**
     * A small fixed pool of daemon threads that tells the {@link ScrapeWatch} when each exchange
     * has finished, i.e. when a scrape's response has been written.
     */
    private static final class HttpExecutor extends ThreadPoolExecutor {
        private final ScrapeWatch scrapes;

        HttpExecutor(ScrapeWatch scrapes) {
            super(HTTP_THREADS, HTTP_THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemons());
            this.scrapes = scrapes;
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            scrapes.exchangeDone();
        }

        private static ThreadFactory daemons() {
            AtomicInteger n = new AtomicInteger();
            return task -> {
                Thread t = new Thread(task, "sentinel-metrics-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }
}
