package dev.sentinel.cli;

import java.util.function.LongSupplier;

/**
 * The CPU time of all programs' cgroups together, read once per turn of the loop for every
 * sampler of that turn: fifty idle programs then cost one read, not fifty. A reading is shared
 * for {@link #SHARE_NANOS}, far less than the fastest sampling (1 ms), so the samplers of one
 * turn share it and no two turns do.
 */
final class ProgramsCpu implements LongSupplier {

    static final long SHARE_NANOS = 200_000L;

    private final LongSupplier read;
    private final LongSupplier nanoTime;
    private long readAt;
    private long value = -1;
    private boolean any;

    ProgramsCpu(LongSupplier read, LongSupplier nanoTime) {
        this.read = read;
        this.nanoTime = nanoTime;
    }

    @Override
    public long getAsLong() {
        long now = nanoTime.getAsLong();
        if (!any || now - readAt >= SHARE_NANOS) {
            value = read.getAsLong();
            readAt = now;
            any = true;
        }
        return value;
    }
}
