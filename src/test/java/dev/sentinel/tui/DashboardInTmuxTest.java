package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static dev.sentinel.tui.TmuxDashboard.assertRestored;
import static dev.sentinel.tui.TmuxDashboard.awaitExit;
import static dev.sentinel.tui.TmuxDashboard.awaitScreen;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel with its dashboard in a real terminal: a detached tmux session runs it with the leaker;
 * the test reads the screen with {@code capture-pane}, presses keys with {@code send-keys}, and
 * checks that the tree is gone and the terminal is restored (normal screen, visible cursor, the
 * same stty settings as before) however Sentinel ends.
 */
class DashboardInTmuxTest {

    private static final Duration WAIT = TmuxDashboard.WAIT;

    @TempDir
    Path dir;

    private TmuxDashboard dashboard;

    @BeforeAll
    static void needsTmux() {
        assumeTrue(Tmux.available(), "tmux is not installed (.ci/run installs it)");
    }

    @BeforeEach
    void prepare() {
        dashboard = new TmuxDashboard(dir);
    }

    @AfterEach
    void killLeftovers() {
        dashboard.close();
    }

    private List<String> sentinel(String limit, String... leakerArgs) {
        return dashboard.sentinel(limit, leakerArgs);
    }

    private void assertTreeGone() {
        dashboard.assertTreeGone();
    }

    @Test
    void showsTheTreeThenQuitStopsItAndRestoresTheTerminal() throws IOException {
        try (Tmux tmux = new Tmux(dir).start(dir, 120, 40, List.of(),
                sentinel("300M", "--leak", "5", "--report", "1s", "--children", "1"))) {
            // The child's command line may show a moment late: seen in the middle of its exec, it is
            // read again half a second later.
            awaitScreen(tmux, "the dashboard with the tree (the leaker, then its child indented), the chart "
                    + "and the child's output",
                    s -> s.contains(" Sentinel ") && s.contains("limit 300 MiB") && s.contains("TOTAL 2 processes")
                            && s.contains("memory · last") && s.contains("rss=") && s.contains("q quit  s stop")
                            && s.matches("(?s).*\\n\\s+\\d+ \\S*java -\\S+.*\\n\\s+\\d+ └─ \\S*java -.*"));
            String screen = tmux.screen();
            assertTrue(screen.contains("limit 300 MiB · grace 3s · socket off · metrics off"), screen);
            assertTrue(screen.contains("% of 300 MiB"), screen);
            assertTrue(screen.contains("started pid"), "the event pane:\n" + screen);
            Files.writeString(JavaPrograms.leakerClassDir().getParent().resolve("dashboard-capture.txt"), screen);

            tmux.sendKeys("q");
            assertEquals(143, awaitExit(tmux), "the child's own status: it ended on SIGTERM");
            assertRestored(tmux);
            assertTrue(tmux.screen().contains("sentinel[java]: exited with status 143 (SIGTERM) (stopped by sentinel: stop ordered)")
                    || tmux.screen().replace("\n", "").contains("(stopped by sentinel: stop ordered)"), tmux.screen());
            assertTreeGone();
        }
    }

    @Test
    void aKillAtTheLimitShowsTheReasonThenExitsWithTheChildsStatus() {
        try (Tmux tmux = new Tmux(dir).start(dir, 100, 30, List.of(),
                sentinel("100M", "--leak", "40", "--report", "250ms"))) {
            awaitScreen(tmux, "the final state and its reason",
                    s -> s.contains(FinalOverlay.TITLE) && s.contains("(stopped by sentinel: memory limit"));
            assertEquals(143, awaitExit(tmux));
            assertRestored(tmux);
            assertTreeGone();
        }
    }

    @Test
    void sigtermToSentinelStopsTheTreeAndRestoresTheTerminal() {
        try (Tmux tmux = new Tmux(dir).start(dir, 100, 30, List.of(),
                sentinel("300M", "--leak", "2", "--report", "1s"))) {
            awaitScreen(tmux, "the header with Sentinel's pid", s -> s.matches("(?s) Sentinel \\S+ · pid \\d+ .*"));
            Matcher m = Pattern.compile(" Sentinel \\S+ · pid (\\d+) ").matcher(tmux.screen());
            assertTrue(m.find());
            long sentinelPid = Long.parseLong(m.group(1));
            dashboard.killOnClose(sentinelPid);
            dashboard.awaitLeaker();
            ProcessHandle.of(sentinelPid).ifPresent(ProcessHandle::destroy);
            assertEquals(143, awaitExit(tmux));
            assertRestored(tmux);
            assertTrue(tmux.screen().replace("\n", "").contains("(stopped by sentinel: sentinel was signalled)"),
                    tmux.screen());
            assertTreeGone();
        }
    }
}
