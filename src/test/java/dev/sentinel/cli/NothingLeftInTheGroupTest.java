package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.GroupHarness;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.Processes;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When Sentinel exits, nothing of its own is left in its caller's process group, alive or a
 * zombie: its lifeline shell included (issue 18). A real Sentinel runs under {@link GroupHarness},
 * in a group of its own, and the harness lists that group the moment Sentinel has exited.
 */
class NothingLeftInTheGroupTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The harnesses' groups, emptied after each test. */
    private final List<Long> groups = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (long group : groups) {
            members(group).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Await.until(WAIT, "group " + group + " is empty", () -> members(group).stream().noneMatch(Processes::alive));
        }
    }

    /** Runs Sentinel with {@code args} under the harness; returns the harness's report lines. */
    private List<String> report(String... args) throws IOException {
        Path report = dir.resolve("report");
        try (RunningProcess h = RunningProcess.start(GroupHarness.command(report, JavaPrograms.sentinel(args)))) {
            groups.add(h.pid());
            assertEquals(0, h.awaitExit(WAIT), "the harness ran; its stderr:\n" + String.join("\n", h.stderr()));
            return Files.readAllLines(report);
        }
    }

    private static void assertNothingLeft(List<String> report, int sentinelStatus) {
        assertEquals("exit " + sentinelStatus, report.get(0), "Sentinel's exit status");
        List<String> left = report.subList(1, report.size());
        assertTrue(left.isEmpty(), "left in Sentinel's process group after it exited (pid, state, ppid, name):\n"
                + String.join("\n", left));
    }

    @Test
    void aQuietRunLeavesNothing() throws IOException {
        assertNothingLeft(report("--no-tui", "--no-socket", "--no-metrics", "--", "true"), 0);
    }

    @Test
    void aRunWithSocketMetricsHookAndJournalLeavesNothing() throws IOException {
        Path hooked = dir.resolve("hooked");
        Path journal = dir.resolve("journal");
        List<String> report = report("--no-tui", "--socket", dir.resolve("s.sock").toString(), "-p", "0",
                "--metrics-host", "127.0.0.1", "--journal", journal.toString(),
                "--hook", "echo $SENTINEL_EVENT >> '" + hooked + "'", "--", "sh", "-c", "exit 3");
        assertNothingLeft(report, 3);
        assertTrue(Files.readString(hooked).contains("exited"), "the exited event's hook ran before Sentinel exited");
        assertTrue(Files.readString(journal).contains("\"exited\""), "the journal has the exited event");
    }

    @Test
    void aConfigRunWithCapturedOutputLeavesNothing() throws IOException {
        Path config = dir.resolve("sentinel.toml");
        Files.writeString(config, "[sentinel]\nsocket = \"" + dir.resolve("s.sock") + "\"\nmetrics = false\n\n"
                + "[programs.one]\ncommand = [\"sh\", \"-c\", \"echo one\"]\nrestart = \"never\"\n\n"
                + "[programs.two]\ncommand = [\"sh\", \"-c\", \"echo two\"]\nrestart = \"never\"\n");
        assertNothingLeft(report("--no-tui", "--config", config.toString()), 0);
    }

    /** The processes whose process group is {@code group}, zombies included. */
    private static List<Long> members(long group) {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong).filter(pid -> Processes.pgid(pid) == group).forEach(found::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }
}
