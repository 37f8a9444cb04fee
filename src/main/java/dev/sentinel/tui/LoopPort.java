package dev.sentinel.tui;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.Supervisor;
import java.util.function.Consumer;

/** What the dashboard needs of the supervisor loop: its latest snapshot, and a way to post orders. */
interface LoopPort {

    /** The latest published snapshot (a volatile read, any thread). */
    Snapshot latest();

    /** Hands {@code order} to the loop thread; returns at once. */
    void post(Consumer<LoopContext> order);

    static LoopPort of(Supervisor supervisor) {
        return new LoopPort() {
            @Override
            public Snapshot latest() {
                return supervisor.latest();
            }

            @Override
            public void post(Consumer<LoopContext> order) {
                supervisor.post(order);
            }
        };
    }
}
