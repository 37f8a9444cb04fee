package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request an http check writes and how it reads the status line, without a network. */
class HttpProbeTest {

    @Test
    void theRequestNamesThePathAndTheHostAsTheUrlDoes() {
        assertEquals("GET / HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: sentinel-check\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n", HttpProbe.request(URI.create("http://[::1]:8080"), "[::1]"));
        String request = HttpProbe.request(URI.create("https://example.org/a%2Fb?c=d%20e#frag"), "example.org");
        assertTrue(request.startsWith("GET /a%2Fb?c=d%20e HTTP/1.1\r\nHost: example.org\r\n"), request);
    }

    @Test
    void theStatusLineEndsAtTheFirstLineEnd() throws IOException {
        assertEquals("HTTP/1.1 200 OK", HttpProbe.statusLine(in("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody")));
        assertEquals("HTTP/1.0 503", HttpProbe.statusLine(in("HTTP/1.0 503\n")));
        assertEquals("HTTP/1.1 204", HttpProbe.statusLine(in("HTTP/1.1 204")), "what came before the close");
        assertEquals("", HttpProbe.statusLine(in("")));
    }

    @Test
    void eightKibWithoutALineEndIsNoStatusLine() throws IOException {
        assertNull(HttpProbe.statusLine(in("H".repeat(HttpProbe.STATUS_LINE_BYTES))));
        assertEquals("H".repeat(HttpProbe.STATUS_LINE_BYTES - 1),
                HttpProbe.statusLine(in("H".repeat(HttpProbe.STATUS_LINE_BYTES - 1) + "\n")));
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
