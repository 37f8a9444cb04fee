package dev.sentinel.core;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Signal;
import java.util.List;
import java.util.function.Consumer;

/**
 * What differs between one wrapped command ({@link SingleCommand}) and the programs of a file
 * ({@link ConfigFile}): how they start, what an order without a name means, what "stop everything"
 * does, how Sentinel reacts to its own signals, when it is over and with which status, and
 * whether it can reload. Everything else is one code path for both. Loop thread only.
 */
public interface RunMode {

    /** The name events about Sentinel itself carry. */
    String selfName();

    /** Starts the programs; one that cannot run is Sentinel's failure only for a single command. */
    void startAll() throws LaunchException;

    /** Which programs {@code target} means for {@code order}. */
    Aim aim(Target target, Order order);

    /** What an order's target came to. */
    sealed interface Aim {
        record Programs(List<Program> programs) implements Aim {
        }

        /** The order is for everything at once ({@link RunMode#stopAll}). */
        record Whole() implements Aim {
        }

        record NoSuchProgram(String name) implements Aim {
        }

        record NameNeeded() implements Aim {
        }
    }

    /** Who an order to everything is noted on: the one program, or null for Sentinel itself. */
    Program wholeSubject();

    /** Stops every program, and Sentinel exits once all are gone ({@code stop} without a name, q). */
    OrderResult stopAll(StopReason reason);

    /** SIGKILL to every tree now, and Sentinel exits (a second Ctrl-C, q again). */
    OrderResult killAll(StopReason reason);

    /**
     * SIGINT or SIGTERM to Sentinel itself, received {@code received} times as separate requests
     * (the same signal again within a moment is the same request and never gets here).
     */
    void onStopSignal(Signal signal, int received);

    /** SIGHUP to Sentinel itself. */
    void onHangUp();

    /** After every program's tick: what a reload or a shutdown under way does next. */
    void afterTurn();

    /**
     * When the loop must wake for the mode's own deadline (the shutdown budget) at the latest, in
     * monotonic nanos; {@code Long.MAX_VALUE} for none.
     */
    default long nextWakeNanos() {
        return Long.MAX_VALUE;
    }

    /** True when Sentinel's work is done. */
    boolean over();

    /** The status Sentinel exits with, once {@link #over()}. */
    int exitCode();

    ReloadOutcome reload();

    void reload(Consumer<ReloadOutcome> done);

    /** The loop ends, however it ends. */
    default void close() {
    }
}
