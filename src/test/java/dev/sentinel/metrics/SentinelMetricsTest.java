package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class SentinelMetricsTest {

    private static final String COUNT = "sentinel_sample_duration_seconds_count{name=\"app\"}";
    private static final String SUM = "sentinel_sample_duration_seconds_sum{name=\"app\"}";

    @Test
    void eachNewSampleIsObservedOnceWithItsCost() {
        SentinelMetrics metrics = new SentinelMetrics(false);
        Snapshots.Program p = new Snapshots.Program();
        p.samples = 1;
        p.sampleCostNanos = 30_000;
        metrics.update(Snapshots.of(1, p));
        // A tick without a new sample (a command, a timer) observes nothing.
        metrics.update(Snapshots.of(2, p));
        p.samples = 2;
        p.sampleCostNanos = 2_000_000;
        metrics.update(Snapshots.of(3, p));

        Exposition e = Exposition.of(metrics.registry().scrape());
        assertEquals(2, e.value(COUNT));
        assertEquals(0.00203, e.value(SUM), 1e-9);
        assertEquals(1, e.value("sentinel_sample_duration_seconds_bucket{name=\"app\",le=\"5.0E-5\"}"));
        assertEquals(2, e.value("sentinel_sample_duration_seconds_bucket{name=\"app\",le=\"0.0025\"}"));
        assertEquals(2, e.value("sentinel_sample_duration_seconds_bucket{name=\"app\",le=\"+Inf\"}"));
    }

    @Test
    void scrapesServeTheLastUpdate() {
        SentinelMetrics metrics = new SentinelMetrics(false);
        Snapshots.Program p = new Snapshots.Program();
        metrics.update(Snapshots.of(1, p));
        p.exited(137);
        metrics.update(Snapshots.of(2, p));
        Exposition e = Exposition.of(metrics.registry().scrape());
        assertEquals(0, e.value("sentinel_process_up{name=\"app\"}"));
        assertEquals(2, metrics.latest().sequence());
    }

    @Test
    void sentinelsOwnJvmAndProcessAreExportedBesideTheProgram() {
        SentinelMetrics metrics = new SentinelMetrics(true);
        metrics.update(Snapshots.of(1, new Snapshots.Program()));
        Exposition e = Exposition.of(metrics.registry().scrape());
        assertTrue(e.hasMetric("process_cpu_seconds_total"), e.text());
        assertTrue(e.hasMetric("process_resident_memory_bytes"), e.text());
        assertTrue(e.hasMetric("jvm_memory_used_bytes"), e.text());
        assertTrue(e.hasMetric("jvm_threads_current"), e.text());
        assertTrue(e.hasMetric("sentinel_process_resident_memory_bytes"), e.text());
        // Sentinel's process metrics are its own, not the guarded program's.
        // (The JVM's start, a moment after the process's.)
        assertEquals(ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() / 1000.0,
                e.value("process_start_time_seconds"), 5.0);
    }

    @Test
    void everyInstanceHasItsOwnRegistry() {
        SentinelMetrics a = new SentinelMetrics(true);
        SentinelMetrics b = new SentinelMetrics(true);
        assertNotSame(a.registry(), b.registry());
        assertFalse(a.registry() == PrometheusRegistry.defaultRegistry);
        a.update(Snapshots.of(1, new Snapshots.Program()));
        assertTrue(Exposition.of(a.registry().scrape()).hasMetric("sentinel_process_up"));
        assertFalse(Exposition.of(b.registry().scrape()).hasMetric("sentinel_process_up"));
        assertSame(null, b.latest());
    }
}
