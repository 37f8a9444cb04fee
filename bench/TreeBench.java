import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 7, seen from outside: Sentinel guards a tree of N processes (a shell and N-1
 * {@code sleep}s) at a fixed fast interval ({@code -i 10ms}, limit far away, so the adaptive
 * sampling stays at the base interval). The CPU time of its main thread, where the supervisor
 * loop runs, over a window, divided by the number of samples taken in the window (the
 * {@code samples} field of {@code status json}), is the CPU cost of one tick: the sample and
 * everything else the loop does around it. The CPU of all threads per tick is recorded too, less
 * the JIT compiler threads (warm-up, recorded apart). The metrics endpoint adds the mean of Sentinel's
 * own sample-duration histogram (the sampler alone, wall time). One more run without metrics
 * shows what the metrics extension adds to a tick.
 */
final class TreeBench {

    private static final Pattern SAMPLES = Pattern.compile("\"samples\":(\\d+)");
    private static final Pattern COUNT =
            Pattern.compile("(?m)^sentinel_sample_duration_seconds_count\\{[^}]*\\} (\\S+)$");
    private static final Pattern SUM =
            Pattern.compile("(?m)^sentinel_sample_duration_seconds_sum\\{[^}]*\\} (\\S+)$");

    private final Bench bench;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final int seconds;
    private final long settleMillis;

    private TreeBench(Bench bench) {
        this.bench = bench;
        this.seconds = bench.intArg("seconds", bench.quick ? 2 : 8);
        this.settleMillis = bench.quick ? 2000 : 5000;
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        TreeBench t = new TreeBench(bench);
        for (String n : bench.args.getOrDefault("sizes", "1,10,100,500").split(",")) {
            t.measure(Integer.parseInt(n), true, n);
        }
        t.measure(1, false, "1-no-metrics");
        bench.cleanup();
    }

    /** Guards an N-process tree at -i 10ms and records the CPU cost per tick under {@code param}. */
    private void measure(int n, boolean metrics, String param) throws Exception {
        List<String> tree = n == 1 ? List.of("sleep", "600")
                : List.of("sh", "-c", "for i in $(seq " + (n - 1) + "); do sleep 600 & done; wait");
        Path log = bench.tmpFile("tree-" + param + ".log");
        Path socket = bench.tmpFile("tree.sock");
        List<String> options = new ArrayList<>(List.of("--no-tui", "--socket", socket.toString(), "-i", "10ms",
                "-m", "64G"));
        options.addAll(metrics ? List.of("-p", "0", "--metrics-host", "127.0.0.1") : List.of("--no-metrics"));
        Process sentinel = bench.sentinel(options, tree, log, Map.of());
        try {
            int port = metrics ? Bench.awaitMetricsPort(log, 20_000) : -1;
            long root = awaitTree(sentinel.pid(), n, 30_000);
            if (root < 0 || samples(socket) < 0) {
                bench.note("tree", "sentinel", param, "the tree never reached " + n + " processes, or no status; see " + log);
                return;
            }
            if (port > 0) {
                histogram(port); // the first scrape loads and compiles the exporter: not in the window
            }
            Thread.sleep(settleMillis); // every process discovered, the sampling path compiled
            double[] h0 = port > 0 ? histogram(port) : null;
            long s0 = samples(socket);
            Map<Long, Long> cpu0 = Proc.threadCpuNanos(sentinel.pid());
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Map<Long, Long> cpu1 = Proc.threadCpuNanos(sentinel.pid());
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long s1 = samples(socket);
            double[] h1 = port > 0 ? histogram(port) : null;
            Map<Long, String> names = Proc.threadNames(sentinel.pid());
            // The loop runs on the main thread (comm "java"): the sample and all the rest of a tick.
            // JIT compilation is warm-up, not the cost of a tick: left out of the total, recorded apart.
            long loop = Proc.cpuNanosBetween(cpu0, cpu1, threadsNamed(names, "java"));
            long jit = Proc.cpuNanosBetween(cpu0, cpu1, Proc.compilerThreads(sentinel.pid()));
            long all = Proc.cpuNanosBetween(cpu0, cpu1) - jit;
            double ticks = s1 - s0;
            bench.record("tree", "sentinel", param, "processes", Proc.tree(root).size());
            bench.record("tree", "sentinel", param, "ticks_per_s", ticks / elapsed);
            bench.record("tree", "sentinel", param, "cpu_pct", all / elapsed / 1e9 * 100);
            bench.record("tree", "sentinel", param, "jit_pct", jit / elapsed / 1e9 * 100);
            bench.record("tree", "sentinel", param, "loop_per_tick_us", loop / ticks / 1000);
            bench.record("tree", "sentinel", param, "all_per_tick_us", all / ticks / 1000);
            double sampleUs = Double.NaN;
            if (h0 != null && h1 != null && h1[0] > h0[0]) {
                sampleUs = (h1[1] - h0[1]) / (h1[0] - h0[0]) * 1e6;
                bench.record("tree", "sentinel", param, "sample_mean_us", sampleUs);
            }
            Bench.progress(String.format(java.util.Locale.ROOT,
                    "tree %-12s: %.1f ticks/s; loop thread %.1f us per tick, all threads %.1f us per tick (+ JIT %.2f %%);"
                            + " sampler's own histogram mean %.1f us", param, ticks / elapsed, loop / ticks / 1000,
                    all / ticks / 1000, jit / elapsed / 1e9 * 100, sampleUs));
        } finally {
            Bench.stop(sentinel, 5000);
        }
    }

    private static java.util.Set<Long> threadsNamed(Map<Long, String> names, String comm) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        names.forEach((tid, name) -> {
            if (name.equals(comm)) {
                out.add(tid);
            }
        });
        return out;
    }

    /** The guarded tree's root once it has {@code n} processes, or -1. */
    private static long awaitTree(long sentinelPid, int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            for (long c : Proc.children(sentinelPid)) {
                if (Proc.pgid(c) == c && Proc.tree(c).size() >= n) {
                    return c;
                }
            }
            Thread.sleep(20);
        }
        return -1;
    }

    /** Samples taken so far, from {@code status json} over the control socket; -1 if it does not answer. */
    private static long samples(Path socket) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap("status json\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                while (ch.read(buf) >= 0 && buf.hasRemaining()) {
                    // read to the end
                }
                Matcher m = SAMPLES.matcher(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            } catch (IOException e) {
                // not bound yet
            }
            Thread.sleep(50);
        }
        return -1;
    }

    /** {count, sum} of sentinel_sample_duration_seconds, or null. */
    private double[] histogram(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher c = COUNT.matcher(r.body());
        Matcher s = SUM.matcher(r.body());
        if (!c.find() || !s.find()) {
            return null;
        }
        return new double[] {Double.parseDouble(c.group(1)), Double.parseDouble(s.group(1))};
    }
}
