package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event hooks end to end: a real Sentinel stopping a real leaker runs the user's command. */
class HooksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private PidFiles pidFiles;

    @BeforeEach
    void pidFiles() {
        pidFiles = new PidFiles(dir);
    }

    @AfterEach
    void noProcessLeftBehind() {
        pidFiles.assertNoneLeft(Duration.ofSeconds(10));
    }

    @Test
    void theHooksOfAMemoryStopRunAndTheExitedOneFinishesBeforeSentinelExits() throws Exception {
        Path log = dir.resolve("events.jsonl");
        Path pids = pidFiles.next();
        // The exited hook is slow on purpose: Sentinel must wait for it.
        String hook = "cat >> " + log + "; [ \"$SENTINEL_EVENT\" != exited ] || { sleep 1; echo done >> " + log + "; }";
        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-socket", "--no-metrics", "-m", "100M", "-n", "leaky",
                "--hook", hook, "--hook-events", "limit-crossed,exited", "--"));
        args.addAll(JavaPrograms.leaker("--leak", "100", "--max", "1G", "--pid-file", pids.toString()));
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)))) {
            assertEquals(143, s.awaitExit(WAIT));
            List<String> lines = Files.readAllLines(log);
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("\"kind\":\"limit-crossed\"") && lines.get(0).contains("\"name\":\"leaky\""),
                    lines.get(0));
            assertTrue(lines.get(1).contains("\"kind\":\"exited\""), lines.get(1));
            assertEquals("done", lines.get(2), "the exited hook ran to its end before Sentinel exited");
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("hook for")), s.stderr().toString());
        }
    }

    @Test
    void badHookOptionsAreUsageErrors() {
        for (String[] args : new String[][] {{"--hook-events", "exploded", "true"}, {"--hook-timeout", "0", "true"}}) {
            try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel(args))) {
                assertEquals(2, s.awaitExit(WAIT), String.join(" ", args));
                assertTrue(s.stderr().get(0).startsWith("sentinel: --hook-"), s.stderr().get(0));
            }
        }
    }
}
