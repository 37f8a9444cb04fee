package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel with its dashboard in a real terminal: a detached tmux session runs it with the leaker;
 * the test reads the screen with {@code capture-pane}, presses keys with {@code send-keys}, and
 * checks that the tree is gone and the terminal is restored (normal screen, visible cursor, the
 * same stty settings as before) however Sentinel ends.
 */
class DashboardInTmuxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern EXIT = Pattern.compile("(?m)^EXIT=(\\d+)$");

    @TempDir
    Path dir;

    private final List<Long> pids = new ArrayList<>();
    private Path pidFile;

    @BeforeAll
    static void needsTmux() {
        assumeTrue(Tmux.available(), "tmux is not installed (.ci/run installs it)");
    }

    @AfterEach
    void killLeftovers() {
        if (pidFile != null) {
            Processes.killAll(Processes.pidsIn(pidFile));
        }
        Processes.killAll(pids);
    }

    private List<String> sentinel(String limit, String... leakerArgs) {
        pidFile = dir.resolve("pids");
        List<String> leaker = new ArrayList<>(JavaPrograms.leaker(leakerArgs));
        leaker.addAll(List.of("--pid-file", pidFile.toString()));
        List<String> args = new ArrayList<>(List.of("--no-socket", "--no-metrics", "-m", limit, "--"));
        args.addAll(leaker);
        return JavaPrograms.sentinel(args.toArray(String[]::new));
    }

    private static void awaitScreen(Tmux tmux, String what, java.util.function.Predicate<String> condition) {
        String[] last = {""};
        Await.until(WAIT, () -> what + "; the screen was:\n" + last[0], () -> condition.test(last[0] = tmux.screen()));
    }

    /** Waits for the script's EXIT= line and returns Sentinel's exit status. */
    private static int awaitExit(Tmux tmux) {
        awaitScreen(tmux, "Sentinel to exit", s -> EXIT.matcher(s).find());
        Matcher m = EXIT.matcher(tmux.screen());
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    private static void assertRestored(Tmux tmux) {
        String screen = tmux.screen();
        assertTrue(screen.contains("TTY=same"), "stty settings restored:\n" + screen);
        assertEquals("0", tmux.display("#{alternate_on}"), "back on the normal screen");
        assertEquals("1", tmux.display("#{cursor_flag}"), "cursor visible");
        assertFalse(screen.contains(" q quit  s stop"), "no dashboard left on the screen:\n" + screen);
    }

    private void assertTreeGone() {
        List<Long> tree = Processes.pidsIn(pidFile);
        assertFalse(tree.isEmpty(), "the leaker wrote its pid");
        for (long pid : tree) {
            Await.until(Duration.ofSeconds(5), "process " + pid + " to be gone", () -> !Processes.alive(pid));
        }
    }

    @Test
    void showsTheTreeThenQuitStopsItAndRestoresTheTerminal() throws IOException {
        try (Tmux tmux = new Tmux(dir).start(dir, 120, 40, List.of(),
                sentinel("300M", "--leak", "5", "--report", "1s", "--children", "1"))) {
            awaitScreen(tmux, "the dashboard with the tree, the chart and the child's output",
                    s -> s.contains(" Sentinel ") && s.contains("limit 300 MiB") && s.contains("TOTAL 2 processes")
                            && s.contains("memory · last") && s.contains("rss=") && s.contains("q quit  s stop"));
            String screen = tmux.screen();
            assertTrue(screen.contains("limit 300 MiB · grace 3s · socket off · metrics off"), screen);
            assertTrue(screen.matches("(?s).*\\n\\s+\\d+ \\S*java -\\S+.*\\n\\s+\\d+ └─ \\S*java -.*"),
                    "the leaker, then its child indented:\n" + screen);
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
            pids.add(sentinelPid);
            Await.until(WAIT, "the leaker's pid", () -> !Processes.pidsIn(pidFile).isEmpty());
            ProcessHandle.of(sentinelPid).ifPresent(ProcessHandle::destroy);
            assertEquals(143, awaitExit(tmux));
            assertRestored(tmux);
            assertTrue(tmux.screen().replace("\n", "").contains("(stopped by sentinel: sentinel was signalled)"),
                    tmux.screen());
            assertTreeGone();
        }
    }

    /**
     * The launcher users type, with the jar of this build. Maven runs tests before it packages, so
     * this runs only when an earlier {@code mvn package} left the jar in the build directory.
     */
    @Test
    void binSentinelRunsTheDashboard() {
        Path jar = JavaPrograms.leakerClassDir().getParent().resolve("sentinel.jar");
        assumeTrue(Files.isRegularFile(jar), "no " + jar + " yet (run mvn package first)");
        List<String> cmd = new ArrayList<>(sentinel("300M", "--leak", "2"));
        int main = cmd.indexOf("dev.sentinel.cli.Main");
        List<String> launcher = new ArrayList<>();
        launcher.add(JavaPrograms.repo().resolve("bin/sentinel").toString());
        launcher.addAll(cmd.subList(main + 1, cmd.size()));
        try (Tmux tmux = new Tmux(dir).start(dir, 100, 30, List.of("SENTINEL_JAR=" + jar, "SENTINEL_NO_CDS=1"), launcher)) {
            awaitScreen(tmux, "the dashboard", s -> s.contains(" Sentinel ") && s.contains("TOTAL 1 process"));
            Await.until(WAIT, "the leaker's pid", () -> !Processes.pidsIn(pidFile).isEmpty());
            tmux.sendKeys("q");
            assertEquals(143, awaitExit(tmux));
            assertRestored(tmux);
            assertTreeGone();
        }
    }
}
