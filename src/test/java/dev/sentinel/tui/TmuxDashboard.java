package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tmux tests share: a Sentinel guarding the leaker (whose pids go to a file), reading the
 * pane, waiting for Sentinel's exit, and checking the terminal and the tree afterwards. Closing it
 * kills whatever the test left running.
 */
final class TmuxDashboard implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern EXIT = Pattern.compile("(?m)^EXIT=(\\d+)$");

    final Path pidFile;
    private final List<Long> pids = new ArrayList<>();

    TmuxDashboard(Path dir) {
        this.pidFile = dir.resolve("pids");
    }

    /** The java command line of a Sentinel without socket or metrics guarding the leaker. */
    List<String> sentinel(String limit, String... leakerArgs) {
        List<String> leaker = new ArrayList<>(JavaPrograms.leaker(leakerArgs));
        leaker.addAll(List.of("--pid-file", pidFile.toString()));
        List<String> args = new ArrayList<>(List.of("--no-socket", "--no-metrics", "-m", limit, "--"));
        args.addAll(leaker);
        return JavaPrograms.sentinel(args.toArray(String[]::new));
    }

    /** Kills {@code pid} on close if it is still alive. */
    void killOnClose(long pid) {
        pids.add(pid);
    }

    void awaitLeaker() {
        Await.until(WAIT, "the leaker's pid", () -> !Processes.pidsIn(pidFile).isEmpty());
    }

    static void awaitScreen(Tmux tmux, String what, Predicate<String> condition) {
        String[] last = {""};
        Await.until(WAIT, () -> what + "; the screen was:\n" + last[0], () -> condition.test(last[0] = tmux.screen()));
    }

    /** Waits for the script's EXIT= line and returns Sentinel's exit status. */
    static int awaitExit(Tmux tmux) {
        // The script prints EXIT= first and TTY= after an stty run: wait for both.
        awaitScreen(tmux, "Sentinel to exit", s -> EXIT.matcher(s).find() && s.contains("TTY="));
        Matcher m = EXIT.matcher(tmux.screen());
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    static void assertRestored(Tmux tmux) {
        String screen = tmux.screen();
        assertTrue(screen.contains("TTY=same"), "stty settings restored:\n" + screen);
        assertEquals("0", tmux.display("#{alternate_on}"), "back on the normal screen");
        assertEquals("1", tmux.display("#{cursor_flag}"), "cursor visible");
        assertFalse(screen.contains(" q quit  s stop"), "no dashboard left on the screen:\n" + screen);
    }

    void assertTreeGone() {
        List<Long> tree = Processes.pidsIn(pidFile);
        assertFalse(tree.isEmpty(), "the leaker wrote its pid");
        for (long pid : tree) {
            Await.until(Duration.ofSeconds(5), "process " + pid + " to be gone", () -> !Processes.alive(pid));
        }
    }

    @Override
    public void close() {
        Processes.killAll(Processes.pidsIn(pidFile));
        Processes.killAll(pids);
    }
}
