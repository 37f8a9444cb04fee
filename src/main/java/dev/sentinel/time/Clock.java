package dev.sentinel.time;

/** Time as the core sees it; injected so tests move time instead of sleeping. */
public interface Clock {

    /** Monotonic nanoseconds, for deadlines and intervals. */
    long nanos();

    /** Wall-clock milliseconds since the epoch, for what users read. */
    long epochMillis();

    static Clock system() {
        return new Clock() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public long epochMillis() {
                return System.currentTimeMillis();
            }
        };
    }
}
