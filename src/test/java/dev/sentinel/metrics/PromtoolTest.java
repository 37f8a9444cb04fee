package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * rules are valid, and the alert unit tests in prometheus/alerts.test.yml pass. The exposition
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
        promtool("SUCCESS: 1 rule files found", "check", "config", StackFiles.PROMETHEUS_YML.toString());
    }

    @Test
    void theRulesAreValid() {
        promtool("SUCCESS: 6 rules found", "check", "rules", StackFiles.ALERTS.toString());
    }

    @Test
    void everyAlertFiresWhenItShouldAndStaysSilentWhenItShouldNot() {
        promtool("^\\s*SUCCESS$", "test", "rules", StackFiles.ALERT_TESTS.toString());
    }
}
