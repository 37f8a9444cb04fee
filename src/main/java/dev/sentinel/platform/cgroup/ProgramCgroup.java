package dev.sentinel.platform.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * One guarded program's cgroup: a directory in each hierarchy Sentinel uses (two on a hybrid
 * host). Readers never throw: a cgroup that vanished or cannot be read answers "nothing" and
 * {@link #lastError()} says why, so that a sampling loop need not handle errors per call.
 */
public interface ProgramCgroup {

    String name();

    /**
     * Every {@code cgroup.procs} file a launch wrapper must write its own pid into before it
     * execs, in that order. The v2 one comes first: once in it, {@code cgroup.kill} reaches the
     * process even if it is killed before the v1 write.
     */
    List<Path> procsFiles();

    /** Current members (from the v2 {@code cgroup.procs}, else v1), empty if none or unreadable. */
    long[] pids();

    /** v2: {@code cgroup.events} says {@code populated 1}; v1 only: {@code pids().length > 0}. */
    boolean populated();

    /** v2 {@code cgroup.events} (for inotify), or null. */
    Path eventsFile();

    /** v2 {@code memory.events} where v2 has the memory controller, or null. */
    Path memoryEventsFile();

    /** v1 {@code memory.usage_in_bytes} (for a threshold eventfd), or null. */
    Path usageFile();

    /** v1 {@code memory.oom_control}, or null. */
    Path oomControlFile();

    /** v1 {@code cgroup.event_control}, or null. */
    Path eventControlFile();

    /**
     * SIGKILL to every member: {@code cgroup.kill} where the file exists (atomic against forks),
     * else {@code killOne} for each listed pid, again while new pids appear.
     *
     * @param killOne sends SIGKILL to one pid, true if it was sent
     * @return true if anything was there to kill
     */
    boolean killAll(LongPredicate killOne);

    /**
     * Sets the kernel's limits. {@code backstopBytes > 0}: v2 {@code memory.max}, v1
     * {@code memory.limit_in_bytes} (and {@code memory.memsw.limit_in_bytes} where present: the
     * same value, or unlimited with {@code allowSwap}). {@code highBytes > 0}: v2
     * {@code memory.high} (ignored on v1). -1 means unlimited, 0 leaves that limit as it is. v2
     * also gets {@code memory.oom.group 1} and, unless {@code allowSwap}, {@code memory.swap.max 0}
     * (files that are missing are skipped).
     *
     * @return the limits in effect, read back
     * @throws CgroupException with one sentence when the kernel refuses a write
     */
    KernelLimits setLimits(long backstopBytes, long highBytes, boolean allowSwap) throws CgroupException;

    /** Kernel OOM kills in this cgroup so far (v2 memory.events, v1 memory.oom_control), 0 if unknown. */
    long oomKills();

    /** v2 {@code memory.current}, v1 {@code memory.usage_in_bytes}, -1 if none. */
    long memoryUsageBytes();

    /**
     * The working set, as the kubelet counts it: usage less inactive file cache (v1
     * {@code memory.usage_in_bytes} less {@code total_inactive_file}, else v2 {@code memory.current}
     * less {@code inactive_file}); -1 without a memory controller or when it cannot be read.
     */
    default long workingSetBytes() {
        return -1;
    }

    /** v2 {@code cpu.stat usage_usec}, -1 if none. */
    long cpuMicros();

    /** rmdir in every hierarchy; a busy or missing directory is left as it is. */
    void remove();

    /** Why the last read or removal failed, or null if none has. */
    String lastError();
}
