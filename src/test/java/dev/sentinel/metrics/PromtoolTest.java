package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.RunningProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * promtool (Debian package {@code prometheus}) on the project's files: the configuration and the
 * rules (alerts and recording rules) are valid, and the unit tests in prometheus/alerts.test.yml
 * pass, one case or more for every rule. The exposition
 * itself is linted by {@link PrometheusIntegrationTest}, on a real Sentinel.
 */
class PromtoolTest {

    static Path promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = StackFiles.tool("promtool").orElse(null);
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus)");
    }

    /** Runs promtool with {@code args}, which must exit 0 and print a line matching {@code expected}. */
    static void promtool(String expected, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool.toString());
        cmd.addAll(List.of(args));
        try (RunningProcess p = RunningProcess.start(cmd)) {
            int status = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(0, status, () -> "promtool " + String.join(" ", args) + " failed:\n"
                    + String.join("\n", p.stdout()) + "\n" + String.join("\n", p.stderr()));
            p.awaitStdout(expected, Duration.ofSeconds(10));
        }
    }

    @Test
    void theConfigurationIsValidAndFindsTheRules() {
        promtool("SUCCESS: 2 rule files found", "check", "config", StackFiles.PROMETHEUS_YML.toString());
    }

    @Test
    void theRulesAreValid() {
        promtool("SUCCESS: 9 rules found", "check", "rules", StackFiles.ALERTS.toString());
        promtool("SUCCESS: 1 rules found", "check", "rules", StackFiles.RECORDING.toString());
    }

    /** Every alert has an alert_rule_test and every recording rule a promql_expr_test. */
    @Test
    void everyRuleHasATestCase() {
        java.util.Set<String> tested = new java.util.HashSet<>();
        java.util.List<java.util.Map<String, Object>> cases = StackFiles.at(StackFiles.yaml(StackFiles.ALERT_TESTS), "tests");
        for (java.util.Map<String, Object> c : cases) {
            for (Object t : (java.util.List<?>) c.getOrDefault("alert_rule_test", java.util.List.of())) {
                tested.add(String.valueOf(((java.util.Map<?, ?>) t).get("alertname")));
            }
            for (Object t : (java.util.List<?>) c.getOrDefault("promql_expr_test", java.util.List.of())) {
                tested.add(String.valueOf(((java.util.Map<?, ?>) t).get("expr")).trim());
            }
        }
        for (StackFiles.Expression rule : StackFiles.ruleExpressions()) {
            assertTrue(tested.contains(StackFiles.ruleName(rule)), rule.where() + " has no case in " + StackFiles.ALERT_TESTS);
        }
        java.util.List<String> files = StackFiles.at(StackFiles.yaml(StackFiles.ALERT_TESTS), "rule_files");
        assertEquals(StackFiles.ruleFiles(), files.stream().map(f -> StackFiles.ALERT_TESTS.getParent().resolve(f).normalize()).toList());
    }

    @Test
    void everyAlertFiresWhenItShouldAndStaysSilentWhenItShouldNot() {
        promtool("^\\s*SUCCESS$", "test", "rules", StackFiles.ALERT_TESTS.toString());
    }
}
