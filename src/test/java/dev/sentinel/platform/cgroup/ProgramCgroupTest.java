package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program's cgroup against fake trees: names, membership, kill, limits, counters, removal. */
class ProgramCgroupTest {

    private static final long SELF = 4242;
    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    private FakeKernel kernel;

    private Containment hybrid() throws CgroupException {
        kernel = FakeKernel.hybrid(tmp, SELF);
        return kernel.detector(SELF).detect(CgroupMode.REQUIRE);
    }

    private Containment pureV2() throws CgroupException {
        kernel = FakeKernel.pureV2(tmp, SELF, "cpu memory pids");
        return kernel.detector(SELF).detect(CgroupMode.REQUIRE);
    }

    private Containment v1Only(boolean memsw) throws CgroupException {
        kernel = FakeKernel.v1Only(tmp, SELF, memsw);
        return kernel.detector(SELF).detect(CgroupMode.REQUIRE);
    }

    private static Path v2(ProgramCgroup p) {
        return p.procsFiles().get(0).getParent();
    }

    private static Path v1(ProgramCgroup p) {
        return p.procsFiles().get(p.procsFiles().size() - 1).getParent();
    }

    @Test
    void namesThatCouldClashWithKernelFilesArePrefixed() {
        assertEquals("web", CgroupContainment.dirName("web"));
        assertEquals("my.app-1_x", CgroupContainment.dirName("my.app-1_x"));
        assertEquals("prog-memory.high", CgroupContainment.dirName("memory.high"));
        assertEquals("prog-cgroup.procs", CgroupContainment.dirName("cgroup.procs"));
        assertEquals("prog-cpu.x", CgroupContainment.dirName("cpu.x"));
        assertEquals("prog-io.stat", CgroupContainment.dirName("io.stat"));
        assertEquals("prog-pids.max", CgroupContainment.dirName("pids.max"));
        assertEquals("prog-tasks", CgroupContainment.dirName("tasks"));
        assertEquals("prog-..", CgroupContainment.dirName(".."));
        assertEquals("cpuhog", CgroupContainment.dirName("cpuhog"));
        assertThrows(IllegalArgumentException.class, () -> CgroupContainment.dirName("a/b"));
        assertThrows(IllegalArgumentException.class, () -> CgroupContainment.dirName(""));
    }

    @Test
    void createIsIdempotentAndNamesThatMapToOneDirectoryClash() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup a = c.create("cpu.x");
            assertSame(a, c.create("cpu.x"));
            assertEquals("prog-cpu.x", v2(a).getFileName().toString());
            CgroupException e = assertThrows(CgroupException.class, () -> c.create("prog-cpu.x"));
            assertTrue(e.getMessage().contains("already has"), e.getMessage());
        }
    }

    @Test
    void aStaleEmptyDirectoryIsMadeAfreshSoItsCountersStartAtZero() throws Exception {
        try (Containment c = hybrid()) {
            Path old = kernel.v1Mount.resolve(FakeKernel.HYBRID_V1_PATH.substring(1)).resolve("sentinel-4242/web");
            kernel.mkdir(old);
            kernel.set(old.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 5\n");
            ProgramCgroup p = c.create("web");
            assertEquals(0, p.oomKills());
        }
    }

    @Test
    void aStaleDirectoryStillInUseIsAnError() throws Exception {
        try (Containment c = hybrid()) {
            Path old = kernel.v2Mount.resolve("sentinel-4242/web");
            kernel.mkdir(old);
            kernel.addProcess(old, 99);
            CgroupException e = assertThrows(CgroupException.class, () -> c.create("web"));
            assertTrue(e.getMessage().contains("still in use"), e.getMessage());
            assertFalse(Files.exists(kernel.v1Mount.resolve(FakeKernel.HYBRID_V1_PATH.substring(1))
                    .resolve("sentinel-4242/web")), "nothing half made is left");
            kernel.addProcess(kernel.v2Mount, 99);
        }
    }

    @Test
    void membershipAndPopulatedComeFromV2OnHybrid() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            assertArrayEquals(new long[0], p.pids());
            assertFalse(p.populated());
            kernel.addProcess(v2(p), 100);
            kernel.addProcess(v1(p), 100);
            kernel.addProcess(v2(p), 101);
            assertArrayEquals(new long[] {100, 101}, p.pids());
            assertTrue(p.populated());
            assertNull(p.lastError());
        }
    }

    @Test
    void populatedIsTheKeyNotTheFirstLine() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            kernel.set(p.eventsFile(), "frozen 0\npopulated 1\n");
            assertTrue(p.populated());
            kernel.set(p.eventsFile(), "populated 0\nfrozen 1\n");
            assertFalse(p.populated());
        }
    }

    @Test
    void v1OnlyMembershipAndPopulatedFromCgroupProcs() throws Exception {
        try (Containment c = v1Only(true)) {
            ProgramCgroup p = c.create("db");
            assertFalse(p.populated());
            kernel.addProcess(v1(p), 300);
            assertArrayEquals(new long[] {300}, p.pids());
            assertTrue(p.populated());
        }
    }

    @Test
    void anUnreadableCgroupIsEmptyAndRemembersWhy() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            Files.delete(v2(p).resolve("cgroup.procs"));
            Files.delete(v2(p).resolve("cgroup.events"));
            assertArrayEquals(new long[0], p.pids());
            assertNotNull(p.lastError());
            assertTrue(p.lastError().startsWith("cannot read " + v2(p).resolve("cgroup.procs")), p.lastError());
            assertFalse(p.populated());
            assertEquals(0, p.cpuMicros(), "cpu.stat is still there");
            Files.createFile(v2(p).resolve("cgroup.procs"));
        }
    }

    @Test
    void killAllWritesCgroupKillWhereItExists() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            List<Long> byPid = new ArrayList<>();
            assertFalse(p.killAll(byPid::add), "nothing to kill");
            kernel.addProcess(v2(p), 100);
            kernel.addProcess(v1(p), 100);
            assertTrue(p.killAll(byPid::add));
            assertEquals(List.of("1", "1"), kernel.writesTo("cgroup.kill"));
            assertEquals(List.of(), byPid, "cgroup.kill, not kill(2)");
            assertFalse(p.populated());
            kernel.addProcess(kernel.v1Mount, 100);
        }
    }

    @Test
    void killAllOnV1KillsEachPidAndTheChildrenForkedMeanwhile() throws Exception {
        try (Containment c = v1Only(true)) {
            ProgramCgroup p = c.create("db");
            kernel.addProcess(v1(p), 300);
            kernel.addProcess(v1(p), 301);
            List<Long> killed = new ArrayList<>();
            assertTrue(p.killAll(pid -> {
                killed.add(pid);
                if (pid == 300) {
                    kernel.addProcess(v1(p), 302); // forked before the signal landed
                }
                return true;
            }));
            assertEquals(List.of(300L, 301L, 302L), killed);
            for (long pid : new long[] {300, 301, 302}) {
                kernel.addProcess(kernel.v1Mount, pid);
            }
            assertFalse(p.killAll(pid -> true));
        }
    }

    @Test
    void v2LimitsAreWrittenAndReadBackRounded() throws Exception {
        try (Containment c = pureV2()) {
            ProgramCgroup p = c.create("web");
            kernel.writes.clear();
            KernelLimits l = p.setLimits(64 * MIB + 100, 48 * MIB, false);
            assertEquals(List.of(String.valueOf(64 * MIB + 100)), kernel.writesTo("memory.max"));
            assertEquals(List.of(String.valueOf(48 * MIB)), kernel.writesTo("memory.high"));
            assertEquals(List.of("1"), kernel.writesTo("memory.oom.group"));
            assertEquals(List.of("0"), kernel.writesTo("memory.swap.max"));
            assertEquals(new KernelLimits(64 * MIB, 48 * MIB, true,
                    "memory.max 64 MiB, memory.high 48 MiB, swap off, oom.group"), l);

            l = p.setLimits(-1, -1, true);
            assertEquals("max", kernel.read(v2(p).resolve("memory.max")));
            assertEquals("max", kernel.read(v2(p).resolve("memory.swap.max")));
            assertEquals(new KernelLimits(-1, -1, false, "memory.max unlimited, swap allowed, oom.group"), l);
        }
    }

    @Test
    void v2FilesThatAreMissingAreSkipped() throws Exception {
        try (Containment c = pureV2()) {
            ProgramCgroup p = c.create("web");
            Files.delete(v2(p).resolve("memory.swap.max"));
            Files.delete(v2(p).resolve("memory.oom.group"));
            KernelLimits l = p.setLimits(32 * MIB, 0, false);
            assertEquals(new KernelLimits(32 * MIB, -1, false, "memory.max 32 MiB, swap allowed"), l);
            assertEquals("max", kernel.read(v2(p).resolve("memory.high")), "0 leaves memory.high alone");
        }
    }

    @Test
    void v1LimitsWriteMemswInTheOrderTheKernelAccepts() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            kernel.writes.clear();
            // From unlimited down: the limit first.
            KernelLimits l = p.setLimits(64 * MIB, 10 * MIB, false);
            assertEquals(new KernelLimits(64 * MIB, -1, true,
                    "memory.limit_in_bytes 64 MiB, memsw the same (no swap)"), l);
            // Raising: memsw first.
            p.setLimits(128 * MIB, 0, false);
            // Lowering: the limit first.
            p.setLimits(32 * MIB, 0, false);
            // Unlimited: memsw first.
            l = p.setLimits(-1, 0, false);
            assertEquals(new KernelLimits(-1, -1, false, "memory.limit_in_bytes unlimited, memsw unlimited"), l);
            List<String> order = kernel.writes.stream().map(w -> w.substring(w.lastIndexOf('/') + 1)).toList();
            assertEquals(List.of(
                    "memory.limit_in_bytes 67108864", "memory.memsw.limit_in_bytes 67108864",
                    "memory.memsw.limit_in_bytes 134217728", "memory.limit_in_bytes 134217728",
                    "memory.limit_in_bytes 33554432", "memory.memsw.limit_in_bytes 33554432",
                    "memory.memsw.limit_in_bytes -1", "memory.limit_in_bytes -1"), order);
            assertTrue(kernel.writesTo("memory.high").isEmpty(), "no memory.high on v1");
        }
    }

    @Test
    void v1AllowSwapLeavesMemswUnlimited() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            KernelLimits l = p.setLimits(64 * MIB, 0, true);
            assertEquals(new KernelLimits(64 * MIB, -1, false,
                    "memory.limit_in_bytes 64 MiB, memsw unlimited"), l);
        }
    }

    @Test
    void v1WithoutSwapAccountingSetsTheLimitOnly() throws Exception {
        try (Containment c = v1Only(false)) {
            ProgramCgroup p = c.create("db");
            KernelLimits l = p.setLimits(16 * MIB + 1, 0, false);
            assertEquals(new KernelLimits(16 * MIB, -1, false, "memory.limit_in_bytes 16 MiB"), l);
        }
    }

    @Test
    void aRefusedWriteIsOneSentence() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            kernel.failing.put(v1(p).resolve("memory.limit_in_bytes"), "Device or resource busy");
            CgroupException e = assertThrows(CgroupException.class, () -> p.setLimits(8 * MIB, 0, false));
            assertEquals("cannot set memory.limit_in_bytes of " + v1(p) + " to 8388608: Device or resource busy "
                    + "(the program uses more and the kernel could not reclaim enough)", e.getMessage());
        }
    }

    @Test
    void oomKillsFromMemoryEventsOrOomControl() throws Exception {
        try (Containment c = pureV2()) {
            ProgramCgroup p = c.create("web");
            assertEquals(0, p.oomKills());
            kernel.set(p.memoryEventsFile(), "low 0\nhigh 12\nmax 40\noom 3\noom_kill 2\noom_group_kill 1\n");
            assertEquals(2, p.oomKills());
            kernel.set(p.memoryEventsFile(), "low 0\nhigh 0\nmax 0\noom 1\n"); // an old kernel
            assertEquals(0, p.oomKills());
        }
    }

    @Test
    void oomKillsOnV1() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            kernel.set(p.oomControlFile(), "oom_kill_disable 0\nunder_oom 1\noom_kill 3\n");
            assertEquals(3, p.oomKills());
            kernel.set(p.oomControlFile(), "oom_kill_disable 0\nunder_oom 0\n");
            assertEquals(0, p.oomKills());
        }
    }

    @Test
    void usageAndCpu() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            kernel.set(p.usageFile(), "1052672\n");
            kernel.set(v2(p).resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
            assertEquals(1052672, p.memoryUsageBytes());
            assertEquals(1500, p.cpuMicros());
        }
        try (Containment c = FakeKernel.pureV2(tmp.resolve("v2"), SELF, "memory").detector(SELF).detect(CgroupMode.AUTO)) {
            ProgramCgroup p = c.create("web");
            Files.writeString(v2(p).resolve("memory.current"), "4096\n");
            assertEquals(4096, p.memoryUsageBytes());
        }
    }

    @Test
    void programsCpuIsOneReadOfTheParentAgainAndAgain() throws Exception {
        try (Containment c = hybrid()) {
            Path stat = kernel.v2Mount.resolve("sentinel-4242/cpu.stat");
            assertEquals(0, c.programsCpuMicros());
            kernel.set(stat, "usage_usec 987654321\nuser_usec 1\nsystem_usec 2\n");
            assertEquals(987654321, c.programsCpuMicros());
            kernel.set(stat, "user_usec 1\nusage_usec 5\n");
            assertEquals(5, c.programsCpuMicros());
        }
    }

    @Test
    void removeTakesBothDirectoriesAndCreateMakesThemAgain() throws Exception {
        try (Containment c = hybrid()) {
            ProgramCgroup p = c.create("web");
            p.remove();
            assertFalse(Files.exists(v2(p)));
            assertFalse(Files.exists(v1(p)));
            assertNull(p.lastError());
            ProgramCgroup again = c.create("web");
            assertTrue(again != p);
            assertTrue(Files.exists(v2(again)));
        }
    }

    @Test
    void aBusyCgroupIsLeftAndCloseLeavesItsParent() throws Exception {
        Path v2Parent;
        ProgramCgroup p;
        try (Containment c = hybrid()) {
            p = c.create("web");
            c.create("idle");
            v2Parent = v2(p).getParent();
            kernel.addProcess(v2(p), 100);
            p.remove();
            assertTrue(Files.exists(v2(p)));
            assertTrue(p.lastError().contains("Device or resource busy"), p.lastError());
            assertFalse(Files.exists(v1(p)));
        }
        assertTrue(Files.exists(v2(p)));
        assertFalse(Files.exists(v2Parent.resolve("idle")));
        assertFalse(Files.exists(v1(p).getParent()), "the v1 parent was empty");
    }
}
