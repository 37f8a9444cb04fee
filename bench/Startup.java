import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: wall time of {@code sentinel true} against bare {@code true}, from fork to exit
 * as seen by this driver, runs interleaved so that background noise hits every variant alike.
 * The JVM alone (an empty main with the launcher's flags) is measured too, to say how much of
 * the time is the JVM's and how much Sentinel's, and the launcher's java command run directly,
 * to say how much the bash launcher adds.
 */
final class Startup {

    private Startup() {
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        int runs = bench.intArg("runs", bench.quick ? 10 : 30);
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("true", List.of("true"));
        List<String> jvm = new ArrayList<>();
        jvm.add(bench.java.toString());
        jvm.addAll(bench.jvmFlags);
        jvm.addAll(List.of("-cp", bench.classes.toString(), "IdleJvm", "exit"));
        variants.put("jvm", jvm);
        variants.put("sentinel-bare", List.of(bench.sentinel.toString(), "--no-tui", "--no-socket", "--no-metrics",
                "true"));
        // The same java command the launcher execs (read from a running Sentinel), without the
        // launcher: what the bash script costs.
        if (bench.launcherJava != null) {
            List<String> direct = new ArrayList<>(bench.launcherJava);
            direct.addAll(List.of("--no-tui", "--no-socket", "--no-metrics", "true"));
            variants.put("sentinel-direct", direct);
        }
        variants.put("sentinel", List.of(bench.sentinel.toString(), "--no-tui", "--socket",
                bench.tmpFile("startup.sock").toString(), "-p", "0", "true"));
        Map<String, List<Double>> times = new LinkedHashMap<>();
        variants.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        for (int i = -2; i < runs; i++) {
            for (Map.Entry<String, List<String>> v : variants.entrySet()) {
                long t0 = System.nanoTime();
                Process p = bench.start(v.getValue(), null, Map.of());
                int code = p.waitFor();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (code != 0) {
                    throw new IllegalStateException(v.getKey() + " exited with " + code + ": " + v.getValue());
                }
                if (i >= 0) {
                    times.get(v.getKey()).add(ms);
                }
            }
        }
        for (Map.Entry<String, List<Double>> e : times.entrySet()) {
            List<Double> t = e.getValue();
            bench.record("startup", e.getKey(), "", "n", t.size());
            bench.record("startup", e.getKey(), "", "median_ms", Bench.median(t));
            bench.record("startup", e.getKey(), "", "min_ms", Bench.percentile(t, 0));
            bench.record("startup", e.getKey(), "", "p90_ms", Bench.percentile(t, 90));
            Bench.progress(String.format(java.util.Locale.ROOT, "startup %-13s: median %6.1f ms (min %.1f, p90 %.1f, n=%d)",
                    e.getKey(), Bench.median(t), Bench.percentile(t, 0), Bench.percentile(t, 90), t.size()));
        }
    }
}
