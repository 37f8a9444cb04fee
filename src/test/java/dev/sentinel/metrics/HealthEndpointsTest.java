package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Orders;
import dev.sentinel.core.ReloadOutcome;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.events.EventSink;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.Healths;
import dev.sentinel.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /healthz} and {@code /readyz} over real HTTP, on a real {@link ScrapeServer}, against a
 * loop the test plays: one that turns, one asleep that turns when woken, one stalled for good.
 */
@Timeout(60)
class HealthEndpointsTest {

    private static final long SECOND = 1_000_000_000L;

    private final List<String> notes = new ArrayList<>();
    private final List<Socket> held = new ArrayList<>();
    private MetricsExporter exporter;

    @AfterEach
    void stop() throws IOException {
        for (Socket s : held) {
            s.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    private void start(ScrapeServer.Limits limits) {
        exporter = MetricsExporter.start(new MetricsSettings(true, "127.0.0.1", 0), notes::add,
                new SentinelMetrics(false, new ScrapeWatch()), Duration.ZERO, limits);
        assertNotNull(exporter, notes.toString());
    }

    private PlayedLoop startWith(Snapshots.Program... programs) {
        start(ScrapeServer.Limits.DEFAULT);
        PlayedLoop loop = new PlayedLoop(Snapshots.of(1, programs));
        exporter.attach(loop);
        return loop;
    }

    private record Answer(int status, String contentType, String body, long millis) {
    }

    private Answer fetch(String method, String path) throws IOException {
        long start = System.nanoTime();
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + exporter.address() + path).toURL()
                .openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try {
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, c.getContentType(), body, (System.nanoTime() - start) / 1_000_000);
        } finally {
            c.disconnect();
        }
    }

    private Answer get(String path) throws IOException {
        return fetch("GET", path);
    }

    @Test
    void healthzIsOkWhileTheLoopTurnsAndAsksNothingOfIt() throws Exception {
        PlayedLoop loop = startWith(new Snapshots.Program());
        Answer a = get("/healthz");
        assertEquals(200, a.status());
        assertEquals("ok\n", a.body());
        assertEquals("text/plain; charset=utf-8", a.contentType());
        assertEquals(0, loop.posts.get(), "a loop that turned lately is not woken");
        Answer verbose = get("/healthz?verbose");
        assertEquals(200, verbose.status());
        assertEquals("ok\nloop: last turn 0ms ago\napp: ready\n", verbose.body());
        assertEquals(verbose.body(), get("/healthz/?verbose=1").body());
    }

    @Test
    void anIdleLoopIsWokenOnceAndIsAliveWhenItTurns() throws Exception {
        PlayedLoop loop = startWith(new Snapshots.Program());
        loop.asleepFor(30 * SECOND);
        loop.holdPosts();
        List<CompletableFuture<Answer>> probes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            probes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get("/healthz");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Await.until(Duration.ofSeconds(5), "the no-op posted", () -> loop.posts.get() == 1);
        // The probes wait on the server without holding its thread: a scrape answers meanwhile.
        Answer scrape = get("/metrics");
        assertEquals(200, scrape.status());
        assertTrue(scrape.millis() < 500, scrape.millis() + " ms");
        loop.turn();
        for (CompletableFuture<Answer> p : probes) {
            Answer a = p.get(5, TimeUnit.SECONDS);
            assertEquals(200, a.status(), a.body());
            assertEquals("ok\n", a.body());
        }
        assertEquals(1, loop.posts.get(), "one no-op for all three probes");
    }

    @Test
    void aLoopThatRunsTheNoOpAtOnceIsAliveToo() throws Exception {
        PlayedLoop loop = startWith(new Snapshots.Program());
        loop.asleepFor(60 * SECOND);
        Answer a = get("/healthz");
        assertEquals(200, a.status(), a.body());
        assertEquals(1, loop.posts.get());
        assertTrue(a.millis() < 900, "woken, not timed out: " + a.millis() + " ms");
    }

    @Test
    void aStalledLoopIs503WithinAboutASecondAndPostsNoSecondNoOp() throws Exception {
        PlayedLoop loop = startWith(new Snapshots.Program());
        loop.asleepFor(12 * SECOND);
        loop.neverTurn();
        Answer a = get("/healthz");
        assertEquals(503, a.status(), a.body());
        assertEquals("loop stalled: no turn for 12s\n", a.body());
        assertEquals("text/plain; charset=utf-8", a.contentType());
        assertTrue(a.millis() >= 900 && a.millis() < 2500, a.millis() + " ms");
        Answer again = get("/healthz?verbose");
        assertEquals(503, again.status());
        assertEquals(1, loop.posts.get(), "the first no-op is still outstanding");
        assertEquals(200, get("/readyz").status(), "the programs are what they were: ready");
    }

    @Test
    void aRequestPipelinedBehindAWaitingAnswerIsAnsweredAfterItInOrder() throws Exception {
        PlayedLoop loop = startWith(new Snapshots.Program());
        loop.asleepFor(7 * SECOND);
        loop.neverTurn();
        Socket s = new Socket();
        held.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", exporter.port()), 5000);
        s.setSoTimeout(5000);
        s.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /readyz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String both = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        int second = both.indexOf("HTTP/1.1 200 OK");
        assertTrue(both.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), both);
        assertTrue(both.indexOf("loop stalled: no turn for 7s\n") < second && second > 0, both);
        assertTrue(both.endsWith("\r\n\r\nready\n"), both);
    }

    @Test
    void beforeTheLoopStartsHealthzSaysSo() throws Exception {
        start(ScrapeServer.Limits.DEFAULT);
        Answer a = get("/healthz");
        assertEquals(503, a.status());
        assertEquals("starting: the supervisor loop has not started yet\n", a.body());
        Answer r = get("/readyz");
        assertEquals(503, r.status());
        assertTrue(r.body().startsWith("not ready\n"), r.body());
    }

    @Test
    void readyzIs200WhenEveryProgramThatShouldRunIsReadyElse503NamingWhoAndWhy() throws Exception {
        Snapshots.Program web = named("web");
        Snapshots.Program db = named("db");
        Snapshots.Program cron = named("cron");
        cron.exited(0);
        PlayedLoop loop = startWith(web, db, cron);
        exporter.afterTick(Snapshots.of(2, web, db, cron));
        Answer ok = get("/readyz");
        assertEquals(200, ok.status());
        assertEquals("ready\n", ok.body());
        assertEquals("text/plain; charset=utf-8", ok.contentType());
        assertEquals("ready\nweb: ready\ndb: ready\ncron: not ready (EXITED), not expected to run\n",
                get("/readyz?verbose").body());

        web.health = Healths.failing("HTTP 500", 4, 3);
        db.state = ProgramState.BACKOFF;
        exporter.afterTick(Snapshots.of(3, web, db, cron));
        Answer not = get("/readyz");
        assertEquals(503, not.status());
        assertEquals("not ready\nweb: not ready (check failing: HTTP 500)\ndb: not ready (BACKOFF)\n", not.body());
        assertEquals("not ready\nweb: not ready (check failing: HTTP 500)\ndb: not ready (BACKOFF)\n"
                + "cron: not ready (EXITED), not expected to run\n", get("/readyz?verbose").body());
        assertEquals(200, get("/healthz").status(), "readiness never fails the liveness probe");
        assertEquals(0, loop.posts.get());
    }

    @Test
    void headAnswersTheHeadOnlyAndOtherPathsKeepTheirAnswer() throws Exception {
        startWith(new Snapshots.Program());
        Answer head = fetch("HEAD", "/readyz");
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals("text/plain; charset=utf-8", head.contentType());
        assertEquals(200, fetch("HEAD", "/healthz").status());
        Answer other = get("/healthzz");
        assertEquals(200, other.status());
        assertTrue(other.contentType().startsWith("text/html"), other.contentType());
        assertTrue(get("/readyz/extra").body().contains("<h1>Sentinel</h1>"));
    }

    @Test
    void halfARequestForReadyzIsDroppedAtTheRequestTimeoutAsForMetrics() throws Exception {
        start(new ScrapeServer.Limits(Duration.ofMillis(800), Duration.ofSeconds(30), Duration.ofSeconds(10), 8192,
                256));
        exporter.attach(new PlayedLoop(Snapshots.of(1, new Snapshots.Program())));
        long start = System.nanoTime();
        Socket half = new Socket();
        held.add(half);
        half.connect(new InetSocketAddress("127.0.0.1", exporter.port()), 5000);
        half.getOutputStream().write("GET /readyz HTTP/1.1\r\nHost: sentinel\r\n".getBytes(StandardCharsets.US_ASCII));
        // Others are answered meanwhile.
        assertEquals(200, get("/readyz").status());
        assertEquals(200, get("/healthz").status());
        half.setSoTimeout(5000);
        try {
            assertEquals(-1, half.getInputStream().read(), "closed without an answer");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after 5 s", e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 700, "closed after " + millis + " ms, before the timeout");
    }

    @Test
    void verboseIsAQueryParameterWithOrWithoutAValue() {
        assertFalse(HealthEndpoints.verbose(null));
        assertFalse(HealthEndpoints.verbose(""));
        assertTrue(HealthEndpoints.verbose("verbose"));
        assertTrue(HealthEndpoints.verbose("verbose=1"));
        assertTrue(HealthEndpoints.verbose("x=y&verbose"));
        assertFalse(HealthEndpoints.verbose("verbose=0"));
        assertFalse(HealthEndpoints.verbose("verbose=false"));
        assertFalse(HealthEndpoints.verbose("verbosely"));
    }

    private static Snapshots.Program named(String name) {
        Snapshots.Program p = new Snapshots.Program();
        p.name = name;
        return p;
    }

    /**
     * The supervisor loop as these tests play it: a clock of its own, the time of its last turn,
     * and posted commands that run at once (it turns when woken), wait for {@link #turn()}, or
     * never run (it is stuck).
     */
    private static final class PlayedLoop implements LoopContext, LoopHandle {
        final AtomicInteger posts = new AtomicInteger();
        private final Snapshot latest;
        private final AtomicLong now = new AtomicLong(100 * SECOND);
        private final AtomicLong lastTurn = new AtomicLong(100 * SECOND);
        private final Queue<Consumer<LoopContext>> held = new ConcurrentLinkedQueue<>();
        private volatile boolean hold;
        private volatile boolean stuck;

        PlayedLoop(Snapshot latest) {
            this.latest = latest;
        }

        /** Its last turn was {@code nanos} ago. */
        void asleepFor(long nanos) {
            now.set(lastTurn.get() + nanos);
        }

        void holdPosts() {
            hold = true;
        }

        void neverTurn() {
            stuck = true;
        }

        /** One turn: the time is noted, then the posted commands run. */
        void turn() {
            lastTurn.set(now.get());
            for (Consumer<LoopContext> c; (c = held.poll()) != null; ) {
                c.accept(this);
            }
        }

        @Override
        public LoopHandle handle() {
            return this;
        }

        @Override
        public Snapshot latest() {
            return latest;
        }

        @Override
        public Clock clock() {
            return new Clock() {
                @Override
                public long nanos() {
                    return now.get();
                }

                @Override
                public long epochMillis() {
                    return 1_790_000_000_000L + now.get() / 1_000_000;
                }
            };
        }

        @Override
        public long lastTurnNanos() {
            return lastTurn.get();
        }

        @Override
        public void post(Consumer<LoopContext> command) {
            posts.incrementAndGet();
            if (stuck) {
                return;
            }
            held.add(command);
            if (!hold) {
                turn();
            }
        }

        @Override
        public String selfName() {
            return "sentinel";
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
