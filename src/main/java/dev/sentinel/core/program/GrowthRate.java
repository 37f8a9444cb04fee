package dev.sentinel.core.program;

/**
 * The tree's recent memory growth in bytes per second: a least-squares slope over the samples
 * of the last {@code windowNanos}, kept in a fixed ring so it allocates nothing per sample.
 */
public final class GrowthRate {

    private final long windowNanos;
    private final long minSpacingNanos;
    private final long[] times;
    private final long[] values;
    private int head;
    private int size;
    private long slotOpenedNanos;
    /**
     * No point differs from the latest value after this time (or none at all): a window that
     * starts later is flat, slope 0, with no pass over the ring. Idle trees are flat, and their
     * rate is asked for at every sample.
     */
    private long differentAtNanos;
    private boolean anyDifferent;

    public GrowthRate(long windowNanos, int capacity) {
        this.windowNanos = windowNanos;
        this.minSpacingNanos = windowNanos / capacity;
        this.times = new long[capacity];
        this.values = new long[capacity];
    }

    public void add(long nanos, long bytes) {
        // Samples closer together than the ring's spacing share one slot, which keeps the latest of
        // them. The spacing counts from when the slot was opened, not from its latest sample: else a
        // run of millisecond samples (a warm start, a leak near the limit) would stay in one slot
        // for as long as it lasts, and the slope would have a single point.
        int last = (head - 1 + times.length) % times.length;
        if (size > 0 && nanos - slotOpenedNanos < minSpacingNanos) {
            if (values[last] != bytes && size > 1) {
                // The slot before may hold the old value or another: either way nothing later differs.
                differentAtNanos = times[(last - 1 + times.length) % times.length];
                anyDifferent = true;
            }
            values[last] = bytes;
            times[last] = nanos;
            return;
        }
        if (size > 0 && values[last] != bytes) {
            differentAtNanos = times[last];
            anyDifferent = true;
        }
        slotOpenedNanos = nanos;
        times[head] = nanos;
        values[head] = bytes;
        head = (head + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    public void reset() {
        size = 0;
        head = 0;
        anyDifferent = false;
    }

    /** Bytes per second over the window ending at {@code now}; 0 with fewer than two points. */
    public double bytesPerSecond(long now) {
        if (!anyDifferent || now - differentAtNanos > windowNanos) {
            return 0;
        }
        // One pass over the ring: the least-squares slope from the running sums.
        int n = 0;
        double sumT = 0;
        double sumV = 0;
        double sumTT = 0;
        double sumTV = 0;
        double base = -1;
        for (int i = 0; i < size; i++) {
            int idx = (head - 1 - i + times.length * 2) % times.length;
            if (now - times[idx] > windowNanos) {
                break;
            }
            if (base < 0) {
                base = values[idx];
            }
            double t = (times[idx] - now) / 1e9;
            double v = values[idx] - base;
            sumT += t;
            sumV += v;
            sumTT += t * t;
            sumTV += t * v;
            n++;
        }
        if (n < 2) {
            return 0;
        }
        double den = n * sumTT - sumT * sumT;
        return den <= 0 ? 0 : (n * sumTV - sumT * sumV) / den;
    }
}
