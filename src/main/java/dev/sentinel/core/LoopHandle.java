package dev.sentinel.core;

import dev.sentinel.time.Clock;
import java.util.function.Consumer;

/**
 * What any thread may use of the supervisor loop: the latest published snapshot, the loop's clock,
 * and a way to hand it a command. Nothing here touches a program; the command runs on the loop
 * thread, which is where a {@link LoopContext} is given.
 */
public interface LoopHandle {

    /** The latest published snapshot (a volatile read). */
    Snapshot latest();

    Clock clock();

    /** Hands {@code command} to the loop thread and returns at once. */
    void post(Consumer<LoopContext> command);

    /**
     * The name events about Sentinel itself carry (a reload, a socket warning): the program's when
     * Sentinel guards one command, where every line has always named it; "sentinel" for a file's.
     */
    String selfName();

    /**
     * When the loop last turned (the loop's clock, monotonic nanos): {@code /healthz} asks whether
     * it still does. An idle loop sleeps, so a caller that finds this old posts a command to wake
     * it before it judges.
     */
    default long lastTurnNanos() {
        return clock().nanos();
    }
}
