package dev.sentinel.deploy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** {@code kubectl kustomize DIR}, which needs no cluster; tests skip where kubectl is missing. */
final class Kustomize {

    static final String BASE = "deploy/kubernetes";
    static final String SIDECAR = "deploy/kubernetes/sidecar";

    private Kustomize() {
    }

    static Rendered render(Path repo, String dir) {
        Assumptions.assumeTrue(Tool.onPath("kubectl") != null,
                "kubectl is not on PATH: the kustomize renders of deploy/kubernetes are not checked");
        List<String> command = List.of("kubectl", "kustomize", dir);
        String yaml = Tool.run(repo, command, "").outOrFail(command);
        return Rendered.parse(String.join(" ", command), yaml);
    }
}
