package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * alertmanager/alertmanager.yml: what it routes and how (parsed, always), and that Alertmanager's
 * own checker, {@code amtool check-config} (Debian package {@code prometheus-alertmanager}),
 * accepts it as shipped and with its commented Slack and email receivers switched on.
 */
class AlertmanagerConfigTest {

    private final Map<String, Object> config = StackFiles.yaml(StackFiles.ALERTMANAGER_YML);

    @TempDir
    Path tmp;

    @Test
    void everyAlertGoesToTheWebhookGroupedByProgramAndHost() {
        Map<String, Object> route = StackFiles.at(config, "route");
        assertEquals("webhook", route.get("receiver"));
        List<String> groupBy = StackFiles.at(route, "group_by");
        assertEquals(List.of("instance", "name"), groupBy);
        for (String key : List.of("group_wait", "group_interval", "repeat_interval")) {
            assertTrue(route.containsKey(key), key);
        }
        List<Map<String, Object>> receivers = StackFiles.at(config, "receivers");
        assertEquals(List.of("webhook"), receivers.stream().map(r -> r.get("name")).toList());
        List<Map<String, Object>> hooks = StackFiles.at(receivers.get(0), "webhook_configs");
        assertEquals(1, hooks.size());
        assertTrue(String.valueOf(hooks.get(0).get("url")).startsWith("http"), hooks.toString());
    }

    @Test
    void theInhibitionNamesAlertsThatExist() {
        List<String> alerts = StackFiles.alertExpressions().stream().map(StackFiles::ruleName).toList();
        List<Map<String, Object>> inhibit = StackFiles.at(config, "inhibit_rules");
        assertFalse(inhibit.isEmpty());
        for (Map<String, Object> rule : inhibit) {
            for (String key : List.of("source_matchers", "target_matchers")) {
                for (Object matcher : (List<?>) rule.get(key)) {
                    String m = matcher.toString();
                    assertTrue(m.startsWith("alertname=~\"") || m.startsWith("alertname=\""), m);
                    String names = m.replaceFirst("^alertname=~?\"", "").replaceFirst("\"$", "");
                    for (String name : names.split("\\|")) {
                        assertTrue(alerts.contains(name), name + " in " + alerts);
                    }
                }
            }
        }
    }

    @Test
    void amtoolAcceptsTheShippedConfig() {
        check(StackFiles.ALERTMANAGER_YML, 1);
    }

    /** The commented receivers are a working example: uncommented, amtool accepts them too. */
    @Test
    void amtoolAcceptsTheSlackAndEmailExamplesUncommented() throws IOException {
        String text = Files.readString(StackFiles.ALERTMANAGER_YML);
        String enabled = text
                .replaceAll("(?m)^  # (smtp_\\w+:)", "  $1")
                .replaceAll("(?m)^  # - name:", "  - name:")
                .replaceAll("(?m)^  #   ", "    ");
        Path file = tmp.resolve("alertmanager.yml");
        Files.writeString(file, enabled);
        assertTrue(enabled.contains("slack_configs") && !enabled.contains("#   slack_configs"), enabled);
        check(file, 3);
    }

    private static void check(Path file, int receivers) {
        Path amtool = StackFiles.tool("amtool").orElse(null);
        Assumptions.assumeTrue(amtool != null,
                "amtool is not installed (Debian package prometheus-alertmanager): amtool check-config skipped");
        try (RunningProcess p = RunningProcess.start(List.of(amtool.toString(), "check-config", file.toString()))) {
            int status = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(0, status, () -> "amtool check-config " + file + ":\n" + String.join("\n", p.stdout())
                    + "\n" + String.join("\n", p.stderr()));
            p.awaitStdout("SUCCESS", Duration.ofSeconds(10));
            p.awaitStdout("- " + receivers + " receivers", Duration.ofSeconds(10));
        }
    }
}
