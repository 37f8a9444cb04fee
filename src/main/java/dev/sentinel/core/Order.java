package dev.sentinel.core;

import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.MemoryLimit;

/** An order for programs, as the socket and the dashboard give it; {@link Orders} carries it out. */
public sealed interface Order {

    /** Start a program that is not running (in BACKOFF without waiting, EXITED or FATAL). */
    record Start() implements Order {
    }

    /** Stop in tiers; without a name, every program (and Sentinel exits once they are gone). */
    record Stop(StopReason reason) implements Order {
    }

    /** Stop in tiers, then start again at once. */
    record Restart() implements Order {
    }

    /** SIGKILL to the whole tree now. */
    record Kill(StopReason reason) implements Order {
    }

    /** A new memory limit, from the next sample. */
    record Limit(MemoryLimit limit) implements Order {
    }

    /** {@code signal} to the program's process group. */
    record Forward(Signal signal) implements Order {
    }
}
