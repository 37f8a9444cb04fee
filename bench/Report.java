import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the figures the drivers recorded (results.tsv: scenario, subject, param, metric, value)
 * into the markdown tables bench/run prints: Sentinel beside the reference guardian, each target
 * of issue #6 with met / not met, and where Sentinel's resident memory goes.
 *
 * <p>{@code java -cp CLASSES Report results.tsv}
 */
final class Report {

    private record Row(String scenario, String subject, String param, String metric, String value) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final StringBuilder out = new StringBuilder();
    /** Only some scenarios were run: leave out the targets nothing measured. */
    private boolean skipUnmeasured;

    private Report(List<String> lines) {
        for (String l : lines) {
            String[] f = l.split("\t", 5);
            if (f.length == 5) {
                rows.add(new Row(f[0], f[1], f[2], f[3], f[4]));
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Report r = new Report(Files.readAllLines(Path.of(args[0])));
        r.render();
        System.out.print(r.out);
    }

    // ------------------------------------------------------------------ lookups

    private List<Double> values(String scenario, String subject, String param, String metric) {
        List<Double> v = new ArrayList<>();
        for (Row r : rows) {
            if (r.scenario.equals(scenario) && r.subject.equals(subject) && r.param.equals(param)
                    && r.metric.equals(metric)) {
                try {
                    v.add(Double.parseDouble(r.value));
                } catch (NumberFormatException ignored) {
                    // a note
                }
            }
        }
        return v;
    }

    private double one(String scenario, String subject, String param, String metric) {
        List<Double> v = values(scenario, subject, param, metric);
        return v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
    }

    private String meta(String key) {
        for (Row r : rows) {
            if (r.scenario.equals("meta") && r.subject.equals(key)) {
                return r.value;
            }
        }
        return "?";
    }

    private boolean has(String scenario) {
        return rows.stream().anyMatch(r -> r.scenario.equals(scenario));
    }

    private static String f(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** "median (worst), n=N" of per-run values. */
    private String medWorst(List<Double> v, int decimals, String unit) {
        if (v.isEmpty()) {
            return "n/a";
        }
        return f(Bench.median(v), decimals) + " (" + f(Bench.max(v), decimals) + ") " + unit + ", n=" + v.size();
    }

    /** How many times better (smaller) a is than b, as text. */
    private static String times(double sentinel, double reference, String better, String worse) {
        if (Double.isNaN(sentinel) || Double.isNaN(reference) || sentinel <= 0 || reference <= 0) {
            return "n/a";
        }
        double r = reference / sentinel;
        return r >= 1 ? f(r, r >= 10 ? 0 : 1) + "× " + better : f(1 / r, 1 / r >= 10 ? 0 : 1) + "× " + worse;
    }

    /**
     * The rows of a "where the idle CPU goes" table: one per thread group that took any CPU in some
     * column (% of one core, {@code columns} subjects), then the bold totals.
     */
    private void threadGroupRows(Map<String, double[]> groups, int columns) {
        double[] total = new double[columns];
        for (Map.Entry<String, double[]> g : groups.entrySet()) {
            double[] v = g.getValue();
            boolean any = false;
            for (int i = 0; i < v.length; i++) {
                total[i] += v[i];
                any |= v[i] >= 0.0005;
            }
            if (any) {
                StringBuilder b = new StringBuilder("| " + g.getKey());
                for (double x : v) {
                    b.append(" | ").append(f(x, 3));
                }
                line(b.append(" |").toString());
            }
        }
        StringBuilder b = new StringBuilder("| **total**");
        for (double x : total) {
            b.append(" | **").append(f(x, 3)).append("**");
        }
        line(b.append(" |").toString());
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    // ------------------------------------------------------------------ the report

    private void render() {
        skipUnmeasured = !(has("reaction") && has("spike") && has("held") && has("idle") && has("startup")
                && has("socket") && has("scrape") && has("tree") && has("restart"));
        line("# Sentinel benchmark — " + meta("date"));
        line("");
        line("Machine: " + meta("cpus") + " CPUs (" + meta("cpu") + "), kernel " + meta("kernel") + ", "
                + meta("java") + ". Load average before: " + meta("load_before") + "; after: " + meta("load_after")
                + ". Mode: " + meta("mode") + ". Sentinel: " + meta("sentinel") + ".");
        line("");
        boolean others = rows.stream().anyMatch(r -> !r.scenario.equals("meta") && !r.scenario.startsWith("many")
                && !r.scenario.startsWith("checks"));
        if (others) {
            comparison();
            targets();
            idleCpu();
            memory();
        }
        many();
        checks();
        notes();
    }

    private void comparison() {
        line("## Sentinel beside the reference guardian (same run)");
        line("");
        line("Reference: polls the first pid's RSS every 0.5 s, SIGTERM, sleeps 3 s, SIGKILL (the prototype). "
                + "Limit 200 MiB. Reaction = the leaker's SIGTERM stamp − the observer's crossing time; overshoot = "
                + "peak tree RSS − limit; \"median (worst)\".");
        line("");
        line("| scenario | figure | Sentinel | reference | Sentinel vs reference |");
        line("|---|---|---|---|---|");
        if (has("reaction")) {
            for (String speed : List.of("20", "100", "400")) {
                List<Double> sr = values("reaction", "sentinel", speed, "reaction_ms");
                List<Double> rr = values("reaction", "reference", speed, "reaction_ms");
                List<Double> so = values("reaction", "sentinel", speed, "overshoot_mib");
                List<Double> ro = values("reaction", "reference", speed, "overshoot_mib");
                if (sr.isEmpty() && rr.isEmpty()) {
                    continue;
                }
                line("| leak " + speed + " MiB/s | crossing→SIGTERM | " + medWorst(sr, 1, "ms") + " | "
                        + medWorst(rr, 0, "ms") + " | "
                        + times(Bench.median(sr), Bench.median(rr), "faster", "slower") + " |");
                line("| | overshoot | " + medWorst(so, 1, "MiB") + " | " + medWorst(ro, 1, "MiB") + " | "
                        + times(Bench.median(so), Bench.median(ro), "smaller", "larger") + " |");
            }
        }
        List<Double> cal = values("calibration", "leaker", "", "stamp_latency_ms");
        if (!cal.isEmpty()) {
            line("| (calibration) | kill(SIGTERM) → the leaker's stamp, sent by the harness itself | " + medWorst(cal, 2, "ms")
                    + " | | part of every reaction figure |");
        }
        if (has("spike")) {
            List<Double> s = values("spike", "sentinel", "300", "reaction_ms");
            List<Double> r = values("spike", "reference", "300", "reaction_ms");
            line("| spike +300 MiB at once | crossing→SIGTERM | " + medWorst(s, 0, "ms") + " | " + medWorst(r, 0, "ms")
                    + " | " + times(Bench.median(s), Bench.median(r), "faster", "slower") + " |");
        }
        if (has("held")) {
            List<Double> s = values("held", "sentinel", "100", "reaction_ms");
            List<Double> o = values("held", "sentinel", "100", "overshoot_mib");
            line("| leak 100 MiB/s, 1000 idle connections held | crossing→SIGTERM; overshoot | " + medWorst(s, 1, "ms")
                    + "; " + medWorst(o, 1, "MiB") + " | — | (no socket) |");
        }
        if (has("restart")) {
            List<Double> out = values("restart", "sentinel", "", "gone_to_running_ms");
            List<Double> in = values("restart", "sentinel", "", "journal_exited_to_started_ms");
            line("| memory stop, `--restart on-failure --restart-delay 0` | tree gone → restarted program running "
                    + "(from outside; Sentinel's journal: exited → started) | " + medWorst(out, 1, "ms") + "; journal "
                    + medWorst(in, 0, "ms") + " | — | (does not restart) |");
        }
        if (has("idle")) {
            String[][] idle = {
                {"headless", "idle " + f(one("idle", "headless", "", "seconds"), 0) + " s: headless, socket + metrics (defaults)"},
                {"bare", "idle: headless, --no-socket --no-metrics"},
                {"nocds", "idle: headless, socket + metrics, without the AppCDS archive (SENTINEL_NO_CDS=1)"},
                {"dashboard", "idle: dashboard (tmux 120×40), socket + metrics"},
                {"held", "idle: headless + 1000 idle connections held"},
                {"scraped", "idle: headless, socket + metrics, scraped every 15 s (as by Prometheus)"},
            };
            double refCpu = one("idle", "reference", "", "cpu_pct_ns");
            double refRss = one("idle", "reference", "", "rss_mib");
            for (String[] c : idle) {
                double cpu = one("idle", c[0], "", "cpu_pct_ns");
                double ticks = one("idle", c[0], "", "cpu_pct");
                double rss = one("idle", c[0], "", "rss_mib");
                if (Double.isNaN(rss)) {
                    continue;
                }
                line("| " + c[1] + " | CPU of one core; RSS (anon + file) | " + f(cpu, 3) + " % (ticks: " + f(ticks, 2)
                        + " %); " + f(rss, 1) + " MiB (" + f(one("idle", c[0], "", "rss_anon_mib"), 1) + " + "
                        + f(one("idle", c[0], "", "rss_file_mib"), 1) + ") | "
                        + (c[0].equals("headless") ? f(refCpu, 3) + " %; " + f(refRss, 1) + " MiB" : "") + " | "
                        + (c[0].equals("headless") ? times(cpu, refCpu, "less CPU", "more CPU") + "; "
                        + times(rss, refRss, "less RSS", "more RSS") : "") + " |");
            }
            line("| idle: the JVM alone (launcher's flags, empty main) | CPU; RSS | " + f(one("idle", "jvm", "", "cpu_pct_ns"), 3)
                    + " %; " + f(one("idle", "jvm", "", "rss_mib"), 1) + " MiB | | |");
            double reconnects = one("idle", "held", "", "reconnects_per_s");
            if (!Double.isNaN(reconnects)) {
                line("| | (held: reconnections the idle timeout forced) | " + f(reconnects, 0) + " /s | | |");
                line("| | (held: CPU between two idle-timeout sweeps, 2.5 s) | "
                        + f(one("idle", "held", "", "cpu_pct_between_sweeps"), 3) + " % | | |");
            }
        }
        if (has("startup")) {
            double t = one("startup", "true", "", "median_ms");
            double jvm = one("startup", "jvm", "", "median_ms");
            double bare = one("startup", "sentinel-bare", "", "median_ms");
            double full = one("startup", "sentinel", "", "median_ms");
            int n = (int) one("startup", "true", "", "n");
            line("| start-up, median wall, n=" + n + " | `sentinel --no-socket --no-metrics true` − `true` | " + f(bare - t, 0)
                    + " ms (" + f(bare, 0) + " vs " + f(t, 1) + ") | | the JVM alone: " + f(jvm - t, 0) + " ms |");
            line("| | `sentinel true` with socket + metrics − `true` | " + f(full - t, 0) + " ms | | |");
            double direct = one("startup", "sentinel-direct", "", "median_ms");
            if (!Double.isNaN(direct)) {
                line("| | the launcher's `java ... -jar` run directly (no bash launcher), no socket/metrics − `true` | "
                        + f(direct - t, 0) + " ms | | the launcher script: " + f(bare - direct, 0) + " ms |");
            }
        }
        if (has("socket")) {
            for (Row r : rows) {
                if (r.scenario.equals("socket") && r.metric.equals("median_ms")) {
                    String p = r.param;
                    line("| status over the socket, " + socketLabel(p) + " | median; p99; req/s | "
                            + f(one("socket", "sentinel", p, "median_ms"), 3) + " ms; "
                            + f(one("socket", "sentinel", p, "p99_ms"), 2) + " ms; "
                            + f(one("socket", "sentinel", p, "rps"), 0) + "/s"
                            + refusedNote(p) + " | — | |");
                }
            }
            for (Row r : rows) {
                if (r.scenario.equals("socket") && r.metric.equals("note")) {
                    line("| status over the socket | | " + r.value + " | | |");
                }
            }
        }
        if (has("scrape")) {
            double med = one("scrape", "sentinel", "", "median_ms");
            if (Double.isNaN(med)) {
                line("| GET /metrics while leaking | | n/a | | |");
            } else {
                line("| GET /metrics while leaking 20 MiB/s, keep-alive, n=" + (int) one("scrape", "sentinel", "", "n")
                        + " | median; p99 | " + f(med, 2) + " ms; " + f(one("scrape", "sentinel", "", "p99_ms"), 2) + " ms ("
                        + (int) one("scrape", "sentinel", "", "bytes") + " bytes) | — | |");
            }
        }
        if (has("tree") || has("treemicro")) {
            for (String n : List.of("1", "10", "100", "500")) {
                line("| tree of " + n + " process" + (n.equals("1") ? "" : "es")
                        + " | CPU per tick at -i 10ms: loop thread (all threads); sampler histogram mean;"
                        + " in-process sample median (CPU mean) | "
                        + f(one("tree", "sentinel", n, "loop_per_tick_us"), 0) + " µs ("
                        + f(one("tree", "sentinel", n, "all_per_tick_us"), 0) + " µs); "
                        + f(one("tree", "sentinel", n, "sample_mean_us"), 0) + " µs; "
                        + f(one("treemicro", "sentinel", n, "median_us"), 1) + " µs ("
                        + f(one("treemicro", "sentinel", n, "cpu_mean_us"), 1) + " µs) | — | |");
            }
            double bare = one("tree", "sentinel", "1-no-metrics", "loop_per_tick_us");
            if (!Double.isNaN(bare)) {
                line("| tree of 1 process, --no-metrics | CPU per tick at -i 10ms: loop thread (all threads) | "
                        + f(bare, 0) + " µs (" + f(one("tree", "sentinel", "1-no-metrics", "all_per_tick_us"), 0)
                        + " µs) | — | |");
            }
        }
        if (has("measure")) {
            for (String n : List.of("1", "5", "20")) {
                StringBuilder b = new StringBuilder("| --measure, tree of " + n + (n.equals("1") ? " process" : " processes sharing 150 MiB")
                        + " | in-process sample median (CPU mean): rss; pss read every sample; pss as Sentinel reads it; cgroup | ");
                for (String way : List.of("rss", "pss-every-sample", "pss", "cgroup")) {
                    b.append(way.equals("rss") ? "" : "; ").append(f(one("measure", "sentinel", n + "/" + way, "median_us"), 1))
                            .append(" µs (").append(f(one("measure", "sentinel", n + "/" + way, "cpu_mean_us"), 1)).append(" µs)");
                }
                line(b.append(" | — | |").toString());
            }
        }
        line("");
    }

    private String socketLabel(String p) {
        if (p.matches("\\d+")) {
            return p + (p.equals("1") ? " client" : " clients") + " back to back";
        }
        return p.replace("held1000+", "1000 idle connections held + ").replace("@10/s", " clients, each 10 requests/s")
                .replaceAll("\\+ (\\d+)$", "+ $1 clients back to back");
    }

    private String refusedNote(String p) {
        double failed = one("socket", "sentinel", p, "failed");
        double requests = one("socket", "sentinel", p, "requests");
        return failed > 0 ? " (" + (int) failed + " of " + (int) requests + " refused or failed)" : "";
    }

    private void targets() {
        line("## Targets of issue #6");
        line("");
        line("| target | measured | met? |");
        line("|---|---|---|");
        List<Double> r100 = values("reaction", "sentinel", "100", "reaction_ms");
        List<Double> o100 = values("reaction", "sentinel", "100", "overshoot_mib");
        List<Double> o400 = values("reaction", "sentinel", "400", "overshoot_mib");
        target("median crossing→SIGTERM < 20 ms at 100 MiB/s", r100.isEmpty() ? Double.NaN : Bench.median(r100), 20, "ms", 1);
        target("median overshoot < 8 MiB at 100 MiB/s", o100.isEmpty() ? Double.NaN : Bench.median(o100), 8, "MiB", 1);
        target("median overshoot < 30 MiB at 400 MiB/s", o400.isEmpty() ? Double.NaN : Bench.median(o400), 30, "MiB", 1);
        List<Double> spike = values("spike", "sentinel", "300", "reaction_ms");
        target("spike caught within one base interval (worst ≤ 250 ms)", spike.isEmpty() ? Double.NaN : Bench.max(spike),
                250, "ms (worst)", 0);
        target("idle CPU < 0.1 % of one core (headless, socket + metrics)", one("idle", "headless", "", "cpu_pct_ns"), 0.1,
                "%", 3);
        target("idle RSS < 48 MiB (headless, socket + metrics)", one("idle", "headless", "", "rss_mib"), 48, "MiB", 1);
        double start = one("startup", "sentinel", "", "median_ms") - one("startup", "true", "", "median_ms");
        target("`sentinel true` within 250 ms of `true` (median)", start, 250, "ms", 0);
        target("status median < 1 ms, 200 clients back to back", one("socket", "sentinel", "200", "median_ms"), 1, "ms", 2);
        target("status p99 < 5 ms, 200 clients back to back", one("socket", "sentinel", "200", "p99_ms"), 5, "ms", 2);
        target("status median < 1 ms, 200 clients at 10 requests/s each", one("socket", "sentinel", "200@10/s", "median_ms"),
                1, "ms", 2);
        target("status p99 < 5 ms, 200 clients at 10 requests/s each", one("socket", "sentinel", "200@10/s", "p99_ms"), 5,
                "ms", 2);
        List<Double> restart = values("restart", "sentinel", "", "gone_to_running_ms");
        {
            target("restart: tree gone → restarted program running, `--restart-delay 0` (median; issue #11)",
                    restart.isEmpty() ? Double.NaN : Bench.median(restart), 50, "ms", 1);
        }
        List<Double> held = values("held", "sentinel", "100", "reaction_ms");
        if (!held.isEmpty() && !r100.isEmpty()) {
            double h = Bench.median(held);
            double m = Bench.median(r100);
            double tolerance = Math.max(2, Bench.max(r100) - m);
            line("| 1000 idle connections held do not change the reaction at 100 MiB/s (median within 2 ms or "
                    + "the spread of the runs without) | " + f(h, 1) + " ms with vs " + f(m, 1) + " ms (worst "
                    + f(Bench.max(r100), 1) + ") without | " + (h - m <= tolerance ? "met" : "**not met**") + " |");
        }
        double idleHeld = one("idle", "held", "", "cpu_pct_ns");
        double idleBetween = one("idle", "held", "", "cpu_pct_between_sweeps");
        double idleBase = one("idle", "headless", "", "cpu_pct_ns");
        if (!Double.isNaN(idleBetween) && !Double.isNaN(idleBase)) {
            line("| 1000 idle connections held open do not change idle CPU (within 0.02 points; 2.5 s between two "
                    + "idle-timeout sweeps) | " + f(idleBetween, 3) + " % with vs " + f(idleBase, 3) + " % without | "
                    + (idleBetween - idleBase <= 0.02 ? "met" : "**not met**") + " |");
        }
        if (!Double.isNaN(idleHeld) && !Double.isNaN(idleBase)) {
            line("| ... and kept open for " + f(one("idle", "held", "", "seconds"), 0) + " s against the 5 s idle timeout ("
                    + f(one("idle", "held", "", "reconnects_per_s"), 0)
                    + " reconnections/s) | " + f(idleHeld, 3) + " % with vs " + f(idleBase, 3) + " % without | "
                    + (idleHeld - idleBase <= 0.02 ? "met" : "**not met**") + " |");
        }
        target("tick over a 500-process tree < 5 ms (loop thread's CPU per tick)",
                one("tree", "sentinel", "500", "loop_per_tick_us") / 1000, 5, "ms", 2);
        target("500-process sample < 5 ms (in-process median)", one("treemicro", "sentinel", "500", "median_us") / 1000, 5,
                "ms", 2);
        target("1-process tick in tens of µs (loop thread's CPU per tick, < 100 µs)",
                one("tree", "sentinel", "1", "loop_per_tick_us"), 100, "µs", 0);
        target("1-process sample in tens of µs (in-process median, < 100 µs)", one("treemicro", "sentinel", "1", "median_us"),
                100, "µs", 1);
        line("");
    }

    private void target(String what, double measured, double bound, String unit, int decimals) {
        if (Double.isNaN(measured) && !rows.isEmpty() && skipUnmeasured) {
            return;
        }
        String verdict = Double.isNaN(measured) ? "n/a" : measured < bound ? "met" : "**not met**";
        line("| " + what + " | " + f(measured, decimals) + " " + unit + " | " + verdict + " |");
    }

    private void idleCpu() {
        if (!has("idlecpu")) {
            return;
        }
        String[] keys = {"headless", "bare", "dashboard", "held", "reference"};
        Map<String, double[]> groups = new java.util.TreeMap<>();
        for (Row r : rows) {
            if (r.scenario.equals("idlecpu")) {
                for (int i = 0; i < keys.length; i++) {
                    if (r.subject.equals(keys[i])) {
                        groups.computeIfAbsent(r.param, k -> new double[keys.length])[i] += Double.parseDouble(r.value);
                    }
                }
            }
        }
        line("## Where the idle CPU goes");
        line("");
        line("CPU time of each thread over the idle window (schedstat), grouped by thread name; % of one core.");
        line("");
        line("| threads | headless, socket + metrics | --no-socket --no-metrics | dashboard | + 1000 held connections | reference |");
        line("|---|---|---|---|---|---|");
        threadGroupRows(groups, keys.length);
        line("");
        List<String> windows = new ArrayList<>();
        for (Row r : rows) {
            if (r.scenario.equals("idlewindow") && r.subject.equals("headless")) {
                windows.add(f(Double.parseDouble(r.value), 3));
            }
        }
        if (!windows.isEmpty()) {
            line("The headless Sentinel's CPU in consecutive 10 s windows of the idle period (settle time excluded): "
                    + String.join(", ", windows) + " %.");
            line("");
        }
    }

    private void memory() {
        if (!has("memory")) {
            return;
        }
        line("## Where Sentinel's resident memory goes");
        line("");
        line("Two more idle JVMs with `-XX:NativeMemoryTracking=detail`: a Sentinel (headless, socket + metrics) and "
                + "the JVM alone (the launcher's flags, an empty main). Every resident page is attributed, through "
                + "/proc/PID/pagemap, to the JVM's own map of its memory (`jcmd PID VM.native_memory detail`) or else "
                + "to the file or anonymous mapping it lies in. NMT costs memory itself: the NMT Sentinel had "
                + f(one("memory", "nmt", "", "vmrss_before_jcmd_mib"), 1) + " MiB before jcmd and "
                + f(one("memory", "nmt", "", "vmrss_mib"), 1) + " MiB at the breakdown, against "
                + f(one("idle", "headless", "", "rss_mib"), 1) + " MiB for the same Sentinel without NMT; the JVM alone: "
                + f(one("memory", "jvm-nmt", "", "vmrss_mib"), 1) + " MiB with NMT, "
                + f(one("idle", "jvm", "", "rss_mib"), 1) + " MiB without.");
        line("");
        Map<String, double[]> table = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.scenario.equals("memory") && r.metric.equals("rss_mib") && !r.param.isEmpty()) {
                int col = r.subject.equals("nmt") ? 0 : r.subject.equals("jvm-nmt") ? 1 : -1;
                if (col >= 0) {
                    table.computeIfAbsent(r.param, k -> new double[2])[col] += Double.parseDouble(r.value);
                }
            }
        }
        line("| resident | Sentinel | JVM alone | Sentinel − JVM alone |");
        line("|---|---|---|---|");
        double[] total = new double[2];
        double[] small = new double[2];
        List<Map.Entry<String, double[]>> entries = new ArrayList<>(table.entrySet());
        entries.sort((a, b) -> Double.compare(Math.max(b.getValue()[0], b.getValue()[1]),
                Math.max(a.getValue()[0], a.getValue()[1])));
        for (Map.Entry<String, double[]> e : entries) {
            double[] v = e.getValue();
            total[0] += v[0];
            total[1] += v[1];
            if (Math.max(v[0], v[1]) >= 0.1) {
                line("| " + e.getKey() + " | " + f(v[0], 1) + " MiB | " + f(v[1], 1) + " MiB | " + signed(v[0] - v[1]) + " |");
            } else {
                small[0] += v[0];
                small[1] += v[1];
            }
        }
        line("| everything under 0.1 MiB ([stack], [vdso], small files) | " + f(small[0], 1) + " MiB | " + f(small[1], 1)
                + " MiB | " + signed(small[0] - small[1]) + " |");
        line("| **total** | **" + f(total[0], 1) + " MiB** | **" + f(total[1], 1) + " MiB** | **"
                + signed(total[0] - total[1]) + "** |");
        line("");
        Map<String, double[]> malloc = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.scenario.equals("malloc")) {
                int col = r.subject.equals("nmt") ? 0 : r.subject.equals("jvm-nmt") ? 1 : -1;
                if (col >= 0) {
                    malloc.computeIfAbsent(r.param, k -> new double[2])[col] = Double.parseDouble(r.value) / 1024;
                }
            }
        }
        if (!malloc.isEmpty()) {
            StringBuilder b = new StringBuilder("What the JVM itself mallocs, by NMT category (Sentinel / JVM alone; part "
                    + "of the anonymous memory outside its map, with glibc's arena overhead on top): ");
            for (Map.Entry<String, double[]> e : malloc.entrySet()) {
                if (Math.max(e.getValue()[0], e.getValue()[1]) >= 0.1) {
                    b.append(e.getKey()).append(' ').append(f(e.getValue()[0], 1)).append(" / ")
                            .append(f(e.getValue()[1], 1)).append(" MiB, ");
                }
            }
            line(b.substring(0, b.length() - 2) + ".");
            line("");
        }
    }

    // ------------------------------------------------------------------ issue #12: many programs

    /** Issue #12: one Sentinel guarding many programs (config mode) beside one guarding one, same run. */
    private void many() {
        if (!has("many")) {
            return;
        }
        String one = "config-1";
        String many = null;
        for (Row r : rows) {
            if (r.scenario.equals("many") && r.subject.startsWith("config-") && !r.subject.equals(one)) {
                many = r.subject;
            }
        }
        if (many == null) {
            return;
        }
        String n = many.substring("config-".length());
        String dashMany = "dashboard-" + n;
        line("## Many programs (issue #12): one Sentinel guarding " + n + " idle programs beside one guarding 1");
        line("");
        line("Config mode (`sentinel --config FILE`), side by side in one run: every program is `sleep 100000` with "
                + "`output = \"discard\"`, the socket and metrics on (port 0), headless (`tui = \"never\"`) unless the row "
                + "says dashboard (`tui = \"always\"` in a detached 120×40 tmux pane). Idle: a "
                + f(one("many", one, "", "seconds"), 0) + " s window once every program was RUNNING and a settling time "
                + "had passed; CPU from the per-thread schedstat (utime+stime ticks in brackets), RSS = VmRSS at the "
                + "window's end (the same as smaps_rollup's Rss). Status: from the harness's JVM on a connection "
                + "opened beforehand (sending `status\\n` → the reply's end of file, one request every 10 ms), and "
                + "through `nc -U` (spawn → exit). Reaction: the leaker against a 200 MiB limit as one program among "
                + (Integer.parseInt(n) - 1) + " idle ones, or alone in a 1-program config (a fresh Sentinel per run).");
        line("");
        line("| figure | 1 program | " + n + " programs | " + n + " vs 1 | target (issue #12) | |");
        line("|---|---|---|---|---|---|");
        double c1 = one("many", one, "", "cpu_pct_ns");
        double cN = one("many", many, "", "cpu_pct_ns");
        line("| idle CPU of one core, headless | " + cpu(one) + " | " + cpu(many) + " | " + ratio(cN, c1) + " | at most 2× | "
                + verdict(cN / c1 <= 2, c1, cN) + " |");
        double r1 = one("many", one, "", "rss_mib");
        double rN = one("many", many, "", "rss_mib");
        line("| idle RSS, headless: VmRSS (anon + file); Pss | " + rss(one) + " | " + rss(many) + " | "
                + signed(rN - r1) + " | at most +12 MiB | " + verdict(rN - r1 <= 12, r1, rN) + " |");
        line("| ... Sentinel's threads | " + f(one("many", one, "", "threads"), 0) + " | " + f(one("many", many, "", "threads"), 0)
                + " | | | |");
        line("| ... its lifeline shells (one per running program): count; their summed RSS (Pss) | " + lifelines(one) + " | "
                + lifelines(many) + " | | (not part of the target) | |");
        String[][] status = {
            {"status-inside", "`status` from inside (connected; send → end of file): median; p90"},
            {"status-inside-connect", "... the same requests with the connect: median; p90"},
            {"json-inside", "`json` (every program) from inside: median; p90"},
            {"status-nc", "`status` through `nc -U` (process spawn → exit): median; p90"},
            {"ping-nc", "`ping` through `nc -U` (nc's own cost): median; p90"},
        };
        for (String[] st : status) {
            double m1 = one("manystatus", one, st[0], "median_ms");
            double mN = one("manystatus", many, st[0], "median_ms");
            if (Double.isNaN(m1) && Double.isNaN(mN)) {
                continue;
            }
            String target = "";
            String verdict = "";
            if (st[0].equals("status-inside")) {
                target = n + " programs: median under 5 ms";
                verdict = verdict(mN < 5, mN);
            } else if (st[0].equals("status-nc")) {
                target = n + " programs: median under 50 ms";
                verdict = verdict(mN < 50, mN);
            }
            line("| " + st[1] + " | " + latency(one, st[0]) + " | " + latency(many, st[0]) + " | " + ratio(mN, m1) + " | "
                    + target + " | " + verdict + " |");
        }
        line("| ... reply size (`status`; `json`) | " + replySize(one) + " | " + replySize(many) + " | | | |");
        for (String speed : List.of("20", "100", "400")) {
            List<Double> alone = values("manyreaction", "alone", speed, "reaction_ms");
            List<Double> among = values("manyreaction", "among-" + n, speed, "reaction_ms");
            if (alone.isEmpty() && among.isEmpty()) {
                continue;
            }
            double a = Bench.median(alone);
            double b = Bench.median(among);
            line("| leak " + speed + " MiB/s in one program: crossing→SIGTERM, median (worst) | alone: " + medWorst(alone, 1, "ms")
                    + " | among " + (Integer.parseInt(n) - 1) + " idle: " + medWorst(among, 1, "ms") + " | " + ratio(b, a)
                    + " | within 2× of alone | " + verdict(b <= 2 * a, a, b) + " |");
            line("| ... overshoot, median (worst) | " + medWorst(values("manyreaction", "alone", speed, "overshoot_mib"), 1, "MiB")
                    + " | " + medWorst(values("manyreaction", "among-" + n, speed, "overshoot_mib"), 1, "MiB") + " | | | |");
            List<Double> cli = values("manyreaction", "cli", speed, "reaction_ms");
            if (!cli.isEmpty()) {
                line("| ... for comparison, the command-line Sentinel (`-m 200M -- leaker`, as in the reaction scenario): "
                        + "crossing→SIGTERM; overshoot | " + medWorst(cli, 1, "ms") + "; "
                        + medWorst(values("manyreaction", "cli", speed, "overshoot_mib"), 1, "MiB") + " | | | | |");
            }
        }
        double d1 = one("many", "dashboard-1", "", "cpu_pct_ns");
        double dN = one("many", dashMany, "", "cpu_pct_ns");
        if (!Double.isNaN(dN) || !Double.isNaN(d1)) {
            line("| idle CPU with the dashboard (tmux 120×40) | " + cpu("dashboard-1") + " | " + cpu(dashMany) + " | "
                    + ratio(dN, d1) + " | " + n + " programs: at most 0.5 % | " + verdict(dN <= 0.5, dN) + " |");
            line("| ... the dashboard against headless (the same programs) | " + ratio(d1, c1) + " | " + ratio(dN, cN)
                    + " | | | |");
            line("| ... RSS with the dashboard: VmRSS (anon + file); Pss | " + rss("dashboard-1") + " | " + rss(dashMany)
                    + " | " + signed(one("many", dashMany, "", "rss_mib") - one("many", "dashboard-1", "", "rss_mib"))
                    + " | | |");
        }
        if (!Double.isNaN(one("many", "cli-1", "", "cpu_pct_ns"))) {
            line("| for comparison: the command-line Sentinel (`--no-tui --socket S -p 0 -- sleep 100000`): CPU; RSS | "
                    + cpu("cli-1") + "; " + f(one("many", "cli-1", "", "rss_mib"), 1) + " MiB | | | | |");
        }
        line("");
        manyCpu(n);
    }

    // ------------------------------------------------------------------ issue #19: health checks

    /** Issue #19: 50 programs with a check every second beside 50 without, side by side; reaction among them. */
    private void checks() {
        if (!has("checks")) {
            return;
        }
        List<String> keys = new ArrayList<>();
        for (Row r : rows) {
            if (r.scenario.equals("checks") && r.metric.equals("seconds") && !keys.contains(r.subject)
                    && !r.subject.equals("settings")) {
                keys.add(r.subject);
            }
        }
        String n = keys.isEmpty() ? "?" : f(one("checks", keys.get(0), "", "programs"), 0);
        if (!keys.isEmpty()) {
            checksIdle(keys, n);
        }
        checksReaction();
    }

    /** The checks' period as the run gave it. */
    private String period() {
        double ms = one("checks", "settings", "", "check_period_ms");
        return Double.isNaN(ms) ? "?" : ms % 1000 == 0 ? "\"" + f(ms / 1000, 0) + "s\"" : "\"" + f(ms, 0) + "ms\"";
    }

    private static String kindLabel(String kind) {
        return switch (kind) {
            case "none" -> "no checks";
            case "http" -> "http checks";
            case "tcp" -> "tcp checks";
            case "exec" -> "exec checks (`true`)";
            default -> kind;
        };
    }

    private void checksIdle(List<String> keys, String n) {
        line("## Health checks (issue #19): " + n + " programs with a check every second beside " + n + " without");
        line("");
        line("Config mode, side by side in one window: " + keys.size() + " Sentinels of " + n + " programs each (`sleep 100000`, "
                + "`output = \"discard\"`, headless, socket and metrics on, port 0), every program's check at "
                + "`period = " + period() + "` (timeout 3 s, threshold 3, level alive): http against one JDK HttpServer in the "
                + "harness's JVM (a path per program, answering 200), tcp against a listener there that accepts and closes, "
                + "exec `[\"true\"]`. A " + f(one("checks", keys.get(0), "", "seconds"), 0) + " s window once every "
                + "program was RUNNING and a settling time had passed; CPU from the per-thread schedstat read every second "
                + "(a thread that ends in the window keeps what it used until its last reading), utime+stime ticks in "
                + "brackets; RSS = VmRSS at the window's end. Children's CPU = cutime+cstime of Sentinel over the window: "
                + "the processes it started and waited for (the exec checks' own).");
        line("");
        StringBuilder head = new StringBuilder("| figure");
        StringBuilder rule = new StringBuilder("|---");
        for (String k : keys) {
            head.append(" | ").append(kindLabel(k));
            rule.append("|---");
        }
        line(head.append(" |").toString());
        line(rule.append("|").toString());
        String base = keys.contains("none") ? "none" : null;
        checksRow(keys, "idle CPU of one core", k -> cpu("checks", k));
        if (base != null) {
            double b = one("checks", base, "", "cpu_pct_ns");
            checksRow(keys, "... against no checks (target, http: at most 2×)", k -> {
                if (k.equals(base)) {
                    return "";
                }
                double c = one("checks", k, "", "cpu_pct_ns");
                return ratio(c, b) + (k.equals("http") ? " — " + verdict(c <= 2 * b, b, c) : "");
            });
            double bt = one("checks", base, "", "cpu_pct");
            checksRow(keys, "... against no checks, by utime+stime ticks", k -> k.equals(base) ? ""
                    : ratio(one("checks", k, "", "cpu_pct"), bt));
        }
        checksRow(keys, "children's CPU (cutime+cstime)", k -> f(one("checks", k, "", "children_cpu_pct"), 2) + " %");
        if (base != null) {
            double b = one("checks", base, "", "cpu_pct") + one("checks", base, "", "children_cpu_pct");
            checksRow(keys, "... Sentinel and its children (ticks) against no checks", k -> k.equals(base) ? ""
                    : ratio(one("checks", k, "", "cpu_pct") + one("checks", k, "", "children_cpu_pct"), b));
        }
        checksRow(keys, "RSS: VmRSS (anon + file); Pss", k -> rss("checks", k));
        if (base != null) {
            double b = one("checks", base, "", "rss_mib");
            checksRow(keys, "... against no checks", k -> k.equals(base) ? "" : signed(one("checks", k, "", "rss_mib") - b));
        }
        checksRow(keys, "Sentinel's threads: at the end; the most in the window",
                k -> f(one("checks", k, "", "threads"), 0) + "; " + f(one("checks", k, "", "threads_max"), 0));
        checksRow(keys, "check threads (`sentinel-check-N`, target at most 8): the most alive at once; different ones "
                + "in the window; the highest N alive at the end", k -> {
                    double max = one("checks", k, "", "watched_threads_max");
                    return f(max, 0) + "; " + f(one("checks", k, "", "watched_threads_seen"), 0) + "; "
                            + f(one("checks", k, "", "check_thread_highest_n"), 0) + (k.equals("none") ? "" : " — "
                            + verdict(max <= 8, max));
                });
        double seconds = one("checks", keys.get(0), "", "seconds");
        checksRow(keys, "checks answered by the harness's target, per second", k -> {
            double a = one("checks", k, "", "answered");
            return Double.isNaN(a) ? "" : f(a / seconds, 1);
        });
        checksRow(keys, "check failures in the window; programs passing at its end",
                k -> k.equals("none") ? "" : f(one("checks", k, "", "check_failures_in_window"), 0) + "; "
                        + f(one("checks", k, "", "checks_passing_at_end"), 0));
        line("");
        Map<String, double[]> groups = cpuGroups("checks", keys.toArray(new String[0]));
        if (!groups.isEmpty()) {
            line("### Where the idle CPU goes, with and without checks");
            line("");
            line("CPU time of each thread over the window (schedstat), grouped by thread name; % of one core.");
            line("");
            line(head.toString());
            line(rule.toString());
            threadGroupRows(groups, keys.size());
            line("");
            for (String k : keys) {
                if (!k.equals("none")) {
                    busiestThreads("checks", k, n + " programs with " + kindLabel(k));
                }
            }
        }
    }

    private void checksRow(List<String> keys, String figure, java.util.function.Function<String, String> cell) {
        StringBuilder b = new StringBuilder("| " + figure);
        for (String k : keys) {
            b.append(" | ").append(cell.apply(k));
        }
        line(b.append(" |").toString());
    }

    private void checksReaction() {
        List<String> shapes = new ArrayList<>();
        for (Row r : rows) {
            if (r.scenario.equals("checksreaction") && r.metric.equals("reaction_ms") && !shapes.contains(r.subject)) {
                shapes.add(r.subject);
            }
        }
        if (shapes.size() < 2) {
            return;
        }
        String without = shapes.stream().filter(x -> !x.endsWith("-http")).findFirst().orElse(shapes.get(0));
        String with = shapes.stream().filter(x -> x.endsWith("-http")).findFirst().orElse(shapes.get(1));
        String idle = without.substring("among-".length());
        line("### Reaction to a memory crossing while checks run");
        line("");
        line("The leaker against a 200 MiB limit as one program among " + idle + " idle ones, without checks or with an "
                + "http check at `period = " + period() + "` on every program (the leaker's too); the leaker is started "
                + f(one("checks", "settings", "", "leak_after_ms") / 1000, 1) + " s after every idle program runs; a fresh "
                + "Sentinel per run, runs interleaved, phases spread over 0.5 s. \"Unchanged\" is read as: the median with "
                + "checks is no worse than the worst run without.");
        line("");
        line("| figure | without checks | with http checks | with vs without | target (issue #19) |");
        line("|---|---|---|---|---|");
        for (String speed : List.of("20", "100", "400")) {
            List<Double> a = values("checksreaction", without, speed, "reaction_ms");
            List<Double> b = values("checksreaction", with, speed, "reaction_ms");
            if (a.isEmpty() && b.isEmpty()) {
                continue;
            }
            double mb = Bench.median(b);
            line("| leak " + speed + " MiB/s: crossing→SIGTERM, median (worst) | " + medWorst(a, 1, "ms") + " | "
                    + medWorst(b, 1, "ms") + " | " + ratio(mb, Bench.median(a)) + " | unchanged: "
                    + verdict(mb <= Bench.max(a), mb, Bench.max(a)) + " |");
            line("| ... overshoot, median (worst) | " + medWorst(values("checksreaction", without, speed, "overshoot_mib"), 1, "MiB")
                    + " | " + medWorst(values("checksreaction", with, speed, "overshoot_mib"), 1, "MiB") + " | | |");
            List<Double> answered = values("checksreaction", with, speed, "answered_per_s");
            if (!answered.isEmpty()) {
                line("| ... http checks answered per second over each run's Sentinel, median | | " + f(Bench.median(answered), 1)
                        + " | | |");
            }
        }
        line("");
    }

    private String cpu(String key) {
        return cpu("many", key);
    }

    /** Idle CPU from schedstat, (utime+stime ticks) in brackets. */
    private String cpu(String scenario, String key) {
        double ns = one(scenario, key, "", "cpu_pct_ns");
        return Double.isNaN(ns) ? "n/a" : f(ns, 3) + " % (" + f(one(scenario, key, "", "cpu_pct"), 2) + " %)";
    }

    private String rss(String key) {
        return rss("many", key);
    }

    private String rss(String scenario, String key) {
        double v = one(scenario, key, "", "rss_mib");
        return Double.isNaN(v) ? "n/a" : f(v, 1) + " MiB (" + f(one(scenario, key, "", "rss_anon_mib"), 1) + " + "
                + f(one(scenario, key, "", "rss_file_mib"), 1) + "); " + f(one(scenario, key, "", "pss_mib"), 1) + " MiB";
    }

    private String lifelines(String key) {
        return f(one("many", key, "", "lifelines"), 0) + "; " + f(one("many", key, "", "lifelines_rss_mib"), 1) + " MiB ("
                + f(one("many", key, "", "lifelines_pss_mib"), 1) + " MiB)";
    }

    private String latency(String key, String param) {
        double m = one("manystatus", key, param, "median_ms");
        if (Double.isNaN(m)) {
            return "n/a";
        }
        int d = m >= 10 ? 1 : m >= 1 ? 2 : 3;
        double bad = one("manystatus", key, param, "bad");
        return f(m, d) + " ms; " + f(one("manystatus", key, param, "p90_ms"), d) + " ms, n="
                + f(one("manystatus", key, param, "n"), 0) + (bad > 0 ? " (" + f(bad, 0) + " bad replies)" : "");
    }

    private String replySize(String key) {
        return f(one("manystatus", key, "status-inside", "reply_lines"), 0) + " lines, "
                + f(one("manystatus", key, "status-inside", "reply_bytes"), 0) + " B; "
                + f(one("manystatus", key, "json-inside", "reply_bytes"), 0) + " B";
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? "" : f(a / b, a / b >= 10 ? 0 : 2) + "×";
    }

    private static String verdict(boolean met, double... inputs) {
        for (double x : inputs) {
            if (Double.isNaN(x)) {
                return "n/a";
            }
        }
        return met ? "met" : "**not met**";
    }

    /** Where the many-programs Sentinels' idle CPU goes, by thread group and by thread name. */
    private void manyCpu(String n) {
        String[] keys = {"config-1", "config-" + n, "dashboard-1", "dashboard-" + n, "cli-1"};
        Map<String, double[]> groups = cpuGroups("many", keys);
        if (groups.isEmpty()) {
            return;
        }
        line("### Where the idle CPU goes, many programs");
        line("");
        line("CPU time of each thread over the idle window (schedstat), grouped by thread name; % of one core.");
        line("");
        line("| threads | 1 program | " + n + " programs | dashboard, 1 program | dashboard, " + n
                + " programs | command line, 1 program |");
        line("|---|---|---|---|---|---|");
        threadGroupRows(groups, keys.length);
        line("");
        for (String key : List.of("config-" + n, "dashboard-" + n)) {
            busiestThreads("many", key, key.replace("-", " (") + " programs)");
        }
        Map<String, double[]> counts = new java.util.TreeMap<>();
        for (Row r : rows) {
            if (r.scenario.equals("manythread") && r.metric.equals("threads")) {
                int col = r.subject.equals("config-1") ? 0 : r.subject.equals("config-" + n) ? 1 : -1;
                if (col >= 0) {
                    counts.computeIfAbsent(r.param, k -> new double[2])[col] = Double.parseDouble(r.value);
                }
            }
        }
        StringBuilder c = new StringBuilder();
        for (Map.Entry<String, double[]> e : counts.entrySet()) {
            if (e.getValue()[0] != e.getValue()[1]) {
                c.append(c.length() == 0 ? "" : ", ").append('`').append(e.getKey()).append("` ")
                        .append(f(e.getValue()[0], 0)).append(" → ").append(f(e.getValue()[1], 0));
            }
        }
        if (c.length() > 0) {
            line("Threads whose number grows with the programs (1 → " + n + " programs, headless): " + c + ".");
            line("");
        }
        manyMemory(n);
    }

    /** CPU by thread group (% of one core) of each subject, a column per key. */
    private Map<String, double[]> cpuGroups(String scenario, String[] keys) {
        Map<String, double[]> groups = new java.util.TreeMap<>();
        for (Row r : rows) {
            if (r.scenario.equals(scenario + "cpu")) {
                for (int i = 0; i < keys.length; i++) {
                    if (r.subject.equals(keys[i])) {
                        groups.computeIfAbsent(r.param, k -> new double[keys.length])[i] += Double.parseDouble(r.value);
                    }
                }
            }
        }
        return groups;
    }

    /** One paragraph: a subject's eight busiest threads by name, with their number and wake-ups. */
    private void busiestThreads(String scenario, String key, String label) {
        List<Row> threads = new ArrayList<>();
        for (Row r : rows) {
            if (r.scenario.equals(scenario + "thread") && r.subject.equals(key) && r.metric.equals("cpu_pct")) {
                threads.add(r);
            }
        }
        if (threads.isEmpty()) {
            return;
        }
        threads.sort((x, y) -> Double.compare(Double.parseDouble(y.value), Double.parseDouble(x.value)));
        StringBuilder t = new StringBuilder("The busiest threads of the " + label + " Sentinel, "
                + "by name (% of one core; the number of threads of that name, and how often a thread of it was put on a CPU: "
                + "its wake-ups): ");
        for (int i = 0; i < Math.min(8, threads.size()); i++) {
            Row r = threads.get(i);
            t.append(i == 0 ? "" : ", ").append('`').append(r.param).append("` ")
                    .append(f(Double.parseDouble(r.value), 3)).append(" %");
            double count = one(scenario + "thread", key, r.param, "threads");
            t.append(" (").append(count > 1 ? f(count, 0) + " threads, " : "")
                    .append(f(one(scenario + "thread", key, r.param, "runs_per_s"), 1)).append(" runs/s)");
        }
        line(t.append('.').toString());
        line("");
    }

    /** Where the extra resident memory of the many-programs Sentinel goes (NMT-labelled pair). */
    private void manyMemory(String n) {
        String big = "nmt-" + n;
        Map<String, double[]> table = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.scenario.equals("manymemory") && r.metric.equals("rss_mib") && !r.param.isEmpty()) {
                int col = r.subject.equals("nmt-1") ? 0 : r.subject.equals(big) ? 1 : -1;
                if (col >= 0) {
                    table.computeIfAbsent(r.param, k -> new double[2])[col] += Double.parseDouble(r.value);
                }
            }
        }
        if (table.isEmpty()) {
            return;
        }
        line("### Where the resident memory goes, 1 program and " + n);
        line("");
        line("Two more headless config Sentinels in the same window, with `-XX:NativeMemoryTracking=detail`; every "
                + "resident page attributed as in the idle scenario's breakdown. NMT costs memory itself: "
                + f(one("manymemory", "nmt-1", "", "vmrss_before_jcmd_mib"), 1) + " and "
                + f(one("manymemory", big, "", "vmrss_before_jcmd_mib"), 1) + " MiB before jcmd, against "
                + f(one("many", "config-1", "", "rss_mib"), 1) + " and " + f(one("many", "config-" + n, "", "rss_mib"), 1)
                + " MiB without NMT.");
        line("");
        line("| resident | 1 program | " + n + " programs | difference |");
        line("|---|---|---|---|");
        double[] total = new double[2];
        double[] small = new double[2];
        List<Map.Entry<String, double[]>> entries = new ArrayList<>(table.entrySet());
        entries.sort((a, b) -> Double.compare(Math.abs(b.getValue()[1] - b.getValue()[0]),
                Math.abs(a.getValue()[1] - a.getValue()[0])));
        for (Map.Entry<String, double[]> e : entries) {
            double[] v = e.getValue();
            total[0] += v[0];
            total[1] += v[1];
            if (Math.abs(v[1] - v[0]) >= 0.1) {
                line("| " + e.getKey() + " | " + f(v[0], 1) + " MiB | " + f(v[1], 1) + " MiB | " + signed(v[1] - v[0]) + " |");
            } else {
                small[0] += v[0];
                small[1] += v[1];
            }
        }
        line("| everything that differs by less than 0.1 MiB | " + f(small[0], 1) + " MiB | " + f(small[1], 1) + " MiB | "
                + signed(small[1] - small[0]) + " |");
        line("| **total** | **" + f(total[0], 1) + " MiB** | **" + f(total[1], 1) + " MiB** | **"
                + signed(total[1] - total[0]) + "** |");
        line("");
        Map<String, double[]> malloc = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.scenario.equals("manymalloc")) {
                int col = r.subject.equals("nmt-1") ? 0 : r.subject.equals(big) ? 1 : -1;
                if (col >= 0) {
                    malloc.computeIfAbsent(r.param, k -> new double[2])[col] = Double.parseDouble(r.value) / 1024;
                }
            }
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, double[]> e : malloc.entrySet()) {
            if (Math.abs(e.getValue()[1] - e.getValue()[0]) >= 0.1) {
                b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(f(e.getValue()[0], 1))
                        .append(" → ").append(f(e.getValue()[1], 1)).append(" MiB");
            }
        }
        if (b.length() > 0) {
            line("What the JVM mallocs, by NMT category, where it differs (1 → " + n + " programs): " + b + ".");
            line("");
        }
    }

    private static String signed(double v) {
        return (v >= 0.05 ? "+" : "") + f(v, 1) + " MiB";
    }

    private void notes() {
        List<String> notes = new ArrayList<>();
        for (Row r : rows) {
            if (r.metric.equals("note") && !r.scenario.equals("meta")) {
                notes.add("- " + r.scenario + " " + r.subject + " " + r.param + ": " + r.value);
            }
        }
        List<Double> gaps = new ArrayList<>();
        List<Double> crossingGaps = new ArrayList<>();
        for (String s : List.of("reaction", "spike", "held")) {
            for (Row r : rows) {
                if (r.scenario.equals(s) && r.metric.equals("poll_mean_us")) {
                    gaps.add(Double.parseDouble(r.value));
                }
                if (r.scenario.equals(s) && r.metric.equals("crossing_gap_us")) {
                    crossingGaps.add(Double.parseDouble(r.value));
                }
            }
        }
        if (!gaps.isEmpty()) {
            notes.add("- observer: mean poll interval " + f(Bench.median(gaps) / 1000, 2) + " ms (median over runs); "
                    + "interval around the crossing: median " + f(Bench.median(crossingGaps) / 1000, 2) + " ms, worst "
                    + f(Bench.max(crossingGaps) / 1000, 2) + " ms");
        }
        notes.add("- total time: " + meta("duration") + " s");
        line("## Notes");
        line("");
        notes.forEach(this::line);
        line("");
    }
}
