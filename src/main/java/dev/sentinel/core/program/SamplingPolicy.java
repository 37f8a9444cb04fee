package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;

/** Decides when the next sample is due. */
@FunctionalInterface
public interface SamplingPolicy {

    /**
     * @param rssBytes the tree's RSS at the last sample
     * @param limit the current limit
     * @param growthBytesPerSecond the recent growth rate (negative when shrinking)
     * @return nanoseconds until the next sample; never more than the configured interval
     */
    long nextDelayNanos(long rssBytes, MemoryLimit limit, double growthBytesPerSecond);

    /** Samples at one fixed interval. */
    static SamplingPolicy fixed(long intervalNanos) {
        return (rss, limit, growth) -> intervalNanos;
    }
}
