package dev.sentinel.core.program;

import dev.sentinel.platform.Signal;

/** How many times Sentinel sent {@code signal} to stop the tree for {@code reason}. */
public record KillCount(StopReason reason, Signal signal, long count) {
}
