package dev.sentinel.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Judges a soak's {@link SoakRun.Record}: Sentinel's resources at the end against the first window,
 * every crossing acted on in time, every event in the journal exactly once and each run's start
 * matched by its end, the journal's starts against the metrics' restart counters, and the load
 * (clients, scrapes, reloads) all served. {@link #checks} says pass or fail with the figures;
 * {@link #markdown} is the report bench/soak prints.
 */
public final class SoakVerdict {

    /** The bounds, stated once: RSS +20 % or +16 MiB (whichever is more), threads +5, descriptors +10. */
    static final double RSS_GROWTH = 0.20;
    static final long RSS_SLACK_KB = 16 * 1024;
    static final int THREADS_SLACK = 5;
    static final int FDS_SLACK = 10;
    /**
     * The limit passed to the leaker's own SIGTERM stamp (estimated: see {@link #estimates}); the
     * reaction scenario measures ~5 ms, the spike's worst was 167 ms: a second is the busy machine's margin.
     */
    static final long REACTION_BOUND_MILLIS = 1000;
    /** How far past the limit the tree may be when Sentinel sees it (a sample's worth of the leak, and then some). */
    static final long OVERSHOOT_BOUND_BYTES = 8L << 20;
    /** A leaker run's JVM before it leaks, roughly; for the number of crossings to expect. */
    private static final double LEAKER_BASE_MIB = 35;

    private static final Pattern SERIES = Pattern.compile("(?m)^(sentinel_process_(?:restarts|kills)_total)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern STAMP = Pattern.compile("leaker pid=(\\d+) SIGTERM at (\\d+)");

    /** One verdict: what was checked, whether it held, and the figures behind it. */
    public record Check(String what, boolean ok, String detail) {
    }

    private final SoakRun.Record r;
    private final SoakJournal journal;
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<Double> reactions = new ArrayList<>();
    private final List<Double> overshoots = new ArrayList<>();
    /** The limit passed → SIGTERM, estimated: the overshoot at detection over the leak's rate, plus {@link #reactions}. */
    private final List<Double> estimates = new ArrayList<>();

    public SoakVerdict(SoakRun.Record r) throws IOException {
        this.r = r;
        this.journal = SoakJournal.read(r.journal());
        resources();
        journalOnce();
        runsComplete();
        startsAgainstMetrics();
        crossings();
        socketEvents();
        load();
    }

    public List<Check> checks() {
        return checks;
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).collect(Collectors.toList());
    }

    public Map<String, String> figures() {
        return figures;
    }

    private void check(String what, boolean ok, String detail) {
        checks.add(new Check(what, ok, detail));
    }

    // ------------------------------------------------------------------ resources

    private void resources() {
        long window = r.plan().window().toMillis();
        List<SoakRun.Sample> first = r.samples().stream().filter(s -> s.atMillis() < window).collect(Collectors.toList());
        List<SoakRun.Sample> last = r.samples().stream().filter(s -> s.atMillis() >= r.elapsedMillis() - window)
                .collect(Collectors.toList());
        if (first.isEmpty() || last.isEmpty()) {
            check("Sentinel's RSS, threads and descriptors were sampled", false, r.samples().size() + " samples");
            return;
        }
        long rss0 = median(first, SoakRun.Sample::rssKb);
        long rss1 = median(last, SoakRun.Sample::rssKb);
        long th0 = median(first, s -> s.threads());
        long th1 = median(last, s -> s.threads());
        long fd0 = median(first, s -> s.fds());
        long fd1 = median(last, s -> s.fds());
        long rssBound = rss0 + Math.max((long) (rss0 * RSS_GROWTH), RSS_SLACK_KB);
        String span = seconds(window) + " s";
        figures.put("RSS, median of the first / last " + span, mib(rss0) + " / " + mib(rss1) + " MiB (max "
                + mib(max(first, SoakRun.Sample::rssKb)) + " / " + mib(max(last, SoakRun.Sample::rssKb)) + ")");
        figures.put("threads, median of the first / last " + span, th0 + " / " + th1 + " (max " + max(first, s -> s.threads())
                + " / " + max(last, s -> s.threads()) + ")");
        figures.put("descriptors, median of the first / last " + span, fd0 + " / " + fd1 + " (max " + max(first, s -> s.fds())
                + " / " + max(last, s -> s.fds()) + ")");
        figures.put("Sentinel's CPU, one core, in the first / last " + span, cpu(first) + " / " + cpu(last) + " %");
        figures.put("samples of Sentinel", Integer.toString(r.samples().size()));
        check("RSS at the end within +20 % or +16 MiB of the first window's", rss1 <= rssBound,
                mib(rss0) + " → " + mib(rss1) + " MiB (bound " + mib(rssBound) + ")");
        check("threads at the end within +" + THREADS_SLACK + " of the first window's", th1 <= th0 + THREADS_SLACK,
                th0 + " → " + th1);
        check("descriptors at the end within +" + FDS_SLACK + " of the first window's", fd1 <= fd0 + FDS_SLACK,
                fd0 + " → " + fd1);
    }

    /** Percent of one core between a window's first and last sample (clock ticks of 10 ms). */
    private static String cpu(List<SoakRun.Sample> xs) {
        SoakRun.Sample a = xs.get(0);
        SoakRun.Sample b = xs.get(xs.size() - 1);
        return b.atMillis() == a.atMillis() ? "n/a"
                : String.format(Locale.ROOT, "%.1f", (b.cpuTicks() - a.cpuTicks()) * 10.0 * 100 / (b.atMillis() - a.atMillis()));
    }

    private static long median(List<SoakRun.Sample> xs, java.util.function.ToLongFunction<SoakRun.Sample> f) {
        long[] a = xs.stream().mapToLong(f).sorted().toArray();
        return a[a.length / 2];
    }

    private static long max(List<SoakRun.Sample> xs, java.util.function.ToLongFunction<SoakRun.Sample> f) {
        return xs.stream().mapToLong(f).max().orElse(-1);
    }

    // ------------------------------------------------------------------ the journal

    private void journalOnce() {
        figures.put("events in the journal", Integer.toString(journal.lines.size()));
        figures.put("journal rotations", Integer.toString(journal.rotated));
        check("the journal kept every line (fewer than 3 rotations)", journal.rotated < 3,
                journal.rotated + " rotated files");
        Map<String, Integer> seen = new HashMap<>();
        for (String l : journal.lines) {
            seen.merge(l, 1, Integer::sum);
        }
        long sameLine = seen.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        // A run's start and end are one event each: its (kind, name, run, pid) is its identity.
        Map<String, Integer> keys = new HashMap<>();
        for (SoakJournal.Entry e : journal.entries) {
            if (e.kind() != null && (e.kind().equals("started") || e.kind().equals("exited")
                    || e.kind().equals("limit-crossed") || e.kind().equals("restart-scheduled"))) {
                keys.merge(e.kind() + " " + e.name() + " " + e.run() + " " + e.pid(), 1, Integer::sum);
            }
        }
        long sameEvent = keys.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        figures.put("duplicates (the same line twice; the same run's start, end, crossing or restart twice)",
                sameLine + "; " + sameEvent);
        check("every event is in the journal once", sameLine == 0 && sameEvent == 0,
                sameLine + " repeated lines, " + sameEvent + " repeated run events");
        long unparsed = journal.entries.stream().filter(e -> e.kind() == null || e.timeMillis() < 0).count();
        check("every journal line is an event with a kind and a time", unparsed == 0, unparsed + " lines without");
        Map<String, Long> byKind = journal.entries.stream().filter(e -> e.kind() != null)
                .collect(Collectors.groupingBy(SoakJournal.Entry::kind, java.util.TreeMap::new, Collectors.counting()));
        figures.put("events by kind", byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        // A machine without cgroups for Sentinel says so once per program; that is the machine, not the soak.
        List<String> warnings = journal.entries.stream().filter(e -> "warning".equals(e.kind())).map(SoakJournal.Entry::line)
                .filter(l -> !l.contains("cgroup")).collect(Collectors.toList());
        check("no warning events (but about cgroups)", warnings.isEmpty(),
                warnings.isEmpty() ? "none" : warnings.size() + ": " + warnings.get(0));
    }

    /** Every run that started ended, once, and nothing ended that did not start (after {@code stop all}). */
    private void runsComplete() {
        Map<String, int[]> runs = new HashMap<>();
        for (SoakJournal.Entry e : journal.entries) {
            if ("started".equals(e.kind()) || "exited".equals(e.kind())) {
                // The run's number with its pid: pids are reused within minutes on a busy machine (pid_max 32768).
                runs.computeIfAbsent(e.name() + " " + e.run() + " " + e.pid(), k -> new int[2])[e.kind().equals("started") ? 0 : 1]++;
            }
        }
        long unended = runs.values().stream().filter(c -> c[0] > c[1]).count();
        long unstarted = runs.values().stream().filter(c -> c[1] > c[0]).count();
        figures.put("runs (started, each with its exit)", Integer.toString(runs.size()));
        check("every run's start has its exit in the journal, and every exit its start", unended == 0 && unstarted == 0,
                runs.size() + " runs; " + unended + " without an exit, " + unstarted + " without a start");
    }

    /** The journal's starts of each program against {@code 1 + sentinel_process_restarts_total} at the end. */
    private void startsAgainstMetrics() {
        if (r.finalMetrics() == null) {
            check("the journal's starts match the restart counters", false, "no last scrape");
            return;
        }
        Map<String, Long> restarts = series(r.finalMetrics(), "sentinel_process_restarts_total", null);
        Map<String, Long> starts = journal.entries.stream().filter(e -> "started".equals(e.kind()))
                .collect(Collectors.groupingBy(SoakJournal.Entry::name, Collectors.counting()));
        List<String> off = new ArrayList<>();
        long total = 0;
        for (int i = 1; i <= r.plan().programs() + 1; i++) {
            String name = i <= r.plan().programs() ? SoakConfig.churnName(i) : SoakConfig.LEAKER;
            long want = 1 + restarts.getOrDefault(name, 0L);
            long got = starts.getOrDefault(name, 0L);
            total += restarts.getOrDefault(name, 0L);
            if (want != got) {
                off.add(name + ": journal " + got + ", metrics 1 + " + (want - 1));
            }
        }
        // A reload that changes a program starts it as run 1 of a new guardian, its counter from zero.
        long reloadedStarts = starts.getOrDefault(SoakConfig.RELOADED, 0L);
        if (reloadedStarts != 1 + r.reloadsApplied()) {
            off.add(SoakConfig.RELOADED + ": journal " + reloadedStarts + ", reloads applied 1 + " + r.reloadsApplied());
        }
        figures.put("restarts (sentinel_process_restarts_total, all programs)", Long.toString(total));
        check("each program's starts in the journal = 1 + its restarts in /metrics (+ 1 a reload for '"
                + SoakConfig.RELOADED + "')", off.isEmpty(), off.isEmpty() ? (r.plan().programs() + 2) + " programs agree" : String.join("; ", off));
    }

    /** Sum of {@code metric}'s series by their {@code name} label, of those whose labels contain {@code with}. */
    static Map<String, Long> series(String metrics, String metric, String with) {
        Map<String, Long> out = new HashMap<>();
        Matcher m = SERIES.matcher(metrics);
        while (m.find()) {
            if (!m.group(1).equals(metric) || (with != null && !m.group(2).contains(with))) {
                continue;
            }
            Matcher n = Pattern.compile("name=\"([^\"]*)\"").matcher(m.group(2));
            if (n.find()) {
                out.merge(n.group(1), (long) Double.parseDouble(m.group(3)), Long::sum);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ crossings

    private void crossings() throws IOException {
        Map<Long, Long> stamps = new HashMap<>();
        String terms = SoakRun.read(r.termFile());
        if (terms != null) {
            Matcher m = STAMP.matcher(terms);
            while (m.find()) {
                stamps.putIfAbsent(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
        }
        List<SoakJournal.Entry> crossed = journal.entries.stream()
                .filter(e -> "limit-crossed".equals(e.kind()) && SoakConfig.LEAKER.equals(e.name())).collect(Collectors.toList());
        List<String> late = new ArrayList<>();
        for (SoakJournal.Entry c : crossed) {
            SoakJournal.Entry signal = journal.entries.stream().filter(e -> "signal-sent".equals(e.kind())
                    && c.name().equals(e.name()) && e.run() == c.run() && "memory".equals(e.reason())
                    && e.timeMillis() >= c.timeMillis()).findFirst().orElse(null);
            Long stamp = stamps.get(c.pid());
            if (signal == null || stamp == null) {
                late.add("run " + c.run() + " (pid " + c.pid() + "): " + (signal == null ? "no signal-sent for memory" : "")
                        + (stamp == null ? " no SIGTERM stamp from the leaker" : ""));
                continue;
            }
            double reaction = stamp / 1000.0 - c.timeMillis();
            double over = (c.rssBytes() - c.limitBytes()) / 1048576.0;
            reactions.add(reaction);
            overshoots.add(over);
            double estimate = over / r.plan().leakMibPerSecond() * 1000 + reaction;
            estimates.add(estimate);
            if (estimate > REACTION_BOUND_MILLIS || c.rssBytes() - c.limitBytes() > OVERSHOOT_BOUND_BYTES) {
                late.add(String.format(Locale.ROOT, "run %d: %.0f ms, %.1f MiB over", c.run(), estimate,
                        (c.rssBytes() - c.limitBytes()) / 1048576.0));
            }
        }
        double period = (r.plan().limitMib() - LEAKER_BASE_MIB) / r.plan().leakMibPerSecond() + 2;
        long expected = (long) (r.elapsedMillis() / 1000.0 / period / 2);
        Map<String, Long> kills = series(r.finalMetrics() == null ? "" : r.finalMetrics(), "sentinel_process_kills_total",
                "reason=\"memory\"");
        long killed = kills.getOrDefault(SoakConfig.LEAKER, -1L);
        figures.put("crossings (limit-crossed in the journal; memory kills in /metrics)", crossed.size() + "; " + killed);
        figures.put("crossing in the journal → the leaker's SIGTERM, median / worst", String.format(Locale.ROOT, "%.1f / %.1f ms",
                pct(reactions, 50), pct(reactions, 100)));
        figures.put("the limit passed → the leaker's SIGTERM, estimated (the overshoot over the leak's rate, plus the"
                + " above), median / worst", String.format(Locale.ROOT, "%.1f / %.1f ms", pct(estimates, 50), pct(estimates, 100)));
        figures.put("over the limit when seen, median / worst", String.format(Locale.ROOT, "%.2f / %.2f MiB",
                pct(overshoots, 50), pct(overshoots, 100)));
        check("the leaker crossed at least " + expected + " times (half of one every " + Math.round(period) + " s)",
                crossed.size() >= Math.max(1, expected), crossed.size() + " crossings");
        check("every crossing was stopped: SIGTERM within " + REACTION_BOUND_MILLIS + " ms, under "
                + (OVERSHOOT_BOUND_BYTES >> 20) + " MiB over", late.isEmpty(), late.isEmpty()
                ? crossed.size() + " of " + crossed.size() : String.join("; ", late));
        check("memory kills in /metrics = crossings in the journal", killed == crossed.size(),
                killed + " and " + crossed.size());
    }

    private static double pct(List<Double> xs, double p) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * a.length);
        return a[Math.max(0, Math.min(a.length - 1, rank - 1))];
    }

    // ------------------------------------------------------------------ the socket's events, the load

    /** The socket's last 200 events (the ring in memory) are the journal's, each exactly once. */
    private void socketEvents() {
        if (r.finalEvents() == null) {
            check("the socket's events are the journal's", false, "no answer to 'events 200'");
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String l : journal.lines) {
            counts.merge(l, 1, Integer::sum);
        }
        List<String> events = r.finalEvents().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        long missing = events.stream().filter(l -> counts.getOrDefault(l, 0) != 1).count();
        check("each of the socket's last " + events.size() + " events is in the journal exactly once", missing == 0
                && !events.isEmpty(), missing + " not exactly once"
                + (missing == 0 ? "" : ": " + events.stream().filter(l -> counts.getOrDefault(l, 0) != 1).findFirst().orElse("")));
    }

    private void load() {
        figures.put("socket clients (status or events, each its own connection); failed", r.clients() + "; " + r.clientFailures());
        figures.put("scrapes of /metrics; failed", r.scrapes() + "; " + r.scrapeFailures());
        figures.put("reloads; applied", r.reloads() + "; " + r.reloadsApplied());
        figures.put("duration", seconds(r.elapsedMillis()) + " s");
        long wantClients = (long) (r.elapsedMillis() / 1000.0 * r.plan().clientsPerSecond() * 0.9);
        check("every socket client was answered (at least 90 % of the planned " + r.plan().clientsPerSecond() + " a second ran)",
                r.clientFailures() == 0 && r.clients() >= wantClients, r.clients() + " clients, " + r.clientFailures() + " failed");
        check("every scrape was answered", r.scrapeFailures() == 0 && r.scrapes() >= r.elapsedMillis() / 1000 * 9 / 10,
                r.scrapes() + " scrapes, " + r.scrapeFailures() + " failed");
        check("every reload was applied", r.reloadFailures().isEmpty() && r.reloadsApplied() == r.reloads() && r.reloads() > 0,
                r.reloadsApplied() + " of " + r.reloads() + (r.reloadFailures().isEmpty() ? "" : ": " + r.reloadFailures().get(0)));
        check("Sentinel ran to the end", r.aliveAtEnd(), r.aliveAtEnd() ? "alive" : "it had exited");
    }

    // ------------------------------------------------------------------ the report

    public String markdown(String title, Map<String, String> about) {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        about.forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append(String.format(Locale.ROOT, "- plan: %d s, %d programs restarting + the leaker (limit %d MiB, %.1f MiB/s) + one"
                + " changed by every reload; %d socket clients a second; a scrape a second; a reload every %d s; samples every"
                + " %d s; windows of %d s%n", r.plan().duration().toSeconds(), r.plan().programs(), r.plan().limitMib(),
                r.plan().leakMibPerSecond(), r.plan().clientsPerSecond(), r.plan().reloadEvery().toSeconds(),
                r.plan().sampleEvery().toSeconds(), r.plan().window().toSeconds()));
        b.append("\n| figure | value |\n|---|---|\n");
        figures.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\n| check | result | detail |\n|---|---|---|\n");
        for (Check c : checks) {
            b.append("| ").append(c.what()).append(" | ").append(c.ok() ? "pass" : "**FAIL**").append(" | ")
                    .append(c.detail().replace("|", "/")).append(" |\n");
        }
        b.append("\nSentinel's samples (seconds since the start, VmRSS MiB, threads, descriptors), every ")
                .append(Math.max(1, r.samples().size() / 40)).append(":\n\n```\n");
        for (int i = 0; i < r.samples().size(); i += Math.max(1, r.samples().size() / 40)) {
            SoakRun.Sample s = r.samples().get(i);
            b.append(String.format(Locale.ROOT, "%6.1f %6.1f %4d %4d%n", s.atMillis() / 1000.0, s.rssKb() / 1024.0, s.threads(),
                    s.fds()));
        }
        b.append("```\n");
        return b.toString();
    }

    public void write(Path file, String title, Map<String, String> about) throws IOException {
        Files.writeString(file, markdown(title, about));
    }

    private static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0f", millis / 1000.0);
    }
}
