package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code WATCHDOG_PID} is the program's own pid, which sd_notify libraries compare with getpid():
 * the launch sets it in the shell that execs the program, so it is known before the program runs.
 * And /proc's parent links say which processes descend from which.
 */
class PidVariableTest {

    @TempDir
    Path dir;

    @Test
    void thePidVariableIsTheProgramsOwnPid() throws Exception {
        CommandResolver resolver = CommandResolver.fromEnvironment();
        Path out = dir.resolve("pid");
        try (SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), false)) {
            LaunchSpec spec = new LaunchSpec(List.of("sh", "-c", "echo \"$WATCHDOG_PID $$ $WATCHDOG_USEC\" > " + out),
                    null, null, Map.of(), true).withEnv(Map.of("WATCHDOG_USEC", "5000000"), "WATCHDOG_PID");
            Child c = launcher.launch(spec);
            Await.until(Duration.ofSeconds(10), "the program wrote its pid", () -> c.exitStatus().isPresent());
            String[] words = Files.readString(out).strip().split(" ");
            assertEquals(Long.toString(c.pid()), words[0], "WATCHDOG_PID");
            assertEquals(words[0], words[1], "the same process");
            assertEquals("5000000", words[2]);
            c.release();
        }
    }

    @Test
    void descendsFromFollowsParentLinksAndNotOtherBranches() throws Exception {
        Process parent = new ProcessBuilder("sh", "-c", "sleep 30 & echo $!; wait").start();
        try {
            long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    parent.getInputStream())).readLine().strip());
            ProcFs proc = ProcFs.system();
            assertTrue(proc.descendsFrom(child, parent.pid()));
            assertTrue(proc.descendsFrom(child, ProcessHandle.current().pid()), "a grandchild of this JVM");
            assertFalse(proc.descendsFrom(parent.pid(), child));
            assertFalse(proc.descendsFrom(999_999_999L, parent.pid()), "a pid that is gone is nobody's");
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly();
            parent.waitFor();
        }
    }
}
