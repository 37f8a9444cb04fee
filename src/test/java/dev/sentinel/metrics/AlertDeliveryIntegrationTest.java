package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * An alert reaches a person, with the real parts: Sentinel stops a leaking program at its limit,
 * a real Prometheus loading the project's rules fires SentinelKilledForMemory, and a real
 * Alertmanager (Debian package {@code prometheus-alertmanager}) with the project's
 * alertmanager.yml routes it to its webhook receiver, here an HTTP server of this test: the kill
 * arrives as a POST naming the program. Everything runs on free loopback ports and is killed at
 * the end.
 */
class AlertDeliveryIntegrationTest {

    /** From the leaker's start: a kill within seconds, 1 s scrapes and evaluations, 1 s group_wait. */
    private static final Duration DELIVERY = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<JsonNode> posts = new CopyOnWriteArrayList<>();

    @Test
    void aMemoryKillArrivesAtTheWebhookNamingTheProgram() throws Exception {
        Path promBinary = StackFiles.tool("prometheus").orElse(null);
        Path amBinary = StackFiles.tool("prometheus-alertmanager").or(() -> StackFiles.tool("alertmanager")).orElse(null);
        Assumptions.assumeTrue(promBinary != null, "prometheus is not installed (Debian package prometheus)");
        Assumptions.assumeTrue(amBinary != null,
                "prometheus-alertmanager is not installed (Debian package prometheus-alertmanager)");

        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        webhook.createContext("/alerts", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                if ("POST".equals(exchange.getRequestMethod())) {
                    posts.add(JSON.readTree(in.readAllBytes()));
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        RunningProcess alertmanager = null;
        RunningProcess sentinel = null;
        FleetPrometheus prom = null;
        try {
            String hook = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts";
            int amPort = FleetPrometheus.freePort();
            Path amConfig = alertmanagerConfig(hook);
            RunningProcess am = alertmanager = RunningProcess.start(List.of(amBinary.toString(),
                    "--config.file=" + amConfig, "--storage.path=" + Files.createDirectories(tmp.resolve("am")),
                    "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=", "--log.level=warn"));
            Await.until(Duration.ofSeconds(60), () -> "Alertmanager ready; its stderr:\n" + String.join("\n", am.stderr()),
                    () -> FleetPrometheus.answers("http://127.0.0.1:" + amPort + "/-/ready"));

            // The leaker crosses 100M within seconds of every start; Sentinel stops it and starts it
            // again, so a kill happens after Prometheus's first scrape, whenever that comes.
            List<String> args = new ArrayList<>(List.of("--no-tui", "--no-socket", "-p", "0", "--metrics-host",
                    "127.0.0.1", "-m", "100M", "--restart", "on-failure", "--restart-delay", "1s",
                    "--restart-delay-max", "2s", "--max-restarts", "0", "--name", "leaker", "--"));
            args.addAll(JavaPrograms.leaker("--leak", "50"));
            RunningProcess s = sentinel = RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)));
            String target = s.awaitStderr("sentinel: metrics on http://(127\\.0\\.0\\.1:\\d+)/metrics",
                    Duration.ofSeconds(30)).group(1);

            FleetPrometheus p = prom = FleetPrometheus.start(promBinary, tmp, List.of(target), "127.0.0.1:" + amPort);
            Await.until(DELIVERY, () -> "a POST with SentinelKilledForMemory for leaker; posts so far: " + posts
                    + "\nPrometheus alerts: " + p.query("/api/v1/alerts") + "\nPrometheus stderr:\n"
                    + String.join("\n", p.stderr()) + "\nAlertmanager stderr:\n" + String.join("\n", am.stderr())
                    + "\nSentinel stderr:\n" + String.join("\n", s.stderr()),
                    () -> killAlert(target).isPresent());

            JsonNode alert = killAlert(target).orElseThrow();
            assertEquals("firing", alert.path("status").asText(), alert.toString());
            assertEquals("critical", alert.at("/labels/severity").asText(), alert.toString());
            assertEquals("Sentinel stopped leaker on " + target + " for exceeding its memory limit",
                    alert.at("/annotations/summary").asText());
            assertTrue(alert.at("/annotations/runbook_url").asText().contains("sentinelkilledformemory"), alert.toString());
            // The notification is the group of the program on its host (group_by instance, name).
            JsonNode post = posts.stream().filter(n -> n.path("alerts").toString().contains("SentinelKilledForMemory"))
                    .findFirst().orElseThrow();
            assertEquals("leaker", post.at("/groupLabels/name").asText(), post.toString());
            assertEquals(target, post.at("/groupLabels/instance").asText(), post.toString());
            assertEquals("webhook", post.path("receiver").asText(), post.toString());
        } finally {
            if (prom != null) {
                prom.close();
            }
            if (sentinel != null) {
                sentinel.close();
            }
            if (alertmanager != null) {
                alertmanager.close();
            }
            webhook.stop(0);
        }
    }

    private Optional<JsonNode> killAlert(String instance) {
        for (JsonNode post : posts) {
            for (JsonNode a : post.path("alerts")) {
                if ("SentinelKilledForMemory".equals(a.at("/labels/alertname").asText())
                        && "leaker".equals(a.at("/labels/name").asText())
                        && instance.equals(a.at("/labels/instance").asText())) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The project's alertmanager.yml with the webhook pointed at this test and the waits cut to a
     * second, in every route, so that the test does not wait half a minute for the first group.
     */
    private Path alertmanagerConfig(String hook) throws IOException {
        Map<String, Object> config = StackFiles.yaml(StackFiles.ALERTMANAGER_YML);
        shorten(StackFiles.at(config, "route"));
        List<Map<String, Object>> receivers = StackFiles.at(config, "receivers");
        Map<String, Object> receiver = receivers.stream().filter(r -> "webhook".equals(r.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no webhook receiver in " + receivers));
        List<Map<String, Object>> hooks = StackFiles.at(receiver, "webhook_configs");
        hooks.get(0).put("url", hook);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = tmp.resolve("alertmanager.yml");
        Files.writeString(file, new Yaml(options).dump(config));
        return file;
    }

    @SuppressWarnings("unchecked")
    private static void shorten(Map<String, Object> route) {
        route.put("group_wait", "1s");
        route.put("group_interval", "1s");
        for (Object child : (List<Object>) route.getOrDefault("routes", List.of())) {
            shorten((Map<String, Object>) child);
        }
    }
}
