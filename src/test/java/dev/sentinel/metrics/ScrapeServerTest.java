package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the endpoint answers, over raw sockets: the behaviour the client library's HTTPServer had. */
class ScrapeServerTest {

    private final List<String> notes = new ArrayList<>();
    private final ScrapeWatch watch = new ScrapeWatch();
    private MetricsExporter exporter;
    private Socket socket;

    @BeforeEach
    void start() {
        exporter = MetricsExporter.start(new MetricsSettings(true, "127.0.0.1", 0), notes::add,
                new SentinelMetrics(true, watch), Duration.ZERO);
        assertNotNull(exporter, notes.toString());
        exporter.afterTick(Snapshots.of(1, new Snapshots.Program()));
    }

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        exporter.close();
    }

    private record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private InputStream connect() throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", exporter.port()), 5000);
        socket.setSoTimeout(5000);
        return socket.getInputStream();
    }

    private void send(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads one answer (head, then Content-Length bytes unless {@code head}). */
    private static Answer read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
                line.reset();
                if (l.isEmpty()) {
                    break;
                }
                lines.add(l);
            } else {
                line.write(b);
            }
        }
        assertTrue(!lines.isEmpty(), "no answer");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).toLowerCase(Locale.ROOT), l.substring(c + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = head ? new byte[0] : in.readNBytes(length);
        assertEquals(head ? 0 : length, body.length, "whole body");
        return new Answer(Integer.parseInt(lines.get(0).split(" ")[1]), headers, body);
    }

    private Answer get(String target, String... headers) throws IOException {
        InputStream in = connect();
        send("GET " + target + " HTTP/1.1\r\nHost: sentinel\r\n" + String.join("", headers) + "\r\n");
        return read(in, false);
    }

    @Test
    void metricsAreTextByDefaultAndOpenMetricsWhenAskedFor() throws Exception {
        Answer text = get("/metrics");
        assertEquals(200, text.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().get("content-type"));
        assertTrue(text.text().contains("sentinel_process_up{name=\"app\"} 1"), text.text());

        Answer om = get("/metrics", "Accept: application/openmetrics-text;version=1.0.0,text/plain;q=0.5\r\n");
        assertTrue(om.headers().get("content-type").startsWith("application/openmetrics-text"), om.headers().toString());
        assertTrue(om.text().endsWith("# EOF\n"), om.text());
    }

    @Test
    void metricsAreGzippedWhenAskedFor() throws Exception {
        Answer gz = get("/metrics", "Accept-Encoding: gzip\r\n");
        assertEquals("gzip", gz.headers().get("content-encoding"));
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(text.contains("sentinel_process_up{name=\"app\"} 1"), text);
    }

    @Test
    void theNameFilterAndTheDebugParameterWork() throws Exception {
        Answer only = get("/metrics?name[]=sentinel_process_up");
        assertTrue(only.text().contains("sentinel_process_up{"), only.text());
        assertTrue(!only.text().contains("jvm_"), only.text());
        Answer debug = get("/metrics?debug=openmetrics");
        assertTrue(debug.text().endsWith("# EOF\n"), debug.text());
    }

    @Test
    void healthyAndAnyOtherPathAnswer() throws Exception {
        Answer healthy = get("/-/healthy");
        assertEquals(200, healthy.status());
        assertEquals("Exporter is healthy.\n", healthy.text());
        Answer index = get("/");
        assertEquals(200, index.status());
        assertTrue(index.headers().get("content-type").startsWith("text/html"), index.headers().toString());
        assertTrue(index.text().contains("/metrics"), index.text());
    }

    @Test
    void headSendsTheHeadOnly() throws Exception {
        InputStream in = connect();
        send("HEAD /metrics HTTP/1.1\r\nHost: sentinel\r\n\r\n");
        Answer head = read(in, true);
        assertEquals(200, head.status());
        assertTrue(Integer.parseInt(head.headers().get("content-length")) > 0, head.headers().toString());
        send("GET /-/healthy HTTP/1.1\r\nHost: sentinel\r\n\r\n");
        assertEquals("Exporter is healthy.\n", read(in, false).text(), "no stray body bytes before it");
    }

    @Test
    void aKeptAliveConnectionServesScrapesInTurnAndEachCounts() throws Exception {
        InputStream in = connect();
        for (int i = 0; i < 3; i++) {
            send("GET /metrics HTTP/1.1\r\nHost: sentinel\r\n\r\n");
            Answer a = read(in, false);
            assertEquals(200, a.status());
            assertNull(a.headers().get("connection"), "kept alive");
        }
        // Two requests in one write (pipelined): two answers, in order.
        send("GET /-/healthy HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertEquals("Exporter is healthy.\n", read(in, false).text());
        Answer last = read(in, false);
        assertEquals("close", last.headers().get("connection"));
        assertEquals(-1, in.read(), "closed after Connection: close");
        assertEquals(4, watch.scrapes(), "each scrape counts once written; /-/healthy is none");
        assertEquals(1, watch.deliveredSequence());
    }

    @Test
    void aMalformedRequestIsA400() throws Exception {
        InputStream in = connect();
        send("NONSENSE\r\n\r\n");
        assertEquals(400, read(in, false).status());
        assertEquals(-1, in.read());
    }
}
