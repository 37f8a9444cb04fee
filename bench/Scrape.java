import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 6: GET /metrics, back to back over one keep-alive connection (as Prometheus does),
 * while Sentinel guards a leaker leaking 20 MiB/s under a limit it will not reach, so every
 * scrape races a loop that is sampling fast.
 */
final class Scrape {

    private Scrape() {
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        int count = bench.intArg("scrapes", bench.quick ? 50 : 200);
        Path log = bench.tmpFile("scrape.log");
        Process sentinel = bench.sentinel(List.of("--no-tui", "--socket", bench.tmpFile("scrape.sock").toString(),
                        "-p", "0", "--metrics-host", "127.0.0.1", "-m", "4G"),
                bench.leaker("--leak", "20", "--max", "1G"), log, Map.of());
        try {
            int port = Bench.awaitMetricsPort(log, 20_000);
            if (port < 0) {
                bench.note("scrape", "sentinel", "", "n/a: Sentinel printed no metrics port; see " + log);
                Bench.progress("scrape: n/a (no metrics port)");
                return;
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            for (int i = 0; i < 20; i++) {
                client.send(get, HttpResponse.BodyHandlers.ofByteArray()); // warm-up on both ends
            }
            List<Double> ms = new ArrayList<>();
            int bytes = 0;
            int failed = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long t = System.nanoTime();
                HttpResponse<byte[]> r = client.send(get, HttpResponse.BodyHandlers.ofByteArray());
                ms.add((System.nanoTime() - t) / 1e6);
                if (r.statusCode() != 200) {
                    failed++;
                }
                bytes = r.body().length;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            bench.record("scrape", "sentinel", "", "n", count);
            bench.record("scrape", "sentinel", "", "failed", failed);
            bench.record("scrape", "sentinel", "", "median_ms", Bench.median(ms));
            bench.record("scrape", "sentinel", "", "p99_ms", Bench.percentile(ms, 99));
            bench.record("scrape", "sentinel", "", "max_ms", Bench.max(ms));
            bench.record("scrape", "sentinel", "", "bytes", bytes);
            bench.record("scrape", "sentinel", "", "per_s", count / seconds);
            Bench.progress(String.format(java.util.Locale.ROOT,
                    "scrape: median %.2f ms, p99 %.2f ms, max %.2f ms, %d bytes, %d failed (n=%d)",
                    Bench.median(ms), Bench.percentile(ms, 99), Bench.max(ms), bytes, failed, count));
        } finally {
            Bench.stop(sentinel, 5000);
            bench.cleanup();
        }
    }
}
