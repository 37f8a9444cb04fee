package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with the real things: Sentinel guards the leaker, a real Prometheus (Debian
 * package {@code prometheus}) discovers and scrapes it with the project's prometheus.yml and rules, and
 * every PromQL expression of the Grafana dashboard and of the alert rules finds data through
 * Prometheus's query API. promtool lints the live exposition.
 */
class PrometheusIntegrationTest {

    private static final Duration DATA = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private FleetPrometheus prom;

    @Test
    void sentinelPrometheusAndTheDashboardAndAlertsWorkTogether() throws Exception {
        Path promBinary = StackFiles.tool("prometheus").orElse(null);
        Path promtool = StackFiles.tool("promtool").orElse(null);
        Assumptions.assumeTrue(promBinary != null && promtool != null,
                "prometheus/promtool are not installed (Debian package prometheus)");

        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-socket", "-p", "0", "--metrics-host", "127.0.0.1",
                "-m", "1G", "--name", "leaker", "--"));
        args.addAll(JavaPrograms.leaker("--leak", "4", "--max", "48M"));
        try (RunningProcess sentinel = RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)))) {
            String target = sentinel.awaitStderr("sentinel: metrics on http://(127\\.0\\.0\\.1:\\d+)/metrics",
                    Duration.ofSeconds(30)).group(1);
            String metricsUrl = "http://" + target + "/metrics";
            Await.until(Duration.ofSeconds(30), "the leaker sampled", () -> Exposition.parse(Http.getUnchecked(metricsUrl))
                    .samples().getOrDefault("sentinel_sample_duration_seconds_count{name=\"leaker\"}", 0.0) > 0);

            lintWithPromtool(promtool, Http.get(metricsUrl));

            try (FleetPrometheus prom = FleetPrometheus.start(promBinary, tmp, List.of(target), null)) {
                this.prom = prom;
                everyRuleIsLoadedAndEvaluates();
                everyExpressionFindsData();
                everyDashboardVariableFindsValues();
                theEndOfTheRunReachesPrometheus(sentinel);
            }
        }
    }

    private void lintWithPromtool(Path promtool, String exposition) throws IOException {
        try (RunningProcess lint = RunningProcess.start(List.of(promtool.toString(), "check", "metrics"))) {
            try (OutputStream in = lint.process().getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            // promtool exits 1 on a format error and 3 on a lint warning, 0 only when all is clean.
            int status = lint.awaitExit(Duration.ofSeconds(30));
            assertEquals(0, status, () -> "promtool check metrics:\n" + String.join("\n", lint.stdout())
                    + String.join("\n", lint.stderr()) + "\non:\n" + exposition);
        }
    }

    private void everyRuleIsLoadedAndEvaluates() {
        List<String> names = StackFiles.ruleExpressions().stream().map(StackFiles::ruleName).toList();
        Await.until(DATA, () -> "every rule loaded and evaluated without error: " + query("/api/v1/rules"), () -> {
            Map<String, String> health = new LinkedHashMap<>();
            for (JsonNode group : query("/api/v1/rules").at("/data/groups")) {
                for (JsonNode rule : group.get("rules")) {
                    boolean evaluated = !rule.path("lastEvaluation").asText().startsWith("0001-");
                    health.put(rule.get("name").asText(), evaluated ? rule.path("health").asText() : "unevaluated");
                }
            }
            return health.keySet().containsAll(names) && health.values().stream().allMatch("ok"::equals);
        });
    }

    private void everyExpressionFindsData() {
        Map<String, String> variables = Map.of("__rate_interval", "1m", "job", ".+", "instance", ".+", "name", ".+");
        List<StackFiles.Expression> all = new ArrayList<>();
        StackFiles.dashboardExpressions().forEach(e ->
                all.add(new StackFiles.Expression(e.where(), PromQl.withBool(PromQl.substitute(e.expr(), variables)))));
        StackFiles.ruleExpressions().forEach(e -> all.add(new StackFiles.Expression(e.where(), PromQl.withBool(e.expr()))));
        assertTrue(all.size() > 20, "dashboard and alerts: " + all.size() + " expressions");

        List<StackFiles.Expression> missing = new ArrayList<>(all);
        Await.until(DATA, () -> "data for every expression; still empty:\n" + describe(missing), () -> {
            missing.removeIf(e -> instant(e.expr()).size() > 0);
            return missing.isEmpty();
        });
    }

    /** The dashboard's variables are {@code label_values(SELECTOR, LABEL)}: Grafana asks for the series' label values. */
    private void everyDashboardVariableFindsValues() {
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
        JsonNode variables = StackFiles.json(StackFiles.DASHBOARD).at("/templating/list");
        assertTrue(variables.size() > 0);
        for (JsonNode v : variables) {
            Matcher m = labelValues.matcher(v.get("query").asText());
            assertTrue(m.matches(), v.toString());
            String selector = PromQl.substitute(m.group(1), Map.of("job", ".+", "instance", ".+"));
            JsonNode values = query("/api/v1/label/" + m.group(2) + "/values?match[]=" + Http.encode(selector)).get("data");
            assertTrue(values.size() > 0, "values for $" + v.get("name").asText() + " from " + selector + ": " + values);
        }
    }

    /**
     * Sentinel is told to stop; it waits for one last scrape, so Prometheus has {@code up} 0 and the
     * kill counts of the run's end even though Sentinel exits right after.
     */
    private void theEndOfTheRunReachesPrometheus(RunningProcess sentinel) {
        sentinel.signal("TERM");
        sentinel.awaitExit(Duration.ofSeconds(30));
        // Range selectors skip the staleness markers Prometheus writes once the target is gone.
        String up = "last_over_time(sentinel_process_up{job=\"sentinel\",name=\"leaker\"}[1m])";
        String kills = "last_over_time(sentinel_process_kills_total{name=\"leaker\",reason=\"signal\",signal=\"SIGTERM\"}[1m])";
        // The last scrape finished before Sentinel exited; Prometheus stores it a moment later.
        Await.until(Duration.ofSeconds(10), () -> "the final state in Prometheus: " + instant(up) + " " + instant(kills),
                () -> value(instant(up)).equals("0") && value(instant(kills)).equals("1"));
    }

    private static String value(JsonNode vector) {
        return vector.size() == 1 ? vector.get(0).at("/value/1").asText() : "(" + vector.size() + " series)";
    }

    private JsonNode instant(String expr) {
        return prom.instant(expr);
    }

    private JsonNode query(String path) {
        return prom.query(path);
    }

    private static String describe(List<StackFiles.Expression> expressions) {
        StringBuilder sb = new StringBuilder();
        for (StackFiles.Expression e : List.copyOf(expressions)) {
            sb.append("  ").append(e.where()).append(": ").append(e.expr()).append('\n');
        }
        return sb.toString();
    }
}
