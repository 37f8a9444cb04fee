package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kernel of a hybrid host (v1 memory at /sys/fs/cgroup/memory, a controller-less
 * cgroup2 at /sys/fs/cgroup/unified), as root. Every process and cgroup a test makes is removed
 * in finally, pass or fail.
 */
class RealHybridTest {

    private static final long MIB = 1 << 20;
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final LongPredicate SIGKILL =
            pid -> ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);

    @BeforeEach
    void hybridHostAsRoot() throws IOException {
        assumeTrue(new UnixSystem().getUid() == 0,
                "needs root: the real cgroup tests make directories in the system's cgroup hierarchies");
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/unified")),
                "needs a hybrid host: /sys/fs/cgroup/unified (a cgroup2 beside v1) is missing");
        assumeTrue(Files.readString(Path.of("/proc/self/cgroup")).lines().anyMatch(l -> l.matches("[0-9]+:memory:.*")),
                "needs the v1 memory controller: /proc/self/cgroup has no memory line");
    }

    @Test
    void aProgramJoinsIsLimitedKilledAndRemoved() throws Exception {
        Containment c = Containment.detect(CgroupMode.REQUIRE);
        Process proc = null;
        ProgramCgroup p = null;
        try {
            assertTrue(c.describe().startsWith("cgroup v1 memory + v2 (hybrid): /sys/fs/cgroup/memory/"), c.describe());
            assertTrue(c.kernelLimits());
            p = c.create("real-life");
            List<Path> f = p.procsFiles();
            assertEquals(2, f.size());
            proc = wrapped(f, "exec sleep 30");
            long pid = proc.pid();
            ProgramCgroup cg = p;
            waitUntil("the wrapper's pid in " + f, () -> contains(cg.pids(), pid));
            assertEquals(List.of(Long.toString(pid)), Files.readAllLines(f.get(1)), "v1 cgroup.procs took $$ too");
            assertTrue(p.populated());

            KernelLimits l = p.setLimits(64 * MIB, 48 * MIB, false);
            assertEquals(new KernelLimits(64 * MIB, -1, true, "memory.limit_in_bytes 64 MiB, memsw the same (no swap)"), l);
            assertEquals("67108864", Files.readString(f.get(1).resolveSibling("memory.limit_in_bytes")).trim());
            l = p.setLimits(128 * MIB + 1, 0, false);
            assertEquals(128 * MIB, l.maxBytes(), "raised (memsw first), rounded down to a page");
            assertTrue(p.memoryUsageBytes() > 0, "sleep's pages are charged to the v1 cgroup");

            assertTrue(p.killAll(SIGKILL));
            waitUntil("populated 0 after cgroup.kill", () -> !cg.populated());
            assertTrue(proc.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            assertEquals(128 + 9, proc.exitValue(), "SIGKILL");
            assertFalse(p.killAll(SIGKILL), "nothing left to kill");

            p.remove();
            assertEquals(null, p.lastError());
            assertFalse(Files.exists(f.get(0).getParent()));
            assertFalse(Files.exists(f.get(1).getParent()));
        } finally {
            cleanUp(c, p, proc);
        }
    }

    @Test
    void theKernelOomKillsInsideTheBackstopAndCountsIt() throws Exception {
        Containment c = Containment.detect(CgroupMode.REQUIRE);
        Process proc = null;
        ProgramCgroup p = null;
        try {
            p = c.create("real-oom");
            assertEquals(32 * MIB, p.setLimits(32 * MIB, 0, false).maxBytes());
            assertEquals(0, p.oomKills());
            // tail keeps a line without a newline whole: 200 MiB of zeros are one line to it.
            proc = wrapped(p.procsFiles(), "head -c 200M /dev/zero | tail > /dev/null");
            assertTrue(proc.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the allocator ends");
            assertTrue(proc.exitValue() != 0, "exit " + proc.exitValue());
            assertEquals(1, p.oomKills());
            ProgramCgroup cg = p;
            waitUntil("populated 0 after the OOM kill", () -> !cg.populated());
        } finally {
            cleanUp(c, p, proc);
        }
    }

    @Test
    void cpuOfAProgramAndOfAllProgramsFromCpuStat() throws Exception {
        Containment c = Containment.detect(CgroupMode.REQUIRE);
        Process proc = null;
        ProgramCgroup p = null;
        try {
            p = c.create("real-cpu");
            long before = c.programsCpuMicros();
            assertTrue(before >= 0, "cpu.stat usage_usec exists without any controller");
            proc = wrapped(p.procsFiles(), "while :; do :; done");
            ProgramCgroup cg = p;
            waitUntil("200 ms of CPU in the program's cgroup", () -> cg.cpuMicros() >= 200_000);
            long first = c.programsCpuMicros();
            waitUntil("the parent's count goes on (one descriptor, re-read from offset 0)",
                    () -> c.programsCpuMicros() >= first + 100_000);
            assertTrue(c.programsCpuMicros() >= p.cpuMicros() - 1, "the parent counts its children");
        } finally {
            cleanUp(c, p, proc);
        }
    }

    @Test
    void v1OnlyKillsByPidAndFollowsV1Membership(@TempDir Path tmp) throws Exception {
        // This host as if it had no cgroup2 mount: /proc/self/* rewritten, the real cgroup files.
        Path procSelf = tmp.resolve("self");
        Files.createDirectories(procSelf);
        Files.writeString(procSelf.resolve("cgroup"), Files.readString(Path.of("/proc/self/cgroup")));
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (!line.contains(" - cgroup2 ")) {
                mounts.add(line);
            }
        }
        Files.write(procSelf.resolve("mountinfo"), mounts);
        Containment c = new Detector(procSelf, Path.of("/proc"), Path.of("/"), ProcessHandle.current().pid(),
                CgroupFiles.KERNEL).detect(CgroupMode.REQUIRE);
        Process proc = null;
        Process second = null;
        ProgramCgroup p = null;
        try {
            assertTrue(c.describe().startsWith("cgroup v1 memory: "), c.describe());
            p = c.create("real-v1");
            assertEquals(1, p.procsFiles().size());
            // Two members, both children of this JVM: killed, neither is left an orphan to reap.
            proc = wrapped(p.procsFiles(), "exec sleep 30");
            second = wrapped(p.procsFiles(), "exec sleep 31");
            long pid = proc.pid();
            long pid2 = second.pid();
            ProgramCgroup cg = p;
            waitUntil("both sleeps in v1 cgroup.procs", () -> contains(cg.pids(), pid) && contains(cg.pids(), pid2));
            assertTrue(p.populated());
            assertTrue(p.killAll(SIGKILL));
            waitUntil("v1 cgroup.procs empty", () -> !cg.populated());
            assertTrue(second.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        } finally {
            if (second != null) {
                second.destroyForcibly();
                second.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            cleanUp(c, p, proc);
        }
    }

    @Test
    void theEmptyDirectoriesOfADeadSentinelAreRemovedAtDetect() throws Exception {
        // Not Files.readString: it reads 1 byte first, and a sysctl file reads as empty past offset 0.
        long dead = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim()) - 1;
        assumeTrue(!Files.exists(Path.of("/proc/" + dead)), "pid " + dead + " is alive here");
        Path v2 = Path.of("/sys/fs/cgroup/unified/sentinel-" + dead);
        Path program = v2.resolve("web");
        try {
            Files.createDirectory(v2);
            Files.createDirectory(program);
            Containment.detect(CgroupMode.REQUIRE).close();
            assertFalse(Files.exists(v2));
        } finally {
            Files.deleteIfExists(program);
            Files.deleteIfExists(v2);
        }
    }

    private static Process wrapped(List<Path> procsFiles, String then) throws IOException {
        StringBuilder script = new StringBuilder();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "", "sh"));
        for (int i = 0; i < procsFiles.size(); i++) {
            script.append("echo $$ > \"$").append(i + 1).append("\"; ");
            command.add(procsFiles.get(i).toString());
        }
        command.set(2, script.append(then).toString());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Kills what is left in the cgroup, waits for it to empty, then removes every directory made. */
    private static void cleanUp(Containment c, ProgramCgroup p, Process proc) throws InterruptedException {
        try {
            if (p != null) {
                p.killAll(SIGKILL);
                long end = System.nanoTime() + DEADLINE.toNanos();
                while ((p.populated() || p.pids().length > 0) && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
            }
            if (proc != null) {
                proc.destroyForcibly();
                proc.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            c.close();
        }
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what);
            }
            Thread.sleep(5);
        }
    }

    private static boolean contains(long[] pids, long pid) {
        for (long p : pids) {
            if (p == pid) {
                return true;
            }
        }
        return false;
    }
}
