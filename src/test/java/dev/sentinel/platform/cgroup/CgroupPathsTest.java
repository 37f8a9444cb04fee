package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupPathsTest {

    private static final Path ROOT = Path.of("/fake");

    private static CgroupPaths of(String cgroup, String mountinfo) {
        return CgroupPaths.of(cgroup.lines().toList(), mountinfo.lines().toList(), ROOT);
    }

    @Test
    void thisMachineIsHybridWithV1MemoryAndARootV2() {
        CgroupPaths p = of(FakeKernel.HYBRID_CGROUP, FakeKernel.HYBRID_MOUNTINFO);
        assertEquals(Path.of("/fake/sys/fs/cgroup/unified"), p.v2Base());
        assertEquals(Path.of("/fake/sys/fs/cgroup/memory/process_api/2eccbc9d7caff6ccc2ea4b4994436cdf"), p.v1Base());
        assertNull(p.v2Why());
        assertNull(p.v1Why());
    }

    @Test
    void pureV2SystemdHasOnlyTheV2Base() {
        CgroupPaths p = of("0::" + FakeKernel.V2_PATH + "\n", FakeKernel.V2_MOUNTINFO);
        assertEquals(Path.of("/fake/sys/fs/cgroup" + FakeKernel.V2_PATH), p.v2Base());
        assertNull(p.v1Base());
        assertEquals("no cgroup v1 memory controller is mounted", p.v1Why());
    }

    @Test
    void aV1ContainerSeesItsOwnCgroupAsTheMountRoot() {
        CgroupPaths p = of(FakeKernel.V1_CGROUP, FakeKernel.V1_MOUNTINFO);
        assertEquals(Path.of("/fake/sys/fs/cgroup/memory"), p.v1Base());
        assertNull(p.v2Base());
        assertEquals("no cgroup2 file system is mounted", p.v2Why());
    }

    @Test
    void aV1PathBelowTheMountRootIsRelativeToIt() {
        CgroupPaths p = of("12:memory:/docker/4f3c/job\n", FakeKernel.V1_MOUNTINFO);
        assertEquals(Path.of("/fake/sys/fs/cgroup/memory/job"), p.v1Base());
    }

    @Test
    void aPathOutsideTheMountRootIsNotGuessed() {
        CgroupPaths p = of("12:memory:/other\n", FakeKernel.V1_MOUNTINFO);
        assertNull(p.v1Base());
        assertTrue(p.v1Why().contains("outside"), p.v1Why());
    }

    @Test
    void aCgroupNamespaceShowsTheRoot() {
        CgroupPaths p = of("0::/\n", "70 60 0:30 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n");
        assertEquals(Path.of("/fake/sys/fs/cgroup"), p.v2Base());
    }

    @Test
    void noCgroupFileSystemAtAll() {
        CgroupPaths p = of("0::/\n", "24 1 8:2 / / rw,relatime - ext4 /dev/sda2 rw\n");
        assertNull(p.v2Base());
        assertNull(p.v1Base());
        assertEquals("no cgroup2 file system is mounted", p.v2Why());
    }

    @Test
    void aV2MountWithoutA0LineIsNoV2() {
        CgroupPaths p = of("4:memory:/x\n", FakeKernel.HYBRID_MOUNTINFO);
        assertNull(p.v2Base());
        assertEquals("/proc/self/cgroup has no 0:: line", p.v2Why());
    }

    @Test
    void mountinfoFieldsOptionalFieldsAndEscapes() {
        List<CgroupPaths.Mount> m = CgroupPaths.mounts(List.of(
                "35 25 0:30 / /sys/fs/my\\040cgroup rw,relatime shared:9 master:3 - cgroup2 cgroup2 rw,nsdelegate",
                "garbage",
                "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"));
        assertEquals(2, m.size());
        assertEquals("/sys/fs/my cgroup", m.get(0).mountPoint());
        assertTrue(m.get(0).isV2());
        assertTrue(m.get(1).isV1Memory());
    }

    @Test
    void aV1MountIsMemoryOnlyWithTheWholeOption() {
        List<CgroupPaths.Mount> m = CgroupPaths.mounts(List.of(
                "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd",
                "39 30 0:36 / /sys/fs/cgroup/x rw - cgroup cgroup rw,name=memoryish"));
        assertTrue(m.stream().noneMatch(CgroupPaths.Mount::isV1Memory));
    }
}
