package dev.sentinel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The copies and the PrometheusRule under deploy/ are what {@link DeployFiles} makes from
 * prometheus/ and grafana/ today: a changed alert or panel fails here until they are regenerated
 * ({@code -Dsentinel.regenerate=true} writes them instead of comparing).
 */
class DeployFilesTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", "."));

    @Test
    void deployFilesAreWhatTheSourcesGive() throws IOException {
        boolean regenerate = Boolean.getBoolean("sentinel.regenerate");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : DeployFiles.render(REPO).entrySet()) {
            Path path = REPO.resolve(file.getKey());
            String committed = Files.exists(path) ? Files.readString(path) : null;
            if (file.getValue().equals(committed)) {
                continue;
            }
            if (regenerate) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                System.out.println("regenerated " + file.getKey());
            } else {
                stale.add(file.getKey() + (committed == null ? ": missing" : ": differs from what its sources give"));
            }
        }
        assertEquals(List.of(), stale, "files under deploy/ are out of date; regenerate them from the repository "
                + "root with: " + DeployFiles.REGENERATE);
    }
}
