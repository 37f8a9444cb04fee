import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every scenario driver shares: its settings (key=value arguments given by bench/run), how
 * to start Sentinel (through its launcher, as users run it) and the reference guardian, the
 * results file, statistics, and cleanup of every process it started.
 */
final class Bench {

    /** bin/sentinel's JVM flags when it was written; used only when the launcher's own command line is not given. */
    private static final List<String> FALLBACK_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m",
            "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:-UsePerfData", "-Xshare:auto");

    static final long MIB = 1L << 20;

    private static final Pattern METRICS_LINE = Pattern.compile("metrics on http://([^/\\s]+):(\\d+)/metrics");

    final Path sentinel;
    final Path leaker;
    final Path classes;
    final Path java;
    final Path tmp;
    final Path out;
    final boolean quick;
    final Map<String, String> args;
    /**
     * The JVM flags bin/sentinel gives Sentinel, read from a running Sentinel's /proc/PID/cmdline
     * (bench/run saves it), less the AppCDS archive flags. The reference guardian and the "JVM
     * alone" baselines get the same flags, for a JVM-to-JVM comparison.
     */
    final List<String> jvmFlags;
    /** The launcher's whole java command up to and including {@code -jar JAR}, or null. */
    final List<String> launcherJava;
    private final List<Process> started = new ArrayList<>();
    private int serial;

    Bench(String[] argv) {
        Map<String, String> m = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            }
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        this.args = m;
        this.sentinel = Path.of(need("sentinel"));
        this.leaker = Path.of(need("leaker"));
        this.classes = Path.of(need("classes"));
        this.java = Path.of(m.getOrDefault("java", ProcessHandle.current().info().command().orElse("java")));
        this.tmp = Path.of(need("tmp"));
        this.out = Path.of(need("out"));
        this.quick = Boolean.parseBoolean(m.getOrDefault("quick", "false"));
        List<String> launcher = null;
        if (m.containsKey("launcher")) {
            try {
                String raw = Files.readString(Path.of(m.get("launcher")), StandardCharsets.UTF_8);
                launcher = List.of(raw.split("\0"));
            } catch (IOException e) {
                launcher = null;
            }
        }
        int jar = launcher == null ? -1 : launcher.indexOf("-jar");
        if (jar > 0 && jar + 1 < launcher.size()) {
            this.launcherJava = List.copyOf(launcher.subList(0, jar + 2));
            List<String> flags = new ArrayList<>();
            for (String f : launcher.subList(1, jar)) {
                if (!f.startsWith("-XX:SharedArchiveFile") && !f.startsWith("-Xlog:cds")) {
                    flags.add(f);
                }
            }
            this.jvmFlags = List.copyOf(flags);
        } else {
            this.launcherJava = null;
            this.jvmFlags = FALLBACK_FLAGS;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanup, "bench-cleanup"));
    }

    private String need(String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return v;
    }

    int intArg(String key, int dflt) {
        return Integer.parseInt(args.getOrDefault(key, Integer.toString(dflt)));
    }

    /** A fresh file name under the run's temp dir. */
    synchronized Path tmpFile(String stem) {
        return tmp.resolve(stem + "-" + ProcessHandle.current().pid() + "-" + (++serial));
    }

    // ------------------------------------------------------------------ starting guardians

    /** Sentinel through its launcher: {@code sentinel OPTIONS -- COMMAND}, output to {@code log}. */
    Process sentinel(List<String> options, List<String> command, Path log, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(sentinel.toString());
        cmd.addAll(options);
        cmd.add("--");
        cmd.addAll(command);
        return start(cmd, log, env);
    }

    /** The reference guardian with Sentinel's JVM flags. */
    Process reference(long limitMib, List<String> command, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classes.toString(), "RefGuardian", Long.toString(limitMib), "--"));
        cmd.addAll(command);
        return start(cmd, log, Map.of());
    }

    List<String> leaker(String... options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(leaker.toString());
        cmd.addAll(Arrays.asList(options));
        return cmd;
    }

    Process start(List<String> cmd, Path log, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = pb.start();
            synchronized (started) {
                started.add(p);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** Kills a process and everything under it (Sentinel's guarded tree included: it is a descendant). */
    static void kill(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add);
        p.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops a guardian politely (SIGTERM, as a user would), then by force after {@code graceMillis}. */
    static void stop(Process p, long graceMillis) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add);
        p.destroy();
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                kill(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    void cleanup() {
        List<Process> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
        }
        for (Process p : copy) {
            if (p.isAlive() || p.descendants().findAny().isPresent()) {
                kill(p);
            }
        }
    }

    // ------------------------------------------------------------------ waiting and parsing

    /** Waits for a regex to appear in a log file; returns the match or null at the deadline. */
    static Matcher awaitLog(Path log, Pattern pattern, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String s = readOrEmpty(log);
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return m;
            }
            Thread.sleep(5);
        }
        return null;
    }

    /** The metrics port Sentinel printed ({@code sentinel: metrics on http://HOST:PORT/metrics}), or -1. */
    static int awaitMetricsPort(Path log, long timeoutMillis) throws InterruptedException {
        Matcher m = awaitLog(log, METRICS_LINE, timeoutMillis);
        return m == null ? -1 : Integer.parseInt(m.group(2));
    }

    static boolean awaitFile(Path p, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(p)) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    static String readOrEmpty(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    // ------------------------------------------------------------------ results

    /** Appends one figure: {@code scenario subject param metric value}, tab-separated. */
    synchronized void record(String scenario, String subject, String param, String metric, double value) {
        line(scenario + "\t" + subject + "\t" + param + "\t" + metric + "\t" + fmt(value));
    }

    /** Appends a free-text note (shown under the table). */
    synchronized void note(String scenario, String subject, String param, String text) {
        line(scenario + "\t" + subject + "\t" + param + "\tnote\t" + text.replace('\t', ' ').replace('\n', ' '));
    }

    private void line(String s) {
        try {
            Files.writeString(out, s + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void progress(String s) {
        System.err.println("bench: " + s);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    // ------------------------------------------------------------------ statistics

    static double median(List<Double> xs) {
        return percentile(xs, 50);
    }

    /** Nearest-rank percentile (p in 0..100); NaN for no data. */
    static double percentile(List<Double> xs, double p) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (p == 50 && a.length % 2 == 0) {
            return (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * a.length);
        return a[Math.max(0, Math.min(a.length - 1, rank - 1))];
    }

    static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
