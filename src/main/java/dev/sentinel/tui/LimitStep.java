package dev.sentinel.tui;

import dev.sentinel.settings.MemoryLimit;

/** How far {@code +} and {@code -} move the limit: 10 % of it, in whole MiB, at least 1 MiB. */
final class LimitStep {

    static final long MIB = 1024L * 1024L;

    private LimitStep() {
    }

    static long step(MemoryLimit limit) {
        return Math.max(MIB, Math.round(limit.bytes() * 0.10 / MIB) * MIB);
    }

    /** The limit one step up; no limit stays no limit. */
    static MemoryLimit raised(MemoryLimit limit) {
        return limit.isSet() ? new MemoryLimit(limit.bytes() + step(limit)) : limit;
    }

    /** The limit one step down, never below 1 MiB; no limit stays no limit. */
    static MemoryLimit lowered(MemoryLimit limit) {
        return limit.isSet() ? new MemoryLimit(Math.max(MIB, limit.bytes() - step(limit))) : limit;
    }
}
