package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** detect() against fake cgroup trees of each host shape. */
class DetectTest {

    private static final long SELF = 4242;

    @TempDir
    Path tmp;

    private Path v2Base(FakeKernel k) {
        return k.v2Mount.resolve(FakeKernel.V2_PATH.substring(1));
    }

    @Test
    void offTouchesNothing() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "cpu memory pids");
        Containment c = k.detector(SELF).detect(CgroupMode.OFF);
        assertFalse(c.active());
        assertEquals("no cgroup (/proc only): --cgroup off", c.describe());
        assertEquals(List.of(), k.writes);
        assertFalse(Files.exists(v2Base(k).resolve("sentinel-" + SELF)));
    }

    @Test
    void pureV2MovesSentinelIntoALeafThenGivesMemoryToThePrograms() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "cpu io memory pids");
        Path base = v2Base(k);
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            Path leaf = base.resolve("sentinel-4242-self");
            Path parent = base.resolve("sentinel-4242");
            assertTrue(c.active());
            assertTrue(c.kernelLimits());
            assertEquals("cgroup v2: " + parent + " (Sentinel in " + leaf + ")", c.describe());
            assertEquals(List.of(
                    k.rel(leaf.resolve("cgroup.procs")) + " 4242",
                    k.rel(base.resolve("cgroup.subtree_control")) + " +memory",
                    k.rel(base.resolve("cgroup.subtree_control")) + " +pids",
                    k.rel(parent.resolve("cgroup.subtree_control")) + " +memory",
                    k.rel(parent.resolve("cgroup.subtree_control")) + " +pids"), k.writes);
            assertEquals("", k.read(base.resolve("cgroup.procs")));
            assertEquals("4242", k.read(leaf.resolve("cgroup.procs")));
            ProgramCgroup web = c.create("web");
            assertTrue(Files.exists(parent.resolve("web/memory.max")));
            assertEquals(List.of(parent.resolve("web/cgroup.procs")), web.procsFiles());
            assertEquals(parent.resolve("web/memory.events"), web.memoryEventsFile());
            assertEquals(null, web.usageFile());
        }
        assertFalse(Files.exists(base.resolve("sentinel-4242")), "close removes the programs' parent");
        assertFalse(Files.exists(base.resolve("sentinel-4242-self")), "close removes Sentinel's leaf");
        assertEquals("4242", k.read(base.resolve("cgroup.procs")), "Sentinel is back where it started");
        assertEquals("", k.read(base.resolve("cgroup.subtree_control")), "what it enabled is off again");
    }

    @Test
    void pureV2DetectedTwiceInOneProcessUsesTheSameBase() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        Path base = v2Base(k);
        k.detector(SELF).detect(CgroupMode.AUTO).close();
        k.set(k.procSelf().resolve("cgroup"), "0::" + FakeKernel.V2_PATH + "/sentinel-4242-self\n");
        try (Containment c = k.detector(SELF).detect(CgroupMode.AUTO)) {
            assertTrue(c.kernelLimits());
            assertTrue(c.describe().startsWith("cgroup v2: " + base.resolve("sentinel-4242")), c.describe());
        }
    }

    @Test
    void pureV2WithoutMemoryOfferedStillContains() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "cpu pids");
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.active());
            assertFalse(c.kernelLimits());
            assertTrue(c.describe().startsWith("cgroup v2 without memory controller: "), c.describe());
            assertTrue(c.describe().contains("memory is not in " + v2Base(k).resolve("cgroup.controllers")), c.describe());
            ProgramCgroup p = c.create("job");
            assertEquals(null, p.memoryEventsFile());
            assertEquals(-1, p.memoryUsageBytes());
            assertEquals("no kernel limit (no memory controller)", p.setLimits(1 << 20, 0, false).describe());
        }
    }

    @Test
    void pureV2MovesTheOtherProcessesOfItsBaseIntoItsLeafAndBackAtTheEnd() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        Path base = v2Base(k);
        k.addProcess(base, 777); // the shell that started Sentinel, or another process of the container
        try (Containment c = k.detector(SELF).detect(CgroupMode.AUTO)) {
            assertTrue(c.active());
            assertTrue(c.kernelLimits(), c.describe());
            assertEquals("", k.read(base.resolve("cgroup.procs")));
            assertEquals(List.of("4242", "777"), List.of(k.read(base.resolve("sentinel-4242-self/cgroup.procs")).split("\n")));
            assertEquals(new SelfLeaf(base, base.resolve("sentinel-4242-self"), List.of("memory")), c.selfLeaf());
        }
        assertEquals(List.of("4242", "777"), List.of(k.read(base.resolve("cgroup.procs")).split("\n")));
        assertFalse(Files.exists(base.resolve("sentinel-4242-self")));
    }

    @Test
    void atTheHierarchysOwnRootInitAndTheKernelsThreadsStayWhereTheyAre() throws Exception {
        // A host without systemd, Sentinel at the root: the root may hold processes beside controllers.
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.removeXattrs(v2Base(k));
        k.set(k.procSelf().resolve("cgroup"), "0::/\n");
        k.addProcess(k.v2Mount, 1);
        k.addProcess(k.v2Mount, SELF);
        try (Containment c = k.detector(SELF).detect(CgroupMode.AUTO)) {
            assertTrue(c.kernelLimits(), c.describe());
            assertEquals("1", k.read(k.v2Mount.resolve("cgroup.procs")));
            assertEquals("4242", k.read(k.v2Mount.resolve("sentinel-4242-self/cgroup.procs")));
            assertEquals(List.of(), c.selfLeaf().enabled(), "nothing at the root is turned off again");
        }
    }

    @Test
    void pureV2LeafThatCannotBeEmptiedIsSaid() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        Path base = v2Base(k);
        Containment c = k.detector(SELF).detect(CgroupMode.AUTO);
        k.failing.put(base.resolve("cgroup.procs"), "Device or resource busy");
        c.close();
        assertEquals("cannot move process 4242 back to " + base + " (Device or resource busy)", c.leftBehind());
    }

    @Test
    void pureV2NotWritableIsNoCgroupOrAnErrorWhenRequired() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.readOnly.add(v2Base(k));
        Containment c = k.detector(SELF).detect(CgroupMode.AUTO);
        assertFalse(c.active());
        assertEquals("no cgroup (/proc only): " + v2Base(k) + " is not writable", c.describe());
        CgroupException e = assertThrows(CgroupException.class, () -> k.detector(SELF).detect(CgroupMode.REQUIRE));
        assertEquals("no cgroup Sentinel can use: " + v2Base(k) + " is not writable; on a systemd host, run it as "
                + "systemd-run --user --scope -p Delegate=yes sentinel …", e.getMessage());
    }

    @Test
    void pureV2NotDelegatedCannotMoveSentinel() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        Path leaf = v2Base(k).resolve("sentinel-4242-self");
        k.failing.put(leaf.resolve("cgroup.procs"), "Permission denied");
        Containment c = k.detector(SELF).detect(CgroupMode.AUTO);
        assertFalse(c.active());
        assertTrue(c.describe().contains("cannot move Sentinel into " + leaf), c.describe());
        assertFalse(Files.exists(leaf), "the leaf it could not use is removed");
    }

    private static final String NOT_DELEGATED = " is not delegated to Sentinel (systemd manages it); on a systemd host, "
            + "run it as systemd-run --user --scope -p Delegate=yes sentinel …";

    @Test
    void pureV2DelegatedByTheUserManagersXattr() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        assertTrue(Files.isDirectory(tmp.resolve("run/systemd/system")), "systemd manages this tree");
        assertEquals("1", k.xattr(v2Base(k), "user.delegate"));
        assertEquals(null, k.xattr(v2Base(k), "trusted.delegate"));
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.active());
            assertTrue(c.kernelLimits());
        }
    }

    @Test
    void pureV2DelegatedByTheSystemManagersXattr() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.removeXattrs(v2Base(k));
        k.setXattr(v2Base(k), "trusted.delegate", "1");
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.active());
            assertTrue(c.describe().startsWith("cgroup v2: " + v2Base(k).resolve("sentinel-4242")), c.describe());
        }
    }

    @Test
    void pureV2AtTheRootOfItsCgroupNamespaceNeedsNoXattr() throws Exception {
        // A container with its own cgroup namespace: /proc/self/cgroup says 0::/.
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.removeXattrs(v2Base(k));
        k.set(k.procSelf().resolve("cgroup"), "0::/\n");
        k.addProcess(k.v2Mount, SELF);
        Path leaf = k.v2Mount.resolve("sentinel-4242-self");
        Path parent = k.v2Mount.resolve("sentinel-4242");
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.active());
            assertEquals("cgroup v2: " + parent + " (Sentinel in " + leaf + ")", c.describe());
            assertEquals("4242", k.read(leaf.resolve("cgroup.procs")));
        }
        // Detected again in the same process, now in its leaf: still the namespace's root as base.
        k.set(k.procSelf().resolve("cgroup"), "0::/sentinel-4242-self\n");
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertEquals("cgroup v2: " + parent + " (Sentinel in " + leaf + ")", c.describe());
        }
    }

    @Test
    void pureV2UnderSystemdWithoutDelegationIsNoCgroupAndTouchesNothing() throws Exception {
        // A desktop terminal's scope: owned by the user, so writable, but systemd's.
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        Path base = v2Base(k);
        k.removeXattrs(base);
        k.mkdir(base.resolve("sentinel-999")); // a dead Sentinel's: not ours to remove here
        Containment c = k.detector(SELF).detect(CgroupMode.AUTO);
        assertFalse(c.active());
        assertEquals("no cgroup (/proc only): " + base + NOT_DELEGATED, c.describe());
        assertEquals(List.of(), k.writes);
        assertFalse(Files.exists(base.resolve("sentinel-4242-self")));
        assertFalse(Files.exists(base.resolve("sentinel-4242")));
        assertTrue(Files.exists(base.resolve("sentinel-999")));
        assertEquals("4242", k.read(base.resolve("cgroup.procs")), "Sentinel is not moved");

        CgroupException e = assertThrows(CgroupException.class, () -> k.detector(SELF).detect(CgroupMode.REQUIRE));
        assertEquals("no cgroup Sentinel can use: " + base + NOT_DELEGATED, e.getMessage());
    }

    @Test
    void pureV2DelegateXattrMustBeOne() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.setXattr(v2Base(k), "user.delegate", "0");
        k.setXattr(v2Base(k), "trusted.delegate", "yes");
        assertFalse(k.detector(SELF).detect(CgroupMode.AUTO).active());
    }

    @Test
    void pureV2WithoutSystemdIsOursWithoutXattr() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.removeXattrs(v2Base(k));
        k.noSystemd();
        assertFalse(Files.exists(k.v2Mount.resolve("init.scope")));
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.active());
            assertTrue(c.kernelLimits());
        }
    }

    @Test
    void pureV2WithOnlyOneSystemdMarkerIsStillSystemds() throws Exception {
        FakeKernel k = FakeKernel.pureV2(tmp, SELF, "memory");
        k.removeXattrs(v2Base(k));
        k.noSystemd();
        Files.createDirectories(tmp.resolve("run/systemd/system"));
        assertFalse(k.detector(SELF).detect(CgroupMode.AUTO).active());
        Files.delete(tmp.resolve("run/systemd/system"));
        k.mkdir(k.v2Mount.resolve("init.scope"));
        assertFalse(k.detector(SELF).detect(CgroupMode.AUTO).active());
    }

    @Test
    void hybridLikeThisMachineMakesAParentInBothHierarchies() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        Path v1 = k.v1Mount.resolve(FakeKernel.HYBRID_V1_PATH.substring(1)).resolve("sentinel-4242");
        Path v2 = k.v2Mount.resolve("sentinel-4242");
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.active());
            assertTrue(c.kernelLimits());
            assertEquals("cgroup v1 memory + v2 (hybrid): " + v1 + ", " + v2, c.describe());
            assertEquals(List.of(), k.writes, "Sentinel is not moved");
            assertTrue(Files.isDirectory(v1));
            assertTrue(Files.isDirectory(v2));
            ProgramCgroup p = c.create("web");
            assertEquals(List.of(v2.resolve("web/cgroup.procs"), v1.resolve("web/cgroup.procs")), p.procsFiles());
            assertEquals(v2.resolve("web/cgroup.events"), p.eventsFile());
            assertEquals(null, p.memoryEventsFile());
            assertEquals(v1.resolve("web/memory.usage_in_bytes"), p.usageFile());
            assertEquals(v1.resolve("web/memory.oom_control"), p.oomControlFile());
            assertEquals(v1.resolve("web/cgroup.event_control"), p.eventControlFile());
        }
        assertFalse(Files.exists(v1));
        assertFalse(Files.exists(v2));
    }

    @Test
    void hybridWithAnUnwritableV2IsV1Only() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        k.readOnly.add(k.v2Mount);
        try (Containment c = k.detector(SELF).detect(CgroupMode.AUTO)) {
            assertTrue(c.kernelLimits());
            assertTrue(c.describe().startsWith("cgroup v1 memory: "), c.describe());
            assertTrue(c.describe().contains(k.v2Mount + " is not writable"), c.describe());
            assertEquals(-1, c.programsCpuMicros());
        }
    }

    @Test
    void hybridWithAnUnwritableV1IsV2WithoutLimits() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        Path v1Base = k.v1Mount.resolve(FakeKernel.HYBRID_V1_PATH.substring(1));
        k.readOnly.add(v1Base);
        try (Containment c = k.detector(SELF).detect(CgroupMode.AUTO)) {
            assertTrue(c.active());
            assertFalse(c.kernelLimits());
            assertEquals("cgroup v2 without memory controller: " + k.v2Mount.resolve("sentinel-4242") + " ("
                    + v1Base + " is not writable: no kernel limit)", c.describe());
        }
    }

    @Test
    void hybridWithNeitherWritableIsNone() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        Path v1Base = k.v1Mount.resolve(FakeKernel.HYBRID_V1_PATH.substring(1));
        k.readOnly.add(v1Base);
        k.readOnly.add(k.v2Mount);
        CgroupException e = assertThrows(CgroupException.class, () -> k.detector(SELF).detect(CgroupMode.REQUIRE));
        assertTrue(e.getMessage().startsWith("no cgroup Sentinel can use: " + v1Base + " is not writable; "), e.getMessage());
    }

    @Test
    void v1OnlyHostUsesTheV1MemoryCgroup() throws Exception {
        FakeKernel k = FakeKernel.v1Only(tmp, SELF, true);
        try (Containment c = k.detector(SELF).detect(CgroupMode.REQUIRE)) {
            assertTrue(c.kernelLimits());
            assertEquals("cgroup v1 memory: " + k.v1Mount.resolve("sentinel-4242")
                    + " (no cgroup2 file system is mounted: membership from v1, kill by pid)", c.describe());
            ProgramCgroup p = c.create("db");
            assertEquals(List.of(k.v1Mount.resolve("sentinel-4242/db/cgroup.procs")), p.procsFiles());
            assertEquals(null, p.eventsFile());
            assertEquals(-1, p.cpuMicros());
        }
    }

    @Test
    void noCgroupFileSystem() throws Exception {
        FakeKernel k = FakeKernel.none(tmp, SELF);
        Containment c = k.detector(SELF).detect(CgroupMode.AUTO);
        assertFalse(c.active());
        assertEquals("no cgroup (/proc only): no cgroup2 file system is mounted and no cgroup v1 memory controller "
                + "is mounted", c.describe());
        assertEquals(-1, c.programsCpuMicros());
        assertThrows(CgroupException.class, () -> c.create("x"));
        CgroupException e = assertThrows(CgroupException.class, () -> k.detector(SELF).detect(CgroupMode.REQUIRE));
        assertTrue(e.getMessage().endsWith("systemd-run --user --scope -p Delegate=yes sentinel …"), e.getMessage());
    }

    @Test
    void unreadableProcSelfCgroup() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        Files.delete(k.procSelf().resolve("cgroup"));
        Containment c = k.detector(SELF).detect(CgroupMode.AUTO);
        assertFalse(c.active());
        assertEquals("no cgroup (/proc only): cannot read " + k.procSelf() + "/cgroup or mountinfo: "
                + "no such file or directory", c.describe());
    }

    @Test
    void staleParentsOfDeadSentinelsAreRemovedWhenEmpty() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        Path v2 = k.v2Mount;
        k.mkdir(v2.resolve("sentinel-999"));
        k.mkdir(v2.resolve("sentinel-999/web"));
        k.mkdir(v2.resolve("sentinel-998-self"));
        k.mkdir(v2.resolve("sentinel-777")); // its Sentinel is alive
        k.alive(777);
        k.mkdir(v2.resolve("sentinel-555")); // dead, but a program of it still runs
        k.mkdir(v2.resolve("sentinel-555/job"));
        k.addProcess(v2.resolve("sentinel-555/job"), 1234);
        k.mkdir(v2.resolve("sentinel-555/done"));
        k.mkdir(v2.resolve("someone-else"));
        try (Containment c = k.detector(SELF).detect(CgroupMode.AUTO)) {
            assertTrue(c.active());
        }
        assertFalse(Files.exists(v2.resolve("sentinel-999")));
        assertFalse(Files.exists(v2.resolve("sentinel-998-self")));
        assertTrue(Files.exists(v2.resolve("sentinel-777")));
        assertTrue(Files.exists(v2.resolve("sentinel-555/job")));
        assertFalse(Files.exists(v2.resolve("sentinel-555/done")));
        assertTrue(Files.exists(v2.resolve("someone-else")));
    }

    @Test
    void staleCleanupInTheV1HierarchyToo() throws Exception {
        FakeKernel k = FakeKernel.hybrid(tmp, SELF);
        Path v1Base = k.v1Mount.resolve(FakeKernel.HYBRID_V1_PATH.substring(1));
        k.mkdir(v1Base.resolve("sentinel-31"));
        k.mkdir(v1Base.resolve("sentinel-31/a"));
        k.detector(SELF).detect(CgroupMode.AUTO).close();
        assertFalse(Files.exists(v1Base.resolve("sentinel-31")));
    }
}
