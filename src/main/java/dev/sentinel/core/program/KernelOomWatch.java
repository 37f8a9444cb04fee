package dev.sentinel.core.program;

import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.TreeSample;

/**
 * Notices the kernel's OOM kills in a program's cgroup and names their victim. The kernel counts a
 * kill (and says so at once) before its victim has died: the victim is named once a sample no
 * longer has it, a few milliseconds later, and its size is what it held before the kill was seen
 * (a dying process has already released its memory). Loop thread only.
 */
final class KernelOomWatch {

    /** How long a report waits for its victim to leave the tree. */
    static final long VICTIM_WAIT_NANOS = 100_000_000L;
    private static final long NEVER = Long.MAX_VALUE;
    /** How long after the kernel's word each tick looks at the OOM count. */
    static final long LISTEN_NANOS = 1_000_000_000L;
    private long listenUntilNanos = Long.MIN_VALUE;

    /** A kill to report: the biggest process that left the tree (null if none did), and how many kills. */
    record Report(ProcessSample victim, long kills) {
    }

    /** The kernel's OOM kills in the cgroup already accounted for. */
    private long seen;
    /** When a kill was counted whose victim is still dying, or {@link #NEVER}. */
    private long pendingSinceNanos = NEVER;
    /** The sample before the kill was first seen: the victim's RSS before it began to die. */
    private TreeSample beforeKill = TreeSample.EMPTY;

    /** A new run: kills so far belong to earlier runs. */
    void startRun(long killsSoFar) {
        seen = killsSoFar;
        pendingSinceNanos = NEVER;
        beforeKill = TreeSample.EMPTY;
    }

    /**
     * The kernel said something about the cgroup at {@code now}. Its word can come before it counts
     * the kill (v1 signals the OOM as it begins): the count is looked at again for a while.
     */
    void heard(long now) {
        listenUntilNanos = now + LISTEN_NANOS;
    }

    /** Whether the kernel spoke lately: each tick then looks at the count. */
    boolean listening(long now) {
        return now < listenUntilNanos;
    }

    /** Whether a counted kill waits for its victim to leave the tree. */
    boolean pending() {
        return pendingSinceNanos != NEVER;
    }

    /**
     * Looks at the kernel's count {@code kills}: null if there is nothing to report (yet; then
     * {@link #pending()} says whether a sample soon would help), else the report.
     *
     * @param treeLeft whether the tree still has processes to wait for (false once it is gone)
     */
    Report look(long now, long kills, boolean treeLeft, Run run) {
        return look(now, kills, treeLeft, run.atPeak, run.beforePrevious, run.previous, run.last);
    }

    /**
     * As {@link #look(long, long, boolean, Run)}, from the run's samples: the biggest the tree was
     * ({@code atPeak}), two samples back, the last but one and the last.
     */
    Report look(long now, long kills, boolean treeLeft, TreeSample atPeak, TreeSample earlier, TreeSample previous,
                TreeSample last) {
        if (kills <= seen) {
            return null;
        }
        ProcessSample victim = victim(atPeak, earlier, previous, last);
        if (victim == null && treeLeft && (pendingSinceNanos == NEVER
                || now - pendingSinceNanos < VICTIM_WAIT_NANOS)) {
            if (pendingSinceNanos == NEVER) {
                pendingSinceNanos = now;
                beforeKill = previous;
            }
            return null;
        }
        if (victim == null) {
            // Still in the tree when the wait is over (its parent has not reaped it on a busy
            // machine): the victim is the one whose memory the kernel took back.
            victim = shrunk(atPeak, last);
        }
        pendingSinceNanos = NEVER;
        beforeKill = TreeSample.EMPTY;
        long newKills = kills - seen;
        seen = kills;
        return new Report(victim, newKills);
    }

    /**
     * The biggest process that was in the tree a sample ago and is gone now, or null. Its size is
     * the largest of the samples before: the victim releases its memory as it dies, and a process
     * that died of the victim's death (a pipe's other end) must not take its place.
     */
    private ProcessSample victim(TreeSample atPeak, TreeSample earlier, TreeSample previous, TreeSample last) {
        ProcessSample best = null;
        for (ProcessSample p : previous.processes()) {
            if (find(last, p) != null) {
                continue;
            }
            p = larger(larger(larger(p, beforeKill), earlier), atPeak);
            if (best == null || p.rssBytes() > best.rssBytes()) {
                best = p;
            }
        }
        return best;
    }

    /**
     * The process of {@code last} that held the most at the tree's peak and has kept less than a
     * quarter of it (as it was then), or null.
     */
    private static ProcessSample shrunk(TreeSample atPeak, TreeSample last) {
        ProcessSample best = null;
        for (ProcessSample then : atPeak.processes()) {
            ProcessSample now = find(last, then);
            if (now != null && now.rssBytes() < then.rssBytes() / 4
                    && (best == null || then.rssBytes() > best.rssBytes())) {
                best = then;
            }
        }
        return best;
    }

    /** {@code p} as {@code in} saw it, if it held more there; else {@code p}. */
    private static ProcessSample larger(ProcessSample p, TreeSample in) {
        ProcessSample q = find(in, p);
        return q != null && q.rssBytes() > p.rssBytes() ? q : p;
    }

    private static ProcessSample find(TreeSample in, ProcessSample p) {
        for (ProcessSample q : in.processes()) {
            if (q.pid() == p.pid() && q.startTicks() == p.startTicks()) {
                return q;
            }
        }
        return null;
    }
}
