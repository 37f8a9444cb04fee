import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue #19: what health checks cost. Config-mode Sentinels of 50 idle programs each, through
 * {@link Many}'s machinery, side by side in one run:
 * <ol>
 * <li><b>idle</b>: one without checks, one whose every program has an http check every second
 * against an HTTP server this JVM runs (a path per program), one with tcp checks against a
 * listener this JVM runs, one with exec checks ({@code true}); one window measures each
 * Sentinel's CPU, RSS and threads, the checks the servers answered and the failures Sentinel
 * counted;</li>
 * <li><b>reaction</b>: the leaker as one program among 49 idle ones with http checks (the leaker
 * has one too) against the leaker among 49 without checks; crossing to SIGTERM, a fresh Sentinel
 * per run.</li>
 * </ol>
 *
 * <p>{@code java -cp CLASSES Checks programs=50 kinds=none,http,tcp,exec check_period=1s leak_after_ms=3000 runs=5 speeds=100,400 ...}
 */
final class Checks {

    private static final Pattern FAILURES = Pattern.compile("\"check_failures\":(\\d+)");
    private static final Pattern THREAD_NAME = Pattern.compile("\"sentinel-check-(\\d+)\"");

    private final Bench bench;
    private final Many many;
    private final String period;
    /** The http target: every request's path counted by its first segment (the subject). */
    private final HttpServer http;
    private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
    /** The tcp target: accepts and closes at once. */
    private final ServerSocket tcp;
    private final AtomicLong accepted = new AtomicLong();

    private Checks(Bench bench) throws IOException {
        this.bench = bench;
        this.many = new Many(bench, "checks");
        this.period = bench.args.getOrDefault("check_period", "1s");
        many.watchThreads("sentinel-check");
        // Past the idle programs' warm start and a few rounds of their checks, so that the leak
        // meets checks in their steady rhythm (a second per program).
        many.leakAfterMillis = bench.intArg("leak_after_ms", 3000);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        http = HttpServer.create(new InetSocketAddress(loopback, 0), 128);
        http.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int slash = path.indexOf('/', 1);
            served.computeIfAbsent(slash > 0 ? path.substring(1, slash) : path, k -> new LongAdder()).increment();
            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        tcp = new ServerSocket(0, 128, loopback);
        Thread acceptor = new Thread(() -> {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    // closed at the end, or a client gone already
                }
            }
        }, "checks-tcp-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        Checks checks = new Checks(bench);
        try {
            checks.idle();
            checks.reaction();
        } finally {
            checks.many.stopAll();
            checks.http.stop(0);
            checks.tcp.close();
            bench.cleanup();
        }
    }

    /** The check table of one program for a kind ("none": no check); {@code tag} names the http path's subject. */
    private Function<String, String> check(String kind, String tag) {
        String timing = "check.period = " + Many.quote(period) + "\n";
        return switch (kind) {
            case "none" -> name -> "";
            case "http" -> name -> "check.http = " + Many.quote("http://127.0.0.1:" + http.getAddress().getPort() + "/" + tag
                    + "/" + name) + "\n" + timing;
            case "tcp" -> name -> "check.tcp = " + Many.quote("127.0.0.1:" + tcp.getLocalPort()) + "\n" + timing;
            case "exec" -> name -> "check.exec = [\"true\"]\n" + timing;
            default -> throw new IllegalArgumentException("kinds: none, http, tcp or exec, not '" + kind + "'");
        };
    }

    /** What the targets answered for a subject so far: http requests on its path, or tcp connections. */
    private long answered(String kind, String tag) {
        return switch (kind) {
            case "http" -> served.getOrDefault(tag, new LongAdder()).sum();
            case "tcp" -> accepted.get();
            default -> -1;
        };
    }

    // ------------------------------------------------------------------ idle

    /** "1s", "500ms", "2m" in milliseconds (for the report's text; Sentinel reads the period itself). */
    private static double millis(String d) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)").matcher(d.trim());
        if (!m.matches()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return m.group(2).equals("ms") ? v : m.group(2).equals("s") ? v * 1000 : v * 60_000;
    }

    private void idle() throws Exception {
        bench.record("checks", "settings", "", "check_period_ms", millis(period));
        bench.record("checks", "settings", "", "leak_after_ms", many.leakAfterMillis);
        int settle = bench.intArg("idle_settle", bench.quick ? 3 : 10);
        int seconds = bench.intArg("idle_seconds", bench.quick ? 10 : 60);
        int n = many.programs;
        List<String> kinds = List.of(bench.args.getOrDefault("kinds", "none,http,tcp,exec").split(","));
        for (String kind : kinds) {
            Path socket = bench.tmpFile("checks-" + kind + ".sock");
            Path config = many.config("checks-" + kind, socket, n, "never", null, check(kind, kind));
            many.startHeadless(kind, config, socket, n, Map.of());
        }
        many.awaitAllRunning();
        long[] answered0 = new long[kinds.size()];
        long[] failures0 = new long[kinds.size()];
        List<Many.Subject> subjects = many.subjects();
        many.measureIdle(settle, seconds, () -> {
            for (int i = 0; i < kinds.size(); i++) {
                answered0[i] = answered(kinds.get(i), kinds.get(i));
                failures0[i] = failures(subjects.get(i).socket)[0];
            }
        }, () -> {
            for (int i = 0; i < kinds.size(); i++) {
                String kind = kinds.get(i);
                long[] f = failures(subjects.get(i).socket);
                bench.record("checks", kind, "", "check_failures_in_window", f[0] - failures0[i]);
                bench.record("checks", kind, "", "checks_passing_at_end", f[1]);
                if (answered0[i] >= 0) {
                    bench.record("checks", kind, "", "answered", answered(kind, kind) - answered0[i]);
                }
            }
        });
        for (int i = 0; i < kinds.size(); i++) {
            Many.Subject s = subjects.get(i);
            double highest = highestCheckThread(s.pid);
            bench.record("checks", s.key, "", "check_thread_highest_n", highest);
            Bench.progress(String.format(Locale.ROOT, "checks %-5s: check threads: at most %s alive at once, %s seen in the"
                    + " window, the highest name sentinel-check-%s", s.key, fmt(s.watchedMax), fmt(s.watchedSeen.size()),
                    fmt(highest)));
        }
        for (Many.Subject s : subjects) {
            many.stopOne(s);
        }
    }

    private static String fmt(double v) {
        return Bench.fmt(v);
    }

    /** {total check_failures, programs whose check is passing} from {@code json}; {-1, -1} without an answer. */
    private static long[] failures(Path socket) {
        String json = Many.ask(socket, "json");
        if (json == null) {
            return new long[] {-1, -1};
        }
        long sum = 0;
        Matcher m = FAILURES.matcher(json);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        long passing = json.split("\"check\":\"passing\"", -1).length - 1;
        return new long[] {sum, passing};
    }

    /** The highest N of the live threads named sentinel-check-N (from jcmd Thread.print), or NaN. */
    private static double highestCheckThread(long pid) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                return Double.NaN;
            }
            int highest = 0;
            Matcher m = THREAD_NAME.matcher(out);
            while (m.find()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
            return highest;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    // ------------------------------------------------------------------ reaction

    private void reaction() throws Exception {
        int runs = bench.intArg("runs", bench.quick ? 2 : 5);
        String[] speeds = bench.args.getOrDefault("speeds", "100,400").split(",");
        int idle = many.programs - 1;
        List<String[]> shapes = new ArrayList<>();
        shapes.add(new String[] {"among-" + idle, "none"});
        shapes.add(new String[] {"among-" + idle + "-http", "http"});
        for (String speed : speeds) {
            for (int i = 0; i < runs; i++) {
                for (String[] shape : shapes) {
                    String tag = "reaction";
                    long before = answered(shape[1], tag);
                    long t0 = System.nanoTime();
                    many.leakRun(shape[0], idle, check(shape[1], tag), speed, Reaction.phase(i, runs));
                    if (before >= 0) {
                        double s = (System.nanoTime() - t0) / 1e9;
                        bench.record("checksreaction", shape[0], speed, "answered_per_s",
                                (answered(shape[1], tag) - before) / s);
                    }
                }
            }
        }
    }
}
