import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcTreeSampler;
import dev.sentinel.platform.TreeSample;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7, seen from inside: Sentinel's own tree sampler ({@code ProcTreeSampler}, from
 * target/sentinel.jar) sampling a tree of N processes in a loop, after a warm-up, on a JVM with
 * the launcher's flags (C1 only). The most precise per-sample figure: wall time per sample
 * (median) and this thread's CPU time per sample (mean), without the rest of Sentinel's tick.
 *
 * <p>Compiled separately, against the jar: {@code javac -cp sentinel.jar:CLASSES bench/TreeMicro.java}.
 */
final class TreeMicro {

    private TreeMicro() {
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long budgetNanos = (bench.quick ? 1 : 2) * 1_000_000_000L;
        for (String s : bench.args.getOrDefault("sizes", "1,10,100,500").split(",")) {
            int n = Integer.parseInt(s);
            List<String> cmd = n == 1 ? List.of("sleep", "600")
                    : List.of("sh", "-c", "for i in $(seq " + (n - 1) + "); do sleep 600 & done; wait");
            Process tree = bench.start(cmd, null, Map.of());
            try {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (Proc.tree(tree.pid()).size() < n && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                try (ProcTreeSampler sampler = new ProcTreeSampler(ProcFs.system(), tree.pid(), Proc.pageSize())) {
                    int seen = 0;
                    long warm = System.nanoTime() + budgetNanos / 2;
                    int warmups = 0;
                    while (System.nanoTime() < warm || warmups < 200) {
                        seen = sampler.sample().count();
                        warmups++;
                    }
                    List<Double> wall = new ArrayList<>();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long end = System.nanoTime() + budgetNanos;
                    while (System.nanoTime() < end || wall.size() < 100) {
                        long t = System.nanoTime();
                        TreeSample sample = sampler.sample();
                        wall.add((System.nanoTime() - t) / 1000.0);
                        seen = sample.count();
                    }
                    double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / wall.size();
                    String param = Integer.toString(n);
                    bench.record("treemicro", "sentinel", param, "processes", seen);
                    bench.record("treemicro", "sentinel", param, "samples", wall.size());
                    bench.record("treemicro", "sentinel", param, "median_us", Bench.median(wall));
                    bench.record("treemicro", "sentinel", param, "p99_us", Bench.percentile(wall, 99));
                    bench.record("treemicro", "sentinel", param, "cpu_mean_us", cpuUs);
                    Bench.progress(String.format(java.util.Locale.ROOT,
                            "treemicro %3d processes (%d seen): median %.1f us, p99 %.1f us, CPU %.1f us per sample (n=%d)",
                            n, seen, Bench.median(wall), Bench.percentile(wall, 99), cpuUs, wall.size()));
                }
            } finally {
                Bench.kill(tree);
            }
        }
    }
}
