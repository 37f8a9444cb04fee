package dev.sentinel.core.program;

import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;

/**
 * What the kernel adds to Sentinel's own guarding of one program: its cgroup's {@link Confinement}
 * and the kernel limit set on it, or nothing at all for a tree followed by /proc alone (then every
 * method says so: no members, never spoke, no OOM kills). Loop thread only.
 */
final class Backstop {

    /** The word the snapshot and the started event use for a tree without a cgroup. */
    static final String PROC = "proc";

    private final Confinement cgroup;
    private final KernelLimit kernel;
    /** The kernel's hard limit on the cgroup in bytes, -1 for none. */
    private long limitBytes = -1;
    private boolean applied;

    /** @param cgroup the program's cgroup, or null for /proc alone */
    Backstop(Confinement cgroup, KernelLimit kernel) {
        this.cgroup = cgroup;
        this.kernel = kernel;
    }

    /** Whether the program lives in a cgroup of its own. */
    boolean present() {
        return cgroup != null;
    }

    String describe() {
        return cgroup == null ? PROC : cgroup.describe();
    }

    long limitBytes() {
        return limitBytes;
    }

    /** Whether the first launch still has to set the kernel's limits. */
    boolean needsLimits() {
        return cgroup != null && !applied;
    }

    /**
     * Sets the kernel's limits for {@code limit}; returns null, or the kernel's refusal in one
     * sentence (then there is no kernel limit: guarding goes on without it).
     */
    String applyLimits(MemoryLimit limit, boolean tolerating) {
        if (cgroup == null) {
            return null;
        }
        applied = true;
        try {
            limitBytes = cgroup.applyLimits(limit, kernel, tolerating);
            return null;
        } catch (IllegalStateException e) {
            limitBytes = -1;
            return e.getMessage();
        }
    }

    boolean spoke() {
        return cgroup != null && cgroup.kernelSpoke();
    }

    long oomKills() {
        return cgroup == null ? 0 : cgroup.oomKills();
    }

    /** Whether processes are left in the cgroup; false without one (the caller asks the group). */
    boolean populated() {
        return cgroup != null && cgroup.populated();
    }

    /** SIGKILL to the whole cgroup at once, where the kernel has cgroup.kill. */
    void killAll() {
        if (cgroup != null) {
            cgroup.killAll();
        }
    }

    long[] members() {
        return cgroup == null ? new long[0] : cgroup.members();
    }
}
