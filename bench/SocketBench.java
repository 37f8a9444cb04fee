import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 5: {@code status} over the control socket, one request per connection as the
 * protocol has it (connect, send {@code status\n}, read the reply until the server closes).
 * C client threads each send their share of the requests back to back; the latency of one
 * request runs from opening the connection to reading end-of-file. Then the same with 1000
 * connections held open and idle beside them ({@link IdleConnections}).
 */
final class SocketBench {

    private static final byte[] STATUS = "status\n".getBytes(StandardCharsets.US_ASCII);

    private record Outcome(double millis, boolean ok) {
    }

    private SocketBench() {
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        int total = bench.intArg("requests", bench.quick ? 600 : 3000);
        int held = bench.intArg("held", 1000);
        int paced = bench.quick ? 10 : 25;
        Path socket = bench.tmpFile("socketbench.sock");
        Path log = bench.tmpFile("socketbench.log");
        Process sentinel = bench.sentinel(List.of("--no-tui", "--socket", socket.toString(), "-p", "0"),
                List.of("sleep", "3600"), log, Map.of());
        try {
            if (!Bench.awaitFile(socket, 20_000) || !answers(socket)) {
                bench.note("socket", "sentinel", "", "n/a: the control socket did not answer 'status'; see " + log);
                Bench.progress("socket: n/a (no answer on " + socket + ")");
                return;
            }
            run(socket, 1, 200, 0); // warm-up: class loading and compilation of the status path
            for (int clients : new int[] {1, 50, 200}) {
                measure(bench, socket, Integer.toString(clients), clients, Math.max(5, total / clients), 0);
            }
            // 200 clients that each ask 10 times a second: latency without a saturated queue.
            measure(bench, socket, "200@10/s", 200, paced, 100);
            try (IdleConnections idle = new IdleConnections(socket, held)) {
                if (!idle.awaitOpen(20_000)) {
                    bench.note("socket", "sentinel", "held", "only " + idle.open() + " of " + held + " idle connections opened");
                }
                bench.record("socket", "sentinel", "held", "held_open", idle.open());
                measure(bench, socket, "held" + held + "+200@10/s", 200, paced, 100);
                measure(bench, socket, "held" + held + "+200", 200, Math.max(5, total / 200), 0);
                bench.record("socket", "sentinel", "held", "held_open_after", idle.open());
            }
        } finally {
            Bench.stop(sentinel, 5000);
            bench.cleanup();
        }
    }

    /**
     * Runs {@code clients} threads of {@code perClient} requests each, back to back when
     * {@code periodMillis} is 0, else one every {@code periodMillis} per client (phases spread).
     */
    private static void measure(Bench bench, Path socket, String param, int clients, int perClient,
                                long periodMillis) throws Exception {
        long t0 = System.nanoTime();
        List<Outcome> outcomes = run(socket, clients, perClient, periodMillis);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Double> ok = new ArrayList<>();
        int refused = 0;
        for (Outcome o : outcomes) {
            if (o.ok) {
                ok.add(o.millis);
            } else {
                refused++;
            }
        }
        bench.record("socket", "sentinel", param, "requests", outcomes.size());
        bench.record("socket", "sentinel", param, "failed", refused);
        bench.record("socket", "sentinel", param, "median_ms", Bench.median(ok));
        bench.record("socket", "sentinel", param, "p99_ms", Bench.percentile(ok, 99));
        bench.record("socket", "sentinel", param, "max_ms", Bench.max(ok));
        bench.record("socket", "sentinel", param, "rps", ok.size() / seconds);
        Bench.progress(String.format(java.util.Locale.ROOT,
                "socket %-24s: median %.3f ms, p99 %.3f ms, %.0f req/s, %d of %d failed or refused",
                param, Bench.median(ok), Bench.percentile(ok, 99), ok.size() / seconds, refused, outcomes.size()));
    }

    /** True once Sentinel answers a status request (it binds before it starts the program). */
    private static boolean answers(Path socket) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (request(socket).ok) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static List<Outcome> run(Path socket, int clients, int perClient, long periodMillis)
            throws InterruptedException {
        long periodNanos = periodMillis * 1_000_000L;
        List<Outcome> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ready = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int index = c;
            Thread t = new Thread(() -> {
                List<Outcome> mine = new ArrayList<>(perClient);
                ready.incrementAndGet();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long start = System.nanoTime() + periodNanos * index / clients;
                for (int i = 0; i < perClient; i++) {
                    if (periodNanos > 0) {
                        long wait = start + i * periodNanos - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    mine.add(request(socket));
                }
                all.addAll(mine);
            }, "client-" + c);
            t.start();
            threads.add(t);
        }
        while (ready.get() < clients) {
            Thread.sleep(1);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        return all;
    }

    /** One status request; ok when the reply is a status line (not ERR, not empty, no error). */
    private static Outcome request(Path socket) {
        long t0 = System.nanoTime();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(STATUS));
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            String reply = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            return new Outcome(ms, !reply.isEmpty() && !reply.startsWith("ERR"));
        } catch (IOException e) {
            return new Outcome((System.nanoTime() - t0) / 1e6, false);
        }
    }
}
