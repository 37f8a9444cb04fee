package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.cgroup.ContainerMemory;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits fitted to a container of 300 MiB (a fake cgroup tree), Sentinel using 40 MiB. */
class ContainerFitTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    private ContainerMemory container(String max) throws Exception {
        Path mount = tmp.resolve("sys/fs/cgroup");
        Files.createDirectories(mount);
        Files.writeString(mount.resolve("cgroup.controllers"), "memory\n");
        if (max != null) {
            Files.writeString(mount.resolve("memory.max"), max + "\n");
        }
        Path self = tmp.resolve("proc/self");
        Files.createDirectories(self);
        Files.writeString(self.resolve("cgroup"), "0::/\n");
        Files.writeString(self.resolve("mountinfo"), "30 22 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        Path meminfo = tmp.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal: 1048576 kB\n");
        return dev.sentinel.platform.cgroup.ContainerMemoryAccess.read(self, tmp, meminfo);
    }

    private static ProgramSettings program(String name, String limit) {
        return ProgramSettings.builder(name, List.of("true")).limit(MemoryLimit.parse(limit)).build();
    }

    @Test
    void aPercentageIsThatShareOfTheContainersLimit() throws Exception {
        ContainerFit fit = new ContainerFit(container(Long.toString(300 * MIB)), 40 * MIB);
        ContainerFit.Fitted f = fit.fit(List.of(program("web", "80%")));
        assertEquals(List.of(), f.problems());
        MemoryLimit l = f.programs().get(0).limit();
        assertEquals(240 * MIB, l.bytes());
        assertEquals("240 MiB (80% of 300 MiB)", l.describe());
        assertEquals(MemoryLimit.parse("80%"), l, "a reload that keeps 80% keeps the limit");
    }

    @Test
    void withoutAContainerLimitAPercentageIsOfTheHostsMemory() throws Exception {
        ContainerFit fit = new ContainerFit(container(null), 40 * MIB);
        ContainerFit.Fitted f = fit.fit(List.of(program("web", "50%")));
        assertEquals(512 * MIB, f.programs().get(0).limit().bytes());
        assertEquals(List.of(), f.notes());
    }

    @Test
    void aLimitThatReachesTheContainersIsRefused() throws Exception {
        ContainerFit fit = new ContainerFit(container(Long.toString(300 * MIB)), 40 * MIB);
        ContainerFit.Fitted f = fit.fit(List.of(program("web", "290M")));
        assertEquals(1, f.problems().size());
        String p = f.problems().get(0);
        assertTrue(p.startsWith("web: memory_limit 290 MiB reaches the container memory limit 300 MiB ("), p);
        assertTrue(p.endsWith("less Sentinel's own 40 MiB: the kernel would kill the whole container before Sentinel "
                + "stops web; give at most 260 MiB, or a percentage such as 80%"), p);
    }

    @Test
    void aKernelLimitThatWouldReachTheContainersIsCappedBelowIt() throws Exception {
        ContainerFit fit = new ContainerFit(container(Long.toString(300 * MIB)), 40 * MIB);
        // auto: 250M + 25M = 275M, over the 260M left once Sentinel's own 40M is kept free.
        ContainerFit.Fitted f = fit.fit(List.of(program("web", "250M")));
        assertEquals(List.of(), f.problems());
        KernelLimit k = f.programs().get(0).kernel();
        assertEquals(new KernelLimit(KernelLimit.Mode.FIXED, 260 * MIB, false), k);
        assertEquals(1, f.notes().size());
        assertTrue(f.notes().get(0).startsWith("web: kernel limit capped at 260 MiB (was 275 MiB): the container"),
                f.notes().get(0));
    }

    @Test
    void theHeadroomIsAtLeast32MiB() throws Exception {
        ContainerFit fit = new ContainerFit(container(Long.toString(300 * MIB)), 0);
        assertEquals(32 * MIB, fit.headroom());
    }

    @Test
    void limitsTogetherOverTheContainersAreSaid() throws Exception {
        ContainerFit fit = new ContainerFit(container(Long.toString(300 * MIB)), 40 * MIB);
        ContainerFit.Fitted f = fit.fit(List.of(program("a", "50%"), program("b", "50%")));
        assertEquals(List.of(), f.problems());
        assertTrue(f.notes().stream().anyMatch(n -> n.startsWith("the programs' limits together (300 MiB) exceed")),
                f.notes().toString());
    }

    @Test
    void fittingTwiceChangesNothing() throws Exception {
        ContainerFit fit = new ContainerFit(container(Long.toString(300 * MIB)), 40 * MIB);
        ProgramSettings once = fit.fit(List.of(program("web", "250M"))).programs().get(0);
        ContainerFit.Fitted twice = fit.fit(List.of(once));
        assertEquals(once, twice.programs().get(0));
        assertEquals(List.of(), twice.notes());
    }
}
