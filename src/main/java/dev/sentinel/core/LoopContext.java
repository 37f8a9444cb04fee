package dev.sentinel.core;

import java.nio.channels.Selector;

/**
 * What the supervisor loop offers to the parts that run inside it (the control socket). All
 * methods are for the loop thread only.
 */
public interface LoopContext {

    /** The loop's selector; register channels with a {@link ReadyHandler} as attachment. */
    Selector selector();

    Clock clock();

    /** Runs {@code task} on the loop at or after {@code deadlineNanos} (monotonic). */
    Timer schedule(long deadlineNanos, Runnable task);

    /** The latest published snapshot. */
    Snapshot latest();

    /** Where lifecycle events go (the event pane, the headless lines, the snapshot's recent events). */
    EventSink events();

    /** The guarded program's controls. */
    Guardian guardian();

    /** A scheduled task that can be cancelled. */
    interface Timer {
        void cancel();
    }
}
