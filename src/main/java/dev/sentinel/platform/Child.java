package dev.sentinel.platform;

import java.util.OptionalInt;

/** A started program: the root of the guarded tree and the leader of its own process group. */
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
}
