package dev.sentinel.deploy;

import static dev.sentinel.deploy.Rendered.list;
import static dev.sentinel.deploy.Rendered.map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.text.ByteSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * What every render of Sentinel's pod must agree on with Sentinel itself, kustomize's and Helm's
 * alike; each check adds one sentence per problem it finds.
 */
final class ManifestChecks {

    /**
     * Sentinel's own memory beside its programs in one container: about 50 MiB measured idle
     * (BENCHMARKS.md), at most ~96 MiB with the image's heap capped at 64 MiB.
     */
    static final long SENTINEL_HEADROOM = 96L << 20;
    /** Between the end of the shutdown budget and the kubelet's SIGKILL: Sentinel reports and exits. */
    static final Duration GRACE_SLACK = Duration.ofSeconds(5);
    /** The job the alerts (SentinelDown: up{job="sentinel"}) and the dashboard expect. */
    static final String JOB = "sentinel";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path repo;
    private final Rendered r;
    private final SentinelPod pod;
    private final List<String> problems = new ArrayList<>();

    ManifestChecks(Path repo, Rendered r) {
        this.repo = repo;
        this.r = r;
        this.pod = SentinelPod.of(r);
    }

    SentinelPod pod() {
        return pod;
    }

    private void problem(String sentence) {
        problems.add(r.source() + ": " + sentence);
    }

    /** The pod's checks: port, probes, Service, memory, grace. */
    List<String> checkPod() {
        metricsPort();
        probes();
        service();
        memory();
        grace();
        return problems;
    }

    private Integer resolve(Object port) {
        if (port instanceof Integer n) {
            return n;
        }
        for (Map<String, Object> p : list(pod.container(), "ports")) {
            if (Objects.equals(p.get("name"), port)) {
                return (Integer) p.get("containerPort");
            }
        }
        return null;
    }

    private void metricsPort() {
        Integer declared = resolve("metrics");
        if (declared == null || declared != pod.metricsPort()) {
            problem("Sentinel serves its metrics on " + pod.metricsPort() + ", but its container's port 'metrics' is "
                    + declared);
        }
    }

    /** The path of the Sentinel container's probe ({@code livenessProbe}, ...), or null without one. */
    String probePath(String probe) {
        Object path = map(map(pod.container(), probe), "httpGet").get("path");
        return path == null ? null : String.valueOf(path);
    }

    private void probes() {
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            Map<String, Object> p = map(pod.container(), probe);
            if (p.isEmpty()) {
                // A sidecar leaves readiness to the app: the pod is ready when the app is.
                if (probe.equals("livenessProbe") || !pod.sidecar()) {
                    problem("Sentinel's container has no " + probe);
                }
                continue;
            }
            Map<String, Object> get = map(p, "httpGet");
            Integer port = resolve(get.get("port"));
            if (get.isEmpty() || port == null || port != pod.metricsPort()) {
                problem(probe + " asks port " + get.get("port") + " (" + port + "), Sentinel answers on "
                        + pod.metricsPort());
            }
            Object timeout = p.get("timeoutSeconds");
            // /healthz may wait a second for an idle loop to turn; the default timeout is 1 s.
            if (!(timeout instanceof Integer t) || t < 2) {
                problem(probe + " has timeoutSeconds " + timeout + "; /healthz can take a second, give it 2 or more");
            }
        }
    }

    private void service() {
        Map<String, Object> podLabels = map(map(map(map(r.one("Deployment"), "spec"), "template"), "metadata"),
                "labels");
        Map<String, Object> service = null;
        for (Map<String, Object> s : r.all("Service")) {
            if (podLabels.entrySet().containsAll(map(map(s, "spec"), "selector").entrySet())) {
                service = s;
            }
        }
        if (service == null) {
            problem("no Service selects the pod");
            return;
        }
        String portName = null;
        for (Map<String, Object> p : list(map(service, "spec"), "ports")) {
            Integer target = resolve(p.getOrDefault("targetPort", p.get("port")));
            if (target != null && target == pod.metricsPort()) {
                portName = String.valueOf(p.get("name"));
            }
        }
        if (portName == null) {
            problem("the Service has no port to Sentinel's " + pod.metricsPort());
        }
        if (pod.sidecar() && !(list(map(service, "spec"), "ports").get(0).get("targetPort") instanceof Integer)) {
            problem("the Service names the sidecar's port; before Kubernetes 1.32 that resolves to nothing "
                    + "(kubernetes/kubernetes#127958): give the number");
        }
        for (Map<String, Object> sm : r.all("ServiceMonitor")) {
            Map<String, Object> spec = map(sm, "spec");
            Map<String, Object> labels = map(map(service, "metadata"), "labels");
            if (!labels.entrySet().containsAll(map(map(spec, "selector"), "matchLabels").entrySet())) {
                problem("the ServiceMonitor does not select the Service");
            }
            List<Object> ports = list(spec, "endpoints").stream().map(e -> e.get("port")).map(Object.class::cast)
                    .toList();
            if (portName != null && !ports.equals(List.of(portName))) {
                problem("the ServiceMonitor scrapes ports " + ports + ", the Service's metrics port is " + portName);
            }
            Object job = spec.get("jobLabel") == null ? map(service, "metadata").get("name")
                    : labels.get(spec.get("jobLabel"));
            if (!JOB.equals(job)) {
                problem("Prometheus would name the job '" + job + "'; the alerts and the dashboard expect '" + JOB
                        + "'");
            }
        }
    }

    /**
     * The app container whose {@code limits.memory} the sidecar's environment gives Sentinel as
     * {@code SENTINEL_CONTAINER_LIMIT} through the downward API, or null (a problem is noted where
     * it names no container of the pod with a limit).
     */
    private String appLimitGiven() {
        Object env = pod.container().get("env");
        if (!(env instanceof List<?> vars)) {
            return null;
        }
        for (Object v : vars) {
            if (!(v instanceof Map<?, ?> var) || !"SENTINEL_CONTAINER_LIMIT".equals(var.get("name"))) {
                continue;
            }
            Object from = var.get("valueFrom") instanceof Map<?, ?> vf ? vf.get("resourceFieldRef") : null;
            if (!(from instanceof Map<?, ?> ref) || !"limits.memory".equals(ref.get("resource"))) {
                problem("SENTINEL_CONTAINER_LIMIT is not the downward API's resourceFieldRef limits.memory");
                return null;
            }
            Object name = ref.get("containerName");
            for (Map<String, Object> app : pod.apps()) {
                if (app.get("name").equals(name) && SentinelPod.memoryLimit(app) > 0) {
                    return String.valueOf(name);
                }
            }
            problem("SENTINEL_CONTAINER_LIMIT names the container '" + name + "', which is not an app container "
                    + "of the pod with a memory limit");
            return null;
        }
        return null;
    }

    private void memory() {
        if (pod.sidecar()) {
            long own = SentinelPod.memoryLimit(pod.container());
            if (own >= 0 && own < SENTINEL_HEADROOM) {
                problem("the sidecar's own limit " + ByteSize.format(own) + " is below what Sentinel may need, "
                        + ByteSize.format(SENTINEL_HEADROOM));
            }
            long apps = 0;
            for (Map<String, Object> app : pod.apps()) {
                long l = SentinelPod.memoryLimit(app);
                if (l < 0) {
                    problem("the container " + app.get("name") + " has no resources.limits.memory");
                }
                apps += Math.max(l, 0);
            }
            String given = appLimitGiven();
            for (SentinelPod.Program p : pod.programs()) {
                if (p.percent() != null && given == null) {
                    problem("the sidecar's limit is " + p.written() + ": a percentage is one of Sentinel's own "
                            + "container's limit, not the app's, unless SENTINEL_CONTAINER_LIMIT gives the app's "
                            + "limits.memory (resourceFieldRef); give a size below " + ByteSize.format(apps));
                } else if (p.percent() != null && (p.percent() <= 0 || p.percent() >= 100)) {
                    problem("the sidecar's limit " + p.written() + " is not a share below 100 % of " + given + "'s");
                } else if (p.percent() == null && (p.bytes() <= 0 || p.bytes() >= apps)) {
                    problem("the sidecar's limit " + p.written() + " is not below the app's " + ByteSize.format(apps));
                }
            }
            return;
        }
        long limit = SentinelPod.memoryLimit(pod.container());
        if (limit < 0) {
            problem("Sentinel's container has no resources.limits.memory, which its percentages are shares of");
            return;
        }
        long sum = 0;
        for (SentinelPod.Program p : pod.programs()) {
            if (p.percent() != null && (p.percent() <= 0 || p.percent() >= 100)) {
                problem(p.name() + "'s limit " + p.written() + " is not a share below 100 % of the container's");
            } else if (p.percent() == null && (p.bytes() <= 0 || p.bytes() >= limit)) {
                problem(p.name() + "'s limit " + p.written() + " is not below the container's "
                        + ByteSize.format(limit));
            }
            sum += p.bytesOf(limit);
        }
        if (sum + SENTINEL_HEADROOM > limit) {
            problem("the programs' limits add up to " + ByteSize.format(sum) + "; with Sentinel's own "
                    + ByteSize.format(SENTINEL_HEADROOM) + " that passes the container's " + ByteSize.format(limit)
                    + ", whose OOM killer would strike before Sentinel");
        }
    }

    private void grace() {
        Object written = r.podSpec().get("terminationGracePeriodSeconds");
        long grace = written instanceof Integer n ? n : 30;
        Duration needed = pod.shutdownTimeout().plus(GRACE_SLACK);
        if (grace < needed.toSeconds()) {
            problem("terminationGracePeriodSeconds is " + grace + "; shutdown_timeout "
                    + pod.shutdownTimeout().toSeconds() + "s plus " + GRACE_SLACK.toSeconds() + "s needs "
                    + needed.toSeconds());
        }
        for (SentinelPod.Program p : pod.programs()) {
            if (p.grace().compareTo(pod.shutdownTimeout()) > 0) {
                problem(p.name() + "'s grace " + p.grace().toSeconds() + "s is longer than the shutdown budget "
                        + pod.shutdownTimeout().toSeconds() + "s: the budget's SIGKILL would cut it short");
            }
        }
    }

    /** The PrometheusRule's groups are those of the rule files promtool tests, in their order. */
    List<String> checkRules() {
        Map<String, Object> rule = r.one("PrometheusRule");
        List<Object> expected = new ArrayList<>();
        for (String file : DeployFiles.RULE_FILES) {
            expected.addAll(list(yaml(file), "groups"));
        }
        if (!expected.equals(map(rule, "spec").get("groups"))) {
            problem("the PrometheusRule's groups are not those of " + DeployFiles.RULE_FILES);
        }
        return problems;
    }

    /** The dashboard is a ConfigMap Grafana's sidecar loads, holding grafana/dashboards/sentinel.json. */
    List<String> checkDashboard() {
        JsonNode expected = json(read(DeployFiles.DASHBOARD));
        boolean found = false;
        for (Map<String, Object> cm : r.all("ConfigMap")) {
            if (!"1".equals(map(map(cm, "metadata"), "labels").get("grafana_dashboard"))) {
                continue;
            }
            for (Object text : map(cm, "data").values()) {
                found |= expected.equals(json(String.valueOf(text)));
            }
        }
        if (!found) {
            problem("no ConfigMap labelled grafana_dashboard: \"1\" holds " + DeployFiles.DASHBOARD);
        }
        return problems;
    }

    private String read(String file) {
        try {
            return Files.readString(repo.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> yaml(String file) {
        return new Yaml().load(read(file));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }
}
