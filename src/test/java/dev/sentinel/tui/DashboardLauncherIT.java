package dev.sentinel.tui;

import static dev.sentinel.tui.TmuxDashboard.assertRestored;
import static dev.sentinel.tui.TmuxDashboard.awaitExit;
import static dev.sentinel.tui.TmuxDashboard.awaitScreen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.testing.JavaPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sentinel, the launcher users type, drawing the dashboard in a real tmux pane, with the jar
 * this build packaged: so it runs after {@code mvn package}, in the integration-test phase.
 */
class DashboardLauncherIT {

    @TempDir
    Path dir;

    @Test
    void binSentinelRunsTheDashboard() {
        assumeTrue(Tmux.available(), "tmux is not installed (.ci/run installs it)");
        Path jar = JavaPrograms.leakerClassDir().getParent().resolve("sentinel.jar");
        assertEquals(true, Files.isRegularFile(jar), "the packaged jar " + jar);
        try (TmuxDashboard dashboard = new TmuxDashboard(dir)) {
            List<String> cmd = new ArrayList<>(dashboard.sentinel("300M", "--leak", "2"));
            int main = cmd.indexOf("dev.sentinel.cli.Main");
            List<String> launcher = new ArrayList<>();
            launcher.add(JavaPrograms.repo().resolve("bin/sentinel").toString());
            launcher.addAll(cmd.subList(main + 1, cmd.size()));
            try (Tmux tmux = new Tmux(dir).start(dir, 100, 30, List.of("SENTINEL_JAR=" + jar, "SENTINEL_NO_CDS=1"),
                    launcher)) {
                awaitScreen(tmux, "the dashboard", s -> s.contains(" Sentinel ") && s.contains("TOTAL 1 process"));
                dashboard.awaitLeaker();
                tmux.sendKeys("q");
                assertEquals(143, awaitExit(tmux));
                assertRestored(tmux);
                dashboard.assertTreeGone();
            }
        }
    }
}
