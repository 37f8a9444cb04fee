import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue #12: one Sentinel guarding many programs from a config file ({@code sentinel --config
 * FILE}) beside one guarding a single program, side by side in one run.
 * <ol>
 * <li><b>idle</b>: a Sentinel with 1 idle program and one with 50 (each {@code sleep 100000},
 * output discarded), headless with socket and metrics; the same two with the dashboard, each in a
 * detached 120x40 tmux pane; and the command-line Sentinel ({@code -- sleep 100000}) for
 * reference. All wait until every program is RUNNING, settle, then one window measures CPU
 * (utime+stime of /proc/PID/stat, and the per-thread schedstat, grouped by thread name) and RSS
 * (VmRSS sampled every second, /proc/PID/smaps_rollup at the end) of each;</li>
 * <li><b>status</b>: {@code status} to the headless 1- and 50-program Sentinels, from this JVM
 * (the time from sending the request on an already-connected Unix socket to the reply's end of
 * file) and through {@code nc -U} (the whole process, spawn included);</li>
 * <li><b>reaction</b>: the leaker as one program among 49 idle ones against the leaker alone in a
 * 1-program config, with the {@link Observer} watching only the leaker's tree: crossing to the
 * leaker's SIGTERM stamp, as in the reaction scenario (a fresh Sentinel per run; phases spread
 * over 0.5 s).</li>
 * </ol>
 *
 * <p>{@code java -cp CLASSES Many programs=50 runs=5 speeds=100,400 ...}
 */
final class Many {

    private static final Pattern STAMP = Pattern.compile("SIGTERM at (\\d+)");
    private static final long LIMIT_MIB = 200;
    private static final String NMT_FLAG = "-XX:NativeMemoryTracking=detail";

    /** One measured Sentinel of the idle part. */
    static final class Subject {
        final String key;
        final Process process;
        final Path socket;
        final int programs;
        long pid;
        Map<Long, Long> cpu0;
        Map<Long, String> names0;
        Map<Long, Long> slices0;
        long ticks0;
        long rssMaxKb;
        long rssSumKb;
        int rssSamples;
        long childTicks0;
        /** With {@link #watchThreads}: each thread's last CPU reading, the names seen, the watched threads. */
        final Map<Long, Long> cpuSeen = new HashMap<>();
        final Map<Long, String> namesSeen = new HashMap<>();
        final Map<Long, Long> slicesSeen = new HashMap<>();
        final java.util.Set<Long> watchedSeen = new java.util.HashSet<>();
        int watchedMax;
        long threadsMax;

        Subject(String key, Process process, long pid, Path socket, int programs) {
            this.key = key;
            this.process = process;
            this.pid = pid;
            this.socket = socket;
            this.programs = programs;
        }
    }

    private final Bench bench;
    /**
     * The scenario the shared parts record under: {@code many}, or another driver's ({@link Checks}
     * records {@code checks}, {@code checkscpu}, {@code checksthread}, {@code checksreaction}).
     */
    private final String scenario;
    private final String tmux;
    final int programs;
    private final List<Subject> subjects = new ArrayList<>();
    private final List<String> sessions = new ArrayList<>();
    /**
     * Non-null: during the idle window every thread's CPU is read every second (so a thread that
     * ends in the window keeps what it used until its last reading) and the threads whose name
     * starts with this are counted (the most alive at once, and how many different ones).
     */
    private String watchThreads;
    /** How long a reaction run waits, once every idle program runs, before it starts the leaker. */
    long leakAfterMillis = 1000;

    Many(Bench bench, String scenario) {
        this.bench = bench;
        this.scenario = scenario;
        this.tmux = bench.args.getOrDefault("tmux", bench.tmp.resolve("tmux.sock").toString());
        this.programs = bench.intArg("programs", 50);
    }

    /** The Sentinels started so far (for the idle window), in order. */
    List<Subject> subjects() {
        return subjects;
    }

    /** Reads thread CPU every second of the idle window and counts the threads named {@code prefix...}. */
    void watchThreads(String prefix) {
        this.watchThreads = prefix;
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        Many many = new Many(bench, "many");
        try {
            many.idleAndStatus();
            many.reaction();
        } finally {
            many.stopAll();
            bench.cleanup();
        }
    }

    // ------------------------------------------------------------------ configs

    /**
     * A config file: {@code idle} programs {@code idle-01..} running {@code sleep 100000} with output
     * discarded, and optionally the leaker (autostart = false: the harness starts it over the
     * socket once every idle program runs).
     */
    private Path config(String stem, Path socket, int idle, String tui, List<String> leaker) throws IOException {
        return config(stem, socket, idle, tui, leaker, name -> "");
    }

    /** As above, with {@code extra.apply(NAME)} (TOML lines, e.g. a check) added to each program's table. */
    Path config(String stem, Path socket, int idle, String tui, List<String> leaker, Function<String, String> extra)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# bench/Many.java: ").append(stem).append('\n');
        b.append("[sentinel]\n");
        b.append("socket = ").append(quote(socket.toString())).append('\n');
        b.append("metrics = true\nmetrics_port = 0\nmetrics_host = \"127.0.0.1\"\n");
        b.append("tui = ").append(quote(tui)).append('\n');
        b.append("keep_running = true\n\n");
        b.append("[defaults]\nmemory_limit = \"100M\"\noutput = \"discard\"\nrestart = \"never\"\n\n");
        for (int i = 1; i <= idle; i++) {
            String name = String.format(Locale.ROOT, "idle-%02d", i);
            b.append("[programs.").append(name).append("]\ncommand = [\"sleep\", \"100000\"]\n")
                    .append(extra.apply(name)).append('\n');
        }
        if (leaker != null) {
            b.append("[programs.leaker]\ncommand = [");
            for (int i = 0; i < leaker.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(quote(leaker.get(i)));
            }
            b.append("]\nmemory_limit = \"").append(LIMIT_MIB).append("M\"\n");
            // As on the command line (whose output is always prefixed): the leaker's lines reach the log.
            b.append("output = \"prefix\"\nautostart = false\n");
            b.append(extra.apply("leaker"));
        }
        Path file = bench.tmp.resolve(bench.tmpFile(stem).getFileName() + ".toml");
        Files.writeString(file, b.toString());
        return file;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ------------------------------------------------------------------ idle CPU, RSS, status

    private void idleAndStatus() throws Exception {
        int settle = bench.intArg("idle_settle", bench.quick ? 3 : 10);
        int seconds = bench.intArg("idle_seconds", bench.quick ? 10 : 60);
        Path sock1 = bench.tmpFile("many-1.sock");
        Path sockN = bench.tmpFile("many-" + programs + ".sock");
        Path sockCli = bench.tmpFile("many-cli.sock");
        String one = "config-1";
        String many = "config-" + programs;
        startHeadless(one, config("many-1", sock1, 1, "never", null), sock1, 1, Map.of());
        startHeadless(many, config("many-" + programs, sockN, programs, "never", null), sockN, programs, Map.of());
        Process cli = bench.sentinel(List.of("--no-tui", "--socket", sockCli.toString(), "-p", "0"),
                List.of("sleep", "100000"), bench.tmpFile("many-cli.log"), Map.of());
        subjects.add(new Subject("cli-1", cli, cli.pid(), sockCli, 1));
        // Two more, with Native Memory Tracking, only for the breakdown of where the memory goes.
        Path sockNmt1 = bench.tmpFile("many-nmt-1.sock");
        Path sockNmtN = bench.tmpFile("many-nmt-" + programs + ".sock");
        startHeadless("nmt-1", config("many-nmt-1", sockNmt1, 1, "never", null), sockNmt1, 1,
                Map.of("SENTINEL_JAVA_OPTS", NMT_FLAG));
        startHeadless("nmt-" + programs, config("many-nmt-" + programs, sockNmtN, programs, "never", null), sockNmtN,
                programs, Map.of("SENTINEL_JAVA_OPTS", NMT_FLAG));
        Path sockD1 = bench.tmpFile("many-dash-1.sock");
        Path sockDN = bench.tmpFile("many-dash-" + programs + ".sock");
        startDashboard("dashboard-1", config("many-dash-1", sockD1, 1, "always", null), sockD1, 1);
        startDashboard("dashboard-" + programs, config("many-dash-" + programs, sockDN, programs, "always", null),
                sockDN, programs);
        awaitAllRunning();
        measureIdle(settle, seconds, () -> { }, () -> { });
        for (String session : sessions) {
            capturePane(session);
        }
        for (Subject s : subjects) {
            if (s.key.startsWith("nmt-")) {
                memoryBreakdown(s);
            }
        }
        // The dashboards, the command-line Sentinel and the NMT pair are done; the status figures
        // come from the two headless config Sentinels alone.
        for (Subject s : subjects) {
            if (!s.key.startsWith("config-")) {
                stopOne(s);
            }
        }
        Thread.sleep(1000);
        for (Subject s : subjects) {
            if (s.key.startsWith("config-")) {
                statusLatency(s);
            }
        }
        for (Subject s : subjects) {
            if (s.key.startsWith("config-")) {
                stopOne(s);
            }
        }
    }

    /** Waits until every program of every started Sentinel is RUNNING. */
    void awaitAllRunning() throws InterruptedException {
        for (Subject s : subjects) {
            long t0 = System.nanoTime();
            if (!awaitRunning(s.socket, s.programs, 60_000)) {
                throw new IllegalStateException(s.key + ": not every program was RUNNING within 60 s");
            }
            bench.record(scenario, s.key, "", "programs", s.programs);
            Bench.progress(scenario + ": " + s.key + ": all " + s.programs + " RUNNING (waited "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        }
    }

    /**
     * Settles, then measures one window of every started Sentinel side by side: CPU (ticks and
     * per-thread schedstat, by thread name), RSS every second and at the end, threads, lifelines.
     * {@code atStart} runs as the window opens, {@code atEnd} as it closes (before the readings).
     */
    void measureIdle(int settle, int seconds, Runnable atStart, Runnable atEnd) throws InterruptedException {
        Bench.progress(scenario + ": " + subjects.size() + " Sentinels running; settling " + settle
                + " s, then measuring " + seconds + " s");
        Thread.sleep(settle * 1000L);
        for (Subject s : subjects) {
            s.cpu0 = Proc.threadCpuNanos(s.pid);
            s.names0 = Proc.threadNames(s.pid);
            s.slices0 = timeslices(s.pid);
            s.ticks0 = Proc.cpuTicks(s.pid);
            s.childTicks0 = childTicks(s.pid);
        }
        atStart.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < seconds; i++) {
            long wake = t0 + (i + 1) * 1_000_000_000L;
            for (Subject s : subjects) {
                Map<String, Long> st = Proc.status(s.pid);
                long kb = st.getOrDefault("VmRSS", 0L);
                s.rssMaxKb = Math.max(s.rssMaxKb, kb);
                s.rssSumKb += kb;
                s.rssSamples++;
                s.threadsMax = Math.max(s.threadsMax, st.getOrDefault("Threads", 0L));
                if (watchThreads != null) {
                    watch(s);
                }
            }
            TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - System.nanoTime()));
        }
        atEnd.run();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        for (Subject s : subjects) {
            Map<Long, Long> cpu1 = new HashMap<>(s.cpuSeen);
            cpu1.putAll(Proc.threadCpuNanos(s.pid));
            long ns = Proc.cpuNanosBetween(s.cpu0, cpu1);
            long ticks = Proc.cpuTicks(s.pid) - s.ticks0;
            threadProfile(s, cpu1, elapsed);
            Map<String, Long> st = Proc.status(s.pid);
            Map<String, Long> rollup = Proc.smapsRollup(s.pid);
            bench.record(scenario, s.key, "", "seconds", elapsed);
            bench.record(scenario, s.key, "", "cpu_pct", ticks / 100.0 / elapsed * 100);
            bench.record(scenario, s.key, "", "cpu_pct_ns", ns / 1e9 / elapsed * 100);
            bench.record(scenario, s.key, "", "children_cpu_pct", (childTicks(s.pid) - s.childTicks0) / 100.0 / elapsed * 100);
            bench.record(scenario, s.key, "", "cpu_seconds_since_start", Proc.cpuTicks(s.pid) / 100.0);
            bench.record(scenario, s.key, "", "rss_mib", st.getOrDefault("VmRSS", 0L) / 1024.0);
            bench.record(scenario, s.key, "", "rss_max_mib", s.rssMaxKb / 1024.0);
            bench.record(scenario, s.key, "", "rss_mean_mib", s.rssSumKb / 1024.0 / Math.max(1, s.rssSamples));
            bench.record(scenario, s.key, "", "rss_anon_mib", st.getOrDefault("RssAnon", 0L) / 1024.0);
            bench.record(scenario, s.key, "", "rss_file_mib", st.getOrDefault("RssFile", 0L) / 1024.0);
            bench.record(scenario, s.key, "", "smaps_rss_mib", rollup.getOrDefault("Rss", 0L) / 1024.0);
            bench.record(scenario, s.key, "", "pss_mib", rollup.getOrDefault("Pss", 0L) / 1024.0);
            bench.record(scenario, s.key, "", "threads", st.getOrDefault("Threads", 0L));
            bench.record(scenario, s.key, "", "threads_max", s.threadsMax);
            if (watchThreads != null) {
                bench.record(scenario, s.key, "", "watched_threads_max", s.watchedMax);
                bench.record(scenario, s.key, "", "watched_threads_seen", s.watchedSeen.size());
            }
            lifelines(s);
            Bench.progress(String.format(Locale.ROOT,
                    "%s %-13s: CPU %.3f %% (ticks %.2f %%), RSS %.1f MiB (anon %.1f, file %.1f; smaps_rollup Rss %.1f,"
                            + " Pss %.1f), %d threads",
                    scenario, s.key, ns / 1e9 / elapsed * 100, ticks / 100.0 / elapsed * 100,
                    st.getOrDefault("VmRSS", 0L) / 1024.0, st.getOrDefault("RssAnon", 0L) / 1024.0,
                    st.getOrDefault("RssFile", 0L) / 1024.0, rollup.getOrDefault("Rss", 0L) / 1024.0,
                    rollup.getOrDefault("Pss", 0L) / 1024.0, st.getOrDefault("Threads", 0L)));
        }
    }

    /** One second's reading of every thread's CPU and name, and of the watched threads. */
    private void watch(Subject s) {
        s.cpuSeen.putAll(Proc.threadCpuNanos(s.pid));
        s.slicesSeen.putAll(timeslices(s.pid));
        Map<Long, String> names = Proc.threadNames(s.pid);
        s.namesSeen.putAll(names);
        int alive = 0;
        for (Map.Entry<Long, String> e : names.entrySet()) {
            if (e.getValue().startsWith(watchThreads)) {
                alive++;
                s.watchedSeen.add(e.getKey());
            }
        }
        s.watchedMax = Math.max(s.watchedMax, alive);
    }

    /** cutime + cstime: the CPU of the children Sentinel has waited for, in clock ticks. */
    private static long childTicks(long pid) {
        String[] f = Proc.statFields(pid);
        return f == null ? -1 : Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    void startHeadless(String key, Path config, Path socket, int n, Map<String, String> env) {
        Process p = bench.start(List.of(bench.sentinel.toString(), "--config", config.toString()),
                bench.tmpFile(key + ".log"), env);
        subjects.add(new Subject(key, p, p.pid(), socket, n));
    }

    /** Sentinel with its dashboard, in a detached 120x40 tmux pane (a session of its own on the run's tmux server). */
    private void startDashboard(String key, Path config, Path socket, int n) throws Exception {
        String session = "many-" + key;
        String cmd = "exec " + bench.sentinel + " --config " + config;
        Process p;
        try {
            p = new ProcessBuilder("tmux", "-S", tmux, "-f", "/dev/null", "new-session", "-d", "-s", session,
                    "-x", "120", "-y", "40", cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            bench.note("many", key, "", "n/a: no tmux (" + e.getMessage() + ")");
            return;
        }
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(key + ": tmux failed: " + outText.trim());
        }
        sessions.add(session);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Process lp = new ProcessBuilder("tmux", "-S", tmux, "list-panes", "-t", session, "-F", "#{pane_pid}")
                    .redirectErrorStream(true).start();
            String panes = new String(lp.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            lp.waitFor();
            if (panes.matches("\\d+")) {
                for (long pid : Proc.tree(Long.parseLong(panes))) {
                    String c = Proc.cmdline(pid);
                    if (c != null && c.contains("sentinel.jar")) {
                        subjects.add(new Subject(key, null, pid, socket, n));
                        bench.note("many", key, "", "dashboard drawn in a 120x40 tmux pane");
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(key + ": Sentinel's JVM never appeared in the tmux pane");
    }

    /** What the dashboard showed at the window's end, kept as many-SESSION-pane.txt beside the results. */
    private void capturePane(String session) {
        try {
            Process p = new ProcessBuilder("tmux", "-S", tmux, "capture-pane", "-p", "-t", session)
                    .redirectErrorStream(true).start();
            byte[] text = p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                Path results = Path.of(bench.args.getOrDefault("results", bench.tmp.toString()));
                Files.createDirectories(results);
                Files.write(results.resolve(session + "-pane.txt"), text);
            }
        } catch (IOException e) {
            // no pane: nothing to keep
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the window's CPU went: by thread group (as in the idle scenario) and by thread name. */
    private void threadProfile(Subject s, Map<Long, Long> cpu1, double elapsed) {
        Map<Long, String> names = new HashMap<>(s.names0);
        names.putAll(s.namesSeen);
        names.putAll(Proc.threadNames(s.pid));
        Map<String, Long> groups = new TreeMap<>();
        Map<String, Long> byName = new TreeMap<>();
        Map<String, Integer> count = new TreeMap<>();
        Map<String, Long> slices = new TreeMap<>();
        Map<Long, Long> slices1 = new HashMap<>(s.slicesSeen);
        slices1.putAll(timeslices(s.pid));
        for (Map.Entry<Long, Long> e : cpu1.entrySet()) {
            long d = e.getValue() - s.cpu0.getOrDefault(e.getKey(), 0L);
            String comm = names.getOrDefault(e.getKey(), "?");
            groups.merge(group(comm), d, Long::sum);
            byName.merge(comm, d, Long::sum);
            count.merge(comm, 1, Integer::sum);
            // A thread that ended before its last reading counts none of its wake-ups (not minus its past ones).
            long before = s.slices0.getOrDefault(e.getKey(), 0L);
            slices.merge(comm, slices1.getOrDefault(e.getKey(), before) - before, Long::sum);
        }
        for (Map.Entry<String, Long> g : groups.entrySet()) {
            bench.record(scenario + "cpu", s.key, g.getKey(), "cpu_pct", g.getValue() / 1e9 / elapsed * 100);
        }
        for (Map.Entry<String, Long> g : byName.entrySet()) {
            bench.record(scenario + "thread", s.key, g.getKey(), "threads", count.get(g.getKey()));
            if (g.getValue() > 0) {
                bench.record(scenario + "thread", s.key, g.getKey(), "cpu_pct", g.getValue() / 1e9 / elapsed * 100);
                bench.record(scenario + "thread", s.key, g.getKey(), "runs_per_s", slices.get(g.getKey()) / elapsed);
            }
        }
    }

    /**
     * How many times each thread was put on a CPU (field 3 of /proc/PID/task/TID/schedstat): for an
     * idle thread, its wake-ups.
     */
    private static Map<Long, Long> timeslices(long pid) {
        Map<Long, Long> out = new HashMap<>();
        for (long tid : Proc.tasks(pid)) {
            String st = Proc.read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "schedstat"));
            if (st != null) {
                String[] f = st.trim().split(" ");
                if (f.length >= 3) {
                    out.put(tid, Long.parseLong(f[2]));
                }
            }
        }
        return out;
    }

    /** Where an NMT-labelled Sentinel's resident memory goes, page by page ({@link MemoryMap}). */
    private void memoryBreakdown(Subject s) throws IOException, InterruptedException {
        long rssBefore = Proc.status(s.pid).getOrDefault("VmRSS", 0L);
        String detail = jcmd(s.pid, "VM.native_memory", "detail");
        String summary = jcmd(s.pid, "VM.native_memory", "summary");
        if (detail == null || !detail.contains("Virtual memory map")) {
            bench.note("manymemory", s.key, "", "jcmd VM.native_memory failed; no breakdown");
            return;
        }
        Path results = Path.of(bench.args.getOrDefault("results", bench.tmp.toString()));
        Files.createDirectories(results);
        Files.writeString(results.resolve("many-" + s.key + "-detail.txt"), detail);
        Files.writeString(results.resolve("many-" + s.key + "-summary.txt"), summary == null ? "" : summary);
        Map<String, Long> kib = MemoryMap.residentKib(s.pid, detail);
        bench.record("manymemory", s.key, "", "vmrss_before_jcmd_mib", rssBefore / 1024.0);
        bench.record("manymemory", s.key, "", "vmrss_mib", Proc.status(s.pid).getOrDefault("VmRSS", 0L) / 1024.0);
        for (Map.Entry<String, Long> e : kib.entrySet()) {
            bench.record("manymemory", s.key, e.getKey().replace('\t', ' '), "rss_mib", e.getValue() / 1024.0);
        }
        if (summary != null) {
            for (Map.Entry<String, Long> e : MemoryMap.mallocKib(summary).entrySet()) {
                bench.record("manymalloc", s.key, e.getKey(), "kib", e.getValue());
            }
        }
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The idle scenario's thread groups, with the JDK's per-child process reaper threads on their own. */
    static String group(String comm) {
        if (comm.startsWith("process reaper")) {
            return "JDK process reapers (one per child)";
        }
        if (comm.startsWith("sentinel-check")) {
            return "health checks (sentinel-check-N)";
        }
        return Idle.threadGroup(comm);
    }

    /** Sentinel's lifeline shells (one per running program) and their proportional memory. */
    private void lifelines(Subject s) {
        int count = 0;
        long pssKb = 0;
        long rssKb = 0;
        for (long c : Proc.children(s.pid)) {
            String cmd = Proc.cmdline(c);
            if (cmd != null && cmd.contains("sentinel-lifeline")) {
                count++;
                Map<String, Long> r = Proc.smapsRollup(c);
                pssKb += r.getOrDefault("Pss", 0L);
                rssKb += r.getOrDefault("Rss", 0L);
            }
        }
        bench.record(scenario, s.key, "", "lifelines", count);
        bench.record(scenario, s.key, "", "lifelines_pss_mib", pssKb / 1024.0);
        bench.record(scenario, s.key, "", "lifelines_rss_mib", rssKb / 1024.0);
    }

    /**
     * {@code status} latency: from this JVM on a connection opened beforehand (send to the reply's
     * end of file; one request every 10 ms after a warm-up), and through {@code nc -U} spawned for
     * every request (start of the process to its exit).
     */
    private void statusLatency(Subject s) throws Exception {
        int inside = bench.intArg("status_requests", bench.quick ? 50 : 200);
        int viaNc = bench.intArg("nc_requests", bench.quick ? 10 : 50);
        for (int i = 0; i < 200; i++) {
            request(s.socket, "status");
        }
        for (String command : List.of("status", "json")) {
            List<Double> sendToEof = new ArrayList<>();
            List<Double> connectToEof = new ArrayList<>();
            int bytes = 0;
            int lines = 0;
            int bad = 0;
            for (int i = 0; i < inside; i++) {
                double[] r = request(s.socket, command);
                if (r == null || r[3] != s.programs) {
                    bad++;
                    continue;
                }
                sendToEof.add(r[0]);
                connectToEof.add(r[1]);
                bytes = (int) r[2];
                lines = (int) r[3];
                Thread.sleep(10);
            }
            String param = command + "-inside";
            record("manystatus", s.key, param, sendToEof);
            record("manystatus", s.key, command + "-inside-connect", connectToEof);
            bench.record("manystatus", s.key, param, "reply_bytes", bytes);
            bench.record("manystatus", s.key, param, "reply_lines", lines);
            bench.record("manystatus", s.key, param, "bad", bad);
            Bench.progress(String.format(Locale.ROOT,
                    "many %s %-6s from inside: median %.3f ms, p90 %.3f ms (connect included: %.3f ms), %d lines, %d bytes%s",
                    s.key, command, Bench.median(sendToEof), Bench.percentile(sendToEof, 90), Bench.median(connectToEof),
                    lines, bytes, bad > 0 ? ", " + bad + " bad replies" : ""));
        }
        if (!hasNc()) {
            bench.note("manystatus", s.key, "nc", "no nc on PATH: n/a");
            return;
        }
        for (String command : List.of("status", "ping")) {
            for (int i = 0; i < 5; i++) {
                nc(s.socket, command);
            }
            List<Double> ms = new ArrayList<>();
            int bad = 0;
            for (int i = 0; i < viaNc; i++) {
                double[] r = nc(s.socket, command);
                if (r == null || r[3] != (command.equals("ping") ? 1 : s.programs)) {
                    bad++;
                    continue;
                }
                ms.add(r[0]);
                Thread.sleep(20);
            }
            record("manystatus", s.key, command + "-nc", ms);
            bench.record("manystatus", s.key, command + "-nc", "bad", bad);
            Bench.progress(String.format(Locale.ROOT, "many %s %-6s through nc -U: median %.2f ms, p90 %.2f ms%s",
                    s.key, command, Bench.median(ms), Bench.percentile(ms, 90), bad > 0 ? ", " + bad + " bad replies" : ""));
        }
    }

    private void record(String scenario, String subject, String param, List<Double> ms) {
        bench.record(scenario, subject, param, "n", ms.size());
        bench.record(scenario, subject, param, "median_ms", Bench.median(ms));
        bench.record(scenario, subject, param, "p90_ms", Bench.percentile(ms, 90));
        bench.record(scenario, subject, param, "p99_ms", Bench.percentile(ms, 99));
        bench.record(scenario, subject, param, "max_ms", Bench.max(ms));
    }

    /**
     * One request on a fresh connection: {send → EOF ms, connect → EOF ms, bytes, lines}, or null on
     * an error or an ERR reply.
     */
    private static double[] request(Path socket, String command) {
        byte[] req = (command + "\n").getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            long c0 = System.nanoTime();
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long t0 = System.nanoTime();
            ch.write(ByteBuffer.wrap(req));
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
                }
            }
            long t1 = System.nanoTime();
            String reply = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            if (reply.isEmpty() || reply.startsWith("ERR")) {
                return null;
            }
            return new double[] {(t1 - t0) / 1e6, (t1 - c0) / 1e6, buf.position(), lineCount(reply)};
        } catch (IOException e) {
            return null;
        }
    }

    private static int lineCount(String reply) {
        int n = 0;
        for (String l : reply.split("\n")) {
            if (!l.isBlank()) {
                n++;
            }
        }
        return n;
    }

    private static boolean hasNc() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "command -v nc").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** {@code nc -U SOCKET} with the command on its stdin: {ms from spawn to exit, 0, bytes, lines}, or null. */
    private static double[] nc(Path socket, String command) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder("nc", "-U", socket.toString()).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readAllBytes();
            }
            int rc = p.waitFor();
            long t1 = System.nanoTime();
            String reply = new String(out, StandardCharsets.UTF_8);
            if (rc != 0 || reply.isEmpty() || reply.startsWith("ERR")) {
                return null;
            }
            return new double[] {(t1 - t0) / 1e6, 0, out.length, lineCount(reply)};
        } catch (IOException e) {
            return null;
        }
    }

    /** The reply to one command, or null. */
    static String ask(Path socket, String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** Waits until {@code status} lists {@code n} programs whose names start with "idle-" as RUNNING. */
    static boolean awaitRunning(Path socket, int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String reply = Files.exists(socket) ? ask(socket, "status") : null;
            if (reply != null) {
                int running = 0;
                for (String l : reply.split("\n")) {
                    if (l.contains("state=RUNNING") && (l.startsWith("idle-") || n == 1)) {
                        running++;
                    }
                }
                if (running >= n) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return false;
    }

    // ------------------------------------------------------------------ reaction among many

    private void reaction() throws Exception {
        int runs = bench.intArg("runs", bench.quick ? 2 : 5);
        String[] speeds = bench.args.getOrDefault("speeds", "100,400").split(",");
        for (String speed : speeds) {
            for (int i = 0; i < runs; i++) {
                for (String subject : List.of("alone", "among-" + programs, "cli")) {
                    leakRun(subject, subject.equals("among-" + programs) ? programs - 1 : 0, speed,
                            Reaction.phase(i, runs));
                }
            }
        }
    }

    private void leakRun(String subject, int idle, String speed, long delayMillis) throws Exception {
        leakRun(subject, idle, name -> "", speed, delayMillis);
    }

    /**
     * One leak in a fresh Sentinel: {@code subject} "cli" is the command-line Sentinel; any other a
     * config with {@code idle} idle programs and the leaker, {@code extra} added to each program's table.
     */
    void leakRun(String subject, int idle, Function<String, String> extra, String speed, long delayMillis)
            throws Exception {
        Path term = bench.tmpFile("many-term");
        Path socket = bench.tmpFile("many-r.sock");
        Path log = bench.tmpFile(scenario + "-reaction-" + subject + ".log");
        List<String> leaker = new ArrayList<>(List.of("sh", "-c", "sleep \"$0\"; exec \"$@\"",
                String.format(Locale.ROOT, "%.3f", delayMillis / 1000.0)));
        leaker.addAll(bench.leaker("--leak", speed, "--max", "1G", "--term-file", term.toString()));
        String run = scenario + " reaction " + subject + " " + speed;
        Observer.Result r;
        if (subject.equals("cli")) {
            // The command-line Sentinel, as the reaction scenario runs it: the leaker starts with it.
            Process sentinel = bench.sentinel(List.of("--no-tui", "--socket", socket.toString(), "-p", "0", "-m",
                    LIMIT_MIB + "M"), leaker, log, Map.of());
            try {
                r = new Observer(sentinel.pid(), Observer.Shape.GROUP_LEADER, LIMIT_MIB * Bench.MIB, 1_000_000L,
                        TimeUnit.SECONDS.toNanos(40)).start().await(45, TimeUnit.SECONDS);
                sentinel.waitFor(10, TimeUnit.SECONDS);
            } finally {
                Bench.kill(sentinel);
            }
            leakResult(subject, speed, run, r, term, log);
            return;
        }
        Path cfg = config(scenario + "-reaction-" + subject, socket, idle, "never", leaker, extra);
        Process sentinel = bench.start(List.of(bench.sentinel.toString(), "--config", cfg.toString()), log, Map.of());
        try {
            if (!awaitRunning(socket, idle, 60_000) || (idle == 0 && ask(socket, "status") == null)) {
                bench.note(scenario + "reaction", subject, speed, "the idle programs never all ran; see " + log);
                return;
            }
            Thread.sleep(leakAfterMillis); // the idle programs' first quick samples (the warm start) are over
            String needle = term.toString();
            Observer observer = new Observer(sentinel.pid(), Observer.Shape.GROUP_LEADER, LIMIT_MIB * Bench.MIB,
                    1_000_000L, TimeUnit.SECONDS.toNanos(40), pid -> {
                        String c = Proc.cmdline(pid);
                        return c != null && c.contains(needle);
                    }).start();
            String ok = ask(socket, "start leaker");
            if (ok == null || !ok.startsWith("OK")) {
                observer.stop();
                bench.note(scenario + "reaction", subject, speed, "'start leaker' answered " + ok + "; see " + log);
                return;
            }
            r = observer.await(45, TimeUnit.SECONDS);
        } finally {
            ask(socket, "stop");
            if (!sentinel.waitFor(15, TimeUnit.SECONDS)) {
                bench.note(scenario + "reaction", subject, speed, "Sentinel did not exit within 15 s of 'stop'");
            }
            Bench.kill(sentinel);
        }
        leakResult(subject, speed, run, r, term, log);
    }

    private void leakResult(String subject, String speed, String run, Observer.Result r, Path term, Path log) {
        if (r == null || r.error() != null) {
            bench.note(scenario + "reaction", subject, speed, "observer failed: " + (r == null ? "timeout" : r.error()));
            return;
        }
        if (r.crossingMicros() < 0) {
            bench.note(scenario + "reaction", subject, speed, "no crossing (peak " + (r.peakBytes() >> 20) + " MiB); see " + log);
            return;
        }
        double overshoot = (double) (r.peakBytes() - LIMIT_MIB * Bench.MIB) / Bench.MIB;
        bench.record(scenario + "reaction", subject, speed, "overshoot_mib", overshoot);
        bench.record(scenario + "reaction", subject, speed, "poll_mean_us", r.meanPollMicros());
        bench.record(scenario + "reaction", subject, speed, "crossing_gap_us", r.firstAboveMicros() - r.lastBelowMicros());
        Matcher m = STAMP.matcher(Bench.readOrEmpty(term));
        if (!m.find()) {
            bench.note(scenario + "reaction", subject, speed, "no SIGTERM reached the leaker; see " + log);
            return;
        }
        double reaction = (Long.parseLong(m.group(1)) - r.crossingMicros()) / 1000.0;
        bench.record(scenario + "reaction", subject, speed, "reaction_ms", reaction);
        Bench.progress(String.format(Locale.ROOT,
                "%s: crossing->SIGTERM %6.1f ms, overshoot %5.1f MiB (polls: mean %.0f us, at crossing %d us)", run,
                reaction, overshoot, r.meanPollMicros(), r.firstAboveMicros() - r.lastBelowMicros()));
    }

    // ------------------------------------------------------------------ clean-up

    void stopOne(Subject s) {
        if (s.process != null) {
            if (ask(s.socket, "stop") == null) {
                Bench.stop(s.process, 5000);
            }
            try {
                if (!s.process.waitFor(15, TimeUnit.SECONDS)) {
                    Bench.kill(s.process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            ask(s.socket, "stop");
        }
    }

    void stopAll() {
        for (Subject s : subjects) {
            if (s.process != null) {
                if (s.process.isAlive()) {
                    Bench.stop(s.process, 5000);
                }
            } else if (Proc.alive(s.pid)) {
                ask(s.socket, "stop");
            }
        }
        for (String session : sessions) {
            try {
                new ProcessBuilder("tmux", "-S", tmux, "kill-session", "-t", session).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // no tmux
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
