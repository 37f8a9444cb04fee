import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 3: what a guardian costs while nothing is wrong. Every configuration guards an idle
 * {@code sleep}; all run side by side (idle processes barely compete for the two cores), and
 * after a settling period each one's CPU time and resident memory are read from /proc over the
 * same window.
 *
 * <p>CPU comes from two sources: utime+stime of /proc/PID/stat (what top shows; 10 ms ticks) and
 * the per-thread run time of /proc/PID/task/TID/schedstat (nanoseconds). RSS is VmRSS of
 * /proc/PID/status, sampled every second, split into RssAnon and RssFile. A separate, labelled
 * Sentinel with Native Memory Tracking says where the resident memory goes ({@link MemoryMap}).
 */
final class Idle {

    private static final String NMT_FLAG = "-XX:NativeMemoryTracking=detail";

    /** One measured process. */
    private static final class Subject {
        final String key;
        final Process process;
        long pid;
        Map<Long, Long> cpu0;
        long ticks0;
        Map<Long, String> names0;
        long rssMaxKb;
        long rssSumKb;
        int rssSamples;

        Subject(String key, Process process, long pid) {
            this.key = key;
            this.process = process;
            this.pid = pid;
        }
    }

    private final Bench bench;
    private final String tmux;
    private final List<Subject> subjects = new ArrayList<>();
    private volatile int scrapes;

    private Idle(Bench bench) {
        this.bench = bench;
        // A private tmux server whose socket lives in the run's temp dir (and goes with it).
        this.tmux = bench.args.getOrDefault("tmux", bench.tmp.resolve("tmux.sock").toString());
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        Idle idle = new Idle(bench);
        try {
            idle.run();
        } finally {
            idle.stopAll();
            bench.cleanup();
        }
    }

    private void run() throws Exception {
        int settle = bench.intArg("idle_settle", bench.quick ? 3 : 10);
        int seconds = bench.intArg("idle_seconds", bench.quick ? 10 : 60);
        int held = bench.intArg("held", 1000);
        Path results = Path.of(bench.args.getOrDefault("results", bench.tmp.toString()));
        List<String> sleep = List.of("sleep", "3600");

        Path sockHeadless = bench.tmpFile("idle-headless.sock");
        Path sockHeld = bench.tmpFile("idle-held.sock");
        Path sockDash = bench.tmpFile("idle-dashboard.sock");
        Path sockNmt = bench.tmpFile("idle-nmt.sock");
        add("headless", bench.sentinel(List.of("--no-tui", "--socket", sockHeadless.toString(), "-p", "0"), sleep,
                bench.tmpFile("idle-headless.log"), Map.of()));
        add("bare", bench.sentinel(List.of("--no-tui", "--no-socket", "--no-metrics"), sleep,
                bench.tmpFile("idle-bare.log"), Map.of()));
        // The launcher's switch for its AppCDS archive: what the archive costs or saves in RSS.
        add("nocds", bench.sentinel(List.of("--no-tui", "--socket", bench.tmpFile("idle-nocds.sock").toString(), "-p",
                "0"), sleep, bench.tmpFile("idle-nocds.log"), Map.of("SENTINEL_NO_CDS", "1")));
        add("held", bench.sentinel(List.of("--no-tui", "--socket", sockHeld.toString(), "-p", "0"), sleep,
                bench.tmpFile("idle-held.log"), Map.of()));
        // What a deployed Sentinel is: idle, with a Prometheus scraping it every 15 s.
        Path scrapedLog = bench.tmpFile("idle-scraped.log");
        add("scraped", bench.sentinel(List.of("--no-tui", "--socket", bench.tmpFile("idle-scraped.sock").toString(),
                "-p", "0", "--metrics-host", "127.0.0.1"), sleep, scrapedLog, Map.of()));
        add("reference", bench.reference(512, sleep, bench.tmpFile("idle-reference.log")));
        List<String> jvm = new ArrayList<>();
        jvm.add(bench.java.toString());
        jvm.addAll(bench.jvmFlags);
        jvm.addAll(List.of("-cp", bench.classes.toString(), "IdleJvm"));
        add("jvm", bench.start(jvm, null, Map.of()));
        add("nmt", bench.sentinel(List.of("--no-tui", "--socket", sockNmt.toString(), "-p", "0"), sleep,
                bench.tmpFile("idle-nmt.log"), Map.of("SENTINEL_JAVA_OPTS", NMT_FLAG)));
        List<String> jvmNmt = new ArrayList<>(jvm);
        jvmNmt.add(1, NMT_FLAG);
        add("jvm-nmt", bench.start(jvmNmt, null, Map.of()));
        Subject dash = startDashboard(sockDash);

        for (Subject s : subjects) {
            if (!s.key.startsWith("jvm") && !awaitSleepChild(s, 30_000)) {
                throw new IllegalStateException(s.key + ": the guarded sleep never started");
            }
        }
        IdleConnections connections = null;
        Thread scraper = startScraper(scrapedLog);
        try {
            connections = new IdleConnections(sockHeld, held);
            if (!connections.awaitOpen(20_000)) {
                bench.note("idle", "held", "", "only " + connections.open() + " of " + held + " connections opened");
            }
            Bench.progress("idle: " + subjects.size() + " configurations running; settling " + settle
                    + " s, then measuring " + seconds + " s");
            Thread.sleep(settle * 1000L);
            long reopened0 = connections.reopened();
            for (Subject s : subjects) {
                s.cpu0 = Proc.threadCpuNanos(s.pid);
                s.names0 = Proc.threadNames(s.pid);
                s.ticks0 = Proc.cpuTicks(s.pid);
            }
            Subject headless = find("headless");
            Map<Long, Long> window = headless.cpu0;
            long windowStart = System.nanoTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < seconds; i++) {
                if (i > 0 && i % 10 == 0) {
                    // The headless Sentinel's CPU per 10 s: shows the JIT warm-up fading out.
                    Map<Long, Long> now = Proc.threadCpuNanos(headless.pid);
                    long nowNanos = System.nanoTime();
                    bench.record("idlewindow", "headless", Integer.toString(i),
                            "cpu_pct", Proc.cpuNanosBetween(window, now) / 1e9 / ((nowNanos - windowStart) / 1e9) * 100);
                    window = now;
                    windowStart = nowNanos;
                }
                long wake = t0 + (i + 1) * 1_000_000_000L;
                for (Subject s : subjects) {
                    long kb = Proc.status(s.pid).getOrDefault("VmRSS", 0L);
                    s.rssMaxKb = Math.max(s.rssMaxKb, kb);
                    s.rssSumKb += kb;
                    s.rssSamples++;
                }
                TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - System.nanoTime()));
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            for (Subject s : subjects) {
                Map<Long, Long> cpu1 = Proc.threadCpuNanos(s.pid);
                long ns = Proc.cpuNanosBetween(s.cpu0, cpu1);
                recordThreadGroups(s, cpu1, elapsed);
                long ticks = Proc.cpuTicks(s.pid) - s.ticks0;
                Map<String, Long> st = Proc.status(s.pid);
                bench.record("idle", s.key, "", "seconds", elapsed);
                // Everything since the JVM started, start-up included ("CPU seconds used").
                bench.record("idle", s.key, "", "cpu_seconds_since_start", Proc.cpuTicks(s.pid) / 100.0);
                bench.record("idle", s.key, "", "cpu_pct", ticks / 100.0 / elapsed * 100);
                bench.record("idle", s.key, "", "cpu_pct_ns", ns / 1e9 / elapsed * 100);
                bench.record("idle", s.key, "", "rss_mib", st.getOrDefault("VmRSS", 0L) / 1024.0);
                bench.record("idle", s.key, "", "rss_max_mib", s.rssMaxKb / 1024.0);
                bench.record("idle", s.key, "", "rss_mean_mib", s.rssSumKb / 1024.0 / Math.max(1, s.rssSamples));
                bench.record("idle", s.key, "", "rss_anon_mib", st.getOrDefault("RssAnon", 0L) / 1024.0);
                bench.record("idle", s.key, "", "rss_file_mib", st.getOrDefault("RssFile", 0L) / 1024.0);
                bench.record("idle", s.key, "", "threads", st.getOrDefault("Threads", 0L));
                Map<String, Long> rollup = Proc.smapsRollup(s.pid);
                bench.record("idle", s.key, "", "pss_mib", rollup.getOrDefault("Pss", 0L) / 1024.0);
                Bench.progress(String.format(java.util.Locale.ROOT,
                        "idle %-9s: CPU %.3f %% (ticks) %.3f %% (schedstat), RSS %.1f MiB (anon %.1f, file %.1f)",
                        s.key, ticks / 100.0 / elapsed * 100, ns / 1e9 / elapsed * 100,
                        st.getOrDefault("VmRSS", 0L) / 1024.0, st.getOrDefault("RssAnon", 0L) / 1024.0,
                        st.getOrDefault("RssFile", 0L) / 1024.0));
            }
            bench.record("idle", "held", "", "connections_open", connections.open());
            bench.record("idle", "held", "", "reconnects_per_s", (connections.reopened() - reopened0) / elapsed);
            bench.record("idle", "held", "", "connections", held);
            betweenSweeps(find("held"), connections);
        } finally {
            if (connections != null) {
                connections.close();
            }
            if (scraper != null) {
                scraper.interrupt();
                bench.record("idle", "scraped", "", "scrapes", scrapes);
            }
        }
        if (dash != null) {
            bench.note("idle", "dashboard", "", "dashboard drawn in a 120x40 tmux pane");
        }
        memoryBreakdown(find("nmt"), results);
        memoryBreakdown(find("jvm-nmt"), results);
    }

    /**
     * Scrapes the "scraped" Sentinel at once and then every 15 s (Prometheus's usual interval),
     * with the Accept header Prometheus sends; null if Sentinel printed no metrics port.
     */
    private Thread startScraper(Path log) throws InterruptedException {
        int port = Bench.awaitMetricsPort(log, 20_000);
        if (port < 0) {
            bench.note("idle", "scraped", "", "no metrics port in " + log + ": not scraped");
            return null;
        }
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4")
                .timeout(java.time.Duration.ofSeconds(10)).GET().build();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (client.send(get, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        scrapes++;
                    }
                    Thread.sleep(15_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                bench.note("idle", "scraped", "", "a scrape failed: " + e);
            }
        }, "scraper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Sentinel closes the held connections when its idle timeout expires, all within moments of
     * each other, and the holder reopens them at once. Between two such sweeps (about 5 s apart)
     * nothing but holding them goes on: this measures that, for 2.5 s from 1.2 s after a sweep.
     */
    private void betweenSweeps(Subject held, IdleConnections connections) throws InterruptedException {
        long before = connections.reopened();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (connections.reopened() == before && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long last = connections.reopened();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < 1_200_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(10);
            if (connections.reopened() != last) {
                last = connections.reopened();
                quietSince = System.nanoTime();
            }
        }
        Map<Long, Long> cpu0 = Proc.threadCpuNanos(held.pid);
        long t0 = System.nanoTime();
        Thread.sleep(2500);
        long ns = Proc.cpuNanosBetween(cpu0, Proc.threadCpuNanos(held.pid));
        double elapsed = (System.nanoTime() - t0) / 1e9;
        boolean quiet = connections.reopened() == last && connections.open() == connections.target();
        bench.record("idle", "held", "", "cpu_pct_between_sweeps", ns / 1e9 / elapsed * 100);
        if (!quiet) {
            bench.note("idle", "held", "", "a sweep or reconnection fell into the between-sweeps window");
        }
        Bench.progress(String.format(java.util.Locale.ROOT, "idle held between sweeps: CPU %.3f %% (%s)",
                ns / 1e9 / elapsed * 100, quiet ? "no reconnection in the window" : "disturbed"));
    }

    /** Where a process's CPU went during the window, by thread group (threads are told apart by name). */
    private void recordThreadGroups(Subject s, Map<Long, Long> cpu1, double elapsed) {
        Map<Long, String> names = new java.util.HashMap<>(s.names0);
        names.putAll(Proc.threadNames(s.pid));
        Map<String, Long> groups = new java.util.TreeMap<>();
        for (Map.Entry<Long, Long> e : cpu1.entrySet()) {
            long d = e.getValue() - s.cpu0.getOrDefault(e.getKey(), 0L);
            groups.merge(threadGroup(names.getOrDefault(e.getKey(), "?")), d, Long::sum);
        }
        for (Map.Entry<String, Long> g : groups.entrySet()) {
            bench.record("idlecpu", s.key, g.getKey(), "cpu_pct", g.getValue() / 1e9 / elapsed * 100);
        }
    }

    static String threadGroup(String comm) {
        if (comm.equals("java")) {
            return "main thread (the supervisor loop)";
        }
        if (comm.matches("C[12] CompilerThre.*")) {
            return "JIT compiler";
        }
        if (comm.startsWith("sentinel-dashbo") || comm.startsWith("output-std")) {
            return "dashboard";
        }
        if (comm.startsWith("HTTP-Dispatcher") || comm.startsWith("req-rsp-timeout") || comm.startsWith("idle-timeout-ta")
                || comm.startsWith("sentinel-metric") || comm.startsWith("prometheus")) {
            return "metrics HTTP server";
        }
        if (comm.equals("headless-report")) {
            return "headless reporter";
        }
        if (comm.matches("VM Thread|VM Periodic Tas|Monitor Deflati|Service Thread|Sweeper thread|Signal Dispatch|"
                + "Reference Handl|Finalizer|Common-Cleaner|Notification Th|Cleaner-\\d+|JNA Cleaner|process reaper.*|"
                + "GC Thread.*|Attach Listener")) {
            return "JVM housekeeping";
        }
        return "other: " + comm;
    }

    private void add(String key, Process p) {
        subjects.add(new Subject(key, p, p.pid()));
    }

    private Subject find(String key) {
        return subjects.stream().filter(s -> s.key.equals(key)).findFirst().orElseThrow();
    }

    /** Sentinel with its dashboard, in a detached 120x40 tmux pane on a private tmux server ({@code -S}). */
    private Subject startDashboard(Path socket) throws Exception {
        String cmd = bench.sentinel + " --socket " + socket + " -p 0 -- sleep 3600";
        Process p = new ProcessBuilder("tmux", "-S", tmux, "-f", "/dev/null", "new-session", "-d", "-x", "120",
                "-y", "40", cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            bench.note("idle", "dashboard", "", "tmux failed: " + outText.trim());
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Process lp = new ProcessBuilder("tmux", "-S", tmux, "list-panes", "-F", "#{pane_pid}")
                    .redirectErrorStream(true).start();
            String panes = new String(lp.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            lp.waitFor();
            if (!panes.isEmpty() && panes.matches("\\d+")) {
                for (long pid : Proc.tree(Long.parseLong(panes))) {
                    String c = Proc.cmdline(pid);
                    if (c != null && c.contains("sentinel.jar")) {
                        Subject s = new Subject("dashboard", null, pid);
                        subjects.add(s);
                        return s;
                    }
                }
            }
            Thread.sleep(20);
        }
        bench.note("idle", "dashboard", "", "Sentinel's JVM never appeared in the tmux pane");
        return null;
    }

    private static boolean awaitSleepChild(Subject s, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            for (long c : Proc.children(s.pid)) {
                if ("sleep".equals(Proc.comm(c))) {
                    return true;
                }
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Where the resident memory of an NMT-labelled JVM (Sentinel, or the JVM alone) goes, page by page. */
    private void memoryBreakdown(Subject nmt, Path results) throws IOException, InterruptedException {
        String key = nmt.key;
        long rssBefore = Proc.status(nmt.pid).getOrDefault("VmRSS", 0L);
        String detail = jcmd(nmt.pid, "VM.native_memory", "detail");
        String summary = jcmd(nmt.pid, "VM.native_memory", "summary");
        if (detail == null || !detail.contains("Virtual memory map")) {
            bench.note("memory", key, "", "jcmd VM.native_memory failed; no breakdown");
            return;
        }
        Files.createDirectories(results);
        Files.writeString(results.resolve(key + "-detail.txt"), detail);
        Files.writeString(results.resolve(key + "-summary.txt"), summary == null ? "" : summary);
        Map<String, Long> kib = MemoryMap.residentKib(nmt.pid, detail);
        bench.record("memory", key, "", "vmrss_before_jcmd_mib", rssBefore / 1024.0);
        bench.record("memory", key, "", "vmrss_mib", Proc.status(nmt.pid).getOrDefault("VmRSS", 0L) / 1024.0);
        for (Map.Entry<String, Long> e : kib.entrySet()) {
            bench.record("memory", key, e.getKey().replace('\t', ' '), "rss_mib", e.getValue() / 1024.0);
        }
        if (summary != null) {
            for (Map.Entry<String, Long> e : MemoryMap.mallocKib(summary).entrySet()) {
                bench.record("malloc", key, e.getKey(), "kib", e.getValue());
            }
        }
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? out : null;
    }

    void stopAll() {
        for (Subject s : subjects) {
            if (s.process != null) {
                Bench.stop(s.process, 5000);
            } else {
                ProcessHandle.of(s.pid).ifPresent(ProcessHandle::destroy);
            }
        }
        try {
            new ProcessBuilder("tmux", "-S", tmux, "kill-server").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no tmux: nothing to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
