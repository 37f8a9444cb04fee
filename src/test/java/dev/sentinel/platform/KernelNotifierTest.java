package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.testing.Await;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel notifications from real files, cgroups and processes. */
class KernelNotifierTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SELF = ProcessHandle.current().pid();
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private KernelNotifier notifier;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final List<Path> cgroups = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        notifier = KernelNotifier.start();
        assertNull(notifier.unavailableWhy(), "inotify and eventfd work on Linux");
    }

    /** Kills what a test started, then removes its cgroups, innermost first, once they are empty. */
    @AfterEach
    void cleanUp() throws Exception {
        notifier.close();
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = cgroups.size() - 1; i >= 0; i--) {
            removeCgroup(cgroups.get(i));
        }
    }

    @Test
    void aWriteToAWatchedFileRunsTheCallback() throws Exception {
        Path file = Files.writeString(dir.resolve("watched"), "a\n");
        CountDownLatch changed = new CountDownLatch(1);
        notifier.onModify(file, changed::countDown);
        Files.writeString(file, "b\n", StandardOpenOption.APPEND);
        assertTrue(changed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the callback ran after the write");
    }

    @Test
    void registrationsOnOneFileShareItsWatchAndCloseOneByOne() throws Exception {
        Path file = Files.writeString(dir.resolve("shared"), "");
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        KernelNotifier.Registration a = notifier.onModify(file, first::incrementAndGet);
        notifier.onModify(file, second::incrementAndGet);
        a.close();
        a.close();
        Files.writeString(file, "x", StandardOpenOption.APPEND);
        Await.until(WAIT, "the other registration still fires", () -> second.get() > 0);
        assertEquals(0, first.get(), "a closed registration does not fire");
    }

    /**
     * No fixed wait: inotify queues events in order, so once the marker's callback ran, a watch
     * still left on the file would have run first.
     */
    @Test
    void aClosedWatchFiresNoMore() throws Exception {
        Path file = Files.writeString(dir.resolve("closed"), "");
        Path marker = Files.writeString(dir.resolve("marker"), "");
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch markerSeen = new CountDownLatch(1);
        notifier.onModify(file, calls::incrementAndGet).close();
        notifier.onModify(marker, markerSeen::countDown);
        Files.writeString(file, "x", StandardOpenOption.APPEND);
        Files.writeString(marker, "x", StandardOpenOption.APPEND);
        assertTrue(markerSeen.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, calls.get());
    }

    @Test
    void aCallbackMayCloseItsRegistrationAndRegisterAnother() throws Exception {
        Path first = Files.writeString(dir.resolve("first"), "");
        Path second = Files.writeString(dir.resolve("second"), "");
        CountDownLatch secondChanged = new CountDownLatch(1);
        KernelNotifier.Registration[] own = new KernelNotifier.Registration[1];
        CountDownLatch moved = new CountDownLatch(1);
        own[0] = notifier.onModify(first, () -> {
            own[0].close();
            try {
                notifier.onModify(second, secondChanged::countDown);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            moved.countDown();
        });
        Files.writeString(first, "x", StandardOpenOption.APPEND);
        assertTrue(moved.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the first callback ran");
        Files.writeString(second, "x", StandardOpenOption.APPEND);
        assertTrue(secondChanged.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the watch made in a callback fires");
    }

    @Test
    void nothingFiresWhileNothingChangesAndTheThreadSleeps() throws Exception {
        Path file = Files.writeString(dir.resolve("quiet"), "");
        CountDownLatch changed = new CountDownLatch(1);
        notifier.onModify(file, changed::countDown);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = notifier.thread().getId();
        long cpuBefore = threads.getThreadCpuTime(id);
        // The one fixed wait of these tests: a negative check.
        assertFalse(changed.await(300, TimeUnit.MILLISECONDS), "no callback without a change");
        long cpuNanos = threads.getThreadCpuTime(id) - cpuBefore;
        assertTrue(cpuNanos < 20_000_000L, "the thread slept in poll, used " + cpuNanos + " ns of CPU");
    }

    @Test
    void closeStopsTheThreadAndClosesItsFds() throws Exception {
        Path file = Files.writeString(dir.resolve("watched"), "");
        notifier.onModify(file, () -> { });
        Thread thread = notifier.thread();
        assertEquals(KernelNotifier.THREAD_NAME, thread.getName());
        assertTrue(thread.isDaemon());
        int[] fds = notifier.ownFds();
        assertEquals("anon_inode:inotify", fdTarget(fds[0]));
        assertEquals("anon_inode:[eventfd]", fdTarget(fds[1]));
        notifier.close();
        Await.until(WAIT, "the notifier thread ends", () -> !thread.isAlive());
        assertNotEquals("anon_inode:inotify", fdTarget(fds[0]), "the inotify fd is closed");
        assertNotEquals("anon_inode:[eventfd]", fdTarget(fds[1]), "the wake-up fd is closed");
        assertThrows(IOException.class, () -> notifier.onModify(file, () -> { }));
        notifier.close();
    }

    @Test
    void aMissingFileIsAnErrorAndLeaksNoFd() throws Exception {
        long fdsBefore = ourFds();
        assertThrows(NoSuchFileException.class, () -> notifier.onModify(dir.resolve("missing"), () -> { }));
        assertThrows(NoSuchFileException.class, () -> notifier.onV1Oom(dir.resolve("missing"),
                dir.resolve("event_control"), () -> { }));
        Path usage = Files.writeString(dir.resolve("usage"), "0\n");
        assertThrows(NoSuchFileException.class, () -> notifier.onV1Threshold(usage, dir.resolve("missing"), MIB,
                () -> { }));
        assertEquals(fdsBefore, ourFds(), "every fd of a failed registration is closed");
    }

    @Test
    void aCgroupV2EventsFileNotifiesWhenItsLastProcessEnds() throws Exception {
        Path cgroup = newCgroup(v2Root(), "events");
        Path events = cgroup.resolve("cgroup.events");
        CountDownLatch populated = new CountDownLatch(1);
        CountDownLatch emptied = new CountDownLatch(1);
        notifier.onModify(events, () -> {
            String text = readOrEmpty(events);
            if (text.contains("populated 1")) {
                populated.countDown();
            } else if (text.contains("populated 0") && populated.getCount() == 0) {
                emptied.countDown();
            }
        });
        Process p = startIn(cgroup, "sleep 30");
        assertTrue(populated.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "notified of populated 1");
        p.destroyForcibly().waitFor();
        assertTrue(emptied.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "notified of populated 0");
        assertTrue(Files.readString(events).contains("populated 0"));
    }

    @Test
    void aCgroupV1ThresholdFiresWhenUsageCrossesIt() throws Exception {
        Path cgroup = newCgroup(v1MemoryRoot(), "threshold");
        CountDownLatch crossed = new CountDownLatch(1);
        // Registered while the thread sleeps in poll: it must be woken to poll the new eventfd.
        notifier.onV1Threshold(cgroup.resolve("memory.usage_in_bytes"), cgroup.resolve("cgroup.event_control"),
                8 * MIB, crossed::countDown);
        startIn(cgroup, allocating(32));
        assertTrue(crossed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                () -> "no threshold event; usage " + readOrEmpty(cgroup.resolve("memory.usage_in_bytes")).trim());
        assertTrue(Long.parseLong(Files.readString(cgroup.resolve("memory.max_usage_in_bytes")).trim()) >= 8 * MIB);
    }

    @Test
    void aCgroupV1OomIsNotified() throws Exception {
        Path cgroup = newCgroup(v1MemoryRoot(), "oom");
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(16 * MIB));
        if (Files.exists(cgroup.resolve("memory.memsw.limit_in_bytes"))) {
            Files.writeString(cgroup.resolve("memory.memsw.limit_in_bytes"), Long.toString(16 * MIB));
        }
        CountDownLatch oom = new CountDownLatch(1);
        notifier.onV1Oom(cgroup.resolve("memory.oom_control"), cgroup.resolve("cgroup.event_control"), oom::countDown);
        Process p = startIn(cgroup, allocating(64));
        assertTrue(oom.await(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                () -> "no OOM event; oom_control: " + readOrEmpty(cgroup.resolve("memory.oom_control")));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "the OOM killer's SIGKILL");
    }

    @Test
    void aClosedEventFdRegistrationIsLeftOutOfThePollSet() throws Exception {
        Path cgroup = newCgroup(v1MemoryRoot(), "closed");
        CountDownLatch crossed = new CountDownLatch(1);
        AtomicInteger closedCalls = new AtomicInteger();
        long fdsBefore = ourFds();
        KernelNotifier.Registration gone = notifier.onV1Threshold(cgroup.resolve("memory.usage_in_bytes"),
                cgroup.resolve("cgroup.event_control"), 4 * MIB, closedCalls::incrementAndGet);
        gone.close();
        Await.until(WAIT, "the closed eventfd closed by the thread", () -> ourFds() == fdsBefore);
        notifier.onV1Threshold(cgroup.resolve("memory.usage_in_bytes"), cgroup.resolve("cgroup.event_control"),
                8 * MIB, crossed::countDown);
        startIn(cgroup, allocating(32));
        assertTrue(crossed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, closedCalls.get(), "the closed registration (4 MiB, crossed first) did not fire");
    }

    @Test
    void aDeletedFileRunsTheCallbackOnceMoreAndItsWatchEnds() throws Exception {
        Path file = Files.writeString(dir.resolve("deleted"), "");
        CountDownLatch gone = new CountDownLatch(1);
        KernelNotifier.Registration r = notifier.onModify(file, gone::countDown);
        Files.delete(file);
        assertTrue(gone.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "IN_IGNORED ran the callback");
        Await.until(WAIT, "the watch gone from fdinfo", () -> watches() == 0);
        r.close();
    }

    /**
     * kernfs raises nothing when a cgroup is removed, and the watch on its file stays (pinning the
     * removed inode) until the registration is closed.
     */
    @Test
    void aWatchOnARemovedCgroupsFileStaysUntilClosed() throws Exception {
        Path cgroup = newCgroup(v2Root(), "removed");
        KernelNotifier.Registration r = notifier.onModify(cgroup.resolve("cgroup.events"), () -> { });
        assertEquals(1, watches());
        removeCgroup(cgroup);
        assertEquals(1, watches(), "still watched after rmdir");
        r.close();
        assertEquals(0, watches(), "closing the registration removed the watch");
    }

    @Test
    void aV1RegistrationFiresOnceWhenItsCgroupIsRemoved() throws Exception {
        Path cgroup = newCgroup(v1MemoryRoot(), "rmdir");
        CountDownLatch fired = new CountDownLatch(1);
        KernelNotifier.Registration r = notifier.onV1Threshold(cgroup.resolve("memory.usage_in_bytes"),
                cgroup.resolve("cgroup.event_control"), 1L << 40, fired::countDown);
        removeCgroup(cgroup);
        assertTrue(fired.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the eventfd was signalled on rmdir");
        r.close();
    }

    // Helpers

    /** How many watches the notifier's inotify fd holds, from /proc/self/fdinfo. */
    private long watches() {
        try {
            return Files.readAllLines(Path.of("/proc/self/fdinfo/" + notifier.ownFds()[0])).stream()
                    .filter(l -> l.startsWith("inotify wd:")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts {@code command} inside {@code cgroup}: the shell moves itself in, then becomes the command. */
    private Process startIn(Path cgroup, String command) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec " + command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** A command that touches {@code mib} MiB and then sleeps. */
    private static String allocating(int mib) {
        Optional<String> python = python();
        if (python.isPresent()) {
            return python.get() + " -c 'import time; x = b\"x\" * (" + mib + " << 20); time.sleep(30)'";
        }
        // tail -c keeps the last N bytes of a pipe in memory.
        return "sh -c 'head -c " + mib + "M /dev/zero | tail -c " + mib + "M > /dev/null; sleep 30'";
    }

    private static Optional<String> python;

    /** The real python3 (not a pyenv shim, which would fork on its way there), if there is one. */
    private static synchronized Optional<String> python() {
        if (python == null) {
            python = findPython();
        }
        return python;
    }

    private static Optional<String> findPython() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "python3");
            if (Files.isExecutable(p)) {
                try {
                    Process q = new ProcessBuilder(p.toString(), "-c", "import sys; print(sys.executable)").start();
                    String exe = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (q.waitFor() == 0 && !exe.isEmpty()) {
                        return Optional.of(exe);
                    }
                } catch (IOException e) {
                    // try the next
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private Path newCgroup(Path parent, String purpose) throws IOException {
        Path cgroup = parent.resolve("sentinel-test-" + SELF + "-" + purpose);
        Files.createDirectory(cgroup);
        cgroups.add(cgroup);
        return cgroup;
    }

    /** Kills whatever is still inside (a test's process may have forked), then rmdirs once it is empty. */
    private static void removeCgroup(Path cgroup) {
        if (!Files.isDirectory(cgroup)) {
            return;
        }
        Path procs = cgroup.resolve("cgroup.procs");
        Await.until(WAIT, () -> "cgroup " + cgroup + " empty; holds " + readOrEmpty(procs), () -> {
            String left = readOrEmpty(procs).trim();
            for (String pid : left.isEmpty() ? new String[0] : left.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            return left.isEmpty();
        });
        // rmdir is EBUSY until the kernel has seen the last process go (populated 0).
        Await.until(WAIT, "rmdir " + cgroup, () -> {
            try {
                Files.delete(cgroup);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void assumeRoot() {
        assumeTrue(ProcFs.system().effectiveUid() == 0, "making cgroups needs root");
    }

    /** This process's cgroup in the v2 hierarchy (unified, or the only one), if writable. */
    private static Path v2Root() throws IOException {
        assumeRoot();
        Path mount = Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs")) ? Path.of("/sys/fs/cgroup/unified")
                : Path.of("/sys/fs/cgroup");
        assumeTrue(Files.exists(mount.resolve("cgroup.procs")) && Files.exists(mount.resolve("cgroup.threads")),
                "no cgroup2 hierarchy at /sys/fs/cgroup/unified or /sys/fs/cgroup");
        Optional<String> path = cgroupLine(l -> l.startsWith("0::"));
        assumeTrue(path.isPresent(), "no 0:: line in /proc/self/cgroup");
        Path own = mount.resolve(path.get().substring(1));
        assumeTrue(Files.isWritable(own), own + " is not writable");
        return own;
    }

    /** This process's cgroup in the v1 memory hierarchy, if there is one. */
    private static Path v1MemoryRoot() throws IOException {
        assumeRoot();
        Optional<String> path = cgroupLine(l -> {
            String[] f = l.split(":", 3);
            return f.length == 3 && List.of(f[1].split(",")).contains("memory");
        });
        assumeTrue(path.isPresent(), "no cgroup v1 memory controller in /proc/self/cgroup");
        Path own = Path.of("/sys/fs/cgroup/memory").resolve(path.get().substring(1));
        assumeTrue(Files.exists(own.resolve("cgroup.event_control")), "no v1 memory cgroup at " + own);
        return own;
    }

    /** The path part of the first /proc/self/cgroup line that {@code which} accepts. */
    private static Optional<String> cgroupLine(java.util.function.Predicate<String> which) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/cgroup")).stream().filter(which)
                .map(l -> l.split(":", 3)[2]).findFirst();
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "(closed)";
        }
    }

    /** How many of this process's fds are eventfds or files of the test's directory or of a cgroup. */
    private long ourFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(fd -> fdTarget(Integer.parseInt(fd.getFileName().toString())))
                    .filter(t -> t.equals("anon_inode:[eventfd]") || t.startsWith(dir.toString())
                            || t.startsWith("/sys/fs/cgroup"))
                    .count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
