package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.events.EventSink;
import dev.sentinel.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * What code running on the supervisor loop thread may use: the programs, the order service, the
 * event log, reloads. Only posted commands and loop extensions receive one, and they must not keep
 * it for another thread (that thread gets {@link #handle()}).
 */
public interface LoopContext {

    /** The handle for other threads: {@code latest}, {@code clock}, {@code post}. */
    LoopHandle handle();

    default Clock clock() {
        return handle().clock();
    }

    default Snapshot latest() {
        return handle().latest();
    }

    default String selfName() {
        return handle().selfName();
    }

    /** Where lifecycle events go (the event pane, the headless lines, the snapshot's recent events). */
    EventSink events();

    /** Every guarded program, in the order they were given. */
    List<Program> programs();

    /** The program called {@code name}, or null if there is none. */
    default Program program(String name) {
        for (Program p : programs()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Orders for the programs, as the socket and the dashboard give them. */
    Orders orders();

    /**
     * Re-reads the config file and applies what changed, on the loop; refused (nothing changed) if
     * the file has errors or Sentinel runs a single command.
     */
    ReloadOutcome reload();

    /**
     * Like {@link #reload()}, but the file is read and checked off the loop (a parse of fifty
     * programs takes tens of milliseconds the loop must not lose); {@code done} runs on the loop
     * with the outcome once it is applied or refused.
     */
    void reload(Consumer<ReloadOutcome> done);
}
