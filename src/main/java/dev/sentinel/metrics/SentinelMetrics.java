package dev.sentinel.metrics;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything Sentinel exports, in a registry of its own (never the library's global default
 * registry, so two exporters or two tests never share state):
 * <ul>
 *   <li>the guarded programs, from the latest snapshot ({@link ProgramCollector});</li>
 *   <li>how long each sample of the tree took ({@code sentinel_sample_duration_seconds});</li>
 *   <li>Sentinel's own JVM and process ({@code jvm_*}, {@code process_*}) from the client library,
 *       built at the first scrape ({@link LazyJvmMetrics}).</li>
 * </ul>
 * {@link #update} is called on the loop thread after every tick; scrapes run on HTTP threads and
 * only read what it published.
 */
final class SentinelMetrics {

    static final String SAMPLE_DURATION = "sentinel_sample_duration_seconds";
    /** From 10 µs (a small tree re-read through /proc) to 100 ms (something is badly wrong). */
    static final double[] SAMPLE_BUCKETS = {
        0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ScrapeWatch scrapes;
    /** Per program name; added to by the loop thread, read by scrapes. */
    private final Map<String, SampleDurations> sampleDurations = new ConcurrentHashMap<>();
    private volatile Snapshot latest;

    /** @param jvm whether to export Sentinel's own JVM and process metrics */
    SentinelMetrics(boolean jvm) {
        this(jvm, new ScrapeWatch());
    }

    /** For tests: {@code scrapes} may run on a fake clock. */
    SentinelMetrics(boolean jvm, ScrapeWatch scrapes) {
        this.scrapes = scrapes;
        registry.register(new ProgramCollector(() -> latest, scrapes));
        registry.register(this::collectSampleDurations);
        if (jvm) {
            registry.register(new LazyJvmMetrics());
        }
    }

    static final String HOOK_RUNS = "sentinel_hook_runs";
    static final String HOOK_DROPPED = "sentinel_hook_events_dropped";

    /** Exports the event hooks' counts (once; only when hooks can run). */
    void hooks(HookStats stats) {
        registry.register(() -> counters(HOOK_RUNS, "Event hook runs, by program and result: ok, failed (a non-zero "
                + "exit), timeout (stopped at --hook-timeout), unstartable.", stats.runs(), "result"));
        registry.register(() -> counters(HOOK_DROPPED, "Lifecycle events a program's hook did not run for because "
                + "its queue was full.", Map.of("", stats.dropped()), null));
    }

    private static CounterSnapshot counters(String metric, String help, Map<String, Map<String, Long>> byName,
                                            String label) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(metric).help(help);
        byName.forEach((outer, inner) -> inner.forEach((key, value) -> {
            Labels labels = label == null ? Labels.of("name", key) : Labels.of("name", outer, label, key);
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }));
        return b.build();
    }

    PrometheusRegistry registry() {
        return registry;
    }

    ScrapeWatch scrapes() {
        return scrapes;
    }

    /** The snapshot scrapes currently serve, or null before the first one. */
    Snapshot latest() {
        return latest;
    }

    /** Publishes {@code snapshot} to the scrapes and observes the samples taken since the last one. */
    void update(Snapshot snapshot) {
        for (ProgramSnapshot p : snapshot.programs()) {
            SampleDurations d = sampleDurations.get(p.name());
            if (d == null) {
                d = new SampleDurations(SAMPLE_BUCKETS, System.currentTimeMillis());
                sampleDurations.put(p.name(), d);
            }
            d.observeIfNew(p.samples(), p.sampleCostNanos());
        }
        latest = snapshot;
    }

    private HistogramSnapshot collectSampleDurations() {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder()
                .name(SAMPLE_DURATION)
                .unit(Unit.SECONDS)
                .help("Time Sentinel took to sample the memory of a guarded tree.");
        sampleDurations.forEach((name, d) -> b.dataPoint(d.snapshot(Labels.of("name", name))));
        return b.build();
    }
}
