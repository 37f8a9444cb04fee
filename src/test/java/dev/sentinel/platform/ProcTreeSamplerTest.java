package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real sampler and launcher on real processes. */
class ProcTreeSamplerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Libc libc = new Libc();
    private final CommandResolver resolver = CommandResolver.fromEnvironment();

    /** As Sentinel samples: skipping trees whose processes did not run, where the clock can be read. */
    private ProcTreeSampler sampler(long pid) {
        return new ProcTreeSampler(ProcFs.system(), pid, libc.pageSize(), CpuClocks.system());
    }

    /** One launcher (and its lifeline shell) for the test, ended after it. */
    private SetsidLauncher launcher;

    @AfterEach
    void endTheLifeline() {
        if (launcher != null) {
            launcher.close();
        }
    }

    private Child launch(String script) throws LaunchException {
        if (launcher == null) {
            launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        }
        return launcher.launch(new LaunchSpec(List.of("sh", "-c", script), (stream, line) -> { }));
    }

    @Test
    void theChildLeadsItsOwnGroupAndKeepsItsPid() throws Exception {
        Child child = launch("sleep 30");
        try {
            Await.until(WAIT, "the child's stat is readable", () -> Processes.pgid(child.pid()) > 0);
            // setsid execs in place: the pid Java knows is the group leader.
            Await.until(WAIT, "pgid == pid", () -> Processes.pgid(child.pid()) == child.pid());
        } finally {
            new LibcSignaller(libc).signalGroup(child.pgid(), Signal.KILL);
        }
    }

    @Test
    void countsGrandchildrenAndProcessesThatJoinLater(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        // sh -> (sh -> sleep 60) and, once 'go' exists, one more sleep: grandchildren and late joiners.
        // The polling loop's short sleeps come and go, so wait for the shape, not for a count.
        Child child = launch("sh -c 'sleep 60' & while [ ! -e " + go + " ]; do sleep 0.02; done; sleep 61 & wait");
        try (ProcTreeSampler sampler = sampler(child.pid())) {
            // A process first seen between fork and exec shows its parent's command until the
            // sampler re-reads it (ProcTreeSampler.COMMAND_SETTLE_NANOS), so wait for both.
            Await.until(WAIT, () -> "a grandchild 'sleep 60' under 'sh -c sleep 60', saw " + sampler.sample().processes(),
                    () -> {
                        TreeSample t = sampler.sample();
                        return has(t, 2, "sleep 60") && has(t, 1, "sh -c sleep 60");
                    });
            TreeSample s = sampler.sample();
            assertEquals(child.pid(), s.processes().get(0).pid(), "the main process comes first");
            assertEquals(0, s.processes().get(0).depth());
            assertTrue(s.rssBytes() > 0);
            assertEquals(s.processes().stream().mapToLong(ProcessSample::rssBytes).sum(), s.rssBytes());
            Files.createFile(go);
            Await.until(WAIT, "a late child joins the tree", () -> has(sampler.sample(), 1, "sleep 61"));
        } finally {
            new LibcSignaller(libc).signalGroup(child.pgid(), Signal.KILL);
        }
    }

    private static boolean contains(TreeSample sample, long pid) {
        return sample.processes().stream().anyMatch(p -> p.pid() == pid);
    }

    private static boolean has(TreeSample sample, int depth, String command) {
        return sample.processes().stream().anyMatch(p -> p.depth() == depth && p.command().equals(command));
    }

    @Test
    void keepsCountingADescendantWhoseParentDied(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("orphan");
        // The middle shell exits once told to; its sleep is re-parented to init but is still ours.
        // The main shell starts 'sleep 61' only after the middle one has exited.
        Child child = launch("sh -c 'sleep 60 & echo $! > " + pidFile + "; while [ ! -e " + pidFile
                + ".go ]; do sleep 0.02; done'; sleep 61");
        try (ProcTreeSampler sampler = sampler(child.pid())) {
            Await.until(WAIT, "the orphan-to-be's pid is written", () -> Processes.pidsIn(pidFile).size() == 1);
            long orphan = Processes.pidsIn(pidFile).get(0);
            Await.until(WAIT, "the orphan-to-be is seen", () -> contains(sampler.sample(), orphan));
            Files.createFile(Path.of(pidFile + ".go"));
            Await.until(WAIT, () -> "the middle shell is gone, saw " + sampler.sample().processes(),
                    () -> has(sampler.sample(), 1, "sleep 61"));
            assertTrue(contains(sampler.sample(), orphan), "the re-parented process is still counted");
        } finally {
            new LibcSignaller(libc).signalGroup(child.pgid(), Signal.KILL);
        }
    }

    @Test
    void theCommandFollowsAnExec(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        Child child = launch("while [ ! -e " + go + " ]; do sleep 0.02; done; exec sleep 61");
        try (ProcTreeSampler sampler = sampler(child.pid())) {
            Await.until(WAIT, "the shell is seen", () -> sampler.sample().processes().stream()
                    .anyMatch(p -> p.pid() == child.pid() && p.command().startsWith("sh -c")));
            Files.createFile(go);
            Await.until(WAIT, () -> "the main process shows 'sleep 61': " + sampler.sample().processes(),
                    () -> sampler.sample().processes().stream()
                            .anyMatch(p -> p.pid() == child.pid() && p.command().equals("sleep 61")));
        } finally {
            new LibcSignaller(libc).signalGroup(child.pgid(), Signal.KILL);
        }
    }

    @Test
    void anExecThatKeepsTheNameIsCaughtHowEverCloseTheSamplesCome(@TempDir Path root) throws Exception {
        // A fake /proc with one process whose name stays "java" while its command line changes, as
        // when java starts java through the JDK's spawn helper between two samples. The first two
        // samples come at once (a warm start, or a leak near its limit, samples every millisecond).
        Path p = root.resolve("4242");
        Files.createDirectories(p.resolve("task/4242"));
        Files.writeString(p.resolve("task/4242/children"), "");
        Files.writeString(p.resolve("stat"), "4242 (java) S 1 4242 4242 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 555 100 10 0\n");
        Files.write(p.resolve("cmdline"), "java\0-cp\0parent\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), 4242, 4096)) {
            assertEquals("java -cp parent", sampler.sample().processes().get(0).command());
            assertEquals("java -cp parent", sampler.sample().processes().get(0).command());
            Files.write(p.resolve("cmdline"), "java\0-cp\0child\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Await.until(WAIT, () -> "the new command line, saw " + sampler.sample().processes(),
                    () -> sampler.sample().processes().get(0).command().equals("java -cp child"));
        }
    }

    @Test
    void aTreeWhoseClockStandsStillKeepsItsLastReadingForAtMostTheFullReadPeriod(@TempDir Path root)
            throws Exception {
        Path p = fakeProcess(root, 4242, 10);
        AtomicLong ran = new AtomicLong(1_000);
        AtomicLong now = new AtomicLong(0);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), 4242, 4096, pid -> ran.get(), now::get)) {
            assertEquals(10 * 4096, sampler.sample().rssBytes());
            // A new process is read in full until its command has settled (500 ms).
            writeRss(p, 4242, 20);
            now.addAndGet(250_000_000L);
            assertEquals(20 * 4096, sampler.sample().rssBytes(), "not settled yet: read in full");
            now.addAndGet(300_000_000L);
            assertEquals(20 * 4096, sampler.sample().rssBytes());
            // Settled, and its clock has not moved: the files are not read.
            writeRss(p, 4242, 30);
            now.addAndGet(250_000_000L);
            TreeSample kept = sampler.sample();
            assertEquals(20 * 4096, kept.rssBytes(), "a process that did not run keeps its reading");
            assertEquals(1, kept.count());
            ran.addAndGet(1);
            now.addAndGet(250_000_000L);
            assertEquals(30 * 4096, sampler.sample().rssBytes(), "it ran: read again");
            writeRss(p, 4242, 40);
            now.addAndGet(250_000_000L);
            assertEquals(30 * 4096, sampler.sample().rssBytes());
            now.addAndGet(ProcTreeSampler.FULL_READ_NANOS);
            assertEquals(40 * 4096, sampler.sample().rssBytes(), "read in full once the period is over");
            // A clock that cannot be read is never taken for one that stood still.
            ran.set(-1);
            writeRss(p, 4242, 50);
            now.addAndGet(250_000_000L);
            assertEquals(50 * 4096, sampler.sample().rssBytes());
            now.addAndGet(250_000_000L);
            writeRss(p, 4242, 60);
            assertEquals(60 * 4096, sampler.sample().rssBytes());
        }
    }

    @Test
    void cgroupMembersAndAdoptedOrphansAreCountedThoughNoChildrenFileListsThem(@TempDir Path root) throws Exception {
        fakeProcess(root, 4242, 10);
        fakeProcess(root, 5000, 7);   // in the cgroup, its parent gone: no children file lists it
        fakeProcess(root, 6000, 3);   // adopted by the subreaper
        AtomicLong now = new AtomicLong(0);
        long[][] members = {{4242}};
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), 4242, 4096, ProcessClock.NONE, now::get,
                () -> members[0], null)) {
            assertEquals(10 * 4096, sampler.sample().rssBytes());
            members[0] = new long[] {4242, 5000};
            now.addAndGet(250_000_000L);
            assertEquals(17 * 4096, sampler.sample().rssBytes(), "the cgroup's word");
            sampler.adopt(6000);
            now.addAndGet(250_000_000L);
            TreeSample s = sampler.sample();
            assertEquals(20 * 4096, s.rssBytes(), "the subreaper's word");
            assertEquals(3, s.count());
        }
    }

    @Test
    void whileNoProgramUsedCpuNoClockIsReadAndOnceOneDidTheClocksDecide(@TempDir Path root) throws Exception {
        Path p = fakeProcess(root, 4242, 10);
        AtomicLong now = new AtomicLong(0);
        AtomicLong allPrograms = new AtomicLong(500);
        AtomicLong clockReads = new AtomicLong();
        AtomicLong ran = new AtomicLong(1_000);
        ProcessClock clock = pid -> {
            clockReads.incrementAndGet();
            return ran.get();
        };
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), 4242, 4096, clock, now::get,
                () -> new long[] {4242}, allPrograms::get)) {
            sampler.sample();
            now.addAndGet(600_000_000L);
            sampler.sample();  // settled now
            writeRss(p, 4242, 20);
            long reads = clockReads.get();
            now.addAndGet(250_000_000L);
            assertEquals(10 * 4096, sampler.sample().rssBytes(), "no program ran: the last reading stands");
            assertEquals(reads, clockReads.get(), "and no clock was read");
            // Another program ran (the count moved), this tree's clock did not: still nothing to read.
            allPrograms.addAndGet(30);
            now.addAndGet(250_000_000L);
            assertEquals(10 * 4096, sampler.sample().rssBytes());
            assertEquals(reads + 1, clockReads.get(), "its clock decided");
            // This tree ran.
            allPrograms.addAndGet(30);
            ran.addAndGet(5);
            now.addAndGet(250_000_000L);
            assertEquals(20 * 4096, sampler.sample().rssBytes());
            // An unknown count (-1) is never taken for one that stood still.
            allPrograms.set(-1);
            writeRss(p, 4242, 30);
            ran.addAndGet(5);
            now.addAndGet(250_000_000L);
            assertEquals(30 * 4096, sampler.sample().rssBytes());
        }
    }

    /**
     * A process moved out of the program's cgroup (by root, or by a program that makes cgroups of
     * its own) runs without moving the cgroups' CPU time: that count must not stand for its clock,
     * or its growth is seen only at the next full read, seconds late.
     */
    @Test
    void aProcessOutsideTheCgroupIsJudgedByItsOwnClock(@TempDir Path root) throws Exception {
        Path p = fakeProcess(root, 4242, 10);
        AtomicLong now = new AtomicLong(0);
        AtomicLong ran = new AtomicLong(1_000);
        long[][] members = {{4242}};
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), 4242, 4096, pid -> ran.get(), now::get,
                () -> members[0], () -> 500)) {
            sampler.sample();
            now.addAndGet(600_000_000L);
            sampler.sample();
            writeRss(p, 4242, 20);
            now.addAndGet(250_000_000L);
            assertEquals(10 * 4096, sampler.sample().rssBytes(), "in its cgroup, and no program ran: the reading stands");
            members[0] = new long[0];  // moved out, still growing; the cgroups' CPU time stands still
            now.addAndGet(ProcTreeSampler.FULL_READ_NANOS);
            assertEquals(20 * 4096, sampler.sample().rssBytes(), "a full read finds it outside");
            writeRss(p, 4242, 30);
            ran.addAndGet(5);
            now.addAndGet(250_000_000L);
            assertEquals(30 * 4096, sampler.sample().rssBytes(), "from then on its own clock decides");
        }
    }

    @Test
    void withoutAClockEverySampleReadsInFull(@TempDir Path root) throws Exception {
        Path p = fakeProcess(root, 4242, 10);
        AtomicLong now = new AtomicLong(0);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), 4242, 4096, ProcessClock.NONE, now::get)) {
            for (int pages = 10; pages < 20; pages++) {
                writeRss(p, 4242, pages);
                now.addAndGet(600_000_000L);
                assertEquals(pages * 4096L, sampler.sample().rssBytes());
            }
        }
    }

    @Test
    void anIdleRealTreeIsSampledByItsClocksAndAWakingOneIsReadAgain(@TempDir Path dir) throws Exception {
        ProcessClock clock = CpuClocks.system();
        assertNotSame(ProcessClock.NONE, clock, "this machine reads other processes' CPU clocks");
        Path go = dir.resolve("go");
        // Waits without running (blocked on the FIFO), then allocates about 64 MiB in the shell.
        assertEquals(0, new ProcessBuilder("mkfifo", go.toString()).start().waitFor());
        Child child = launch("read x < " + go + "; big=$(head -c 67108864 /dev/zero | tr '\\0' x); sleep 60");
        try (ProcTreeSampler sampler = sampler(child.pid())) {
            Await.until(WAIT, "the shell waits on the FIFO", () -> sampler.sample().processes().stream()
                    .anyMatch(p -> p.pid() == child.pid() && p.state() == 'S'));
            // Once its command has settled, the blocked shell is not read again: the last list stands.
            Await.until(WAIT, "a sample that is the last one again",
                    () -> sampler.sample().processes() == sampler.sample().processes());
            long before = sampler.sample().rssBytes();
            Files.writeString(go, "go\n");
            Await.until(WAIT, () -> "the shell's 64 MiB show, saw " + sampler.sample().rssBytes() + " from " + before,
                    () -> sampler.sample().rssBytes() > before + (32L << 20));
        } finally {
            new LibcSignaller(libc).signalGroup(child.pgid(), Signal.KILL);
        }
    }

    private static Path fakeProcess(Path root, long pid, long rssPages) throws java.io.IOException {
        Path p = root.resolve(Long.toString(pid));
        Files.createDirectories(p.resolve("task/" + pid));
        Files.writeString(p.resolve("task/" + pid + "/children"), "");
        Files.write(p.resolve("cmdline"), "app\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        writeRss(p, pid, rssPages);
        return p;
    }

    private static void writeRss(Path p, long pid, long rssPages) throws java.io.IOException {
        Files.writeString(p.resolve("stat"), pid + " (app) S 1 " + pid + " " + pid
                + " 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 555 100 " + rssPages + " 0\n");
    }

    @Test
    void aVanishedTreeIsAnEmptySampleNotAnError() throws Exception {
        Child child = launch("exit 0");
        Await.until(WAIT, "the child exits", () -> child.exitStatus().isPresent());
        try (ProcTreeSampler sampler = sampler(child.pid())) {
            assertTrue(sampler.sample().isEmpty());
        }
        assertEquals(0, child.exitStatus().getAsInt());
    }

    @Test
    void missingAndNonExecutableCommandsGetTheShellsCodes(@TempDir Path dir) throws Exception {
        SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), false);
        LaunchException missing = org.junit.jupiter.api.Assertions.assertThrows(LaunchException.class,
                () -> launcher.launch(LaunchSpec.passThrough(List.of("no-such-program-xyz"))));
        assertEquals(127, missing.exitCode());
        assertTrue(missing.getMessage().contains("no-such-program-xyz"));
        Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\n");
        LaunchException notExec = org.junit.jupiter.api.Assertions.assertThrows(LaunchException.class,
                () -> launcher.launch(LaunchSpec.passThrough(List.of(script.toString()))));
        assertEquals(126, notExec.exitCode());
        LaunchException dirErr = org.junit.jupiter.api.Assertions.assertThrows(LaunchException.class,
                () -> launcher.launch(LaunchSpec.passThrough(List.of(dir.toString()))));
        assertEquals(126, dirErr.exitCode());
        assertFalse(dirErr.getMessage().isBlank());
    }
}
