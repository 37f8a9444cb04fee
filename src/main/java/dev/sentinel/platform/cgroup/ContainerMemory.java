package dev.sentinel.platform.cgroup;

import dev.sentinel.text.ByteSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory limit of the cgroup Sentinel runs in — a container's, a systemd unit's — and how
 * much of it is in use. Where that cgroup is killed as a whole when it reaches its limit (the
 * kubelet sets {@code memory.oom.group} on every container since Kubernetes 1.28), Sentinel must
 * act before the kernel does: this is what it watches.
 *
 * <p>The limit is the lowest {@code memory.max} on the way from Sentinel's cgroup up to the top of
 * what its cgroup file system shows (in a container, its own cgroup); on v1 the lower of
 * {@code memory.limit_in_bytes} and {@code hierarchical_memory_limit}. Use is the working set, as
 * the kubelet counts it: usage less inactive page cache, which the kernel reclaims before it kills.
 * Read on the supervisor loop only.
 */
public final class ContainerMemory implements AutoCloseable {

    private final long limitBytes;
    private final Path limitFile;
    private final long hostBytes;
    /** The limited cgroup's, or null without a limit. */
    private final WorkingSet workingSet;

    ContainerMemory(long limitBytes, Path limitFile, long hostBytes, WorkingSet workingSet) {
        this.limitBytes = limitBytes;
        this.limitFile = limitFile;
        this.hostBytes = hostBytes;
        this.workingSet = workingSet;
    }

    /** This process's, from /proc/self and /proc/meminfo. */
    public static ContainerMemory detect() {
        return read(Path.of("/proc/self"), Path.of("/"), Path.of("/proc/meminfo"));
    }

    /** No container limit: percentages are of the host's memory, and nothing is guarded below a limit. */
    public static ContainerMemory none() {
        return new ContainerMemory(-1, null, hostBytes(Path.of("/proc/meminfo")), null);
    }

    /**
     * A limit given rather than read (a sidecar's: the app container's, which Sentinel's cgroup file
     * system does not show), or this process's for {@code -1}. Its use cannot be read: -1.
     */
    public static ContainerMemory of(long givenBytes) {
        if (givenBytes <= 0) {
            return detect();
        }
        return new ContainerMemory(givenBytes, null, hostBytes(Path.of("/proc/meminfo")), null);
    }

    /** Never fails: what cannot be read is no limit (and, for the host, 0 bytes). */
    static ContainerMemory read(Path procSelf, Path fsRoot, Path meminfo) {
        long host = hostBytes(meminfo);
        CgroupPaths paths;
        try {
            paths = CgroupPaths.read(procSelf, fsRoot);
        } catch (IOException e) {
            return new ContainerMemory(-1, null, host, null);
        }
        if (paths.v1Base() != null) {
            Path dir = paths.v1Base();
            long own = value(dir.resolve("memory.limit_in_bytes"));
            long hierarchical = keyed(dir.resolve("memory.stat"), "hierarchical_memory_limit");
            long limit = lowest(own, hierarchical);
            return new ContainerMemory(limit, dir.resolve("memory.limit_in_bytes"), host, WorkingSet.v1(dir));
        }
        if (paths.v2Base() != null) {
            long limit = -1;
            Path where = null;
            // Up to the top of the mount: each cgroup below the hierarchy's root has a memory.max
            // once its parent gives it the controller.
            for (Path dir = paths.v2Base(); dir != null && Files.exists(dir.resolve("cgroup.controllers"));
                    dir = dir.getParent()) {
                long max = value(dir.resolve("memory.max"));
                if (max > 0 && (limit < 0 || max < limit)) {
                    limit = max;
                    where = dir;
                }
            }
            if (where == null) {
                return new ContainerMemory(-1, null, host, null);
            }
            return new ContainerMemory(limit, where.resolve("memory.max"), host, WorkingSet.v2(where));
        }
        return new ContainerMemory(-1, null, host, null);
    }

    /** The limit in bytes, -1 for none. */
    public long limitBytes() {
        return limitBytes;
    }

    /** Whether the limit was given ({@link #of}) rather than read: the container is not Sentinel's own. */
    public boolean given() {
        return limitBytes > 0 && limitFile == null;
    }

    /** The file the limit was read from, null for none or a given one. */
    public Path limitFile() {
        return limitFile;
    }

    /** MemTotal of /proc/meminfo, 0 if unreadable. */
    public long hostBytes() {
        return hostBytes;
    }

    /** What a percentage limit is a share of: the container's limit, else the host's memory (0 if neither is known). */
    public long referenceBytes() {
        return limitBytes > 0 ? limitBytes : hostBytes;
    }

    /**
     * {@code container memory limit 300 MiB (/sys/fs/cgroup/memory.max)}, {@code (given)} for a given
     * one, or null without one.
     */
    public String describe() {
        return limitBytes > 0 ? "container memory limit " + ByteSize.format(limitBytes) + " ("
                + (limitFile == null ? "given" : limitFile) + ")" : null;
    }

    /** What Sentinel's own memory weighs on the container: nothing in another container than its own. */
    public long ownShare(long ownBytes) {
        return given() ? 0 : ownBytes;
    }

    /** The limited cgroup's working set now (usage less inactive file cache), -1 if it cannot be read. */
    public long usageBytes() {
        return workingSet == null ? -1 : workingSet.bytes();
    }

    @Override
    public void close() {
        if (workingSet != null) {
            workingSet.close();
        }
    }

    private static long lowest(long a, long b) {
        if (a <= 0) {
            return b > 0 ? b : -1;
        }
        return b > 0 ? Math.min(a, b) : a;
    }

    private static long value(Path file) {
        try {
            ReadBuffer b = new ReadBuffer().read(file);
            return b.length() == 0 ? -1 : b.value();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long keyed(Path file, String key) {
        try {
            long v = new ReadBuffer().read(file).keyed(key, -1);
            return v >= CgroupText.V1_UNLIMITED_MIN ? -1 : v;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long hostBytes(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo, StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: percentages are then refused
        }
        return 0;
    }
}
