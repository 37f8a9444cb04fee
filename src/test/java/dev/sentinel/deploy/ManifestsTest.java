package dev.sentinel.deploy;

import static dev.sentinel.deploy.Rendered.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The kustomize renders of deploy/kubernetes (Sentinel as the entrypoint) and its overlay sidecar/
 * (Sentinel attached beside the app) agree with Sentinel: its port, its probes, the container's
 * memory limit against the programs', the grace period against the shutdown budget, the rules
 * promtool tests and the dashboard. The checks are also shown to catch what they claim, on renders
 * changed on purpose.
 */
class ManifestsTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath();

    @TempDir
    Path dir;

    /** The base's render as YAML again, made once for the tests that change it. */
    private static String rendered;

    private static String baseYaml() {
        if (rendered == null) {
            rendered = new Yaml().dumpAll(Kustomize.render(REPO, Kustomize.BASE).objects().iterator());
        }
        return rendered;
    }

    @Test
    void theEntrypointVariantAgreesWithSentinel() {
        Rendered r = Kustomize.render(REPO, Kustomize.BASE);
        ManifestChecks checks = new ManifestChecks(REPO, r);
        List<String> problems = new ArrayList<>(checks.checkPod());
        problems.addAll(checks.checkRules());
        problems.addAll(checks.checkDashboard());
        assertEquals(List.of(), problems);
        SentinelPod pod = checks.pod();
        assertFalse(pod.sidecar());
        assertEquals(List.of("app"), pod.programs().stream().map(SentinelPod.Program::name).toList());
        assertTrue(pod.programs().get(0).percent() != null, "the base's program limit is a share of the container's");
        assertEquals(1, r.all("ServiceMonitor").size());
        assertEquals(2, r.all("ConfigMap").size(), "the config and the dashboard");
    }

    @Test
    void theSidecarVariantAttachesToTheApp() {
        Rendered r = Kustomize.render(REPO, Kustomize.SIDECAR);
        ManifestChecks checks = new ManifestChecks(REPO, r);
        List<String> problems = new ArrayList<>(checks.checkPod());
        problems.addAll(checks.checkRules());
        problems.addAll(checks.checkDashboard());
        assertEquals(List.of(), problems);
        SentinelPod pod = checks.pod();
        assertTrue(pod.sidecar(), "Sentinel is a native sidecar: an init container with restartPolicy Always");
        assertEquals(Boolean.TRUE, r.podSpec().get("shareProcessNamespace"));
        List<String> args = Rendered.words(pod.container(), "args");
        assertEquals("attach", args.get(0), args.toString());
        assertTrue(SentinelPod.value(args, "--match") != null || SentinelPod.value(args, "--pid") != null,
                args.toString());
        assertEquals(1, pod.apps().size());
        assertNull(r.configMap("sentinel-config"), "the sidecar guards no programs of a config");
    }

    /** The TOML of the ConfigMap is one Sentinel takes: check-config says so, as a user would ask it. */
    @Test
    void theConfigMapsTomlPassesCheckConfig() throws IOException {
        SentinelPod pod = SentinelPod.of(Kustomize.render(REPO, Kustomize.BASE));
        Path file = dir.resolve("sentinel.toml");
        Files.writeString(file, pod.toml());
        try (RunningProcess p = RunningProcess.start(JavaPrograms.sentinel("check-config", file.toString()))) {
            int status = p.awaitExit(Duration.ofSeconds(60));
            assertEquals(0, status, String.join("\n", p.stderr()));
        }
    }

    private static List<String> problemsAfter(UnaryOperator<String> change) {
        String changed = change.apply(baseYaml());
        return new ManifestChecks(REPO, Rendered.parse("changed", changed)).checkPod();
    }

    private static void caught(String what, String sentence, UnaryOperator<String> change) {
        List<String> problems = problemsAfter(change);
        assertTrue(problems.stream().anyMatch(p -> p.contains(sentence)), what + ": " + problems);
    }

    @Test
    void theChecksCatchWhatTheyClaim() {
        caught("a short grace period", "terminationGracePeriodSeconds is 20",
                y -> y.replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 20"));
        caught("a probe on another port", "livenessProbe asks port 9000",
                y -> y.replaceFirst("port: metrics", "port: 9000"));
        caught("a share of 100 %", "is not a share below 100 %",
                y -> y.replace("memory_limit = \"75%\"", "memory_limit = \"100%\""));
        caught("an absolute limit over the container's", "is not below the container's",
                y -> y.replace("memory_limit = \"75%\"", "memory_limit = \"600M\""));
        caught("limits leaving Sentinel no room", "add up to",
                y -> y.replace("memory_limit = \"75%\"", "memory_limit = \"90%\""));
        caught("a grace past the budget", "longer than the shutdown budget",
                y -> y.replace("grace = \"10s\"", "grace = \"40s\""));
        caught("a config port the container does not declare", "its container's port 'metrics' is 8000",
                y -> y.replace("metrics_port = 8000", "metrics_port = 9100"));
        caught("a probe that waits less than /healthz may", "timeoutSeconds",
                y -> y.replaceFirst("timeoutSeconds: 3", "timeoutSeconds: 1"));
    }

    /** A sidecar's percentage is of the app's limit only where the downward API gives it. */
    @Test
    void theSidecarsPercentageNeedsTheAppsLimitGiven() {
        String sidecar = new Yaml().dumpAll(Kustomize.render(REPO, Kustomize.SIDECAR).objects().iterator());
        List<String> without = new ManifestChecks(REPO, Rendered.parse("changed",
                sidecar.replace("SENTINEL_CONTAINER_LIMIT", "SOMETHING_ELSE"))).checkPod();
        assertTrue(without.stream().anyMatch(p -> p.contains("a percentage is one of Sentinel's own")), without.toString());
        List<String> elsewhere = new ManifestChecks(REPO, Rendered.parse("changed",
                sidecar.replace("containerName: app", "containerName: sentinel"))).checkPod();
        assertTrue(elsewhere.stream().anyMatch(p -> p.contains("names the container 'sentinel'")), elsewhere.toString());
    }

    @Test
    void thePrometheusRuleIsTheRuleFilesPromtoolTests() {
        Rendered r = Kustomize.render(REPO, Kustomize.BASE);
        Map<String, Object> spec = map(r.one("PrometheusRule"), "spec");
        List<String> names = new ArrayList<>();
        for (Map<String, Object> g : Rendered.list(spec, "groups")) {
            names.add(String.valueOf(g.get("name")));
        }
        assertEquals(List.of("sentinel-recording", "sentinel"), names);
        String changed = baseYaml().replace("> 0.9", "> 0.8");
        assertFalse(new ManifestChecks(REPO, Rendered.parse("changed", changed)).checkRules().isEmpty(),
                "a changed threshold is caught");
    }
}
