package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fork bomb in the guarded program, with Sentinel and the bomb together in a pids cgroup capped
 * at 600 tasks (Sentinel's JVM threads count too), so the bomb exhausts the pids Sentinel could
 * use and never the machine's. Sentinel must keep sampling a tree of hundreds of processes that
 * changes faster than it can read, cross the limit, and leave nothing of the bomb.
 */
class ForkBombTest {

    private static final Path PIDS = Path.of("/sys/fs/cgroup/pids");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Path cgroup;

    @BeforeEach
    void capThePids() throws IOException {
        Assumptions.assumeTrue(Files.isWritable(PIDS.resolve("cgroup.procs")),
                "skipped: needs root and the cgroup v1 pids controller at " + PIDS
                        + " to cap the bomb (without a cap it would exhaust the machine's pids)");
        cgroup = PIDS.resolve("sentinel-test-bomb-" + ProcessHandle.current().pid());
        Files.createDirectory(cgroup);
        Files.writeString(cgroup.resolve("pids.max"), "600");
    }

    @AfterEach
    void removeTheCgroup() throws IOException {
        if (cgroup == null) {
            return;
        }
        Await.until(WAIT, "the bomb's cgroup to empty", () -> {
            String procs = read(cgroup.resolve("cgroup.procs"));
            procs.lines().forEach(pid -> ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly));
            return procs.isBlank();
        });
        Files.delete(cgroup);
    }

    @Test
    void aForkBombIsStoppedAndNothingOfItIsLeft() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"",
                cgroup.toString()));
        cmd.addAll(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics", "-m", "200M", "-g", "2s", "--",
                "sh", "-c", "b(){ b & b & sleep 5; wait; }; b"));
        try (RunningProcess s = RunningProcess.start(cmd)) {
            Matcher crossed = s.awaitStderr("limit crossed: tree RSS ([0-9.]+) MiB > limit 200 MiB \\((\\d+) processes\\)",
                    WAIT);
            int status = s.awaitExit(WAIT);
            assertTrue(status == 143 || status == 137, "a memory stop: " + status + "\n" + String.join("\n", s.stderr()));
            assertTrue(Integer.parseInt(crossed.group(2)) > 50, "the bomb was counted: " + crossed.group());
            assertFalse(s.stderr().stream().anyMatch(l -> l.contains("OutOfMemoryError") || l.contains("Exception")),
                    "Sentinel itself was unharmed: " + String.join("\n", s.stderr()));
        }
        Await.until(WAIT, "nothing of the bomb left", () -> read(cgroup.resolve("pids.current")).trim().equals("0"));
        String events = Files.readString(cgroup.resolve("pids.events"));
        assertTrue(!events.trim().equals("max 0"), "the bomb reached the cap, so Sentinel ran out of pids too: " + events);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
