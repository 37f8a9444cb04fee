package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;

/**
 * Samples slowly while the tree is far from its limit and faster as its growth projects a
 * crossing soon: the next sample comes after a quarter of the projected time to the limit,
 * clamped between {@code minNanos} and the base interval. A leak thus meets a sample every few
 * milliseconds in its last megabytes before the limit, while an idle or flat tree costs one
 * sample per base interval. A sudden spike is caught by the next base-interval sample.
 */
public final class AdaptiveSampling implements SamplingPolicy {

    /** Sample after this fraction of the projected time to the limit. */
    private static final double FRACTION = 0.25;

    private final long baseNanos;
    private final long minNanos;
    private long lastNanos = -1;
    private long lastRss;

    public AdaptiveSampling(long baseNanos, long minNanos) {
        this.baseNanos = baseNanos;
        this.minNanos = Math.min(minNanos, baseNanos);
    }

    @Override
    public long nextDelayNanos(long rssBytes, MemoryLimit limit, double growthBytesPerSecond) {
        return nextDelayNanos(System.nanoTime(), rssBytes, limit, growthBytesPerSecond);
    }

    /** As {@link #nextDelayNanos(long, MemoryLimit, double)}, at time {@code now} (for tests). */
    long nextDelayNanos(long now, long rssBytes, MemoryLimit limit, double growthBytesPerSecond) {
        // The window slope reacts slowly to a leak that just started; the last step reacts at once.
        double recent = 0;
        if (lastNanos >= 0 && now > lastNanos) {
            recent = (rssBytes - lastRss) * 1e9 / (now - lastNanos);
        }
        lastNanos = now;
        lastRss = rssBytes;
        double rate = Math.max(recent, growthBytesPerSecond);
        if (!limit.isSet() || rate <= 0) {
            return baseNanos;
        }
        double headroom = limit.bytes() - rssBytes;
        if (headroom <= 0) {
            return minNanos;
        }
        double projected = headroom / rate * 1e9 * FRACTION;
        return (long) Math.max(minNanos, Math.min(baseNanos, projected));
    }
}
