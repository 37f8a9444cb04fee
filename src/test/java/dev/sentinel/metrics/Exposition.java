package dev.sentinel.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Prometheus text format of some metrics, and its samples by series, for assertions. */
record Exposition(String text, Map<String, Double> samples) {

    static Exposition of(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(out.toString(StandardCharsets.UTF_8));
    }

    /** Samples keyed by the series as written, e.g. {@code sentinel_process_up{name="app"}}. */
    static Exposition parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new Exposition(text, Map.copyOf(samples));
    }

    /** The value of one series; fails if it is absent. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in:\n" + text);
        }
        return v;
    }

    boolean has(String series) {
        return samples.containsKey(series);
    }

    /** Whether any series of {@code metric} is present. */
    boolean hasMetric(String metric) {
        return samples.keySet().stream().anyMatch(s -> s.equals(metric) || s.startsWith(metric + "{"));
    }

    long count(String metric) {
        return samples.keySet().stream().filter(s -> s.equals(metric) || s.startsWith(metric + "{")).count();
    }
}
