package dev.sentinel.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one soak against a real Sentinel started from {@code sentinel} (its command line, to which
 * {@code --config FILE} is added): the churn of the config's programs, socket clients, scrapes,
 * reloads and samples of Sentinel's RSS, threads and descriptors, on four threads of this JVM. At
 * the end {@code stop all} (the programs stop, Sentinel stays: {@code keep_running}), a last scrape
 * and {@code events 200}, then SIGTERM to Sentinel; the journal is then complete and
 * {@link SoakVerdict} judges it.
 */
public final class SoakRun {

    private static final Pattern METRICS_LINE = Pattern.compile("metrics on http://([^/\\s]+):(\\d+)/metrics");

    /** One reading of Sentinel's /proc/PID/status, stat (utime + stime, clock ticks) and fd directory. */
    public record Sample(long atMillis, long rssKb, int threads, int fds, long cpuTicks) {
    }

    /** What a run saw, for {@link SoakVerdict}. */
    public record Record(SoakPlan plan, List<Sample> samples, long clients, long clientFailures, long scrapes,
                         long scrapeFailures, int reloads, int reloadsApplied, List<String> reloadFailures,
                         String finalMetrics, String finalEvents, Path journal, Path termFile, boolean aliveAtEnd,
                         int sentinelExit, long elapsedMillis) {
    }

    private final List<String> sentinel;
    private final Path dir;
    private final SoakPlan plan;
    private final SoakConfig config;
    private final Path termFile;
    private final Consumer<String> progress;

    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong clients = new AtomicLong();
    private final AtomicLong clientFailures = new AtomicLong();
    private final AtomicLong scrapes = new AtomicLong();
    private final AtomicLong scrapeFailures = new AtomicLong();
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicInteger reloadsApplied = new AtomicInteger();
    private final List<String> reloadFailures = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean done;

    /**
     * @param leaker the leaker's command line without options
     * @param progress told a line now and then (stderr in bench/soak; nothing in a test)
     */
    public SoakRun(List<String> sentinel, List<String> leaker, Path dir, SoakPlan plan, Consumer<String> progress) {
        this.sentinel = sentinel;
        this.dir = dir;
        this.plan = plan;
        this.termFile = dir.resolve("leaker-sigterm.txt");
        this.config = new SoakConfig(dir, plan, leaker, termFile);
        this.progress = progress;
    }

    public Record run() throws IOException, InterruptedException {
        config.write(0);
        List<String> cmd = new ArrayList<>(sentinel);
        cmd.addAll(List.of("--config", config.file().toString()));
        Path log = dir.resolve("sentinel.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            int port = awaitMetricsPort(log, p, 60_000);
            if (port < 0) {
                throw new IllegalStateException("Sentinel printed no metrics port within 60 s; its log:\n" + read(log));
            }
            awaitSocket(config.socket(), 30_000);
            String metricsUrl = "http://127.0.0.1:" + port + "/metrics";
            long t0 = System.nanoTime();
            long end = t0 + plan.duration().toNanos();
            List<Thread> threads = List.of(
                    every("soak-sampler", plan.sampleEvery(), t0, end, () -> sample(p.pid(), t0)),
                    every("soak-clients", Duration.ofSeconds(1), t0, end, this::clientsRound),
                    every("soak-scraper", Duration.ofSeconds(1), t0, end, () -> scrape(metricsUrl)),
                    every("soak-reloader", plan.reloadEvery(), t0 + plan.reloadEvery().toNanos(), end, this::reload));
            long lastSaid = t0;
            while (System.nanoTime() < end && p.isAlive()) {
                Thread.sleep(200);
                if (System.nanoTime() - lastSaid > TimeUnit.SECONDS.toNanos(60)) {
                    lastSaid = System.nanoTime();
                    Sample s = samples.isEmpty() ? null : samples.get(samples.size() - 1);
                    progress.accept(String.format("soak: %d s: clients %d (%d failed), scrapes %d (%d failed), reloads %d"
                            + " applied, Sentinel %s", (lastSaid - t0) / 1_000_000_000L, clients.get(), clientFailures.get(),
                            scrapes.get(), scrapeFailures.get(), reloadsApplied.get(),
                            s == null ? "?" : s.rssKb() / 1024 + " MiB, " + s.threads() + " threads, " + s.fds() + " fds"));
                }
            }
            done = true;
            for (Thread t : threads) {
                t.join(30_000);
            }
            boolean alive = p.isAlive();
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            p.descendants().forEach(tree::add);
            String stopped = alive ? ask(config.socket(), "stop all") : null;
            progress.accept("soak: stop all: " + (stopped == null ? "no answer" : stopped.lines().count() + " lines"));
            boolean quiet = alive && awaitAllExited(60_000);
            if (!quiet) {
                progress.accept("soak: not every program had exited 60 s after 'stop all'");
            }
            String metrics = alive ? get(metricsUrl) : null;
            String events = alive ? ask(config.socket(), "events 200") : null;
            p.destroy();
            int exit = p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
            return new Record(plan, List.copyOf(samples), clients.get(), clientFailures.get(), scrapes.get(),
                    scrapeFailures.get(), reloads.get(), reloadsApplied.get(), List.copyOf(reloadFailures), metrics, events,
                    config.journal(), termFile, alive, exit, elapsed);
        } finally {
            done = true;
            p.descendants().forEach(tree::add);
            // SIGTERM first, so that Sentinel stops its programs and removes its cgroups itself.
            p.destroy();
            p.waitFor(15, TimeUnit.SECONDS);
            p.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
            removeCgroups(p.pid());
        }
    }

    /** Removes the cgroups a Sentinel killed by force left behind: {@code sentinel-PID} and below, deepest first. */
    private static void removeCgroups(long pid) {
        Path root = Path.of("/sys/fs/cgroup");
        String name = "sentinel-" + pid;
        try (var dirs = Files.walk(root, 4)) {
            List<Path> own = dirs.filter(d -> d.getFileName() != null && d.getFileName().toString().equals(name))
                    .collect(java.util.stream.Collectors.toList());
            for (Path d : own) {
                try (var below = Files.walk(d)) {
                    for (Path x : below.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder())
                            .collect(java.util.stream.Collectors.toList())) {
                        Files.deleteIfExists(x);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cgroupfs, or not ours to walk: nothing was left there by this run.
        }
    }

    /** A thread that runs {@code task} at {@code first}, then every {@code period}, until {@code end}. */
    private Thread every(String name, Duration period, long first, long end, Runnable task) {
        Thread t = new Thread(() -> {
            long next = first;
            while (!done) {
                long now = System.nanoTime();
                if (next >= end) {
                    return;
                }
                if (now < next) {
                    try {
                        Thread.sleep(Math.max(1, (next - now) / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                task.run();
                next += period.toNanos();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ------------------------------------------------------------------ the load

    private void sample(long pid, long t0) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (status == null || fds == null || stat == null) {
            return;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        samples.add(new Sample((System.nanoTime() - t0) / 1_000_000, field(status, "VmRSS"), (int) field(status, "Threads"),
                fds.length, Long.parseLong(f[11]) + Long.parseLong(f[12])));
    }

    private static long field(String status, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + ":\\s+(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * {@code clientsPerSecond} clients, spread over the second at fixed offsets from its start (so
     * that sleeping late on a busy machine does not make the rounds drift): each connects, asks,
     * reads the reply to its end, and leaves.
     */
    private void clientsRound() {
        int n = plan.clientsPerSecond();
        long round = System.nanoTime();
        long gap = 1_000_000_000L / n;
        for (int i = 0; i < n && !done; i++) {
            long wait = (round + i * gap - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            String question = i % 2 == 0 ? "status" : "events 20";
            String reply = ask(config.socket(), question);
            clients.incrementAndGet();
            boolean ok = reply != null && !reply.isEmpty() && !reply.startsWith("ERR")
                    && (i % 2 == 0 ? reply.contains(SoakConfig.RELOADED) : reply.startsWith("{"));
            if (!ok) {
                clientFailures.incrementAndGet();
                progress.accept("soak: a client's '" + question + "' got " + (reply == null ? "no connection" : "'"
                        + reply.lines().findFirst().orElse("") + "'"));
            }
        }
    }

    private void scrape(String url) {
        String body = get(url);
        scrapes.incrementAndGet();
        if (body == null || !body.contains("sentinel_process_up{name=\"" + SoakConfig.RELOADED + "\"}")) {
            scrapeFailures.incrementAndGet();
            progress.accept("soak: a scrape failed");
        }
    }

    private void reload() {
        int generation = reloads.incrementAndGet();
        try {
            config.write(generation);
        } catch (IOException e) {
            reloadFailures.add("cannot write the config: " + e.getMessage());
            return;
        }
        String reply = ask(config.socket(), "reload");
        if (reply != null && reply.startsWith("OK") && reply.contains(SoakConfig.RELOADED + ": changed")) {
            reloadsApplied.incrementAndGet();
        } else {
            reloadFailures.add(reply == null ? "no connection" : reply.strip().replace('\n', '|'));
            progress.accept("soak: reload " + generation + " got " + reply);
        }
    }

    // ------------------------------------------------------------------ the end

    /** Waits until {@code status} shows every program EXITED (after {@code stop all}). */
    private boolean awaitAllExited(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String reply = ask(config.socket(), "status");
            if (reply != null && reply.lines().count() == plan.programs() + 2
                    && reply.lines().allMatch(l -> l.contains("state=EXITED"))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    // ------------------------------------------------------------------ plumbing

    /** One request on a fresh connection, read to the end of file (Sentinel closes after its reply); null on a failure. */
    static String ask(Path socket, String command) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static String get(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(5000);
            try (InputStream in = c.getInputStream()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return c.getResponseCode() == 200 ? body : null;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static int awaitMetricsPort(Path log, Process p, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline && p.isAlive()) {
            String s = read(log);
            Matcher m = s == null ? null : METRICS_LINE.matcher(s);
            if (m != null && m.find()) {
                return Integer.parseInt(m.group(2));
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static void awaitSocket(Path socket, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            String pong = Files.exists(socket) ? ask(socket, "ping") : null;
            if (pong != null && pong.startsWith("pong")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the control socket " + socket + " did not answer 'ping' within " + timeoutMillis + " ms");
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }
}
