package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.Descriptors;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The HTTP front of a real Sentinel ({@code /metrics}, {@code /healthz}, {@code /readyz} on its own
 * {@link ScrapeServer}) under random requests over raw TCP: random request heads (methods, targets
 * with percent escapes and bytes that are not ASCII, versions, header names and values), heads of
 * 64 KiB to 1 MiB, thousands of headers, 2 to 10 pipelined requests in one write, heads and bodies
 * trickled with pauses, bodies that do not match their Content-Length.
 *
 * <p>After every try: what came back is nothing (the server closed) or whole answers, each with a
 * well-formed status line; nothing is left hanging past a deadline; pipelined requests are answered
 * in order (or the connection is closed after whole answers); another client's {@code GET /metrics}
 * still gets 200 with the usual metric names; and Sentinel's sockets and threads come back to what
 * they were before the try (no leak).
 */
class HttpFrontPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** An answer, or the close, must come within this: the request timeout is 5 s. */
    private static final Duration ANSWER = Duration.ofSeconds(15);
    private static final byte[] CRLF = {'\r', '\n'};

    private static RunningProcess sentinel;
    private static InetSocketAddress address;
    private static long baselineSockets;
    private static long baselineThreads;
    private static ExecutorService writers;

    @BeforeContainer
    static void startSentinel() throws IOException {
        sentinel = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--no-socket", "-p", "0", "--metrics-host",
                "127.0.0.1", "-m", "1G", "--name", "sleeper", "--", "sleep", "600"));
        String[] hostPort = sentinel.awaitStderr("sentinel: metrics on http://(127\\.0\\.0\\.1:\\d+)/metrics", WAIT)
                .group(1).split(":");
        address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        Await.until(WAIT, () -> "a first scrape; stderr: " + sentinel.stderr(), () -> scrapeOk());
        // Sockets and threads settle after the first scrape (the JVM collectors are built lazily).
        baselineSockets = sockets();
        baselineThreads = threads();
        writers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-fuzz-writer");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterContainer
    static void stopSentinel() {
        if (writers != null) {
            writers.shutdownNow();
        }
        if (sentinel != null) {
            sentinel.signal("TERM");
            sentinel.awaitExit(WAIT);
            sentinel.close();
        }
    }

    // ---- what is sent

    /** A request as bytes, in pieces written with a pause between them; how many answers it may get. */
    record Try(String kind, List<byte[]> pieces, long pauseMillis, boolean shutOutput, List<Boolean> pipelinedHeads) {
        byte[] all() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            pieces.forEach(b::writeBytes);
            return b.toByteArray();
        }

        @Override
        public String toString() {
            String s = new String(all(), StandardCharsets.ISO_8859_1);
            return kind + " (" + s.length() + " bytes in " + pieces.size() + " pieces, pause " + pauseMillis
                    + " ms, shut " + shutOutput + "): " + (s.length() > 200 ? s.substring(0, 200) + "..." : s)
                    .replaceAll("[\\p{Cntrl}\\x80-\\xff]", "?");
        }
    }

    private static Arbitrary<String> methods() {
        return Arbitraries.oneOf(
                Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "get",
                        "PRI", ""),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12));
    }

    private static Arbitrary<String> targets() {
        Arbitrary<String> known = Arbitraries.of("/metrics", "/healthz", "/readyz", "/healthz/", "/readyz?verbose",
                "/healthz?verbose=1", "/-/healthy", "/", "/metrics?name[]=sentinel_process_up",
                "/metrics?debug=text", "/metrics?debug=openmetrics", "/metrics?name[]=", "/metrics?&&==",
                "http://sentinel:9/metrics", "http://x", "*", "/healthzz", "//metrics", "/metrics/../readyz");
        Arbitrary<String> escapes = Combinators.combine(known,
                Arbitraries.of("%", "%2", "%zz", "%00", "%2F", "%25", "%ff%fe", "%C3%A9", "?%", "?name[]=%zz",
                        "?name%5B%5D=x", "?debug=%", "#frag", ";x", "?verbose=%00"))
                .as((k, e) -> k + e);
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0021', '\u00ff').ofMinLength(1).ofMaxLength(300);
        Arbitrary<String> long_ = Arbitraries.integers().between(1000, 9000).map(n -> "/metrics?" + "a".repeat(n));
        return Arbitraries.oneOf(known, escapes, any, long_);
    }

    private static Arbitrary<String> versions() {
        return Arbitraries.oneOf(Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/1.1", "HTTP/2.0", "HTTP/1.", "http/1.1",
                "HTTP/1.1 extra", "HTTP/0.9", "HTTP/1.10", ""), Arbitraries.strings().withCharRange('\u0000', '\u00ff')
                .ofMaxLength(10));
    }

    private static Arbitrary<String> headerLines() {
        Arbitrary<String> known = Arbitraries.of("Host: sentinel", "Accept: */*",
                "Accept: application/openmetrics-text; version=1.0.0", "Accept: text/plain;version=0.0.4",
                "Accept: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
                "Accept-Encoding: gzip", "Accept-Encoding: gzip, deflate, br", "Connection: close",
                "Connection: keep-alive", "Connection: upgrade", "Upgrade: h2c", "Transfer-Encoding: chunked",
                "Content-Length: 0", "Content-Length: 5", "Content-Length: -1", "Content-Length: 99999999999999999999",
                "Content-Length: x", "Expect: 100-continue", " folded continuation", "\tfolded", ":", "NoColon",
                "X: " + "\u00ff\u00fe", "Content-Length: 3, 3");
        Arbitrary<String> any = Combinators.combine(
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(30),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(200))
                .as((n, v) -> n + ": " + v);
        return Arbitraries.oneOf(known, any);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One random head, ending with a blank line unless it is left open and the write side shut. */
    private static Arbitrary<Try> randomHeads() {
        Arbitrary<String> requestLine = Combinators.combine(methods(), targets(), versions(),
                Arbitraries.of(" ", " ", " ", "  ", "\t", "")).as((m, t, v, sp) -> m + sp + t + sp + v);
        Arbitrary<String> head = Combinators.combine(requestLine, headerLines().list().ofMaxSize(12),
                Arbitraries.of("\r\n", "\n", "\r\n", "\r"))
                .as((line, headers, eol) -> line + eol + String.join(eol, headers) + (headers.isEmpty() ? "" : eol));
        return Combinators.combine(head, Arbitraries.of("\r\n", "\n", "\r\n\r\n", ""),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200), Arbitraries.integers().between(1, 300).list()
                        .ofMaxSize(6), Arbitraries.of(false, true))
                .as((h, end, body, cuts, shut) -> {
                    byte[] bytes = concat(latin1(h + end), body);
                    // Left open without an end, it would wait for the request timeout (5 s): half-close instead.
                    boolean open = end.isEmpty() || ServerSide.headEnd(bytes) < 0;
                    return new Try("random head", split(bytes, cuts), 0, shut || open, List.of());
                });
    }

    private static Arbitrary<Try> garbage() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4000),
                Arbitraries.of(false, true)).as((bytes, blankLine) -> {
                    byte[] sent = blankLine ? concat(bytes, latin1("\r\n\r\n")) : bytes;
                    return new Try("garbage", List.of(sent), 0, true, List.of());
                });
    }

    private static Arbitrary<Try> hugeHeads() {
        return Combinators.combine(Arbitraries.integers().between(64 * 1024, 1024 * 1024), Arbitraries.of(false, true),
                Arbitraries.of(false, true)).as((size, oneHeader, shut) -> {
                    StringBuilder b = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: sentinel\r\n");
                    if (oneHeader) {
                        b.append("X-Huge: ").append("h".repeat(size)).append("\r\n");
                    } else {
                        for (int i = 0; b.length() < size; i++) {
                            b.append("X-").append(i).append(": ").append("v".repeat(i % 50)).append("\r\n");
                        }
                    }
                    b.append("\r\n");
                    return new Try(oneHeader ? "huge header" : "many headers", List.of(latin1(b.toString())), 0, shut,
                            List.of());
                });
    }

    /** Many small headers under the 8 KiB bound: answered as usual. */
    private static Arbitrary<Try> manySmallHeaders() {
        return Arbitraries.integers().between(50, 700).map(n -> {
            StringBuilder b = new StringBuilder("GET /metrics HTTP/1.1\r\nHost: s\r\n");
            for (int i = 0; i < n && b.length() < 7500; i++) {
                b.append("a").append(i).append(":\r\n");
            }
            b.append("Connection: close\r\n\r\n");
            return new Try("many small headers", List.of(latin1(b.toString())), 0, false, List.of(false));
        });
    }

    /** 2 to 10 well-formed requests in one write; the last may ask to close. */
    private static Arbitrary<Try> pipelined() {
        Arbitrary<String> path = Arbitraries.of("/metrics", "/healthz", "/readyz?verbose", "/-/healthy", "/",
                "/metrics?name[]=sentinel_process_up", "/nosuch");
        Arbitrary<Boolean> head = Arbitraries.of(false, false, true);
        Arbitrary<List<String>> paths = path.list().ofMinSize(2).ofMaxSize(10);
        return Combinators.combine(paths, head.list().ofSize(10), Arbitraries.of(false, true),
                Arbitraries.of(false, true)).as((ps, heads, closeLast, oneZeroLength) -> {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    List<Boolean> expected = new ArrayList<>();
                    for (int i = 0; i < ps.size(); i++) {
                        boolean isHead = heads.get(i);
                        expected.add(isHead);
                        String extra = (i == ps.size() - 1 && closeLast ? "Connection: close\r\n" : "")
                                + (i == 0 && oneZeroLength ? "Content-Length: 0\r\n" : "");
                        b.writeBytes(latin1((isHead ? "HEAD " : "GET ") + ps.get(i) + " HTTP/1.1\r\nHost: s\r\n" + extra
                                + "\r\n"));
                    }
                    return new Try("pipelined", List.of(b.toByteArray()), 0, false, expected);
                });
    }

    /** A well-formed request (head, or head and an announced body) trickled in pieces with pauses. */
    private static Arbitrary<Try> slow() {
        return Combinators.combine(Arbitraries.integers().between(2, 12), Arbitraries.longs().between(20, 250),
                Arbitraries.of(false, true)).as((n, pause, withBody) -> {
                    String body = withBody ? "x".repeat(40) : "";
                    byte[] bytes = latin1("GET /healthz HTTP/1.1\r\nHost: s\r\n"
                            + (withBody ? "Content-Length: " + body.length() + "\r\n" : "") + "\r\n" + body);
                    List<byte[]> pieces = new ArrayList<>();
                    int size = (bytes.length + n - 1) / n;
                    for (int at = 0; at < bytes.length; at += size) {
                        pieces.add(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size)));
                    }
                    // At most some 1.5 s in all, well inside the 5 s request timeout.
                    long p = Math.min(pause, 1500 / pieces.size());
                    return new Try(withBody ? "slow body" : "slow head", pieces, p, false, List.of(false));
                });
    }

    /** A body longer or shorter than its Content-Length, or a length that is no number. */
    private static Arbitrary<Try> wrongLengths() {
        return Combinators.combine(Arbitraries.of("POST", "GET", "PUT"), Arbitraries.of("/metrics", "/healthz", "/readyz"),
                Arbitraries.of("0", "1", "10", "100000", "-5", "abc", "18446744073709551616", " 7 "),
                Arbitraries.integers().between(0, 70_000), Arbitraries.of(false, true))
                .as((m, p, length, bodyBytes, shut) -> new Try("wrong length", List.of(concat(latin1(m + " " + p
                        + " HTTP/1.1\r\nHost: s\r\nContent-Length: " + length + "\r\n\r\n"), new byte[bodyBytes])), 0,
                        shut, List.of()));
    }

    @Provide
    Arbitrary<Try> tries() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, randomHeads()),
                net.jqwik.api.Tuple.of(8, garbage()),
                net.jqwik.api.Tuple.of(5, hugeHeads()),
                net.jqwik.api.Tuple.of(5, manySmallHeaders()),
                net.jqwik.api.Tuple.of(15, pipelined()),
                net.jqwik.api.Tuple.of(4, slow()),
                net.jqwik.api.Tuple.of(10, wrongLengths()));
    }

    // ---- the property

    @Property(seed = "20261207", tries = 300)
    void everyTryIsAnsweredOrClosedAndNobodyElseNotices(@ForAll("tries") Try t) throws Exception {
        List<Answer> answers = send(t);
        if (!t.pipelinedHeads().isEmpty()) {
            List<Boolean> heads = t.pipelinedHeads();
            assertTrue(answers.size() <= heads.size(), "more answers than requests: " + t);
            if (t.kind().equals("pipelined") || t.kind().startsWith("slow") || t.kind().equals("many small headers")) {
                // Well-formed requests: each is answered, in order (the server does not close on them).
                assertEquals(heads.size(), answers.size(), "answers to " + t + ": " + answers);
            }
        }
        for (Answer a : answers) {
            // Bad input is the client's fault: a 4xx, never a 500 (that would be a failure of Sentinel's own).
            assertTrue(a.status() >= 200 && a.status() < 500, "status " + a.status() + " for " + t);
        }
        if (t.kind().equals("huge header") || t.kind().equals("many headers")) {
            // Over the 8 KiB bound: a 431, or a reset if the kernel dropped it when the server closed with our
            // bytes unread (the client was still writing).
            for (Answer a : answers) {
                assertEquals(431, a.status(), t.toString());
            }
        }
        assertTrue(scrapeOk(), "GET /metrics from another client after " + t);
        assertTrue(sentinel.process().isAlive(), "Sentinel is alive after " + t);
        List<String> stderr = sentinel.stderr();
        assertTrue(stderr.stream().noneMatch(l -> l.contains("Exception") || l.contains("metrics endpoint stopped")
                || l.contains("failed")), "nothing failed in Sentinel: " + stderr.subList(Math.max(0, stderr.size() - 5),
                stderr.size()));
        Await.until(Duration.ofSeconds(20), () -> "Sentinel's sockets (" + sockets() + ") back to "
                + baselineSockets + " after " + t, () -> sockets() <= baselineSockets);
        long threads = threads();
        assertTrue(threads <= baselineThreads + 6, "Sentinel's threads: " + threads + ", " + baselineThreads
                + " at the start, after " + t);
    }

    /**
     * One client pipelines GET /metrics without pause (240 requests a write) and reads the answers as
     * fast as it can: the server's one thread renders for it back to back, yet another client's scrape
     * still comes through in its turn.
     */
    @Example
    void aClientPipeliningScrapesWithoutPauseDoesNotStarveTheOthers() throws Exception {
        byte[] one = latin1("GET /metrics HTTP/1.1\r\nHost: s\r\n\r\n");
        byte[] batch = new byte[one.length * 240];
        for (int i = 0; i < 240; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
        java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        long worst = 0;
        try (Socket flood = new Socket()) {
            flood.connect(address, 5000);
            Future<?> writing = writers.submit(() -> {
                OutputStream out = flood.getOutputStream();
                while (!Thread.currentThread().isInterrupted()) {
                    out.write(batch);
                }
                return null;
            });
            Future<?> reading = writers.submit(() -> {
                InputStream in = flood.getInputStream();
                byte[] b = new byte[65536];
                for (int n; (n = in.read(b)) > 0; ) {
                    answered.addAndGet(n);
                }
                return null;
            });
            Await.until(Duration.ofSeconds(10), "the flood is answered", () -> answered.get() > 1_000_000);
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                assertTrue(scrapeOk(), "a scrape during the flood");
                worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
            }
            writing.cancel(true);
            reading.cancel(true);
        }
        assertTrue(worst < 2000, "the slowest of 10 scrapes during the flood took " + worst + " ms");
        Await.until(Duration.ofSeconds(20), () -> "Sentinel's sockets (" + sockets() + ") back to "
                + baselineSockets, () -> sockets() <= baselineSockets);
    }

    /**
     * A client that sent more than its request head (a body, or requests pipelined after a
     * {@code Connection: close}) and reads slowly through a small receive buffer: the answer must
     * still arrive whole. Closing with the client's bytes unread makes the kernel send RST and drop
     * the part of the answer still queued; the server shuts its write side and drops what comes
     * instead (a lingering close).
     */
    @Example
    void aSlowReaderThatSentMoreThanItsHeadStillGetsItsWholeAnswer() throws Exception {
        String pipelinedAfterClose = "GET /metrics HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n"
                + "GET /metrics HTTP/1.1\r\nHost: s\r\n\r\n".repeat(300);
        byte[] withBody = concat(latin1("GET /metrics HTTP/1.1\r\nHost: s\r\nContent-Length: 200000\r\n\r\n"),
                new byte[200_000]);
        for (byte[] request : List.of(latin1(pipelinedAfterClose), withBody)) {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(address, 5000);
                Future<?> writing = writers.submit(() -> {
                    s.getOutputStream().write(request);
                    return null;
                });
                Thread.sleep(1000); // the try itself: a client slow to read
                Try t = new Try("slow reader", List.of(request), 0, false, List.of(false));
                Reader r = new Reader(s.getInputStream(), s, System.nanoTime() + ANSWER.toNanos(), t);
                String head = r.head();
                assertTrue(head != null && head.startsWith("HTTP/1.1 200 "), "an answer: " + head);
                long length = -1;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                assertTrue(length > 12 * 1024, "an exposition larger than the client's buffers: " + length);
                r.skip(length); // fails if the connection ends before the body does
                writing.cancel(true);
            }
        }
        Await.until(Duration.ofSeconds(20), () -> "Sentinel's sockets (" + sockets() + ") back to "
                + baselineSockets, () -> sockets() <= baselineSockets);
    }

    // ---- the client side

    record Answer(int status, String head) {
    }

    /**
     * Writes the try's pieces (on a writer thread, so a server that stops reading cannot block the
     * reader), reads the answers, and returns them once the server closed, the expected number came,
     * or (for a single request) the first one came. Fails if neither happens within {@link #ANSWER}.
     */
    private static List<Answer> send(Try t) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            Future<?> writing = writers.submit(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < t.pieces().size(); i++) {
                        if (i > 0 && t.pauseMillis() > 0) {
                            Thread.sleep(t.pauseMillis()); // the try itself: bytes trickled with pauses
                        }
                        out.write(t.pieces().get(i));
                        out.flush();
                    }
                    if (t.shutOutput()) {
                        s.shutdownOutput();
                    }
                } catch (IOException e) {
                    // The server answered (431, 400) and closed while we were still writing: the answer is read below.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            int wanted = t.pipelinedHeads().isEmpty() ? 1 : t.pipelinedHeads().size();
            List<Answer> answers = readAnswers(s, t, wanted);
            writing.cancel(true);
            return answers;
        }
    }

    private static List<Answer> readAnswers(Socket s, Try t, int wanted) throws IOException {
        InputStream in = s.getInputStream();
        List<Answer> answers = new ArrayList<>();
        long deadline = System.nanoTime() + ANSWER.toNanos();
        Reader r = new Reader(in, s, deadline, t);
        while (answers.size() < wanted) {
            String head = r.head();
            if (head == null) {
                return answers; // closed after whole answers
            }
            String[] lines = head.split("\r\n");
            assertTrue(lines[0].matches("HTTP/1\\.1 [1-5]\\d\\d [ -~]*"), "status line '" + lines[0] + "' for " + t);
            int status = Integer.parseInt(lines[0].substring(9, 12));
            long length = -1;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                assertTrue(colon > 0, "header line '" + lines[i] + "' for " + t);
                if (lines[i].substring(0, colon).equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(lines[i].substring(colon + 1).trim());
                }
            }
            assertTrue(length >= 0, "an answer without Content-Length: " + head + " for " + t);
            boolean headOnly = !t.pipelinedHeads().isEmpty() && t.pipelinedHeads().get(answers.size());
            if (!headOnly) {
                r.skip(length);
            }
            answers.add(new Answer(status, lines[0]));
        }
        return answers;
    }

    /** Reads answer heads and bodies from a socket, with one deadline for all. */
    private static final class Reader {
        private final InputStream in;
        private final Socket socket;
        private final long deadline;
        private final Try t;

        Reader(InputStream in, Socket socket, long deadline, Try t) {
            this.in = in;
            this.socket = socket;
            this.deadline = deadline;
            this.t = t;
        }

        /** -1 at the end (a close, or a reset: the server closed with our bytes unread). */
        private int read() throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                fail("no answer and no close within " + ANSWER.toSeconds() + " s: " + t);
            }
            socket.setSoTimeout((int) left);
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                return fail("no answer and no close within " + ANSWER.toSeconds() + " s: " + t);
            } catch (SocketException e) {
                return -1;
            }
        }

        /** The next answer's head without its blank line, or null if the server closed before its first byte. */
        String head() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = read();
                if (c < 0) {
                    assertEquals(0, b.size(), "closed in the middle of an answer's head: " + b + " for " + t);
                    return null;
                }
                b.write(c);
                int n = b.size();
                byte[] a = b.toByteArray();
                if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                    return new String(a, 0, n - 4, StandardCharsets.ISO_8859_1);
                }
                assertTrue(n < 16 * 1024, "an answer head over 16 KiB for " + t);
            }
        }

        void skip(long n) throws IOException {
            for (long i = 0; i < n; i++) {
                if (read() < 0) {
                    fail("closed " + (n - i) + " bytes before the end of an answer's body for " + t);
                }
            }
        }
    }

    /** A well-formed scrape from another client: 200 and the usual metric names. */
    private static boolean scrapeOk() {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(latin1("GET /metrics HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n"));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.startsWith("HTTP/1.1 200 ") && answer.contains("sentinel_process_up{")
                    && answer.contains("sentinel_process_resident_memory_bytes{");
        } catch (IOException e) {
            return false;
        }
    }

    /** Sentinel's open sockets (/proc/PID/fd links to socket:[...]). */
    /** Sentinel's open sockets: its listeners and every connection it still holds. */
    private static long sockets() {
        return Descriptors.count(Long.toString(sentinel.pid()), target -> target.startsWith("socket:"));
    }

    private static long threads() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + sentinel.pid() + "/status"))) {
            if (l.startsWith("Threads:")) {
                return Long.parseLong(l.substring(8).trim());
            }
        }
        throw new IOException("no Threads line in /proc/" + sentinel.pid() + "/status");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<byte[]> split(byte[] bytes, List<Integer> cuts) {
        List<byte[]> pieces = new ArrayList<>();
        int at = 0;
        for (int size : cuts) {
            if (at >= bytes.length) {
                break;
            }
            int n = Math.min(size, bytes.length - at);
            pieces.add(java.util.Arrays.copyOfRange(bytes, at, at + n));
            at += n;
        }
        if (at < bytes.length || pieces.isEmpty()) {
            pieces.add(java.util.Arrays.copyOfRange(bytes, at, bytes.length));
        }
        return pieces;
    }

    /** What the server does with the bytes, as far as a generator must know. */
    private static final class ServerSide {
        /** Where the first head ends after leading blank lines, as ScrapeServer finds it; -1 if it does not. */
        static int headEnd(byte[] b) {
            int skip = 0;
            while (skip < b.length && (b[skip] == '\r' || b[skip] == '\n')) {
                skip++;
            }
            return ScrapeServer.headEnd(b, skip, b.length);
        }
    }
}
