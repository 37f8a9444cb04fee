package dev.sentinel.metrics;

import dev.sentinel.core.HealthReport;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.text.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Sentinel's own probes on the metrics port, shaped as Kubernetes asks its containers:
 * {@code GET /healthz} (alive: is the supervisor loop still turning?) and {@code GET /readyz}
 * (ready: is every program that should run ready?). Plain text, a verdict on the first line;
 * {@code ?verbose} adds a line per program. Served by {@link ScrapeServer}'s thread under the same
 * bounds as {@code /metrics}, from the snapshot the scrapes serve.
 *
 * <p>Alive. The loop sleeps until its next deadline, up to a minute when nothing is due, so an old
 * {@link LoopHandle#lastTurnNanos()} alone proves nothing. Past {@link #STALLED} without a turn, a
 * no-op command is posted (at most one outstanding, however many probes ask) and the answer waits
 * up to {@link #WAKE_WAIT}, without holding the server's thread ({@link ScrapeServer.Later}): a
 * loop that runs the command is alive (200), one that does not is stalled (503).
 *
 * <p>Ready. {@link HealthReport}'s words, the same as the socket's {@code health}: a program
 * stopped by an order, or ended with nothing to restart it, does not count. Readiness never makes
 * {@code /healthz} fail: a liveness probe that did would have Kubernetes restart the whole
 * container for what Sentinel's own restart of one program fixes.
 */
final class HealthEndpoints {

    /** A loop that has not turned for this long is woken and watched before it is judged. */
    static final Duration STALLED = Duration.ofSeconds(5);
    /** How long a woken loop has to turn. */
    static final Duration WAKE_WAIT = Duration.ofSeconds(1);

    private final Supplier<Snapshot> latest;
    private volatile LoopHandle loop;
    /** A no-op posted to the loop that has not run yet: probes while it waits post no other. */
    private final AtomicBoolean wakeOutstanding = new AtomicBoolean();
    /** Answers waiting for the loop to run the no-op; one that times out removes itself. */
    private final Queue<ScrapeServer.Later> waiting = new ConcurrentLinkedQueue<>();

    /** @param latest the snapshot the scrapes serve, or null before the first */
    HealthEndpoints(Supplier<Snapshot> latest) {
        this.latest = latest;
    }

    /** The loop to judge; until then {@code /healthz} says Sentinel is starting. */
    void attach(LoopHandle handle) {
        this.loop = handle;
    }

    ScrapeServer.Reply healthz(ScrapeServer.Request request) {
        boolean verbose = verbose(request.query());
        LoopHandle h = loop;
        if (h == null) {
            return text(503, "starting: the supervisor loop has not started yet\n");
        }
        long before = h.lastTurnNanos();
        if (h.clock().nanos() - before <= STALLED.toNanos()) {
            return alive(h, verbose);
        }
        // Maybe asleep, maybe stuck: a turn for the no-op tells which.
        ScrapeServer.Later[] self = new ScrapeServer.Later[1];
        self[0] = new ScrapeServer.Later(WAKE_WAIT, () -> {
            waiting.remove(self[0]);
            return judged(h, before, verbose);
        });
        waiting.add(self[0]);
        if (wakeOutstanding.compareAndSet(false, true)) {
            h.post(ctx -> woke());
        }
        return self[0];
    }

    /** On the loop: it turned. Cleared before the answers are woken, so a probe after this posts again. */
    private void woke() {
        wakeOutstanding.set(false);
        for (ScrapeServer.Later l; (l = waiting.poll()) != null; ) {
            l.wake();
        }
    }

    private ScrapeServer.Response judged(LoopHandle h, long before, boolean verbose) {
        long last = h.lastTurnNanos();
        long age = h.clock().nanos() - last;
        if (last - before > 0 || age <= STALLED.toNanos()) {
            return alive(h, verbose);
        }
        return text(503, "loop stalled: no turn for " + Duration.ofNanos(age).toSeconds() + "s\n");
    }

    private ScrapeServer.Response alive(LoopHandle h, boolean verbose) {
        StringBuilder b = new StringBuilder("ok\n");
        if (verbose) {
            long age = Math.max(0, h.clock().nanos() - h.lastTurnNanos());
            b.append("loop: last turn ").append(Durations.format(Duration.ofNanos(age))).append(" ago\n");
            Snapshot s = latest.get();
            if (s != null) {
                programLines(b, s.programs());
            }
        }
        return text(200, b.toString());
    }

    ScrapeServer.Response readyz(ScrapeServer.Request request) {
        Snapshot s = latest.get();
        if (s == null) {
            return text(503, "not ready\nstarting: no program has been started yet\n");
        }
        List<ProgramSnapshot> programs = s.programs();
        boolean ready = HealthReport.ready(programs);
        StringBuilder b = new StringBuilder(ready ? "ready\n" : "not ready\n");
        programLines(b, verbose(request.query()) ? programs : HealthReport.notReady(programs));
        return text(ready ? 200 : 503, b.toString());
    }

    private static void programLines(StringBuilder b, List<ProgramSnapshot> programs) {
        for (ProgramSnapshot p : programs) {
            b.append(HealthReport.verboseLine(p)).append('\n');
        }
    }

    /** {@code ?verbose}, {@code ?verbose=1}, {@code ?x=y&verbose}: yes; {@code ?verbose=0} or {@code false}: no. */
    static boolean verbose(String query) {
        if (query == null) {
            return false;
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            if (key.equals("verbose")) {
                String value = eq < 0 ? "" : part.substring(eq + 1).toLowerCase(Locale.ROOT);
                return !(value.equals("0") || value.equals("false") || value.equals("no"));
            }
        }
        return false;
    }

    private static ScrapeServer.Response text(int status, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        // A probe's answer is about now: no cache between it and the prober may keep it.
        headers.put("Cache-Control", "no-store");
        return new ScrapeServer.Response(status, headers, body.getBytes(StandardCharsets.UTF_8), null);
    }
}
