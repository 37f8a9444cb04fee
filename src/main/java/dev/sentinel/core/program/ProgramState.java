package dev.sentinel.core.program;

/**
 * Where a guarded program is in its life. Please keep this diagram, {@link Program}'s javadoc and
 * the README's state list in step.
 *
 * <pre>
 *  STARTING ──► RUNNING ──► STOPPING (first signal sent) ──► KILLING (SIGKILL sent)
 *     │            │              │                               │
 *     └────────────┴──────────────┴───────────────────────────────┴──► the tree is gone
 *                                                                          │
 *      ┌──────────── the policy restarts it ◄─────────────────────────────┤
 *      ▼                                                                  │
 *   BACKOFF (restart due at T) ──► STARTING                               ├──► EXITED (supervision ended)
 *                                                                         └──► FATAL  (gave up; start clears it)
 *
 *   WAITING (for the programs it starts after) ──► STARTING once they are ready
 * </pre>
 */
public enum ProgramState {
    /** Not started yet, or started and not yet sampled. */
    STARTING,
    /**
     * Not started: it waits for the programs it starts after ({@code after}, {@code requires}) to
     * be ready, or for one it requires to come back.
     */
    WAITING,
    /** Running and being sampled. */
    RUNNING,
    /** The first signal (usually SIGTERM) was sent; the grace period runs. */
    STOPPING,
    /** SIGKILL was sent; waiting for the last processes of the tree to vanish. */
    KILLING,
    /** The tree is gone and the policy restarts it when the delay is over. */
    BACKOFF,
    /** The main process and every process of its tree are gone, and nothing restarts it. */
    EXITED,
    /** Sentinel gave up restarting it: too many restarts in a row were each followed by an unstable run. */
    FATAL;

    /** True while a tree of this program may exist (its processes are sampled and signalled). */
    public boolean hasTree() {
        return this == STARTING || this == RUNNING || this == STOPPING || this == KILLING;
    }

    /** True when nothing more will happen to the program unless someone orders a start. */
    public boolean isFinal() {
        return this == EXITED || this == FATAL;
    }
}
