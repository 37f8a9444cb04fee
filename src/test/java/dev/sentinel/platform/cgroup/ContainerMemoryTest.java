package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's limit and use, read from fake cgroup trees of the shapes Sentinel meets. */
class ContainerMemoryTest {

    @TempDir
    Path tmp;

    private Path meminfo() throws Exception {
        Path m = tmp.resolve("meminfo");
        Files.writeString(m, "MemTotal:       24683772 kB\nMemFree:         1000 kB\n");
        return m;
    }

    private Path proc(String cgroup, String mountinfo) throws Exception {
        Path self = tmp.resolve("proc/self");
        Files.createDirectories(self);
        Files.writeString(self.resolve("cgroup"), cgroup);
        Files.writeString(self.resolve("mountinfo"), mountinfo);
        return self;
    }

    private static void cgroup(Path dir, String max) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), "memory pids\n");
        if (max != null) {
            Files.writeString(dir.resolve("memory.max"), max + "\n");
        }
    }

    @Test
    void aPodsNamespaceRootHasTheContainersLimit() throws Exception {
        // Kubernetes: a private cgroup namespace whose root is the container's cgroup, memory.max 300M.
        Path mount = tmp.resolve("sys/fs/cgroup");
        cgroup(mount, "314572800");
        Files.writeString(mount.resolve("memory.current"), "104857600\n");
        Files.writeString(mount.resolve("memory.stat"), "anon 80000000\nfile 24857600\ninactive_file 20971520\n");
        Path self = proc("0::/\n", "30 22 0:27 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n");
        try (ContainerMemory c = ContainerMemory.read(self, tmp, meminfo())) {
            assertEquals(314572800L, c.limitBytes());
            assertEquals(mount.resolve("memory.max"), c.limitFile());
            assertEquals(314572800L, c.referenceBytes());
            assertEquals("container memory limit 300 MiB (" + mount.resolve("memory.max") + ")", c.describe());
            assertEquals(104857600L - 20971520L, c.usageBytes(), "the working set: usage less inactive file");
            Files.writeString(mount.resolve("memory.current"), "209715200\n");
            assertEquals(209715200L - 20971520L, c.usageBytes(), "read again from the same descriptors");
        }
    }

    @Test
    void theLowestLimitOnTheWayUpCounts() throws Exception {
        // A systemd unit with MemoryMax=1G inside a slice of 512M, Sentinel in a scope without a limit.
        Path mount = tmp.resolve("sys/fs/cgroup");
        cgroup(mount, null);
        cgroup(mount.resolve("a.slice"), "536870912");
        cgroup(mount.resolve("a.slice/b.service"), "1073741824");
        cgroup(mount.resolve("a.slice/b.service/run.scope"), "max");
        Path self = proc("0::/a.slice/b.service/run.scope\n", "30 22 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        try (ContainerMemory c = ContainerMemory.read(self, tmp, meminfo())) {
            assertEquals(536870912L, c.limitBytes());
            assertEquals(mount.resolve("a.slice/memory.max"), c.limitFile());
            assertEquals(-1, c.usageBytes(), "no memory.current in the fake: unknown, not 0");
        }
    }

    @Test
    void noLimitAnywhereIsTheHostsMemoryForPercentages() throws Exception {
        Path mount = tmp.resolve("sys/fs/cgroup");
        cgroup(mount, null);
        cgroup(mount.resolve("user.slice"), "max");
        Path self = proc("0::/user.slice\n", "30 22 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        try (ContainerMemory c = ContainerMemory.read(self, tmp, meminfo())) {
            assertEquals(-1, c.limitBytes());
            assertNull(c.describe());
            assertEquals(24683772L * 1024, c.referenceBytes());
        }
    }

    @Test
    void v1TakesTheLowerOfItsOwnAndTheHierarchicalLimit() throws Exception {
        Path mem = tmp.resolve("sys/fs/cgroup/memory/docker/4f3c");
        Files.createDirectories(mem);
        Files.writeString(mem.resolve("memory.limit_in_bytes"), FakeKernel.V1_MAX + "\n");
        Files.writeString(mem.resolve("memory.stat"), "cache 0\nrss 0\nhierarchical_memory_limit 268435456\n"
                + "total_inactive_file 1048576\n");
        Files.writeString(mem.resolve("memory.usage_in_bytes"), "10485760\n");
        Path self = proc("4:memory:/docker/4f3c\n0::/\n",
                "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n");
        try (ContainerMemory c = ContainerMemory.read(self, tmp, meminfo())) {
            assertEquals(268435456L, c.limitBytes());
            assertEquals(10485760L - 1048576L, c.usageBytes());
        }
    }

    @Test
    void unreadableProcIsNoLimit() throws Exception {
        try (ContainerMemory c = ContainerMemory.read(tmp.resolve("nowhere"), tmp, tmp.resolve("nomeminfo"))) {
            assertEquals(-1, c.limitBytes());
            assertEquals(0, c.referenceBytes());
            assertEquals(-1, c.usageBytes());
        }
    }
}
