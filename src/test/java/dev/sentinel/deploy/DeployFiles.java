package dev.sentinel.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files under deploy/ that are made from others, because neither kustomize nor Helm reads
 * outside its own directory: the PrometheusRule of the kustomize base (the groups of
 * prometheus/recording.yml and prometheus/alerts.yml, the files promtool tests), and copies of those
 * two files and of the Grafana dashboard for the base and the chart.
 */
final class DeployFiles {

    /** Rewrites every one of them; DeployFilesTest says so when one is out of date. */
    static final String REGENERATE = "mvn -q -B -o -Dtest=DeployFilesTest -Dsentinel.regenerate=true test";

    static final String RECORDING = "prometheus/recording.yml";
    static final String ALERTS = "prometheus/alerts.yml";
    static final String DASHBOARD = "grafana/dashboards/sentinel.json";
    /** The rule files in the order Prometheus loads them (prometheus.yml, alerts.test.yml). */
    static final List<String> RULE_FILES = List.of(RECORDING, ALERTS);

    static final String KUSTOMIZE_RULE = "deploy/kubernetes/base/generated/prometheusrule.yaml";
    static final String KUSTOMIZE_DASHBOARD = "deploy/kubernetes/base/generated/sentinel.json";
    static final String CHART = "deploy/helm/sentinel";

    private DeployFiles() {
    }

    /** Each file's path in the repository at {@code repo}, with what it should hold. */
    static Map<String, String> render(Path repo) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(KUSTOMIZE_RULE, prometheusRule(repo));
        files.put(KUSTOMIZE_DASHBOARD, Files.readString(repo.resolve(DASHBOARD)));
        for (String rules : RULE_FILES) {
            files.put(CHART + "/files/" + Path.of(rules).getFileName(), Files.readString(repo.resolve(rules)));
        }
        files.put(CHART + "/files/sentinel.json", Files.readString(repo.resolve(DASHBOARD)));
        return files;
    }

    /**
     * The rule files' groups, as text with their comments, under one PrometheusRule's
     * {@code spec.groups}: each file's lines after its {@code groups:} indented by two.
     */
    static String prometheusRule(Path repo) throws IOException {
        StringBuilder b = new StringBuilder()
                .append("# GENERATED from ").append(String.join(" and ", RULE_FILES))
                .append(" by DeployFilesTest: edit those, then\n# ").append(REGENERATE).append('\n')
                .append("apiVersion: monitoring.coreos.com/v1\n")
                .append("kind: PrometheusRule\n")
                .append("metadata:\n")
                .append("  name: sentinel\n")
                .append("  labels:\n")
                .append("    app.kubernetes.io/name: sentinel\n")
                .append("spec:\n")
                .append("  groups:\n");
        for (String file : RULE_FILES) {
            b.append("    # ").append(file).append('\n');
            List<String> lines = Files.readAllLines(repo.resolve(file));
            int groups = lines.indexOf("groups:");
            if (groups < 0) {
                throw new IllegalStateException(file + " has no top-level 'groups:' line");
            }
            for (String line : lines.subList(0, groups)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    throw new IllegalStateException(file + ": only comments may stand before 'groups:', not '"
                            + line + "'");
                }
            }
            for (String line : lines.subList(groups + 1, lines.size())) {
                if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                    throw new IllegalStateException(file + ": 'groups:' must be the only top-level key, not '"
                            + line + "'");
                }
                b.append(line.isBlank() ? "" : "  " + line).append('\n');
            }
        }
        return b.toString();
    }
}
