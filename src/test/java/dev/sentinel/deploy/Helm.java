package dev.sentinel.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * helm for the chart's tests: target/tools/helm/helm as deploy/tools/fetch-helm puts it there (the
 * test runs the script when it is missing), or a helm on PATH. Tests skip, saying why, where
 * neither can be had.
 */
final class Helm {

    static final String CHART = DeployFiles.CHART;
    static final String FETCH = "deploy/tools/fetch-helm";

    private static Path binary;
    private static String unavailable;

    private Helm() {
    }

    static synchronized Path binary(Path repo) {
        if (binary == null && unavailable == null) {
            Path fetched = repo.resolve("target/tools/helm/helm");
            Tool.Result r = Tool.run(repo, List.of("bash", FETCH), "");
            if (r.status() == 0 && Files.isExecutable(fetched)) {
                binary = fetched;
            } else if (Tool.onPath("helm") != null) {
                binary = Tool.onPath("helm");
            } else {
                unavailable = FETCH + " could not fetch helm and none is on PATH: " + r.err().strip();
            }
        }
        Assumptions.assumeTrue(binary != null, () -> "helm is not available, the chart is not checked: " + unavailable);
        return binary;
    }

    /** {@code helm ARGS} in the repository; its result, whatever its status. */
    static Tool.Result run(Path repo, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary(repo).toString());
        command.addAll(List.of(args));
        return Tool.run(repo, command, "");
    }

    /** {@code helm template RELEASE CHART --set ...}, parsed; fails when helm does. */
    static Rendered template(Path repo, String release, String... sets) {
        List<String> args = new ArrayList<>(List.of("template", release, CHART));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Tool.Result r = run(repo, args.toArray(String[]::new));
        String out = r.outOrFail(args);
        return Rendered.parse("helm " + String.join(" ", args), out);
    }
}
