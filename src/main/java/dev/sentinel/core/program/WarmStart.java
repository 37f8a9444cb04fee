package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;

/**
 * Takes a guarded run's first samples a millisecond apart, then defers to the real policy. At
 * the default 4 samples a second, a JDK method called once per sample reaches the JIT's
 * compilation threshold (200 calls) after almost a minute, and the whole tick path runs
 * interpreted until then; a few hundred quick samples at start compile it within a second, so an
 * idle Sentinel reaches its lowest cost at once instead of over its first minutes (BENCHMARKS.md).
 * Sampling sooner than the policy asks never costs correctness: it only sees the tree more often.
 */
public final class WarmStart implements SamplingPolicy {

    private final SamplingPolicy policy;
    private final long quickNanos;
    private int quickLeft;

    /**
     * @param policy the policy to follow once warm (and whenever it asks for a shorter delay)
     * @param quickSamples how many samples to take {@code quickNanos} apart first
     */
    public WarmStart(SamplingPolicy policy, int quickSamples, long quickNanos) {
        this.policy = policy;
        this.quickLeft = quickSamples;
        this.quickNanos = quickNanos;
    }

    @Override
    public long nextDelayNanos(long rssBytes, MemoryLimit limit, double growthBytesPerSecond) {
        long delay = policy.nextDelayNanos(rssBytes, limit, growthBytesPerSecond);
        if (quickLeft > 0) {
            quickLeft--;
            return Math.min(delay, quickNanos);
        }
        return delay;
    }
}
