package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.time.Clock;
import dev.sentinel.events.EventSink;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.ReloadOutcome;
import dev.sentinel.core.Orders;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Snapshot;
import dev.sentinel.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsExporterTest {

    private final List<String> notes = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final ScrapeWatch watch = new ScrapeWatch(clock::get);
    private MetricsExporter exporter;

    @AfterEach
    void stop() {
        if (exporter != null) {
            exporter.close();
        }
    }

    private MetricsExporter start(String host, int port) {
        return MetricsExporter.start(new MetricsSettings(true, host, port), notes::add,
                new SentinelMetrics(true, watch), Duration.ofSeconds(30));
    }

    private String scrape() throws IOException {
        return Http.get("http://" + exporter.address() + "/metrics");
    }

    @Test
    void servesTheLatestSnapshotOnTheChosenAddressAndSaysWhere() throws Exception {
        exporter = start("127.0.0.1", 0);
        assertNotNull(exporter, notes.toString());
        assertTrue(exporter.port() > 0);
        assertEquals("127.0.0.1:" + exporter.port(), exporter.address());
        assertEquals(List.of("sentinel: metrics on http://127.0.0.1:" + exporter.port() + "/metrics"), notes);

        Snapshots.Program p = new Snapshots.Program();
        FakeLoop loop = new FakeLoop(Snapshots.of(0, p));
        exporter.attach(loop);
        exporter.afterTick(Snapshots.of(1, p));
        Exposition e = Exposition.parse(scrape());
        assertEquals(1, e.value("sentinel_process_up{name=\"app\"}"));
        assertTrue(e.hasMetric("jvm_memory_used_bytes"), "Sentinel's own JVM");

        p.exited(0);
        exporter.afterTick(Snapshots.of(2, p));
        assertEquals(0, Exposition.parse(scrape()).value("sentinel_process_up{name=\"app\"}"));
    }

    @Test
    void aScrapeNeverCallsIntoTheLoop() throws Exception {
        exporter = start("127.0.0.1", 0);
        FakeLoop loop = new FakeLoop(Snapshots.of(0, new Snapshots.Program()));
        exporter.attach(loop);
        exporter.afterTick(Snapshots.of(1, new Snapshots.Program()));
        loop.callers.clear();
        for (int i = 0; i < 3; i++) {
            assertTrue(scrape().contains("sentinel_process_up{name=\"app\"} 1"));
        }
        assertEquals(Set.of(), loop.callers, "threads that called the loop context during scrapes");
    }

    @Test
    void aBusyPortIsOneLineAndNoExporter() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertNull(start("127.0.0.1", port));
            assertEquals(1, notes.size(), notes.toString());
            assertEquals("sentinel: metrics port " + port + " is already in use (127.0.0.1:" + port
                    + "); guarding without metrics (pick another port with -p PORT, -p 0 for any free one, "
                    + "or --no-metrics).", notes.get(0));
        }
        Await.until(Duration.ofSeconds(5), "no HTTP thread left behind", () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().startsWith("sentinel-metrics-")));
    }

    @Test
    void anAddressThatIsNotOursIsOneLineAndNoExporter() {
        // 192.0.2.0/24 is TEST-NET-1: never assigned to a real interface.
        assertNull(start("192.0.2.1", 0));
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("sentinel: cannot serve metrics on 192.0.2.1:0 ("), notes.get(0));
        assertTrue(notes.get(0).contains("guarding without metrics"), notes.get(0));
    }

    @Test
    void aMalformedAddressIsOneLineAndNoExporter() {
        assertNull(start("[::1", 0));
        assertEquals(List.of("sentinel: --metrics-host '[::1' is not a known address; guarding without metrics "
                + "(use an address of this machine, e.g. 0.0.0.0 or 127.0.0.1)."), notes);
    }

    @Test
    void anIpv6AddressIsBracketed() {
        assertEquals("127.0.0.1:80", MetricsExporter.hostPort(InetAddress.getLoopbackAddress(), 80));
        assertEquals("[0:0:0:0:0:0:0:1]:8000", MetricsExporter.hostPort(ipv6Loopback(), 8000));
    }

    @Test
    void closingWaitsForTheScrapeThatDeliversTheEnd() throws Exception {
        exporter = start("127.0.0.1", 0);
        Snapshots.Program p = new Snapshots.Program();
        exporter.attach(new FakeLoop(Snapshots.of(0, p)));
        exporter.afterTick(Snapshots.of(1, p));
        scrape();
        // The server counts a scrape a moment after the client has its answer.
        Await.until(Duration.ofSeconds(5), "first scrape counted", () -> watch.scrapes() == 1);
        clock.addAndGet(5_000_000_000L);
        scrape();
        Await.until(Duration.ofSeconds(5), "second scrape counted", () -> watch.scrapes() == 2);
        p.exited(143);
        exporter.afterTick(Snapshots.of(2, p));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(exporter::close);
        // The fake clock stands still: only a scrape can end the wait.
        assertFalse(closing.isDone());
        String last = scrape();
        assertTrue(last.contains("sentinel_process_up{name=\"app\"} 0"), last);
        closing.get(10, TimeUnit.SECONDS);
        assertThrows(IOException.class, this::scrape, "the server is stopped after the final scrape");
    }

    @Test
    void closingIsImmediateWhenNothingScrapesAndCanBeRepeated() throws Exception {
        exporter = start("127.0.0.1", 0);
        exporter.attach(new FakeLoop(Snapshots.of(0, new Snapshots.Program())));
        exporter.afterTick(Snapshots.of(1, new Snapshots.Program()));
        // With the clock standing still, any wait would last until the future times out.
        CompletableFuture.runAsync(exporter::close).get(10, TimeUnit.SECONDS);
        CompletableFuture.runAsync(exporter::close).get(10, TimeUnit.SECONDS);
        assertThrows(IOException.class, this::scrape);
    }

    @Test
    void theDefaultFactoryServesTooAndItsPortCanBeReused() throws Exception {
        exporter = MetricsExporter.start(new MetricsSettings(true, "127.0.0.1", 0), notes::add);
        assertNotNull(exporter, notes.toString());
        int port = exporter.port();
        exporter.close();
        exporter = start("127.0.0.1", port);
        assertNotNull(exporter, "a closed exporter frees its port: " + notes);
    }

    private static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A loop context that only hands out a snapshot and remembers which threads asked. */
    private static final class FakeLoop implements LoopContext, LoopHandle {
        final Set<String> callers = ConcurrentHashMap.newKeySet();
        private final Snapshot latest;

        FakeLoop(Snapshot latest) {
            this.latest = latest;
        }

        @Override
        public LoopHandle handle() {
            return this;
        }

        @Override
        public Snapshot latest() {
            callers.add(Thread.currentThread().getName());
            return latest;
        }

        @Override
        public Clock clock() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void post(Consumer<LoopContext> command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String selfName() {
            return "app";
        }

        @Override
        public EventSink events() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Program> programs() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Orders orders() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReloadOutcome reload() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reload(Consumer<ReloadOutcome> done) {
            throw new UnsupportedOperationException();
        }
    }
}
