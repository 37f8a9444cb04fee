package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class LazyJvmMetricsTest {

    @Test
    void theCollectorsAreBuiltByTheFirstScrapeAndServeIt() {
        LazyJvmMetrics jvm = new LazyJvmMetrics();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(jvm);
        assertFalse(jvm.built(), "registering builds nothing");
        Exposition first = Exposition.of(registry.scrape());
        assertTrue(jvm.built());
        assertTrue(first.hasMetric("jvm_memory_used_bytes"), first.text());
        assertTrue(first.hasMetric("process_cpu_seconds_total"), first.text());
        Exposition second = Exposition.of(registry.scrape());
        assertTrue(second.hasMetric("jvm_threads_current"), second.text());
    }

    @Test
    void aFilteredScrapeGetsOnlyWhatItAsksFor() {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new LazyJvmMetrics());
        Exposition e = Exposition.of(registry.scrape(name -> name.equals("jvm_threads_current")));
        assertTrue(e.hasMetric("jvm_threads_current"), e.text());
        assertFalse(e.hasMetric("jvm_memory_used_bytes"), e.text());
    }
}
