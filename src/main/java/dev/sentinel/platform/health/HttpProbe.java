package dev.sentinel.platform.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * GET over a plain socket, written by hand: java.net.http.HttpClient starts selector threads of
 * its own and costs start-up time, and a check needs nothing but the status line. Redirects are
 * not followed (a 3xx passes: something answered), the body is never read.
 */
final class HttpProbe {

    /** A status line longer than this is no status line. */
    static final int STATUS_LINE_BYTES = 8 * 1024;
    /** How much of a reply that is not HTTP a detail shows. */
    static final int NOT_HTTP_CHARS = 40;

    private static final Pattern STATUS = Pattern.compile("HTTP/[0-9](?:\\.[0-9])? ([0-9]{3})(?: .*)?");

    private final Dialer dialer;

    HttpProbe(Dialer dialer) {
        this.dialer = dialer;
    }

    void check(Probe.Http probe, Deadline deadline, Outcome outcome) {
        Verdict v = ask(probe.uri(), deadline);
        outcome.give(v.passed(), v.detail());
    }

    private record Verdict(boolean passed, String detail) {
        static Verdict fail(String detail) {
            return new Verdict(false, detail);
        }
    }

    /** Asks, and has closed the socket by the time it answers: the result is a check's last act. */
    private Verdict ask(URI uri, Deadline deadline) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Verdict.fail("not an http or https URL: " + uri);
        }
        boolean tls = scheme.equals("https");
        String host = uri.getHost();
        if (host == null) {
            return Verdict.fail("no host in " + uri);
        }
        int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
        // URI keeps an IPv6 literal's brackets; the Host header wants them, an address does not.
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Socket socket = null;
        try {
            socket = dialer.connect(name, port, deadline);
            Socket channel = tls ? secure(socket, name, port) : socket;
            OutputStream out = channel.getOutputStream();
            out.write(request(uri, host).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String line = statusLine(channel.getInputStream());
            if (line == null || line.isEmpty()) {
                return Verdict.fail("no status line");
            }
            Matcher m = STATUS.matcher(line);
            if (!m.matches()) {
                return Verdict.fail("not HTTP: " + head(line));
            }
            int status = Integer.parseInt(m.group(1));
            return new Verdict(status >= 200 && status < 400, "HTTP " + status);
        } catch (IOException e) {
            return Verdict.fail(Dialer.failure(e, name, deadline));
        } finally {
            closeQuietly(socket);
        }
    }

    /** {@code GET /path?query HTTP/1.1} and the few headers a server may insist on. */
    static String request(URI uri, String host) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String hostHeader = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: sentinel-check\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    /**
     * TLS over the connected socket, with the host's name for SNI and checked against the
     * certificate (default trust, as a browser would), and its handshake within the deadline.
     */
    private static Socket secure(Socket socket, String name, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(socket, name, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!HostLookup.isLiteral(name)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(name)));
            } catch (IllegalArgumentException e) {
                // Not a name SNI can carry (RFC 6066); the handshake goes without.
            }
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    /**
     * The first line of the reply, without its line end, read as bytes (ISO-8859-1, one char a
     * byte) so that a reply in any encoding, or none, shows as it came; what a server sent before
     * it closed if it closed first; null when {@link #STATUS_LINE_BYTES} came without a line end.
     */
    static String statusLine(InputStream in) throws IOException {
        byte[] buffer = new byte[STATUS_LINE_BYTES];
        int length = 0;
        while (length < buffer.length) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                return text(buffer, length);
            }
            for (int i = length; i < length + n; i++) {
                if (buffer[i] == '\n') {
                    return text(buffer, i);
                }
            }
            length += n;
        }
        return null;
    }

    private static String head(String line) {
        return line.length() <= NOT_HTTP_CHARS ? Details.oneLine(line, NOT_HTTP_CHARS)
                : Details.oneLine(line.substring(0, NOT_HTTP_CHARS), NOT_HTTP_CHARS) + "\u2026";
    }

    private static String text(byte[] buffer, int end) {
        int length = end > 0 && buffer[end - 1] == '\r' ? end - 1 : end;
        return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Closes the plain socket beneath any TLS: a check is done with the server and owes it no
     * close_notify (whose sending could block on a server that does not read).
     */
    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closed either way.
            }
        }
    }
}
