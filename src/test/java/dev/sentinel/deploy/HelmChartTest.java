package dev.sentinel.deploy;

import static dev.sentinel.deploy.Rendered.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * The chart deploy/helm/sentinel lints, renders with its defaults what the kustomize base renders
 * (the same config, container, rules and dashboard), renders the sidecar mode, leaves out what its
 * toggles turn off, and refuses values that would break the shutdown budget, in one sentence.
 */
class HelmChartTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath();

    private static List<String> allProblems(Rendered r) {
        ManifestChecks checks = new ManifestChecks(REPO, r);
        List<String> problems = new ArrayList<>(checks.checkPod());
        problems.addAll(checks.checkRules());
        problems.addAll(checks.checkDashboard());
        return problems;
    }

    /** A TOML value as plain maps (sorted by key) and lists, to compare two files' meaning. */
    private static Object plain(Object value) {
        if (value instanceof TomlTable t) {
            Map<String, Object> m = new TreeMap<>();
            for (String key : t.keySet()) {
                m.put(key, plain(t.get(List.of(key))));
            }
            return m;
        }
        if (value instanceof TomlArray a) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                l.add(plain(a.get(i)));
            }
            return l;
        }
        return value;
    }

    @Test
    void theChartLints() {
        Tool.Result r = Helm.run(REPO, "lint", "--strict", Helm.CHART);
        assertEquals(0, r.status(), r.out() + r.err());
    }

    @Test
    void theEntrypointModeAgreesWithSentinelAndWithTheKustomizeBase() {
        Rendered helm = Helm.template(REPO, "demo");
        assertEquals(List.of(), allProblems(helm));

        Rendered kustomize = Kustomize.render(REPO, Kustomize.BASE);
        SentinelPod h = SentinelPod.of(helm);
        SentinelPod k = SentinelPod.of(kustomize);
        assertEquals(plain(Toml.parse(k.toml())), plain(Toml.parse(h.toml())), "the same config");
        for (String field : List.of("image", "args", "ports", "resources", "livenessProbe", "readinessProbe",
                "volumeMounts", "securityContext")) {
            assertEquals(k.container().get(field), h.container().get(field), "the container's " + field);
        }
        assertEquals(kustomize.podSpec().get("terminationGracePeriodSeconds"),
                helm.podSpec().get("terminationGracePeriodSeconds"));
        assertEquals(map(kustomize.one("PrometheusRule"), "spec"), map(helm.one("PrometheusRule"), "spec"));
        assertEquals(map(kustomize.one("ServiceMonitor"), "spec").get("endpoints"),
                map(helm.one("ServiceMonitor"), "spec").get("endpoints"));
    }

    @Test
    void theSidecarModeAttachesToTheApp() {
        Rendered r = Helm.template(REPO, "demo", "mode=sidecar");
        assertEquals(List.of(), allProblems(r));
        SentinelPod pod = SentinelPod.of(r);
        assertTrue(pod.sidecar());
        assertEquals(Boolean.TRUE, r.podSpec().get("shareProcessNamespace"));
        assertEquals("attach", Rendered.words(pod.container(), "args").get(0));
        assertEquals(1, r.all("ConfigMap").size(), "the dashboard only: a sidecar has no config of programs");
    }

    @Test
    void theValuesMoveWhatFollowsThem() {
        Rendered r = Helm.template(REPO, "demo", "metricsPort=9100", "shutdownTimeoutSeconds=50",
                "memory=1Gi", "config.programs.app.memory_limit=50%");
        assertEquals(List.of(), allProblems(r));
        SentinelPod pod = SentinelPod.of(r);
        assertEquals(9100, pod.metricsPort());
        assertEquals(55, r.podSpec().get("terminationGracePeriodSeconds"));
        assertEquals(50.0, pod.programs().get(0).percent());
    }

    @Test
    void theTogglesLeaveTheirObjectsOut() {
        Rendered r = Helm.template(REPO, "demo", "serviceMonitor.enabled=false", "prometheusRule.enabled=false",
                "dashboard.enabled=false");
        assertEquals(List.of(), r.all("ServiceMonitor"));
        assertEquals(List.of(), r.all("PrometheusRule"));
        assertEquals(1, r.all("ConfigMap").size(), "the config only");
        Rendered labelled = Helm.template(REPO, "demo", "serviceMonitor.labels.release=kube-prometheus-stack");
        assertEquals("kube-prometheus-stack",
                map(map(labelled.one("ServiceMonitor"), "metadata"), "labels").get("release"));
    }

    @Test
    void badValuesAreRefusedInOneSentence() {
        Tool.Result grace = Helm.run(REPO, "template", "demo", Helm.CHART, "--set", "terminationGracePeriodSeconds=20");
        assertNotEquals(0, grace.status());
        assertTrue(grace.err().contains("terminationGracePeriodSeconds 20 is shorter than shutdownTimeoutSeconds 25 "
                + "plus 5"), grace.err());
        Tool.Result mode = Helm.run(REPO, "template", "demo", Helm.CHART, "--set", "mode=daemon");
        assertNotEquals(0, mode.status());
        assertTrue(mode.err().contains("mode is \"daemon\""), mode.err());
        Tool.Result port = Helm.run(REPO, "template", "demo", Helm.CHART, "--set", "config.sentinel.metrics_port=1");
        assertNotEquals(0, port.status());
        assertTrue(port.err().contains("config.sentinel.metrics_port: set metricsPort instead"), port.err());
    }
}
