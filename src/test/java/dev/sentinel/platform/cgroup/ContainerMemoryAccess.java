package dev.sentinel.platform.cgroup;

import java.nio.file.Path;

/** For tests in other packages: a container's memory read from a fake tree. */
public final class ContainerMemoryAccess {

    private ContainerMemoryAccess() {
    }

    public static ContainerMemory read(Path procSelf, Path fsRoot, Path meminfo) {
        return ContainerMemory.read(procSelf, fsRoot, meminfo);
    }
}
