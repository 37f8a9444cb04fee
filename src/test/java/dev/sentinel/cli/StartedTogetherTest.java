package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinels started at the same moment on the default socket path (a boot, a script starting
 * workers): every one runs its program. The race itself is forced open, every time, in
 * {@code SocketBinderTest}; this is the same contract with real JVMs at the real default path.
 */
class StartedTogetherTest {

    @TempDir
    Path dir;

    @Test
    void sixSentinelsStartedTogetherAllRunTheirProgram() {
        List<RunningProcess> all = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Path done = dir.resolve("ran-" + i);
                all.add(RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--no-metrics", "-n", "w" + i, "--",
                        "sh", "-c", "touch " + done + "; sleep 1")));
            }
            for (int i = 0; i < 6; i++) {
                RunningProcess s = all.get(i);
                assertEquals(0, s.awaitExit(Duration.ofSeconds(60)), String.join("\n", s.stderr()));
                assertTrue(Files.exists(dir.resolve("ran-" + i)), "w" + i + " ran its command");
                assertTrue(s.stderr().stream().noneMatch(l -> l.contains("at the same moment")), s.stderr().toString());
            }
        } finally {
            all.forEach(RunningProcess::close);
        }
    }
}
