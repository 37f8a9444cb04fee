package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Sentinel in a memory-limited cgroup of this host, standing in for a container: a v1 memory
 * cgroup of 400 MiB that Sentinel is started in, with {@code --cgroup off} so that, as in a
 * container whose {@code /sys/fs/cgroup} is read-only, its own sampling is all there is between a
 * leak and the kernel's OOM killer. (The pod with a real cgroup namespace, group OOM and a
 * read-only cgroupfs runs on a pure-v2 kernel in tests/vm.)
 */
class ContainerLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MIB = 1 << 20;

    private Path cgroup;

    @BeforeEach
    void makeTheContainer() throws IOException {
        Path own = ownV1MemoryCgroup();
        Assumptions.assumeTrue(own != null && Files.isWritable(own),
                "skipped: needs root and a cgroup v1 memory hierarchy (this host's shape) to stand in for a container");
        cgroup = own.resolve("sentinel-test-container-" + ProcessHandle.current().pid());
        if (!Files.isDirectory(cgroup)) {
            Files.createDirectory(cgroup);
        }
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(400 * MIB));
    }

    @AfterEach
    void removeTheContainer() throws Exception {
        if (cgroup == null) {
            return;
        }
        Await.until(Duration.ofSeconds(10), "the container's cgroup is empty", () -> {
            try {
                return Files.readString(cgroup.resolve("cgroup.procs")).isBlank();
            } catch (IOException e) {
                return false;
            }
        });
        Files.delete(cgroup);
    }

    static Path ownV1MemoryCgroup() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("memory")) {
                Path p = Path.of("/sys/fs/cgroup/memory" + f[2]);
                return Files.isDirectory(p) ? p : null;
            }
        }
        return null;
    }

    /** Sentinel started inside the container's cgroup: the shell enters it, then execs Sentinel. */
    private RunningProcess sentinel(String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\"/cgroup.procs && exec \"$@\"",
                cgroup.toString()));
        List<String> s = new ArrayList<>(List.of("--no-tui", "--no-metrics", "--no-socket", "--cgroup", "off"));
        s.addAll(List.of(args));
        cmd.addAll(JavaPrograms.sentinel(s.toArray(String[]::new)));
        return RunningProcess.start(cmd);
    }

    private long oomKills() throws IOException {
        for (String line : Files.readAllLines(cgroup.resolve("memory.oom_control"))) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return 0;
    }

    @Test
    void aTreeThatIgnoresTermIsKilledBeforeTheContainersLimitWhateverTheGrace() throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", "100M", "-g", "30s", "--"));
        args.addAll(JavaPrograms.leaker("--leak", "40", "--ignore-term"));
        long started = System.nanoTime();
        try (RunningProcess s = sentinel(args.toArray(String[]::new))) {
            s.awaitStderr("container memory limit 400 MiB \\(" + java.util.regex.Pattern.quote(
                    cgroup.resolve("memory.limit_in_bytes").toString()) + "\\): the largest tree gets SIGKILL when "
                    + "the container nears 380 MiB", WAIT);
            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
            Matcher near = s.awaitStderr("container limit near: ([0-9.]+) MiB of 400 MiB in use", WAIT);
            assertTrue(Double.parseDouble(near.group(1)) < 400, near.group());
            s.awaitStderr("sent SIGKILL to the tree \\(container limit near\\)", WAIT);
            assertEquals(137, s.awaitExit(WAIT), "a memory stop that needed SIGKILL");
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(seconds < 30, "killed before its 30 s grace was over: " + seconds + " s");
        }
        assertEquals(0, oomKills(), "the kernel's OOM killer never struck in the container");
    }

    @Test
    void aPercentageIsOfTheContainersLimitAndTheStartedLineSaysIt() {
        try (RunningProcess s = sentinel("-m", "50%", "--", "sleep", "60")) {
            s.awaitStderr("started pid \\d+ \\(limit 200 MiB \\(50% of 400 MiB\\), grace 3s; /proc only; container "
                    + "memory limit 400 MiB", WAIT);
            s.signal("TERM");
            s.awaitExit(WAIT);
        }
    }

    @Test
    void aLimitThatReachesTheContainersIsRefusedBeforeAnythingStarts() {
        try (RunningProcess s = sentinel("-m", "500M", "--", "sleep", "60")) {
            assertEquals(2, s.awaitExit(WAIT));
            String err = String.join("\n", s.stderr());
            assertTrue(err.contains("sentinel: sleep: memory_limit 500 MiB reaches the container memory limit 400 MiB"),
                    err);
            assertTrue(!err.contains("started pid"), err);
        }
    }
}
