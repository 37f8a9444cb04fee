package dev.sentinel.metrics;

import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.KillCount;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.Signal;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code sentinel_process_*} metrics, built at every scrape from the latest published
 * {@link Snapshot}. Building from the snapshot (rather than updating gauges from the loop) makes
 * every value and every label set follow the snapshot exactly: when the program exits its
 * {@code info} series disappears and {@code up} is 0 in the very next scrape, and a new pid after a
 * restart is a new {@code info} series. A scrape reads one volatile reference and nothing else: it
 * never touches /proc and never waits for the supervisor loop.
 *
 * <p>Label sets that can be known in advance are all exported from the start, at 0: every restart
 * reason, every stop reason with SIGTERM and SIGKILL, every {@link ProgramState}. A series that
 * is born at 1 hides its first increase from {@code increase()} and {@code rate()}, and a selector
 * such as {@code sentinel_process_state{state="FATAL"}} should find a series whether or not it is 1.
 *
 * <p>Series are labelled with the program's display name, never its pid, so a restart continues the
 * same series. Only {@code sentinel_process_info} carries the pid, to join on.
 */
final class ProgramCollector implements MultiCollector {

    static final String RESIDENT = "sentinel_process_resident_memory_bytes";
    static final String PEAK = "sentinel_process_peak_resident_memory_bytes";
    static final String LIMIT = "sentinel_process_memory_limit_bytes";
    static final String KERNEL_LIMIT = "sentinel_process_kernel_memory_limit_bytes";
    static final String UP = "sentinel_process_up";
    static final String STATE = "sentinel_process_state";
    static final String PROCESSES = "sentinel_process_processes";
    /** Exposed with {@code _total}; the client library wants counter names without it. */
    static final String CPU = "sentinel_process_cpu_seconds";
    static final String START_TIME = "sentinel_process_start_time_seconds";
    static final String RESTARTS = "sentinel_process_restarts";
    static final String CONSECUTIVE_FAILURES = "sentinel_process_consecutive_failures";
    static final String KILLS = "sentinel_process_kills";
    static final String READY = "sentinel_process_ready";
    /** Exposed with {@code _total}; named as the issue that asked for it did, outside {@code sentinel_process_*}. */
    static final String CHECK_FAILURES = "sentinel_check_failures";
    /** Exposed as {@code sentinel_process_info}. */
    static final String INFO = "sentinel_process";

    /** The signals every stop reason is exported with from the start, at 0 until they happen. */
    static final List<Signal> TIERS = List.of(Signal.TERM, Signal.KILL);
    /** Longer command lines are cut here in the info label; a label is no place for a class path. */
    static final int MAX_COMMAND_LABEL = 200;

    private final Supplier<Snapshot> latest;
    private final ScrapeWatch scrapes;

    /**
     * @param latest the latest published snapshot, or null before the loop published one
     * @param scrapes told which snapshot each scrape served
     */
    ProgramCollector(Supplier<Snapshot> latest, ScrapeWatch scrapes) {
        this.latest = latest;
        this.scrapes = scrapes;
    }

    @Override
    public MetricSnapshots collect() {
        Snapshot snapshot = latest.get();
        if (snapshot == null) {
            return MetricSnapshots.of();
        }
        scrapes.collecting(snapshot.sequence());
        return snapshots(snapshot);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(RESIDENT, PEAK, LIMIT, KERNEL_LIMIT, UP, STATE, PROCESSES, CPU, START_TIME, RESTARTS, CONSECUTIVE_FAILURES,
                KILLS, READY, CHECK_FAILURES, INFO);
    }

    /** The metrics for {@code snapshot}; families without a single series are left out. */
    static MetricSnapshots snapshots(Snapshot snapshot) {
        Families f = new Families();
        Set<String> names = new HashSet<>();
        for (ProgramSnapshot p : snapshot.programs()) {
            // Two programs with one display name would be one series; the first one keeps it.
            if (names.add(p.name())) {
                add(f, p);
            }
        }
        return f.build();
    }

    /**
     * Whether the program's main process is running: false before the start, in BACKOFF, EXITED and
     * FATAL ({@link ProgramSnapshot#isUp()}), and also at once after the main process exits while
     * leftovers of its tree are still being stopped.
     */
    static boolean isUp(ProgramSnapshot p) {
        return p.isUp() && p.exitStatus() < 0;
    }

    private static void add(Families f, ProgramSnapshot p) {
        Labels name = Labels.of("name", p.name());
        boolean up = isUp(p);
        // The snapshot reports 0 bytes and no processes once the tree is gone: memory is never
        // reported for processes that no longer exist.
        f.gauge(RESIDENT, name, p.rssBytes());
        f.gauge(PEAK, name, p.peakRssBytes());
        if (p.limit().isSet()) {
            f.gauge(LIMIT, name, p.limit().bytes());
        }
        if (p.kernelLimitBytes() > 0) {
            f.gauge(KERNEL_LIMIT, name, p.kernelLimitBytes());
        }
        f.gauge(UP, name, up ? 1 : 0);
        // A gauge with a "state" label rather than the client's StateSetSnapshot: in the text
        // format a StateSet names its label after the metric (sentinel_process_state{
        // sentinel_process_state="FATAL"}), and in OpenMetrics, which Prometheus asks for, its
        // type "stateset" is one that promtool check metrics cannot parse.
        for (ProgramState state : ProgramState.values()) {
            f.gauge(STATE, name.add("state", state.name()), state == p.state() ? 1 : 0);
        }
        f.gauge(PROCESSES, name, p.processes().size());
        f.counter(CPU, name, p.cpuSeconds());
        if (p.startedEpochMillis() > 0) {
            f.gauge(START_TIME, name, Unit.millisToSeconds(p.startedEpochMillis()));
        }
        // Every reason starts at 0, as the kills below do.
        for (RestartReason reason : RestartReason.values()) {
            f.counter(RESTARTS, name.add("reason", reason.label()), p.restart().byReason().getOrDefault(reason, 0L));
        }
        f.gauge(CONSECUTIVE_FAILURES, name, p.restart().consecutiveFailures());
        // Every reason starts at 0 for SIGTERM and SIGKILL: a counter that is born at 1 hides its
        // first increase from increase() and rate(), and the first kill is the one that matters.
        Map<Labels, Long> kills = new LinkedHashMap<>();
        for (StopReason reason : StopReason.values()) {
            for (Signal signal : TIERS) {
                kills.put(killLabels(name, reason, signal), 0L);
            }
        }
        for (KillCount k : p.kills()) {
            kills.merge(killLabels(name, k.reason(), k.signal()), k.count(), Long::sum);
        }
        kills.forEach((labels, count) -> f.counter(KILLS, labels, count));
        // Both for every program, with a check or not: an alert that joins them finds a series
        // (at 0) from the first scrape, and a first failure is an increase.
        f.gauge(READY, name, p.health().ready() ? 1 : 0);
        f.counter(CHECK_FAILURES, name, p.health().checkFailures());
        if (up) {
            f.info(name.add("pid", Long.toString(p.pid())).add("command", commandLabel(p.command())));
        }
    }

    private static Labels killLabels(Labels name, StopReason reason, Signal signal) {
        return name.add("reason", reason.label()).add("signal", signal.fullName());
    }

    static String commandLabel(List<String> command) {
        String joined = String.join(" ", command);
        if (joined.codePointCount(0, joined.length()) <= MAX_COMMAND_LABEL) {
            return joined;
        }
        return joined.substring(0, joined.offsetByCodePoints(0, MAX_COMMAND_LABEL - 1)) + "\u2026";
    }

    /** Collects the data points of each family, in a fixed order, and builds the snapshots. */
    private static final class Families {
        private final Map<String, List<GaugeDataPointSnapshot>> gauges = new LinkedHashMap<>();
        private final Map<String, List<CounterDataPointSnapshot>> counters = new LinkedHashMap<>();
        private final List<InfoDataPointSnapshot> infos = new ArrayList<>();

        void gauge(String metric, Labels labels, double value) {
            gauges.computeIfAbsent(metric, m -> new ArrayList<>())
                    .add(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void counter(String metric, Labels labels, double value) {
            counters.computeIfAbsent(metric, m -> new ArrayList<>())
                    .add(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void info(Labels labels) {
            infos.add(InfoDataPointSnapshot.builder().labels(labels).build());
        }

        MetricSnapshots build() {
            List<MetricSnapshot> out = new ArrayList<>();
            addGauge(out, RESIDENT, Unit.BYTES, "Resident memory (RSS) of the whole guarded process tree.");
            addGauge(out, PEAK, Unit.BYTES, "Highest tree RSS seen in the current (or last) run.");
            addGauge(out, LIMIT, Unit.BYTES, "Memory limit of the tree; absent when there is no limit.");
            addGauge(out, KERNEL_LIMIT, Unit.BYTES, "The kernel's hard limit on the program's cgroup (memory.max, "
                    + "memory.limit_in_bytes); absent without a cgroup or a kernel limit.");
            addGauge(out, UP, null, "1 while the guarded program's main process runs; 0 before its start, once it has"
                    + " exited and while a restart is pending.");
            addGauge(out, STATE, null, "Where the program is in its life: 1 for the current state, 0 for the others.");
            addGauge(out, PROCESSES, null, "Number of processes in the guarded tree.");
            addCounter(out, CPU, Unit.SECONDS, "CPU time (user + system) of the tree in the current run.");
            addGauge(out, START_TIME, Unit.SECONDS, "Start time of the current run, in seconds since the epoch.");
            addCounter(out, RESTARTS, null, "Restarts of the program, automatic or ordered, by the reason for the new run.");
            addGauge(out, CONSECUTIVE_FAILURES, null,
                    "Runs in a row that ended wanting a restart; 0 once a run lasts --stable-after. Sentinel gives up"
                    + " (FATAL) when it exceeds --max-restarts.");
            addCounter(out, KILLS, null, "Signals Sentinel sent to stop the tree, by reason and signal.");
            addGauge(out, READY, null, "1 while the program is ready: its check passes, it sent READY=1, or it runs"
                    + " (with neither); 0 otherwise, also while it is not meant to run.");
            addCounter(out, CHECK_FAILURES, null, "Health checks of the program that failed, in every run; 0 without"
                    + " a check.");
            if (!infos.isEmpty()) {
                InfoSnapshot.Builder b = InfoSnapshot.builder().name(INFO)
                        .help("The running program: its name, main pid and command line; always 1.");
                infos.forEach(b::dataPoint);
                out.add(b.build());
            }
            return new MetricSnapshots(out);
        }

        private void addGauge(List<MetricSnapshot> out, String metric, Unit unit, String help) {
            List<GaugeDataPointSnapshot> points = gauges.get(metric);
            if (points != null) {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(metric).help(help);
                if (unit != null) {
                    b.unit(unit);
                }
                points.forEach(b::dataPoint);
                out.add(b.build());
            }
        }

        private void addCounter(List<MetricSnapshot> out, String metric, Unit unit, String help) {
            List<CounterDataPointSnapshot> points = counters.get(metric);
            if (points != null) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(metric).help(help);
                if (unit != null) {
                    b.unit(unit);
                }
                points.forEach(b::dataPoint);
                out.add(b.build());
            }
        }
    }
}
