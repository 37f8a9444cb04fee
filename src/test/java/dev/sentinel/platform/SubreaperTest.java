package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adoption and reaping with real processes. Being a subreaper is a property of the whole test JVM:
 * every test kills and reaps what it started, and the JVM stops being one after these tests.
 */
class SubreaperTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SELF = ProcessHandle.current().pid();

    private static Subreaper reaper;

    @TempDir
    Path dir;

    @BeforeAll
    static void enable() {
        reaper = Subreaper.enable(ProcFs.system());
    }

    @AfterAll
    static void disable() {
        if (reaper != null) {
            reaper.disable();
        }
    }

    private static void assumeSubreaper() {
        assumeTrue(reaper.enabled(), () -> "cannot become a subreaper here: " + reaper.unavailableWhy());
    }

    @Test
    void aDoubleForkedGrandchildIsAdoptedListedAndReapedOnceKilled() throws Exception {
        assumeSubreaper();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid")),
                "setsid(1) is not installed");
        Path pidFile = dir.resolve("daemon.pid");
        // The classic daemon: a new session, a background child, and the middle process gone at once.
        Process starter = new ProcessBuilder("setsid", "sh", "-c",
                "( setsid sh -c \"sleep 30 & echo \\$! > " + pidFile + "\" & ) ; sleep 0.2").start();
        long daemon = -1;
        Map<Long, Integer> reaped = new ConcurrentHashMap<>();
        try {
            Await.until(WAIT, "the daemon's pid file", () -> pidIn(pidFile) > 0);
            daemon = pidIn(pidFile);
            long pid = daemon;
            Await.until(WAIT, () -> "the daemon re-parented to us, ppid " + ppid(pid), () -> ppid(pid) == SELF);
            long starterPid = starter.pid();
            assertTrue(contains(reaper.adopted(p -> p == starterPid), pid), "listed among the adopted");
            assertEquals(-1, reaper.reapIfEnded(pid), "still running: not reaped");

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            // Nobody else waits for an adoptee: it stays a zombie until reaped here.
            Await.until(WAIT, () -> "the daemon a zombie, state " + state(pid), () -> state(pid).equals("Z"));
            reaper.reapEnded(p -> p == starterPid || p == pid);
            assertEquals("Z", state(pid), "a pid the predicate names is never waited for");
            Await.until(WAIT, () -> "the daemon reaped, /proc/" + pid + " gone (state " + state(pid) + ")", () -> {
                reaper.reapEnded(p -> p == starterPid, reaped::put);
                return !Files.exists(Path.of("/proc", Long.toString(pid)));
            });
            assertEquals(128 + 9, reaped.get(pid), "SIGKILLed: 128 + 9");
            assertEquals(0, starter.waitFor(), "the JDK still has its own child's status");
        } finally {
            cleanUp(starter, daemon);
        }
    }

    @Test
    void theJdkKeepsTheExitStatusOfItsChildWhileAdopteesAreReaped() throws Exception {
        assumeSubreaper();
        Process p = new ProcessBuilder("sh", "-c", "exit 7").start();
        try {
            long pid = p.pid();
            while (p.isAlive()) {
                reaper.reapEnded(q -> q == pid);
            }
            assertEquals(7, p.exitValue());
            assertEquals(7, p.onExit().get(10, TimeUnit.SECONDS).exitValue());
        } finally {
            cleanUp(p, -1);
        }
    }

    /**
     * A child the JDK started from a thread that has since ended passes to the group leader, whose
     * children file lists adoptees: only the predicate keeps it from being reaped under the JDK
     * (which would then report exit code 0).
     */
    @Test
    void aJdkChildWhoseStartingThreadEndedIsListedButNotReapedWhenExcluded() throws Exception {
        assumeSubreaper();
        Path go = dir.resolve("go");
        Process[] started = new Process[1];
        Thread starter = new Thread(() -> {
            try {
                started[0] = new ProcessBuilder("sh", "-c", "while [ ! -e " + go + " ]; do sleep 0.01; done; exit 7")
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "short-lived-starter");
        starter.start();
        starter.join();
        Process p = started[0];
        try {
            long pid = p.pid();
            Await.until(WAIT, "the JDK's child in the leader's children file",
                    () -> contains(reaper.adopted(q -> false), pid));
            assertFalse(contains(reaper.adopted(q -> q == pid), pid), "excluded");
            Files.createFile(go);
            while (p.isAlive()) {
                reaper.reapEnded(q -> q == pid);
            }
            assertEquals(7, p.exitValue());
        } finally {
            cleanUp(p, -1);
        }
    }

    @Test
    void aPidThatIsNoChildIsNotReapedAndNoPidMeansNoWait() {
        assertEquals(-1, reaper.reapIfEnded(1));
        assertThrows(IllegalArgumentException.class, () -> reaper.reapIfEnded(0));
        assertThrows(IllegalArgumentException.class, () -> reaper.reapIfEnded(-1));
    }

    @Test
    void theLeadersChildrenFileIsParsedLessTheJdksChildren() throws Exception {
        long self = 4242;
        Path task = Files.createDirectories(dir.resolve("4242/task/4242"));
        Files.writeString(task.resolve("children"), "17 4243 99999 ");
        Subreaper fake = new Subreaper(new ProcFs(dir), self, null);
        assertArrayEquals(new long[] {17, 99999}, fake.adopted(p -> p == 4243));
        Files.writeString(task.resolve("children"), "");
        assertArrayEquals(new long[0], fake.adopted(p -> false), "re-read from the start");
    }

    @Test
    void aLongChildrenFileIsReadWhole() throws Exception {
        long self = 4242;
        Path task = Files.createDirectories(dir.resolve("4242/task/4242"));
        long[] pids = new long[5000];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < pids.length; i++) {
            pids[i] = 1_000_000 + i;
            text.append(pids[i]).append(' ');
        }
        Files.writeString(task.resolve("children"), text);
        assertArrayEquals(pids, new Subreaper(new ProcFs(dir), self, null).adopted(p -> false));
    }

    @Test
    void anInertReaperListsAndReapsNothing() throws Exception {
        Path task = Files.createDirectories(dir.resolve("4242/task/4242"));
        Files.writeString(task.resolve("children"), "17 ");
        Subreaper inert = new Subreaper(new ProcFs(dir), 4242, "no prctl here");
        assertFalse(inert.enabled());
        assertArrayEquals(new long[0], inert.adopted(p -> false));
        assertEquals(0, inert.reapEnded(p -> false));
        assertEquals(-1, inert.reapIfEnded(17));
        assertNull(new Subreaper(new ProcFs(dir), 4242, null).unavailableWhy());
    }

    @Test
    void waitStatusesDecodeAsAShellShowsThem() {
        assertEquals(7, Subreaper.exitStatus(7 << 8));
        assertEquals(0, Subreaper.exitStatus(0));
        assertEquals(137, Subreaper.exitStatus(9));
        assertEquals(143, Subreaper.exitStatus(15 | 0x80), "a core dump flag does not change the signal");
    }

    /**
     * Kills what a test started and reaps every adoptee that has ended (the daemon, the middle
     * shells of its double fork), until no zombie is left.
     */
    private static void cleanUp(Process started, long daemon) throws InterruptedException {
        if (daemon > 0) {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
        started.destroyForcibly();
        started.waitFor(10, TimeUnit.SECONDS);
        long pid = started.pid();
        Await.until(WAIT, () -> "no zombie left among the adopted " + Arrays.toString(reaper.adopted(q -> q == pid)),
                () -> {
                    reaper.reapEnded(q -> q == pid);
                    boolean daemonGone = daemon <= 0 || !Files.exists(Path.of("/proc", Long.toString(daemon)));
                    return daemonGone && Arrays.stream(reaper.adopted(q -> q == pid)).noneMatch(
                            q -> state(q).equals("Z"));
                });
    }

    private static boolean contains(long[] pids, long pid) {
        return Arrays.stream(pids).anyMatch(p -> p == pid);
    }

    private static long pidIn(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Field 4 of /proc/PID/stat, or -1 if it is gone. */
    private static long ppid(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    private static String state(long pid) {
        String[] f = statFields(pid);
        return f == null ? "gone" : f[0];
    }

    /** The fields after the command: state, ppid, ... */
    private static String[] statFields(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }
}
