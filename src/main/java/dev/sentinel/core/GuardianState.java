package dev.sentinel.core;

/** Where a guarded program is in its life. */
public enum GuardianState {
    /** Not started yet, or started and not yet sampled. */
    STARTING,
    /** Running and being sampled. */
    RUNNING,
    /** The first signal (usually SIGTERM) was sent; the grace period runs. */
    STOPPING,
    /** SIGKILL was sent; waiting for the last processes of the tree to vanish. */
    KILLING,
    /** The main process and every process of its tree are gone. */
    EXITED
}
