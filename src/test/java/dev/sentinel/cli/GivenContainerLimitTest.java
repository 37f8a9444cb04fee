package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --container-limit}: a sidecar's Sentinel guards a tree in another container, whose limit
 * its own cgroup file system does not show, so the limit is given (in Kubernetes from the downward
 * API). Percentages are shares of it and the container guard watches the trees against it; no
 * cgroup is needed, so this runs on any host.
 */
class GivenContainerLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static RunningProcess sentinel(Map<String, String> env, String... args) {
        List<String> s = new ArrayList<>(List.of("--no-tui", "--no-metrics", "--no-socket", "--cgroup", "off"));
        s.addAll(List.of(args));
        return RunningProcess.start(JavaPrograms.sentinel(s.toArray(String[]::new)), env);
    }

    @Test
    void aPercentageIsAShareOfTheGivenLimit() {
        try (RunningProcess s = sentinel(Map.of(), "--container-limit", "200M", "-m", "50%", "--", "sleep", "60")) {
            s.awaitStderr("started pid \\d+ \\(limit 100 MiB \\(50% of 200 MiB\\), grace 3s; /proc only; container "
                    + "memory limit 200 MiB \\(given\\)", WAIT);
            s.awaitStderr("container memory limit 200 MiB \\(given\\): the largest tree gets SIGKILL when the trees "
                    + "together near 190 MiB", WAIT);
            s.signal("TERM");
            assertEquals(143, s.awaitExit(WAIT));
        }
    }

    /** The downward API writes limits.memory as a whole number of bytes. */
    @Test
    void theEnvironmentTakesTheDownwardApisBytes() {
        try (RunningProcess s = sentinel(Map.of("SENTINEL_CONTAINER_LIMIT", Long.toString(256L << 20)),
                "-m", "25%", "--", "sleep", "60")) {
            s.awaitStderr("started pid \\d+ \\(limit 64 MiB \\(25% of 256 MiB\\)", WAIT);
            s.signal("TERM");
            s.awaitExit(WAIT);
        }
    }

    @Test
    void aTreeThatIgnoresTermIsKilledWhenTheTreesNearTheGivenLimit() {
        List<String> args = new ArrayList<>(List.of("--container-limit", "300M", "-m", "100M", "-g", "30s", "--"));
        args.addAll(JavaPrograms.leaker("--leak", "40", "--ignore-term"));
        long started = System.nanoTime();
        try (RunningProcess s = sentinel(Map.of(), args.toArray(String[]::new))) {
            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
            Matcher near = s.awaitStderr("container limit near: ([0-9.]+) MiB of 300 MiB in use", WAIT);
            double mib = Double.parseDouble(near.group(1));
            assertTrue(mib >= 285 && mib < 300, near.group());
            s.awaitStderr("sent SIGKILL to the tree \\(container limit near\\)", WAIT);
            assertEquals(137, s.awaitExit(WAIT), "a memory stop that needed SIGKILL");
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertTrue(seconds < 30, "killed before its 30 s grace was over: " + seconds + " s");
        }
    }

    @Test
    void aLimitThatReachesTheGivenOneIsRefused() {
        try (RunningProcess s = sentinel(Map.of(), "--container-limit", "200M", "-m", "190M", "--", "sleep", "60")) {
            assertEquals(2, s.awaitExit(WAIT));
            String err = String.join("\n", s.stderr());
            assertTrue(err.contains("memory_limit 190 MiB reaches the container memory limit 200 MiB (given)"), err);
            assertTrue(!err.contains("started pid"), err);
        }
    }

    @Test
    void aPercentageOrGarbageIsNotAContainerLimit() {
        try (RunningProcess s = sentinel(Map.of(), "--container-limit", "80%", "--", "sleep", "60")) {
            assertEquals(2, s.awaitExit(WAIT));
            String err = String.join("\n", s.stderr());
            assertTrue(err.contains("'80%' is not a container limit; use \"auto\""), err);
        }
        try (RunningProcess s = sentinel(Map.of(), "--container-limit", "0", "--", "sleep", "60")) {
            assertEquals(2, s.awaitExit(WAIT));
            assertTrue(String.join("\n", s.stderr()).contains("'0' is not a container limit"), s.stderr().toString());
        }
    }

    @Test
    void checkConfigFitsTheProgramsToTheFilesContainerLimit() throws IOException {
        Path file = dir.resolve("sentinel.toml");
        Files.writeString(file, """
                [sentinel]
                container_limit = "200M"

                [programs.app]
                command = "sleep 60"
                memory_limit = "190M"
                """);
        try (RunningProcess p = RunningProcess.start(JavaPrograms.sentinel("check-config", file.toString()))) {
            assertEquals(2, p.awaitExit(WAIT));
            String err = String.join("\n", p.stderr());
            assertTrue(err.contains("app: memory_limit 190 MiB reaches the container memory limit 200 MiB (given)"), err);
        }
        Files.writeString(file, Files.readString(file).replace("\"190M\"", "\"50%\""));
        try (RunningProcess p = RunningProcess.start(JavaPrograms.sentinel("check-config", file.toString()))) {
            assertEquals(0, p.awaitExit(WAIT), String.join("\n", p.stderr()));
        }
    }
}
