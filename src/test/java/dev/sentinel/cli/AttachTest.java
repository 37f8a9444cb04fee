package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sentinel attach} against a real leaker that Sentinel did not start: the test starts both,
 * side by side, as a sidecar and its app are started in a pod.
 */
class AttachTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Sentinel's options that keep it off the shared socket and port. */
    private static List<String> attach(String... args) {
        List<String> all = new ArrayList<>(List.of("attach"));
        all.addAll(List.of(args));
        all.addAll(List.of("--no-tui", "--no-socket", "--no-metrics"));
        return JavaPrograms.sentinel(all.toArray(String[]::new));
    }

    @Test
    void stopsTheTreeAtItsLimitWithTheMemoryStopsStatus() {
        try (RunningProcess app = RunningProcess.start(JavaPrograms.leaker("--leak", "40", "--report", "1s"));
             RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(app.pid()), "-m", "150M",
                     "-g", "5s"))) {
            int status = sentinel.awaitExit(WAIT);
            String err = String.join("\n", sentinel.stderr());
            assertEquals(143, status, err);
            assertTrue(err.contains("attached to pid " + app.pid()), err);
            assertTrue(err.contains("no restart"), err);
            // The test JVM's child is in the test JVM's process group: each process is signalled alone.
            assertTrue(err.contains("signals to each process of the tree"), err);
            assertTrue(err.contains("limit crossed"), err);
            assertEquals(143, app.awaitExit(WAIT), "the leaker ends on the SIGTERM: " + app.stderr());
        }
    }

    @Test
    void aTreeLeadingItsOwnGroupIsStoppedThroughItWithSigkillPastTheGrace(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")), "needs /usr/bin/setsid (util-linux)");
        Path pids = dir.resolve("pids");
        List<String> command = new ArrayList<>(List.of("/usr/bin/setsid"));
        command.addAll(JavaPrograms.leaker("--children", "2", "--leak", "20", "--ignore-term", "--pid-file",
                pids.toString()));
        try (RunningProcess app = RunningProcess.start(command)) {
            app.awaitStderr("started", WAIT);
            try (RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(app.pid()), "-m", "250M",
                    "-g", "1s"))) {
                int status = sentinel.awaitExit(WAIT);
                String err = String.join("\n", sentinel.stderr());
                assertEquals(137, status, err);
                assertTrue(err.contains("signals to its process group " + app.pid()), err);
                app.awaitExit(WAIT);
                for (String pid : Files.readAllLines(pids)) {
                    assertFalse(ProcessHandle.of(Long.parseLong(pid.trim())).map(ProcessHandle::isAlive).orElse(false),
                            "pid " + pid + " of the tree is gone");
                }
            }
        }
    }

    @Test
    void theProcesssOwnExitEndsSentinelWithZero() {
        try (RunningProcess app = RunningProcess.start(JavaPrograms.leaker("--after", "2s", "--exit", "3"));
             RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(app.pid()), "-m", "1G"))) {
            assertEquals(3, app.awaitExit(WAIT));
            assertEquals(0, sentinel.awaitExit(WAIT), String.join("\n", sentinel.stderr()));
        }
    }

    @Test
    void aPidNoProcessHasIsOneSentenceAndStatus2() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(gone.pid())))) {
            assertEquals(2, sentinel.awaitExit(WAIT));
            List<String> err = sentinel.stderr();
            assertEquals(1, err.size(), err.toString());
            assertTrue(err.get(0).startsWith("sentinel attach: no process has pid " + gone.pid()), err.toString());
        }
    }

    @Test
    void matchWaitsForTheProcessThenAttaches() {
        // A report period no other test uses: the pattern finds this leaker only.
        String period = "1" + (System.nanoTime() % 1000) + "ms";
        try (RunningProcess sentinel = RunningProcess.start(attach("--match", "[L]eaker --leak 1 --report " + period,
                "-m", "1G"))) {
            sentinel.awaitStderr("waiting for a process matching", WAIT);
            try (RunningProcess app = RunningProcess.start(JavaPrograms.leaker("--leak", "1", "--report", period))) {
                sentinel.awaitStderr("attached to pid " + app.pid() + "\\b", WAIT);
                app.signal("KILL");
                app.awaitExit(WAIT);
                assertEquals(0, sentinel.awaitExit(WAIT), String.join("\n", sentinel.stderr()));
                long waits = sentinel.stderr().stream().filter(l -> l.contains("waiting for a process")).count();
                assertEquals(1, waits, "said once: " + sentinel.stderr());
            }
        }
    }

    @Test
    void sigtermWhileWaitingEndsSentinelWithZero() {
        try (RunningProcess sentinel = RunningProcess.start(attach("--match", "[N]o such program " + System.nanoTime()))) {
            sentinel.awaitStderr("waiting for a process matching", WAIT);
            sentinel.signal("TERM");
            assertEquals(0, sentinel.awaitExit(WAIT), String.join("\n", sentinel.stderr()));
        }
    }

    @Test
    void anAncestorOfSentinelIsRefusedWithOneSentenceAndStatus2() {
        // This test's JVM is Sentinel's parent. (-m none: were the refusal broken, it would only watch.)
        long parent = ProcessHandle.current().pid();
        try (RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(parent), "-m", "none"))) {
            assertEquals(2, sentinel.awaitExit(WAIT), sentinel.stderr().toString());
            assertTrue(sentinel.stderr().get(0).contains("is Sentinel itself or one of its ancestors"),
                    sentinel.stderr().toString());
        }
    }

    @Test
    void aPercentageLimitIsRefused() {
        try (RunningProcess sentinel = RunningProcess.start(attach("--match", "[N]othing", "-m", "80%"))) {
            assertEquals(2, sentinel.awaitExit(WAIT), sentinel.stderr().toString());
            assertTrue(sentinel.stderr().get(0).contains("a percentage is a share of the attached tree's container's limit, which Sentinel "
                    + "cannot read from its own container; give it with --container-limit"),
                    sentinel.stderr().toString());
        }
    }

    /** A sidecar given the app container's limit (SENTINEL_CONTAINER_LIMIT from the downward API). */
    @Test
    void aPercentageIsAShareOfTheGivenContainerLimit() {
        try (RunningProcess app = RunningProcess.start(JavaPrograms.leaker("--leak", "1", "--report", "1s"));
             RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(app.pid()),
                     "--container-limit", "300M", "-m", "50%"))) {
            sentinel.awaitStderr("attached to pid " + app.pid() + "\\b.*limit 150 MiB \\(50% of 300 MiB\\)", WAIT);
            sentinel.awaitStderr("container memory limit 300 MiB \\(given\\): the largest tree gets SIGKILL when the "
                    + "trees together near 285 MiB", WAIT);
            sentinel.signal("TERM");
            assertEquals(0, sentinel.awaitExit(WAIT), String.join("\n", sentinel.stderr()));
            assertTrue(app.process().isAlive(), "detached: the app goes on running");
        }
    }

    @Test
    void aBadRegexIsOneSentenceAndStatus2() {
        try (RunningProcess sentinel = RunningProcess.start(attach("--match", "[unclosed"))) {
            assertEquals(2, sentinel.awaitExit(WAIT));
            assertTrue(sentinel.stderr().get(0).contains("is not a regular expression"), sentinel.stderr().toString());
        }
    }

    @Test
    void neitherPidNorMatchIsOneSentenceAndStatus2() {
        try (RunningProcess sentinel = RunningProcess.start(attach("-m", "100M"))) {
            assertEquals(2, sentinel.awaitExit(WAIT));
            assertTrue(sentinel.stderr().get(0).contains("give either --pid PID or --match REGEX"),
                    sentinel.stderr().toString());
        }
    }

    @Test
    void aRestartOrderIsRefusedAndTheProcessGoesOnRunning(@TempDir Path dir) {
        String socket = dir.resolve("s.socket").toString();
        try (RunningProcess app = RunningProcess.start(JavaPrograms.leaker("--leak", "1", "--report", "1s"));
             RunningProcess sentinel = RunningProcess.start(JavaPrograms.sentinel("attach", "--pid",
                     Long.toString(app.pid()), "-m", "1G", "--no-tui", "--no-metrics", "--socket", socket))) {
            sentinel.awaitStderr("attached to pid " + app.pid() + "\\b", WAIT);
            try (RunningProcess ctl = RunningProcess.start(JavaPrograms.sentinel("ctl", "-s", socket, "restart"))) {
                assertEquals(1, ctl.awaitExit(WAIT), "ERR: " + ctl.stdout() + ctl.stderr());
                String reply = String.join("\n", ctl.stdout()) + String.join("\n", ctl.stderr());
                assertTrue(reply.contains("is not its parent"), reply);
            }
            assertTrue(app.process().isAlive(), "the app goes on running");
            assertTrue(sentinel.process().isAlive(), "Sentinel goes on watching");
        }
    }

    @Test
    void sigtermToSentinelDetachesAndLeavesTheProcessRunning() {
        try (RunningProcess app = RunningProcess.start(JavaPrograms.leaker("--leak", "1", "--report", "1s"));
             RunningProcess sentinel = RunningProcess.start(attach("--pid", Long.toString(app.pid()), "-m", "1G"))) {
            sentinel.awaitStderr("attached to pid " + app.pid() + "\\b", WAIT);
            sentinel.signal("TERM");
            assertEquals(0, sentinel.awaitExit(WAIT), String.join("\n", sentinel.stderr()));
            assertTrue(sentinel.stderr().stream().anyMatch(l -> l.contains("detaching from pid " + app.pid())),
                    sentinel.stderr().toString());
            assertTrue(app.process().isAlive(), "the app goes on running");
            assertFalse(app.stderr().stream().anyMatch(l -> Pattern.compile("SIGTERM").matcher(l).find()),
                    "no signal reached the app: " + app.stderr());
        }
    }
}
