package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared lifeline shell on real process groups. */
class LifelinesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<Process> started = new ArrayList<>();

    /** A new session and group running sleep; its pid is its pgid. */
    private long group() throws Exception {
        Process p = new ProcessBuilder("setsid", "sleep", "600").start();
        started.add(p);
        Await.until(WAIT, "the group leader runs", () -> Processes.pgid(p.pid()) == p.pid());
        return p.pid();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void killAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void whenThePipeClosesEveryRegisteredGroupIsKilledAndAReleasedOneIsNot() throws Exception {
        Lifelines lifelines = new Lifelines();
        long a = group();
        long b = group();
        long released = group();
        lifelines.watch(a);
        lifelines.watch(b);
        lifelines.watch(released);
        lifelines.release(released);
        lifelines.sever();
        Await.until(WAIT, "both registered groups are killed", () -> !Processes.alive(a) && !Processes.alive(b));
        // The shell has run its kills by now; the released group must still be there.
        assertTrue(Processes.alive(released), "a released group is never killed");
    }

    @Test
    void aTreeWithACgroupIsKilledThroughItsCgroupKillToo(@TempDir Path dir) throws Exception {
        // A plain file stands in for cgroup.kill: the shell must write 1 to it (and kill the group).
        Path kill = dir.resolve("cgroup with space.kill");
        Path releasedKill = dir.resolve("released.kill");
        Files.writeString(kill, "");
        Files.writeString(releasedKill, "");
        Lifelines lifelines = new Lifelines();
        long a = group();
        long released = group();
        lifelines.watch(a, kill);
        lifelines.watch(released, releasedKill);
        lifelines.release(released);
        lifelines.sever();
        Await.until(WAIT, "the group is killed and its cgroup.kill written",
                () -> !Processes.alive(a) && read(kill).trim().equals("1"));
        assertTrue(Processes.alive(released), "a released group is never killed");
        assertTrue(Files.readString(releasedKill).isEmpty(), "nor its cgroup");
    }

    @Test
    void theProgramsCgroupDirectoriesAreRemovedWhenSentinelDies(@TempDir Path dir) throws Exception {
        // Plain directories stand in for sentinel-PID and its programs' cgroups: rmdir works on both.
        // Two of them, as for v1 and v2, one with characters a shell would split or glob.
        Path parent = dir.resolve("sentinel 42");
        Path other = dir.resolve("v1 [*] sentinel 42");
        Files.createDirectories(parent.resolve("web"));
        Files.createDirectories(parent.resolve("db"));
        Files.createDirectories(other.resolve("web"));
        Lifelines lifelines = new Lifelines();
        long a = group();
        lifelines.watch(a);
        lifelines.removeOnDeath(parent);
        lifelines.removeOnDeath(other);
        lifelines.removeOnDeath(parent);
        lifelines.sever();
        Await.until(WAIT, "the cgroup directories are removed", () -> !Files.exists(parent) && !Files.exists(other));
    }

    /** The lifeline shells among this JVM's children (other tests' launchers may have theirs). */
    private static List<ProcessHandle> shells() {
        return ProcessHandle.current().children()
                .filter(h -> h.info().commandLine().orElse("").contains("sentinel-lifeline")).toList();
    }

    private static ProcessHandle newShell(List<ProcessHandle> before) {
        return shells().stream().filter(h -> !before.contains(h)).findFirst().orElseThrow();
    }

    @Test
    void closeEndsTheShellAndReapsItBeforeItReturnsKillingNothingReleased() throws Exception {
        List<ProcessHandle> before = shells();
        Lifelines lifelines = new Lifelines();
        long released = group();
        lifelines.watch(released);
        ProcessHandle shell = newShell(before);
        lifelines.release(released);
        lifelines.close();
        // Reaped, not only ended: no /proc entry, not even a zombie's (issue 18).
        assertFalse(Files.exists(Path.of("/proc", Long.toString(shell.pid()))), "the shell is gone and reaped");
        assertTrue(Processes.alive(released), "a released group is never killed");
    }

    @Test
    void closeKillsWhatIsStillRegisteredAsSentinelsDeathWouldAndStartsNoShellAfter() throws Exception {
        List<ProcessHandle> before = shells();
        Lifelines lifelines = new Lifelines();
        long a = group();
        lifelines.watch(a);
        ProcessHandle shell = newShell(before);
        lifelines.close();
        assertFalse(Files.exists(Path.of("/proc", Long.toString(shell.pid()))), "the shell is gone and reaped");
        Await.until(WAIT, "the registered group is killed", () -> !Processes.alive(a));
        long b = group();
        lifelines.watch(b);
        assertEquals(before, shells(), "no shell is started after close");
        lifelines.close();
    }

    @Test
    void aKilledShellIsReplacedAndGetsEveryRegisteredGroup() throws Exception {
        Lifelines lifelines = new Lifelines();
        long a = group();
        lifelines.watch(a);
        ProcessHandle shell = ProcessHandle.current().children()
                .filter(h -> h.info().commandLine().orElse("").contains("sentinel-lifeline")).findFirst().orElseThrow();
        shell.destroyForcibly();
        Await.until(WAIT, "the shell is gone", () -> !shell.isAlive());
        long b = group();
        lifelines.watch(b);
        lifelines.sever();
        Await.until(WAIT, "the new shell kills both", () -> !Processes.alive(a) && !Processes.alive(b));
    }
}
