package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.Processes;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --measure} end to end, with issue 20's example: a parent maps and touches 150 MiB of
 * shared anonymous memory and forks 4 workers that touch it too (tests/shared-memory). Each of
 * the 5 processes has all of it resident, so their RSS adds up to some 750 MiB while the memory
 * they use is 150 MiB once: a 400 MiB limit stops the tree under {@code rss} and not under
 * {@code pss} or {@code cgroup}.
 */
class MeasureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MIB = 1 << 20;
    private static final int PROCESSES = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PidFiles pidFiles;
    private Path socket;

    @BeforeEach
    void setUp() {
        pidFiles = new PidFiles(dir);
        socket = dir.resolve("s.sock");
    }

    @AfterEach
    void noProcessLeftBehind() {
        // The workers die with their parent (PR_SET_PDEATHSIG); this kills and fails on any that did not.
        pidFiles.assertNoneLeft(Duration.ofSeconds(10));
    }

    private RunningProcess sentinel(Path pids, String... options) {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")),
                "skipped: the shared-memory tree is a python3 script and there is no /usr/bin/python3");
        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-metrics", "--socket", socket.toString(),
                "-n", "tree", "-g", "1s"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", "/usr/bin/python3", script().toString(), "150", "4", pids.toString()));
        return RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)));
    }

    private static Path script() {
        return JavaPrograms.repo().resolve("tests/shared-memory/shared_tree.py");
    }

    private static void assumeCgroups() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isDirectory(
                Path.of("/sys/fs/cgroup/unified")) || Files.isWritable(Path.of("/sys/fs/cgroup/cgroup.procs")),
                "skipped: measure cgroup needs a cgroup per program: root (or a delegated cgroup) and a cgroup "
                        + "file system");
    }

    private JsonNode status() {
        try {
            return JSON.readTree(RestartingTest.ask(socket, "json tree"));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static long mib(JsonNode status) {
        return status.path("rss_bytes").asLong(-1) / MIB;
    }

    private static void awaitTouched(Path pids) {
        Await.until(WAIT, () -> "all " + PROCESSES + " processes to touch the shared memory: " + Processes.pidsIn(pids),
                () -> Processes.pidsIn(pids).size() == PROCESSES);
    }

    /**
     * Under a measure that counts the shared memory once: its reading settles between {@code low}
     * and {@code high} MiB, and the tree runs on under a 400 MiB limit for 12 samples more.
     */
    private void readsOnceAndRunsUnder400M(String measure, long low, long high) {
        Path pids = pidFiles.next();
        try (RunningProcess s = sentinel(pids, "-m", "400M", "--measure", measure)) {
            s.awaitStderr("started pid \\d+ \\(limit 400 MiB of ", WAIT);
            awaitTouched(pids);
            long[] seen = {-1};
            Await.until(WAIT, () -> measure + " between " + low + " and " + high + " MiB, last " + seen[0]
                    + " MiB; stderr:\n" + String.join("\n", s.stderr()), () -> {
                seen[0] = mib(status());
                return seen[0] >= low && seen[0] <= high;
            });
            JsonNode now = status();
            assertEquals(measure, now.path("measure").asText());
            long samples = now.path("samples").asLong();
            Await.until(WAIT, () -> "12 samples more", () -> status().path("samples").asLong() >= samples + 12);
            JsonNode later = status();
            assertEquals("RUNNING", later.path("state").asText(), later.toString());
            assertTrue(mib(later) <= high, later.toString());
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("limit crossed")), String.join("\n", s.stderr()));
            System.out.println("measure " + measure + ": " + mib(later) + " MiB for " + PROCESSES + " processes");
        }
    }

    @Test
    void rssCountsTheSharedMemoryInEveryProcess() {
        Path pids = pidFiles.next();
        try (RunningProcess s = sentinel(pids, "-m", "2G")) {
            awaitTouched(pids);
            long[] seen = {-1};
            Await.until(WAIT, () -> "rss near 5 x 150 MiB, last " + seen[0] + " MiB", () -> {
                seen[0] = mib(status());
                return seen[0] >= 700 && seen[0] <= 900;
            });
            assertEquals("rss", status().path("measure").asText());
            System.out.println("measure rss: " + seen[0] + " MiB for " + PROCESSES + " processes");
        }
    }

    @Test
    void underRssA400MLimitStopsTheTree() {
        Path pids = pidFiles.next();
        try (RunningProcess s = sentinel(pids, "-m", "400M", "--measure", "rss")) {
            s.awaitStderr("limit crossed: tree RSS .* > limit 400 MiB", WAIT);
            int status = s.awaitExit(WAIT);
            assertTrue(status == 143 || status == 137, "a memory stop: " + status);
        }
    }

    @Test
    void underPssTheSharedMemoryCountsOnceAndTheTreeRuns() {
        readsOnceAndRunsUnder400M("pss", 140, 240);
    }

    @Test
    void underCgroupTheWorkingSetCountsItOnceAndTheTreeRuns() {
        assumeCgroups();
        readsOnceAndRunsUnder400M("cgroup", 140, 260);
    }

    @Test
    void aCgroupMeasureWithoutACgroupIsRefusedAtStart() {
        Path pids = pidFiles.next();
        try (RunningProcess s = sentinel(pids, "--cgroup", "off", "--measure", "cgroup")) {
            assertEquals(2, s.awaitExit(WAIT), String.join("\n", s.stderr()));
            assertTrue(s.stderr().stream().anyMatch(l -> l.startsWith("sentinel: tree: measure cgroup needs a cgroup")),
                    String.join("\n", s.stderr()));
            assertEquals(List.of(), Processes.pidsIn(pids), "nothing started");
        }
    }
}
