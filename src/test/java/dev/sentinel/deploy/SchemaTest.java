package dev.sentinel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every rendered object is valid against its kind's schema: the Kubernetes API's JSON schemas (npm
 * kubernetes-models) and the Prometheus operator's (its ServiceMonitor and PrometheusRule), through
 * deploy/tools/k8s-schema/validate.mjs, installed by deploy/tools/fetch-k8s-schema. Types, required
 * fields, enums and patterns (a rule's {@code for: 1m}) are checked; unknown fields are allowed, as
 * the API's own schema allows them. Skips, saying why, without node and npm.
 */
class SchemaTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path validator;

    @BeforeAll
    static void install() {
        Tool.Result r = Tool.run(REPO, List.of("bash", "deploy/tools/fetch-k8s-schema"), "");
        Assumptions.assumeTrue(r.status() == 0,
                () -> "the schema validator cannot be installed, nothing is validated: " + r.err().strip());
        validator = REPO.resolve(r.out().strip());
    }

    private static List<String> invalid(Rendered r) throws IOException {
        List<String> command = List.of("node", "validate.mjs");
        Tool.Result result = Tool.run(validator, command, JSON.writeValueAsString(r.objects()));
        List<String> lines = result.out().lines().toList();
        assertEquals(r.objects().size(), lines.size(), "one line per object: " + result.out() + result.err());
        List<String> bad = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("ok ")) {
                bad.add(r.source() + ": " + line);
            }
        }
        assertEquals(bad.isEmpty(), result.status() == 0, result.out());
        return bad;
    }

    @Test
    void theKustomizeRendersAreValid() throws IOException {
        assertEquals(List.of(), invalid(Kustomize.render(REPO, Kustomize.BASE)));
        assertEquals(List.of(), invalid(Kustomize.render(REPO, Kustomize.SIDECAR)));
    }

    @Test
    void theChartsRendersAreValid() throws IOException {
        assertEquals(List.of(), invalid(Helm.template(REPO, "demo")));
        assertEquals(List.of(), invalid(Helm.template(REPO, "demo", "mode=sidecar")));
    }

    @Test
    void anInvalidObjectIsCaught() throws IOException {
        Rendered r = Kustomize.render(REPO, Kustomize.BASE);
        String yaml = new org.yaml.snakeyaml.Yaml().dumpAll(r.objects().iterator())
                .replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: thirty")
                .replace("for: 1m", "for: a minute");
        List<String> bad = invalid(Rendered.parse("changed", yaml));
        assertEquals(2, bad.size(), bad.toString());
        assertTrue(bad.get(0).contains("terminationGracePeriodSeconds must be integer")
                || bad.get(1).contains("terminationGracePeriodSeconds must be integer"), bad.toString());
    }
}
