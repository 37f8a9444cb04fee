package dev.sentinel.metrics;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the endpoint answers, path by path, as the client library's HTTPServer did: {@code /metrics}
 * through the library's own {@link PrometheusScrapeHandler} (so the format follows the Accept
 * header, OpenMetrics included; gzip when asked; {@code name[]} filters; {@code debug=}),
 * {@code /-/healthy}, and a short page for anything else. Paths match by prefix, like the contexts
 * of the JDK's server. Sentinel's own probes, {@code /healthz} and {@code /readyz}
 * ({@link HealthEndpoints}), match exactly (or with a trailing slash): they came later, and
 * {@code /healthzz} keeps the page it always had.
 */
final class MetricsEndpoint implements ScrapeServer.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final byte[] HEALTHY = "Exporter is healthy.\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INDEX = ("<html>\n<head><title>Sentinel</title></head>\n<body>\n"
            + "<h1>Sentinel</h1>\n<p>Metrics: <a href=\"metrics\">/metrics</a> "
            + "(<a href=\"metrics?debug=text\">as text</a>, <a href=\"metrics?debug=openmetrics\">as OpenMetrics</a>)."
            + "</p>\n<p>Health: <a href=\"-/healthy\">/-/healthy</a>.</p>\n</body>\n</html>\n")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] ERROR = "An internal error occurred while scraping metrics.\n"
            .getBytes(StandardCharsets.UTF_8);

    private final PrometheusScrapeHandler scrapeHandler;
    private final ScrapeWatch scrapes;
    private final HealthEndpoints health;

    MetricsEndpoint(SentinelMetrics metrics, HealthEndpoints health) {
        this.scrapeHandler = new PrometheusScrapeHandler(PrometheusProperties.get(), metrics.registry());
        this.scrapes = metrics.scrapes();
        this.health = health;
    }

    @Override
    public ScrapeServer.Reply respond(ScrapeServer.Request request) {
        String path = request.path();
        if (path.equals("/healthz") || path.equals("/healthz/")) {
            return health.healthz(request);
        }
        if (path.equals("/readyz") || path.equals("/readyz/")) {
            return health.readyz(request);
        }
        if (path.startsWith("/metrics")) {
            return scrape(request);
        }
        if (path.startsWith("/-/healthy")) {
            return fixed("text/plain; charset=utf-8", HEALTHY);
        }
        return fixed("text/html; charset=utf-8", INDEX);
    }

    private static ScrapeServer.Response fixed(String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new ScrapeServer.Response(200, headers, body, null);
    }

    private ScrapeServer.Response scrape(ScrapeServer.Request request) {
        Exchange exchange = new Exchange(request);
        Long sequence;
        try {
            scrapeHandler.handleRequest(exchange);
        } catch (IOException | RuntimeException e) {
            exchange.fail(e);
        } finally {
            // Collected on this thread just now; counted once the answer is written whole.
            sequence = scrapes.takeCollected();
        }
        Runnable delivered = sequence == null || exchange.status != 200 ? null : () -> scrapes.delivered(sequence);
        byte[] body = exchange.body == null ? new byte[0] : exchange.body.toByteArray();
        return new ScrapeServer.Response(exchange.status, exchange.headers, body, delivered);
    }

    /** One request to the library's scrape handler; the answer is kept in memory until it is sent. */
    private static final class Exchange implements PrometheusHttpExchange, PrometheusHttpRequest,
            PrometheusHttpResponse {
        private final ScrapeServer.Request request;
        int status = 200;
        final Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body;

        Exchange(ScrapeServer.Request request) {
            this.request = request;
        }

        @Override
        public PrometheusHttpRequest getRequest() {
            return this;
        }

        @Override
        public PrometheusHttpResponse getResponse() {
            return this;
        }

        @Override
        public String getQueryString() {
            return request.query();
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            List<String> values = request.headers().get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? Collections.emptyEnumeration() : Collections.enumeration(values);
        }

        @Override
        public String getMethod() {
            return request.method();
        }

        @Override
        public String getRequestPath() {
            return request.path();
        }

        @Override
        public void setHeader(String name, String value) {
            headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            headers.put(name, value);
        }

        @Override
        public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) throws IOException {
            if (body != null) {
                throw new IOException("Cannot send multiple HTTP responses for a single HTTP exchange.");
            }
            status = statusCode;
            body = new ByteArrayOutputStream(contentLength > 0 ? contentLength : 4096);
            return body;
        }

        @Override
        public void handleException(IOException e) {
            fail(e);
        }

        @Override
        public void handleException(RuntimeException e) {
            fail(e);
        }

        /** Nothing has been sent yet, so even a failure halfway through the body is a clean 500. */
        void fail(Exception e) {
            LOG.warn("metrics: a scrape failed", e);
            status = 500;
            headers.clear();
            headers.put("Content-Type", "text/plain; charset=utf-8");
            body = new ByteArrayOutputStream(ERROR.length);
            body.writeBytes(ERROR);
        }

        @Override
        public void close() {
            // The server sends the answer once the handler has returned.
        }
    }
}
