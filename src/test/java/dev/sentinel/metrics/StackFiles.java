package dev.sentinel.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.JavaPrograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/** The files of the monitoring stack at the top of the repository, parsed, and the PromQL in them. */
final class StackFiles {

    static final Path REPO = JavaPrograms.repo();
    static final Path PROMETHEUS_YML = REPO.resolve("prometheus.yml");
    static final Path ALERTS = REPO.resolve("prometheus/alerts.yml");
    static final Path RECORDING = REPO.resolve("prometheus/recording.yml");
    static final Path TARGETS = REPO.resolve("prometheus/targets");
    static final Path ALERTMANAGER_YML = REPO.resolve("alertmanager/alertmanager.yml");
    static final Path ALERT_TESTS = REPO.resolve("prometheus/alerts.test.yml");
    static final Path DASHBOARD = REPO.resolve("grafana/dashboards/sentinel.json");
    static final Path COMPOSE = REPO.resolve("docker-compose.yml");

    private StackFiles() {
    }

    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object o = node;
        for (String key : path) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(key)) {
                throw new AssertionError("no '" + String.join(".", path) + "' (missing '" + key + "')");
            }
            o = m.get(key);
        }
        return (T) o;
    }

    /** One PromQL expression and where it is used. */
    record Expression(String where, String expr) {
    }

    /** Every {@code expr} of every panel target in the dashboard. */
    static List<Expression> dashboardExpressions() {
        List<Expression> out = new ArrayList<>();
        for (JsonNode panel : json(DASHBOARD).get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                if (target.has("expr")) {
                    out.add(new Expression("dashboard panel '" + panel.get("title").asText() + "' target "
                            + target.path("refId").asText(), target.get("expr").asText()));
                }
            }
        }
        return out;
    }

    /** The rule files prometheus.yml loads, in its order, as paths in the repository. */
    static List<Path> ruleFiles() {
        List<String> rules = at(yaml(PROMETHEUS_YML), "rule_files");
        return rules.stream().map(r -> PROMETHEUS_YML.getParent().resolve(r).normalize()).toList();
    }

    /**
     * Every rule's {@code expr}, from every rule file prometheus.yml loads: alerts as
     * {@code "alert NAME"}, recording rules as {@code "record NAME"}.
     */
    static List<Expression> ruleExpressions() {
        List<Expression> out = new ArrayList<>();
        for (Path file : ruleFiles()) {
            out.addAll(ruleExpressions(file));
        }
        return out;
    }

    /** Every alerting or recording rule's {@code expr} in one file. */
    static List<Expression> ruleExpressions(Path file) {
        List<Expression> out = new ArrayList<>();
        List<Map<String, Object>> groups = at(yaml(file), "groups");
        for (Map<String, Object> group : groups) {
            List<Map<String, Object>> rules = at(group, "rules");
            for (Map<String, Object> rule : rules) {
                String where = rule.containsKey("alert") ? "alert " + rule.get("alert") : "record " + rule.get("record");
                out.add(new Expression(where, String.valueOf(rule.get("expr")).trim()));
            }
        }
        return out;
    }

    /** The alerting rules of prometheus/alerts.yml. */
    static List<Expression> alertExpressions() {
        return ruleExpressions(ALERTS);
    }

    /** The rule's name without "alert " or "record ". */
    static String ruleName(Expression e) {
        return e.where().replaceFirst("^(alert|record) ", "");
    }

    /** An executable on the PATH, if installed. */
    static Optional<Path> tool(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
