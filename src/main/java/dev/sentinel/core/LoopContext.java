package dev.sentinel.core;

import java.util.function.Consumer;

/**
 * What the supervisor loop offers to the parts that run beside it (the control socket, the
 * dashboard, the metrics). {@link #latest()}, {@link #clock()} and {@link #post} are safe from any
 * thread; the rest is for the loop thread only, which is where posted commands run.
 */
public interface LoopContext {

    Clock clock();

    /** The latest published snapshot (a volatile read). */
    Snapshot latest();

    /** Hands {@code command} to the loop thread and returns at once. */
    void post(Consumer<LoopContext> command);

    /** Where lifecycle events go (the event pane, the headless lines, the snapshot's recent events). */
    EventSink events();

    /** The first guarded program's controls (the only one in single-command mode). */
    Guardian guardian();

    /** Every guarded program, in the order they were given. */
    default java.util.List<Guardian> programs() {
        return java.util.List.of(guardian());
    }
}
