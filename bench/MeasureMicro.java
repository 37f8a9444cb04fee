import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcTreeSampler;
import dev.sentinel.platform.PssSampler;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.TreeSample;
import dev.sentinel.platform.cgroup.ContainerMemory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Issue #20's {@code --measure}, seen from inside: what one sample costs under {@code rss} (the
 * tree walk reading {@code stat}), {@code pss} (the same walk, then each process's
 * {@code smaps_rollup}: at every sample, and as Sentinel reads it, reusing a PSS while the RSS
 * stands) and {@code cgroup} (the walk, then {@code memory.usage_in_bytes}/{@code memory.current}
 * and {@code memory.stat}), in-process, with Sentinel's classes from target/sentinel.jar. Every
 * sample reads every process in full (no CPU-clock skip), so the figures are what a tree that runs
 * costs. Trees: one {@code sleep}; tests/shared-memory's tree of 1 + 4 processes sharing 150 MiB;
 * the same with 1 + 19.
 *
 * <p>{@code javac -cp sentinel.jar:CLASSES bench/MeasureMicro.java}; {@code bench/run measure}.
 */
final class MeasureMicro {

    private MeasureMicro() {
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long budgetNanos = (bench.quick ? 1 : 3) * 1_000_000_000L;
        Path script = Path.of(bench.args.getOrDefault("root", ".")).resolve("tests/shared-memory/shared_tree.py");
        Path tmp = Files.createTempDirectory("measure-bench");
        ProcFs proc = ProcFs.system();
        ContainerMemory cgroup = ContainerMemory.detect();
        record Tree(String name, int processes, List<String> command) {
        }
        List<Tree> trees = List.of(
                new Tree("1 process", 1, List.of("sleep", "600")),
                new Tree("5 sharing 150 MiB", 5, List.of("python3", script.toString(), "150", "4",
                        tmp.resolve("5.pids").toString())),
                new Tree("20 sharing 150 MiB", 20, List.of("python3", script.toString(), "150", "19",
                        tmp.resolve("20.pids").toString())));
        for (Tree t : trees) {
            Process tree = bench.start(t.command(), null, Map.of());
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                Path pids = t.processes() == 1 ? null : tmp.resolve(t.processes() + ".pids");
                while (System.nanoTime() < deadline && (pids == null ? Proc.tree(tree.pid()).size() < 1
                        : !Files.exists(pids) || Files.readAllLines(pids).size() < t.processes())) {
                    Thread.sleep(20);
                }
                String[] ways = {"rss", "pss-every-sample", "pss", "cgroup"};
                for (String way : ways) {
                    try (Sampler s = open(way, proc, tree.pid())) {
                        LongSupplier extra = way.equals("cgroup") ? cgroup::usageBytes : () -> 0;
                        long warm = System.nanoTime() + budgetNanos / 3;
                        int warmups = 0;
                        while (System.nanoTime() < warm || warmups < 100) {
                            s.sample();
                            extra.getAsLong();
                            warmups++;
                        }
                        List<Double> wall = new ArrayList<>();
                        long cpu0 = threads.getCurrentThreadCpuTime();
                        long end = System.nanoTime() + budgetNanos;
                        TreeSample last = null;
                        while (System.nanoTime() < end || wall.size() < 50) {
                            long at = System.nanoTime();
                            last = s.sample();
                            extra.getAsLong();
                            wall.add((System.nanoTime() - at) / 1000.0);
                        }
                        double cpuUs = (threads.getCurrentThreadCpuTime() - cpu0) / 1000.0 / wall.size();
                        String param = t.processes() + "/" + way;
                        long mib = way.equals("cgroup") ? -1 : last.rssBytes() >> 20;
                        bench.record("measure", "sentinel", param, "processes", last.count());
                        bench.record("measure", "sentinel", param, "samples", wall.size());
                        bench.record("measure", "sentinel", param, "median_us", Bench.median(wall));
                        bench.record("measure", "sentinel", param, "p99_us", Bench.percentile(wall, 99));
                        bench.record("measure", "sentinel", param, "cpu_mean_us", cpuUs);
                        bench.record("measure", "sentinel", param, "tree_mib", mib);
                        Bench.progress(String.format(Locale.ROOT,
                                "measure %-18s %-16s %2d seen, tree %5s MiB: median %8.1f us, p99 %8.1f us, CPU %8.1f us "
                                        + "per sample (n=%d)", t.name(), way, last.count(),
                                mib < 0 ? "-" : Long.toString(mib), Bench.median(wall), Bench.percentile(wall, 99),
                                cpuUs, wall.size()));
                    }
                }
            } finally {
                Bench.kill(tree);
            }
        }
        cgroup.close();
    }

    /** Every sample reads every process: no clock skip, and for pss-every-sample no reuse either. */
    private static Sampler open(String way, ProcFs proc, long pid) {
        Sampler rss = new ProcTreeSampler(proc, pid, Proc.pageSize());
        return switch (way) {
            case "pss-every-sample" -> new PssSampler(rss, proc, 0);
            case "pss" -> new PssSampler(rss, proc);
            default -> rss;
        };
    }
}
