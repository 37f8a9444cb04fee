package dev.sentinel.platform.cgroup;

import java.nio.file.Path;

/**
 * Sentinel's containment, decided once at start-up: a cgroup per guarded program where the host
 * gives one (pure cgroup v2 with a delegated subtree, v1 memory with or without a controller-less
 * cgroup2 beside it), or nothing, with a reason.
 */
public interface Containment extends AutoCloseable {

    /** False for no cgroup at all. */
    boolean active();

    /** For the started line: the kind and the programs' parent directories, or why there is none. */
    String describe();

    /** A memory controller is there: kernel limits can be set. */
    boolean kernelLimits();

    /**
     * The program's cgroup, made on first call (a stale empty directory of the same name is
     * removed first, so that its counters start at 0); later calls return the same one until it
     * is removed.
     */
    ProgramCgroup create(String programName) throws CgroupException;

    /**
     * Total CPU microseconds of every program cgroup together: {@code cpu.stat usage_usec} of the
     * programs' parent (v2 only), in one read. -1 if unknown.
     */
    long programsCpuMicros();

    /**
     * Removes the programs' cgroups and their parent where empty; on pure v2 then moves Sentinel
     * (and whatever else it moved into its leaf) back to where it was and removes the leaf.
     */
    @Override
    void close();

    /** The leaf Sentinel moved itself into (pure v2), or null: the lifeline removes it if Sentinel dies. */
    default SelfLeaf selfLeaf() {
        return null;
    }

    /** After {@link #close}: why a cgroup of Sentinel's stays behind, or null when none does. */
    default String leftBehind() {
        return null;
    }

    /** The system's /proc/self and file system root, this process's pid. */
    static Containment detect(CgroupMode mode) throws CgroupException {
        return detect(mode, Path.of("/proc/self"), Path.of("/"), ProcessHandle.current().pid());
    }

    /**
     * Decides the containment and sets it up.
     *
     * @param procSelf where {@code cgroup} and {@code mountinfo} are; its parent stands for /proc
     *                 when checking whether the Sentinel of a stale cgroup is alive
     * @param fsRoot   what mount points in mountinfo are relative to
     * @param selfPid  this process, named in the directories (and moved into a leaf on pure v2)
     * @throws CgroupException with {@link CgroupMode#REQUIRE} when no cgroup is usable: one
     *                         sentence saying why and how to get a delegated one
     */
    static Containment detect(CgroupMode mode, Path procSelf, Path fsRoot, long selfPid) throws CgroupException {
        return new Detector(procSelf, fsRoot, selfPid, CgroupFiles.KERNEL).detect(mode);
    }
}
