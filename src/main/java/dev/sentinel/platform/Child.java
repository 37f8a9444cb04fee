package dev.sentinel.platform;

import java.util.OptionalInt;

/**
 * A guarded program's root process: one Sentinel started (the leader of its own process group), or
 * one it attached to ({@link AttachedChild}).
 */
public interface Child {

    long pid();

    /** The process group (equal to the pid: the child leads a new session). */
    long pgid();

    /**
     * The exit status once the process has ended and been reaped: its exit code, or 128+N if
     * signal N ended it. Never blocks.
     */
    OptionalInt exitStatus();

    /** Runs {@code action} on some other thread when the process ends. */
    void onExit(Runnable action);

    /** Called once the whole tree is gone; releases anything held for the child. */
    void release();

    /**
     * Whether a signal to {@link #pgid()} reaches this tree and nothing else. True for a child
     * Sentinel started (it leads a new session); for an attached process only if it leads its
     * group and the group holds nothing but its tree: otherwise each process is signalled alone.
     */
    default boolean groupIsTree() {
        return true;
    }

    /** Whether Sentinel attached to this process rather than starting it: it is not its parent. */
    default boolean attached() {
        return false;
    }
}
