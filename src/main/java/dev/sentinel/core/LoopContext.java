package dev.sentinel.core;

import java.util.List;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.EventSink;
import dev.sentinel.time.Clock;
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
    Program guardian();

    /** Every guarded program, in the order they were given. */
    default List<Program> programs() {
        return List.of(guardian());
    }

    /** The program called {@code name}, or null if there is none. */
    default Program program(String name) {
        for (Program g : programs()) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * The name events about Sentinel itself carry (a reload, a socket warning): the program's in
     * single-command mode, where every line has always named it, "sentinel" in config mode.
     */
    default String selfName() {
        return guardian().name();
    }

    /**
     * Re-reads the config file and applies what changed; refused (nothing changed) if the file has
     * errors or Sentinel runs a single command.
     */
    default ReloadOutcome reload() {
        return ReloadOutcome.refused("reload needs a config file: this Sentinel guards one command (sentinel --config FILE)");
    }

    /**
     * Like {@link #reload()}, but the file is read and checked off the loop (a parse of fifty
     * programs takes tens of milliseconds the loop must not lose); {@code done} runs on the loop
     * with the outcome once it is applied or refused. Call on the loop.
     */
    default void reload(Consumer<ReloadOutcome> done) {
        done.accept(reload());
    }

    /**
     * Stops every program, in reverse priority order, and ends Sentinel once all are gone: the
     * meaning of {@code stop} without a name. Returns what was done, in one sentence.
     */
    default String shutdown(StopReason reason) {
        return guardian().stop(reason);
    }
}
