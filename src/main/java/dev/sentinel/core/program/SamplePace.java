package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;

/**
 * When a program's tree is sampled next: at the configured interval while nothing happens, faster
 * as the tree nears its limit (the {@link SamplingPolicy}), and as soon as the machine asks (an
 * order, a stop under way, a kernel notification). Loop thread only.
 */
final class SamplePace {

    private static final long NEVER = Long.MAX_VALUE;
    /** No sample comes sooner than this after the last one. */
    private static final long MIN_DELAY_NANOS = 100_000L;

    private final SamplingPolicy policy;
    private final long intervalNanos;
    private long nextNanos = NEVER;
    private long samples;

    SamplePace(SamplingPolicy policy, long intervalNanos) {
        this.policy = policy;
        this.intervalNanos = intervalNanos;
    }

    boolean due(long now) {
        return now >= nextNanos;
    }

    /** When the next sample is due (monotonic nanos), or {@link Long#MAX_VALUE} without a tree. */
    long next() {
        return nextNanos;
    }

    /** How many samples were taken (all runs). */
    long samples() {
        return samples;
    }

    /** The policy's delay for a tree of {@code rssBytes} growing at {@code growth} bytes a second. */
    long policyDelay(long rssBytes, MemoryLimit limit, double growth) {
        return policy.nextDelayNanos(rssBytes, limit, growth);
    }

    /** A sample was taken at {@code now}; the next one comes after {@code delayNanos}, at most an interval. */
    void sampled(long now, long delayNanos) {
        samples++;
        nextNanos = delayNanos >= intervalNanos ? onIntervalGrid(now, intervalNanos)
                : now + Math.max(delayNanos, MIN_DELAY_NANOS);
    }

    /** The next sample no later than {@code at}. */
    void soon(long at) {
        nextNanos = Math.min(nextNanos, at);
    }

    /** No tree: no sample until the next run. */
    void never() {
        nextNanos = NEVER;
    }

    /**
     * The next multiple of {@code interval} on the clock, never later than a full interval from
     * now: idle programs with the same interval are then sampled in the same wake-up of the loop
     * (fifty programs cost four wake-ups a second, not two hundred), while a program near its
     * limit keeps its own faster pace.
     */
    static long onIntervalGrid(long now, long interval) {
        return Math.floorDiv(now + interval, interval) * interval;
    }
}
