package dev.sentinel.testing;

import dev.sentinel.time.Clock;

/** A clock tests move by hand. */
public final class FakeClock implements Clock {

    private long nanos = 1_000_000_000L;
    private long epochMillis = 1_790_000_000_000L;

    @Override
    public long nanos() {
        return nanos;
    }

    @Override
    public long epochMillis() {
        return epochMillis;
    }

    public void advanceMillis(long millis) {
        nanos += millis * 1_000_000L;
        epochMillis += millis;
    }
}
