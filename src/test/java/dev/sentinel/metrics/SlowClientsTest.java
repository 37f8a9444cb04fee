package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that connect and send part of a request, then nothing (issue 14): they must never keep
 * Prometheus from scraping.
 */
class SlowClientsTest {

    /** What the issue requires of a scrape while slow clients are held. */
    private static final long SCRAPE_MILLIS = 100;
    private static final String PARTIAL = "GET /metrics HTTP/1.1\r\nHost: sentinel\r\n";

    private final List<String> notes = new ArrayList<>();
    private final List<Socket> held = new ArrayList<>();
    private MetricsExporter exporter;

    @AfterEach
    void cleanUp() {
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    private void startExporter() {
        startExporter(ScrapeServer.Limits.DEFAULT);
    }

    private void startExporter(ScrapeServer.Limits limits) {
        exporter = MetricsExporter.start(new MetricsSettings(true, "127.0.0.1", 0), notes::add,
                new SentinelMetrics(true, new ScrapeWatch()), Duration.ZERO, limits);
        assertNotNull(exporter, notes.toString());
        Snapshots.Program p = new Snapshots.Program();
        exporter.afterTick(Snapshots.of(1, p));
    }

    @ParameterizedTest(name = "{0} held")
    @ValueSource(ints = {2, 20, 200})
    void scrapesAnswerAtOnceWhileConnectionsWithAPartialRequestAreHeld(int n) throws Exception {
        startExporter();
        // The first scrape builds the JVM collectors (LazyJvmMetrics); it is not what is measured.
        scrape(Duration.ofSeconds(10));
        for (int i = 0; i < n; i++) {
            held.add(holdPartialRequest());
        }
        // The one fixed wait: the slow clients are held before the scrape, long enough for a
        // server to pick them up (and, before the fix, hand each to a request thread).
        Thread.sleep(300);
        for (int i = 0; i < 5; i++) {
            long millis = scrape(Duration.ofSeconds(2));
            assertTrue(millis < SCRAPE_MILLIS, "scrape " + i + " with " + n + " slow clients held took " + millis
                    + " ms");
        }
    }

    @Test
    void aConnectionWithoutAWholeRequestIsClosedAtTheRequestTimeout() throws Exception {
        startExporter(new ScrapeServer.Limits(Duration.ofMillis(800), Duration.ofSeconds(30), Duration.ofSeconds(10),
                8192, 256));
        long start = System.nanoTime();
        Socket partial = holdPartialRequest();
        held.add(partial);
        Socket silent = connect();
        assertEquals(-1, readUntilClosed(partial, Duration.ofSeconds(5)), "half a request, then nothing");
        assertEquals(-1, readUntilClosed(silent, Duration.ofSeconds(5)), "nothing at all");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 700, "closed after " + millis + " ms, before the timeout");
        assertTrue(scrape(Duration.ofSeconds(2)) >= 0);
    }

    @Test
    void aRequestHeadLongerThanTheLimitIsRefusedAndClosed() throws Exception {
        startExporter();
        Socket s = connect();
        String head = PARTIAL + "X-Padding: " + "x".repeat(9000) + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(5000);
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
        assertTrue(scrape(Duration.ofSeconds(2)) < SCRAPE_MILLIS);
    }

    @Test
    void beyondTheConnectionLimitTheOldestWaitingConnectionMakesRoom() throws Exception {
        startExporter(new ScrapeServer.Limits(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10),
                8192, 10));
        scrape(Duration.ofSeconds(10));
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Socket s = holdPartialRequest();
            held.add(s);
            first.add(s);
        }
        assertEquals(-1, readUntilClosed(first.get(0), Duration.ofSeconds(2)), "the oldest made room");
        assertTrue(scrape(Duration.ofSeconds(2)) < SCRAPE_MILLIS);
    }

    @Test
    void anIdleEndpointSleepsAndSleepsAgainOnceSlowClientsAreGone() throws Exception {
        startExporter(new ScrapeServer.Limits(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(10),
                8192, 256));
        // After a scrape: the server's thread names itself once it runs, a moment after the start.
        scrape(Duration.ofSeconds(10));
        Path task = ServerThread.task();
        // The scrape's connection is closed (Connection: close), so nothing is pending now.
        long before = ServerThread.wakeUps(task);
        Thread.sleep(2000); // the one fixed wait: watching an idle server
        long idle = ServerThread.wakeUps(task) - before;
        assertTrue(idle <= 1, "the idle server thread woke " + idle + " times in 2 s");

        Socket partial = holdPartialRequest();
        held.add(partial);
        assertEquals(-1, readUntilClosed(partial, Duration.ofSeconds(5)));
        before = ServerThread.wakeUps(task);
        Thread.sleep(2000);
        long after = ServerThread.wakeUps(task) - before;
        assertTrue(after <= 1, "once the slow client was closed the server woke " + after + " times in 2 s");
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        held.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", exporter.port()), 5000);
        return s;
    }

    /** Reads until the server closes {@code s}: -1 then; fails if it is still open after {@code max}. */
    private static int readUntilClosed(Socket s, Duration max) throws IOException {
        s.setSoTimeout((int) max.toMillis());
        try {
            while (true) {
                int r = s.getInputStream().read();
                if (r < 0) {
                    return r;
                }
            }
        } catch (SocketTimeoutException e) {
            return fail("still open after " + max.toMillis() + " ms");
        } catch (SocketException e) {
            return -1; // reset: closed too
        }
    }

    /** The metrics server's thread, seen through /proc (Linux). */
    private static final class ServerThread {
        static Path task() throws IOException {
            // The kernel keeps 15 characters of a thread's name.
            String comm = ScrapeServer.THREAD_NAME.substring(0, 15);
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                List<Path> found = tasks.filter(t -> {
                    try {
                        return Files.readString(t.resolve("comm")).strip().equals(comm);
                    } catch (IOException e) {
                        return false;
                    }
                }).toList();
                assertEquals(1, found.size(), "threads named " + comm + ": " + found);
                return found.get(0);
            }
        }

        /** Voluntary context switches: each time the thread went to sleep after being woken. */
        static long wakeUps(Path task) throws IOException {
            for (String line : Files.readAllLines(task.resolve("status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) {
                    return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            throw new IllegalStateException("no voluntary_ctxt_switches in " + task);
        }
    }

    private Socket holdPartialRequest() throws IOException {
        Socket s = new Socket();
        held.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", exporter.port()), 5000);
        s.getOutputStream().write(PARTIAL.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        held.remove(held.size() - 1);
        return s;
    }

    /** One whole scrape on a fresh connection; its duration in milliseconds; fails after {@code max}. */
    private long scrape(Duration max) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", exporter.port()), (int) max.toMillis());
            s.setSoTimeout((int) max.toMillis());
            s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: sentinel\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(s.getInputStream(), start + max.toNanos());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains("\nsentinel_process_up{name=\"app\"} 1"), answer);
            return millis;
        } catch (SocketTimeoutException e) {
            fail("no answer to a scrape within " + max.toMillis() + " ms (" + held.size() + " slow clients held)");
            return -1;
        }
    }

    private static String readToEnd(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        for (int r; (r = in.read(buf)) >= 0; ) {
            out.write(buf, 0, r);
            if (System.nanoTime() > deadlineNanos) {
                throw new SocketTimeoutException("answer not complete in time");
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
