package dev.sentinel.core.program;

import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;

/**
 * What the kernel does for one program whose tree lives in a cgroup of its own (see
 * {@code platform/cgroup}): the tree's members by the kernel's count, a SIGKILL no fork can race,
 * "the tree is empty", a hard limit that holds while Sentinel is slow or stopped, and the count of
 * the kernel's OOM kills. A program without a cgroup has no confinement (null): /proc alone.
 *
 * <p>Called on the supervisor loop only, except {@link #kernelSpoke()}'s flag, which the kernel
 * notifier's thread raises.
 */
public interface Confinement {

    /** Where the tree lives, for the started line: {@code "cgroup /sys/fs/cgroup/…/sentinel-42/web"}. */
    String describe();

    /**
     * Sets the kernel's limits for a tree Sentinel limits to {@code limit}.
     *
     * @param tolerating the tree may stay over {@code limit} for a while ({@code tolerate}): no
     *                   throttling at the limit, and {@code auto} sets no hard limit
     * @return the hard limit in effect in bytes (after the kernel's rounding), or -1 for none
     * @throws IllegalStateException with one sentence if the kernel refused
     */
    long applyLimits(MemoryLimit limit, KernelLimit kernel, boolean tolerating);

    /** The processes in the cgroup now. */
    long[] members();

    /** Whether any process is left in the cgroup (the kernel's own count, zombies excluded). */
    boolean populated();

    /** SIGKILL to every process in the cgroup at once; false if it was empty. */
    boolean killAll();

    /** How many processes the kernel's OOM killer has killed in the cgroup so far. */
    long oomKills();

    /**
     * True once after the kernel said something changed in the cgroup (its membership, an OOM
     * kill, a crossing): worth a fresh look now rather than at the next sample.
     */
    boolean kernelSpoke();
}
