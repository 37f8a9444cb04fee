package dev.sentinel.metrics;

import static dev.sentinel.metrics.StackFiles.REPO;
import static dev.sentinel.metrics.StackFiles.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The files that make {@code docker compose up} work. There is no Docker engine on the build
 * machines, so this parses them and checks that they point at each other and at files that
 * exist: service names, ports, mounts, the scrape target, the datasource, the dashboard.
 */
class StackFilesTest {

    private final Map<String, Object> compose = StackFiles.yaml(StackFiles.COMPOSE);
    private final Map<String, Object> services = at(compose, "services");

    @Test
    void composeHasTheFourServicesOnTheirUsualPorts() {
        assertEquals(Set.of("sentinel", "prometheus", "alertmanager", "grafana"), services.keySet());
        assertEquals(List.of("9093:9093"), at(services, "alertmanager", "ports"));
        assertEquals(List.of("8000:8000"), at(services, "sentinel", "ports"));
        assertEquals(List.of("9090:9090"), at(services, "prometheus", "ports"));
        assertEquals(List.of("3000:3000"), at(services, "grafana", "ports"));
    }

    @Test
    void sentinelIsBuiltFromThisRepoAndGuardsTheLeakerWithMetricsOn8000() {
        assertEquals(".", at(services, "sentinel", "build"));
        assertTrue(Files.isRegularFile(REPO.resolve("Dockerfile")));
        List<String> command = stringList(at(services, "sentinel", "command"));
        assertTrue(command.contains("--no-tui"), command.toString());
        assertEquals("8000", optionValue(command, "--metrics-port", "-p"), command.toString());
        int dashes = command.indexOf("--");
        assertTrue(dashes > 0, "the program comes after '--': " + command);
        List<String> program = command.subList(dashes + 1, command.size());
        assertEquals("java", program.get(0));
        assertEquals("/opt/sentinel/leaker", program.get(program.indexOf("-cp") + 1));
        assertTrue(program.contains("Leaker") && program.contains("--leak"), program.toString());
        assertTrue(command.stream().noneMatch(a -> a.equals("--no-metrics")), command.toString());
    }

    @Test
    void theDockerfileBuildsWhatComposeRuns() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        List<String> from = lines(dockerfile, "^FROM\\s+(.+)$");
        assertEquals(List.of("maven:3-eclipse-temurin-17 AS build", "eclipse-temurin:17-jre"), from);
        // Every file copied from the build context exists and is let through by .dockerignore.
        List<String> ignore = Files.readAllLines(REPO.resolve(".dockerignore"));
        for (String copy : lines(dockerfile, "^COPY\\s+(?!--from)(\\S+)\\s+\\S+$")) {
            assertTrue(Files.exists(REPO.resolve(copy)), "COPY source " + copy);
            assertTrue(ignore.contains("!" + copy.replaceAll("/$", "")), ".dockerignore lets " + copy + " through");
        }
        // The leaker's class directory and the jar are where compose and the entrypoint expect them.
        assertTrue(dockerfile.contains("-d /out/leaker") && dockerfile.contains("COPY --from=build /out/ /opt/sentinel/"),
                dockerfile);
        assertTrue(dockerfile.contains("cp target/sentinel.jar /out/sentinel.jar")
                && dockerfile.contains("\"-jar\", \"/opt/sentinel/sentinel.jar\""), dockerfile);
        assertTrue(Files.readString(REPO.resolve("pom.xml")).contains("<finalName>sentinel</finalName>"),
                "the shaded jar is target/sentinel.jar");
        assertTrue(dockerfile.contains("setsid"), "the runtime image must have setsid");
    }

    @Test
    void everyMountedFileExistsInTheRepo() {
        int mounts = 0;
        for (String service : services.keySet()) {
            for (Mount m : mounts(service)) {
                if (m.source().startsWith("./")) {
                    assertTrue(Files.exists(REPO.resolve(m.source())), service + " mounts " + m.source());
                    mounts++;
                }
            }
        }
        assertEquals(5, mounts, "prometheus.yml, prometheus/, alertmanager/, grafana/provisioning, grafana/dashboards");
    }

    @Test
    void prometheusLoadsTheMountedConfigAndItsRules() {
        List<String> command = stringList(at(services, "prometheus", "command"));
        String config = command.stream().filter(a -> a.startsWith("--config.file="))
                .map(a -> a.substring("--config.file=".length())).findFirst().orElseThrow();
        Path hostConfig = hostPath("prometheus", config);
        assertEquals(StackFiles.PROMETHEUS_YML, hostConfig);
        List<String> rules = at(StackFiles.yaml(hostConfig), "rule_files");
        assertFalse(rules.isEmpty());
        for (String rule : rules) {
            String inContainer = Path.of(config).getParent().resolve(rule).toString();
            assertTrue(Files.isRegularFile(hostPath("prometheus", inContainer)), "rule file " + rule);
        }
        assertTrue(rules.stream().map(r -> REPO.resolve(r).normalize()).toList()
                .containsAll(List.of(StackFiles.RECORDING, StackFiles.ALERTS)), rules.toString());
    }

    @Test
    void prometheusDiscoversTheSentinelServiceThroughTheTargetsFilesAndScrapesEveryFiveSeconds() throws IOException {
        Map<String, Object> prom = StackFiles.yaml(StackFiles.PROMETHEUS_YML);
        List<Map<String, Object>> jobs = at(prom, "scrape_configs");
        assertEquals(1, jobs.size());
        Map<String, Object> job = jobs.get(0);
        assertEquals("sentinel", job.get("job_name"), "the alerts and the dashboard select job=\"sentinel\"");
        assertEquals("5s", job.get("scrape_interval"));
        assertFalse(job.containsKey("static_configs"), "targets come from files: " + job);
        List<Map<String, Object>> sd = at(job, "file_sd_configs");
        assertEquals(1, sd.size());
        assertTrue(sd.get(0).containsKey("refresh_interval"), sd.toString());
        List<String> files = at(sd.get(0), "files");
        assertEquals(List.of("prometheus/targets/*.json"), files);
        // Inside the container the glob is under the mounted prometheus/ directory.
        Path dir = hostPath("prometheus", "/etc/prometheus/" + files.get(0)).getParent();
        assertEquals(StackFiles.TARGETS, dir);

        // Every file the glob takes is a list of {targets, labels}; together they name the
        // compose service "sentinel" on its metrics port, once.
        List<String> targets = new ArrayList<>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                targets.addAll(targetsOf(f));
            }
        }
        List<String> command = stringList(at(services, "sentinel", "command"));
        assertEquals(List.of("sentinel:" + optionValue(command, "--metrics-port", "-p")), targets,
                "the compose stack's own Sentinel is the one target of the shipped files");

        // The example for a fleet: two hosts with an env label; not taken by the glob until renamed.
        Path example = dir.resolve("hosts.json.example");
        assertFalse(example.toString().endsWith(".json"));
        assertEquals(2, targetsOf(example).size());
        for (JsonNode group : StackFiles.json(example)) {
            assertTrue(group.at("/labels/env").isTextual(), group.toString());
        }
    }

    @Test
    void prometheusSendsAlertsToTheAlertmanagerServiceWhichLoadsTheMountedConfig() {
        Map<String, Object> prom = StackFiles.yaml(StackFiles.PROMETHEUS_YML);
        List<Map<String, Object>> ams = at(prom, "alerting", "alertmanagers");
        assertEquals(1, ams.size());
        List<Map<String, Object>> statics = at(ams.get(0), "static_configs");
        assertEquals(List.of("alertmanager:9093"), at(statics.get(0), "targets"));
        assertTrue(services.containsKey("alertmanager"));
        assertTrue(stringList(at(services, "prometheus", "depends_on")).contains("alertmanager"));
        assertTrue(String.valueOf((Object) at(services, "alertmanager", "image")).startsWith("prom/alertmanager:"));
        List<String> command = stringList(at(services, "alertmanager", "command"));
        String config = command.stream().filter(a -> a.startsWith("--config.file="))
                .map(a -> a.substring("--config.file=".length())).findFirst().orElseThrow();
        assertEquals(StackFiles.ALERTMANAGER_YML, hostPath("alertmanager", config));
    }

    private static List<String> targetsOf(Path file) {
        JsonNode groups = StackFiles.json(file);
        assertTrue(groups.isArray(), file + " is a list of target groups");
        List<String> out = new ArrayList<>();
        for (JsonNode group : groups) {
            assertTrue(group.get("targets").isArray(), file + ": " + group);
            group.get("targets").forEach(t -> {
                assertTrue(t.asText().matches("[\\w.-]+:\\d+"), "host:port in " + file + ": " + t);
                out.add(t.asText());
            });
            group.path("labels").fields().forEachRemaining(l -> assertTrue(l.getKey().matches("[a-zA-Z_]\\w*")
                    && !l.getKey().startsWith("__"), "label " + l.getKey() + " in " + file));
        }
        return out;
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboard() {
        // The datasource points at the prometheus service on its port, under the uid the dashboard uses.
        Path datasources = hostPath("grafana", "/etc/grafana/provisioning/datasources");
        List<Map<String, Object>> sources = new ArrayList<>();
        for (Path f : list(datasources)) {
            sources.addAll(at(StackFiles.yaml(f), "datasources"));
        }
        assertEquals(1, sources.size());
        Map<String, Object> ds = sources.get(0);
        assertEquals("prometheus", ds.get("type"));
        assertEquals("http://prometheus:9090", ds.get("url"));
        assertTrue(services.containsKey("prometheus"));
        String uid = (String) ds.get("uid");

        // The dashboards provider reads a mounted directory that holds the dashboard.
        Path providers = hostPath("grafana", "/etc/grafana/provisioning/dashboards");
        List<Map<String, Object>> provs = new ArrayList<>();
        for (Path f : list(providers)) {
            provs.addAll(at(StackFiles.yaml(f), "providers"));
        }
        assertEquals(1, provs.size());
        String dir = at(provs.get(0), "options", "path");
        assertEquals(StackFiles.DASHBOARD, hostPath("grafana", dir + "/sentinel.json"));

        // It opens as Grafana's home page, without a login.
        Map<String, Object> env = at(services, "grafana", "environment");
        assertEquals(StackFiles.DASHBOARD, hostPath("grafana", (String) env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")));
        assertEquals("true", env.get("GF_AUTH_ANONYMOUS_ENABLED"));

        // Every panel, target and variable of the dashboard uses that datasource.
        JsonNode dashboard = StackFiles.json(StackFiles.DASHBOARD);
        List<JsonNode> refs = new ArrayList<>();
        dashboard.get("panels").forEach(p -> {
            refs.add(p.get("datasource"));
            p.path("targets").forEach(t -> refs.add(t.get("datasource")));
        });
        dashboard.at("/templating/list").forEach(v -> refs.add(v.get("datasource")));
        for (JsonNode ref : refs) {
            assertEquals(uid, ref.path("uid").asText(), ref.toString());
        }
    }

    @Test
    void theDashboardShowsWhatTheIssueAsksFor() {
        JsonNode dashboard = StackFiles.json(StackFiles.DASHBOARD);
        assertEquals("sentinel", dashboard.get("uid").asText());
        Set<Integer> ids = new HashSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode p : dashboard.get("panels")) {
            assertTrue(ids.add(p.get("id").asInt()), "unique panel ids");
            JsonNode grid = p.get("gridPos");
            assertTrue(grid.get("x").asInt() + grid.get("w").asInt() <= 24, p.get("title").asText());
            titles.add(p.get("title").asText());
        }
        for (String wanted : List.of("Resident memory against limit", "Percent of limit", "Growth rate",
                "Kills and restarts", "State", "Sentinel CPU", "Sentinel memory", "Fleet: nearest their limit",
                "Fleet: kills per host", "Fleet: restarts per host", "Fleet: programs in FATAL")) {
            assertTrue(titles.contains(wanted), wanted + " in " + titles);
        }
        String all = String.join("\n", StackFiles.dashboardExpressions().stream().map(StackFiles.Expression::expr).toList());
        for (String metric : List.of("sentinel_process_resident_memory_bytes", "sentinel_process_memory_limit_bytes",
                "sentinel_process_kills_total", "sentinel_process_restarts_total", "sentinel_process_state",
                "process_cpu_seconds_total", "process_resident_memory_bytes")) {
            assertTrue(all.contains(metric), metric);
        }
        // Restarts are split by their reason, as the counter is.
        assertTrue(all.contains("sum by (instance, name, reason) (increase(sentinel_process_restarts_total"), all);
        // The fleet overview reads the recording rule.
        assertTrue(all.contains("topk(10, 100 * sentinel:process_memory_limit_ratio{"), all);
        // Every query can be narrowed to hosts, and no aggregation adds two hosts together.
        for (StackFiles.Expression e : StackFiles.dashboardExpressions()) {
            assertTrue(e.expr().contains("instance=~\"$instance\""), e.toString());
            Matcher by = Pattern.compile("\\b(?:sum|max|min|avg|count) by \\(([^)]*)\\)").matcher(e.expr());
            while (by.find()) {
                assertTrue(List.of(by.group(1).split(",\\s*")).contains("instance"), e.toString());
            }
        }
        List<String> variables = new ArrayList<>();
        dashboard.at("/templating/list").forEach(v -> variables.add(v.get("name").asText()));
        assertEquals(List.of("job", "instance", "name"), variables);
        // Variables are used only as regular expressions, so that "All" (.+) works everywhere.
        Matcher m = Pattern.compile("(.)\"\\$").matcher(all);
        while (m.find()) {
            assertEquals("~", m.group(1), "a variable outside =~ in: " + all);
        }
    }

    @Test
    void everyAlertTheIssueNamesExists() {
        List<StackFiles.Expression> alerts = StackFiles.alertExpressions();
        assertEquals(List.of("alert SentinelMemoryNearLimit", "alert SentinelMemoryLimitPredicted",
                "alert SentinelKilledForMemory", "alert SentinelKilledByKernelOOM", "alert SentinelRestartingRepeatedly",
                "alert SentinelRestartLoop", "alert SentinelGaveUp", "alert SentinelCheckFailing", "alert SentinelDown"),
                alerts.stream().map(StackFiles.Expression::where).toList());
        Map<String, String> expr = new java.util.HashMap<>();
        alerts.forEach(e -> expr.put(StackFiles.ruleName(e), e.expr()));
        assertTrue(expr.get("SentinelMemoryLimitPredicted").contains("predict_linear("));
        assertTrue(expr.get("SentinelGaveUp").contains("sentinel_process_state{state=\"FATAL\"}"));
        assertTrue(expr.get("SentinelKilledByKernelOOM").contains("sentinel_process_kills_total{reason=\"kernel-oom\"}"));
        assertTrue(expr.get("SentinelRestartLoop").contains("sum by (job, instance, name, reason) (increase(sentinel_process_restarts_total"));
        assertTrue(expr.get("SentinelCheckFailing").contains("increase(sentinel_check_failures_total[5m]) > 0"));
        assertTrue(expr.get("SentinelCheckFailing").contains("sentinel_process_ready == 0"));
        assertEquals(List.of("record sentinel:process_memory_limit_ratio"),
                StackFiles.ruleExpressions(StackFiles.RECORDING).stream().map(StackFiles.Expression::where).toList());
    }

    /** Prometheus conventions: a severity label, and summary, description and a runbook for every alert. */
    @Test
    void everyAlertHasASeverityAndTheUsualAnnotations() {
        List<Map<String, Object>> groups = at(StackFiles.yaml(StackFiles.ALERTS), "groups");
        for (Map<String, Object> group : groups) {
            List<Map<String, Object>> rules = at(group, "rules");
            for (Map<String, Object> rule : rules) {
                String name = (String) rule.get("alert");
                assertTrue(Set.of("critical", "warning").contains(at(rule, "labels", "severity")), name);
                Map<String, Object> annotations = at(rule, "annotations");
                assertEquals(Set.of("summary", "description", "runbook_url"), annotations.keySet(), name);
                assertEquals("README.md#" + name.toLowerCase(), annotations.get("runbook_url"), name);
            }
        }
    }

    private record Mount(String source, String target) {
    }

    private List<Mount> mounts(String service) {
        Map<String, Object> s = at(services, service);
        List<Mount> out = new ArrayList<>();
        for (Object v : (List<?>) s.getOrDefault("volumes", List.of())) {
            String[] parts = v.toString().split(":");
            out.add(new Mount(parts[0], parts[1]));
        }
        return out;
    }

    /** The repository file that a bind mount of {@code service} shows at {@code containerPath}. */
    private Path hostPath(String service, String containerPath) {
        for (Mount m : mounts(service)) {
            if (m.source().startsWith("./") && (containerPath.equals(m.target())
                    || containerPath.startsWith(m.target() + "/"))) {
                return REPO.resolve(m.source()).resolve(containerPath.substring(m.target().length()).replaceAll("^/", ""))
                        .normalize();
            }
        }
        throw new AssertionError(containerPath + " is not mounted from the repo in service " + service);
    }

    private static List<Path> list(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }

    private static List<String> stringList(List<?> values) {
        return values.stream().map(String::valueOf).toList();
    }

    private static String optionValue(List<String> command, String... names) {
        for (int i = 0; i < command.size(); i++) {
            for (String n : names) {
                if (command.get(i).equals(n)) {
                    return command.get(i + 1);
                }
                if (command.get(i).startsWith(n + "=")) {
                    return command.get(i).substring(n.length() + 1);
                }
            }
        }
        throw new AssertionError("no " + String.join("/", names) + " in " + command);
    }

    private static List<String> lines(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }
}
