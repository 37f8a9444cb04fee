package dev.sentinel.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Sentinel's own JVM and process ({@code jvm_*}, {@code process_*}): what
 * {@code JvmMetrics.builder().register()} exports, minus two collectors that cost more than they
 * tell here. Native-memory metrics report nothing without -XX:NativeMemoryTracking yet start the
 * platform MBean server (about 100 ms and 4 MiB); pool-allocation counters start a scheduler
 * thread and GC listeners. {@code process_*} is Sentinel itself (read from /proc/self by the
 * library); the guarded tree is {@code sentinel_process_*}.
 *
 * <p>The collectors are built at the first scrape, not at start: they load the JVM's management
 * beans, about 120 classes and 1.7 MiB resident, and a Sentinel nobody scrapes never needs them
 * (BENCHMARKS.md, idle RSS). The first scrape includes them all the same.
 */
final class LazyJvmMetrics implements MultiCollector {

    private volatile PrometheusRegistry collectors;

    @Override
    public MetricSnapshots collect() {
        return collectors().scrape();
    }

    /** Whether a scrape has built the collectors yet. */
    boolean built() {
        return collectors != null;
    }

    private PrometheusRegistry collectors() {
        PrometheusRegistry r = collectors;
        if (r == null) {
            synchronized (this) {
                r = collectors;
                if (r == null) {
                    r = new PrometheusRegistry();
                    ProcessMetrics.builder().register(r);
                    JvmMemoryMetrics.builder().register(r);
                    JvmThreadsMetrics.builder().register(r);
                    JvmGarbageCollectorMetrics.builder().register(r);
                    JvmClassLoadingMetrics.builder().register(r);
                    JvmCompilationMetrics.builder().register(r);
                    JvmBufferPoolMetrics.builder().register(r);
                    JvmRuntimeInfoMetric.builder().register(r);
                    collectors = r;
                }
            }
        }
        return r;
    }
}
