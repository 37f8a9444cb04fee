package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Prometheus for many hosts: two real Sentinels, each guarding a program of the same name on
 * its own port, are found by one real Prometheus through the project's file-based discovery (the
 * second one added to the targets file while Prometheus runs, as a new host would be), and every
 * query of the dashboard, and every rule, returns series for both instances, so that no panel
 * adds two hosts' programs together; the dashboard's host variable lists both.
 */
class FleetIntegrationTest {

    private static final Duration DATA = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void onePrometheusDiscoversTwoSentinelsAndEveryDashboardQuerySeesBoth() throws Exception {
        Path promBinary = StackFiles.tool("prometheus").orElse(null);
        Assumptions.assumeTrue(promBinary != null, "prometheus is not installed (Debian package prometheus)");

        try (RunningProcess a = startSentinel(); RunningProcess b = startSentinel()) {
            String first = metricsAddress(a);
            String second = metricsAddress(b);
            Set<String> both = new TreeSet<>(List.of(first, second));
            try (FleetPrometheus prom = FleetPrometheus.start(promBinary, tmp, List.of(first), null)) {
                Await.until(DATA, () -> "the first host up: " + prom.healthyTargets(),
                        () -> prom.healthyTargets().equals(List.of(first)));
                // A new host is a new line in the targets file: no restart, no reload.
                prom.setTargets(List.of(first, second));
                Await.until(DATA, () -> "both hosts discovered and up: " + prom.healthyTargets(),
                        () -> new TreeSet<>(prom.healthyTargets()).equals(both));
                // The file's labels reach every series.
                Await.until(DATA, () -> "env=test on both: " + prom.instant("count by (instance, env) (sentinel_process_up)"),
                        () -> instances(prom.instant("sentinel_process_up{env=\"test\"}")).equals(both));

                everyExpressionHasBothInstances(prom, both);
                theHostVariableListsBoth(prom, both);
            }
        }
    }

    private static void everyExpressionHasBothInstances(FleetPrometheus prom, Set<String> both) {
        Map<String, String> variables = Map.of("__rate_interval", "1m", "job", ".+", "instance", ".+", "name", ".+");
        List<StackFiles.Expression> all = new ArrayList<>();
        StackFiles.dashboardExpressions().forEach(e ->
                all.add(new StackFiles.Expression(e.where(), PromQl.withBool(PromQl.substitute(e.expr(), variables)))));
        StackFiles.ruleExpressions().forEach(e -> all.add(new StackFiles.Expression(e.where(), PromQl.withBool(e.expr()))));
        // The recording rule itself, as the fleet overview reads it.
        all.add(new StackFiles.Expression("recorded series", "sentinel:process_memory_limit_ratio"));

        Map<String, Set<String>> seen = new LinkedHashMap<>();
        Await.until(DATA, () -> "series for both " + both + " from every expression; seen:\n" + describe(all, seen), () -> {
            boolean done = true;
            for (StackFiles.Expression e : all) {
                Set<String> instances = instances(prom.instant(e.expr()));
                seen.put(e.where(), instances);
                done &= instances.equals(both);
            }
            return done;
        });
    }

    private static void theHostVariableListsBoth(FleetPrometheus prom, Set<String> both) {
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
        JsonNode instance = null;
        for (JsonNode v : StackFiles.json(StackFiles.DASHBOARD).at("/templating/list")) {
            if (v.get("name").asText().equals("instance")) {
                instance = v;
            }
        }
        assertTrue(instance != null, "a variable $instance");
        Matcher m = labelValues.matcher(instance.get("query").asText());
        assertTrue(m.matches(), instance.toString());
        assertEquals("instance", m.group(2));
        String selector = PromQl.substitute(m.group(1), Map.of("job", ".+"));
        Set<String> values = new TreeSet<>();
        prom.query("/api/v1/label/instance/values?match[]=" + Http.encode(selector)).get("data")
                .forEach(n -> values.add(n.asText()));
        assertEquals(both, values);
    }

    private static Set<String> instances(JsonNode vector) {
        Set<String> out = new TreeSet<>();
        vector.forEach(s -> out.add(s.at("/metric/instance").asText("(none)")));
        return out;
    }

    private static String describe(List<StackFiles.Expression> all, Map<String, Set<String>> seen) {
        StringBuilder sb = new StringBuilder();
        for (StackFiles.Expression e : all) {
            sb.append("  ").append(e.where()).append(": ").append(seen.get(e.where())).append("  ").append(e.expr()).append('\n');
        }
        return sb.toString();
    }

    /** A Sentinel on a port of its own choosing (-p 0), guarding a small leaker named "leaker" like the other one. */
    private static RunningProcess startSentinel() {
        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-socket", "-p", "0", "--metrics-host", "127.0.0.1",
                "-m", "1G", "--name", "leaker", "--"));
        args.addAll(JavaPrograms.leaker("--leak", "4", "--max", "24M"));
        return RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)));
    }

    private static String metricsAddress(RunningProcess sentinel) {
        return sentinel.awaitStderr("sentinel: metrics on http://(127\\.0\\.0\\.1:\\d+)/metrics", Duration.ofSeconds(30)).group(1);
    }
}
