package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;
import java.time.Duration;

/**
 * The memory limit and the tolerance for spikes: judges each sample of a running tree. A tree may
 * stay over its limit for {@code tolerate}, sample after sample; a sample under the limit starts
 * the count again. Pure apart from its own state; loop thread only.
 */
final class LimitWatch {

    /** What a sample means for the limit. */
    enum Verdict {
        /** Under the limit, as before. */
        UNDER,
        /** Back under the limit after a stretch over it ({@link #clearedAfterNanos()} long). */
        CLEARED,
        /** Over the limit for the first time in this stretch, and tolerated. */
        CROSSED,
        /** Still over, still within the tolerance. */
        TOLERATING,
        /** Over for the tolerance or longer (at once without one): stop the tree. */
        STOP
    }

    private static final long NOT_OVER = Long.MIN_VALUE;

    private final Duration tolerate;
    private final long tolerateNanos;
    private MemoryLimit limit;
    /** When a sample first saw the tree over its limit in the current stretch, or {@link #NOT_OVER}. */
    private long overSinceNanos = NOT_OVER;
    private long clearedAfterNanos;
    private boolean crossedNow;

    LimitWatch(MemoryLimit limit, Duration tolerate) {
        this.limit = limit;
        this.tolerate = tolerate;
        this.tolerateNanos = tolerate.toNanos();
    }

    MemoryLimit limit() {
        return limit;
    }

    /** The new limit applies from the next sample. */
    void setLimit(MemoryLimit newLimit) {
        limit = newLimit;
    }

    Duration tolerate() {
        return tolerate;
    }

    /** A new run starts under its limit. */
    void reset() {
        overSinceNanos = NOT_OVER;
    }

    /** Judges the tree's RSS of the sample taken at {@code sampleNanos}. */
    Verdict judge(long rssBytes, long sampleNanos) {
        if (!limit.isExceededBy(rssBytes)) {
            if (overSinceNanos == NOT_OVER) {
                return Verdict.UNDER;
            }
            clearedAfterNanos = sampleNanos - overSinceNanos;
            overSinceNanos = NOT_OVER;
            return Verdict.CLEARED;
        }
        crossedNow = overSinceNanos == NOT_OVER;
        if (crossedNow) {
            overSinceNanos = sampleNanos;
        }
        if (sampleNanos - overSinceNanos < tolerateNanos) {
            return crossedNow ? Verdict.CROSSED : Verdict.TOLERATING;
        }
        return Verdict.STOP;
    }

    /** For {@link Verdict#CLEARED}: how long the tree was over. */
    Duration clearedAfter() {
        return Duration.ofNanos(clearedAfterNanos);
    }

    /** For {@link Verdict#STOP}: whether this very sample was the first over the limit. */
    boolean crossedNow() {
        return crossedNow;
    }

    /** For {@link Verdict#STOP}: how long the tree has been over, as of the sample at {@code sampleNanos}. */
    Duration overFor(long sampleNanos) {
        return Duration.ofNanos(sampleNanos - overSinceNanos);
    }

    /** Whether a tree of {@code rssBytes} is over its limit within a stretch the tolerance covers. */
    boolean tolerating(long rssBytes) {
        return overSinceNanos != NOT_OVER && limit.isExceededBy(rssBytes);
    }

    /** While {@link #tolerating}: when the tolerance of the current stretch ends (monotonic nanos). */
    long toleranceEndsAtNanos() {
        return overSinceNanos + tolerateNanos;
    }
}
