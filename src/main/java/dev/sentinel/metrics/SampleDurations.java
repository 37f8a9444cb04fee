package dev.sentinel.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;

/**
 * How long the samples of one program took: a classic histogram, observed on the supervisor loop
 * after each sample and read by scrapes.
 *
 * <p>Why not the client library's {@code Histogram}: its observe runs a few hundred bytecodes of
 * lock-free buffering and striped adders, and an idle Sentinel (four samples a second) runs them
 * interpreted for a minute before the JIT compiles them, a quarter of its idle CPU. Here an
 * observation is a search through thirteen bounds and two additions under a lock that only a
 * scrape, every few seconds, ever contends.
 */
final class SampleDurations {

    /** The upper bounds, ending with +Inf. */
    private final double[] upperBounds;
    private final long[] counts;
    private final long createdMillis;
    private double sum;
    /** The sample count last observed; loop thread only. */
    private long samplesSeen;

    SampleDurations(double[] finiteUpperBounds, long createdMillis) {
        this.upperBounds = Arrays.copyOf(finiteUpperBounds, finiteUpperBounds.length + 1);
        this.upperBounds[finiteUpperBounds.length] = Double.POSITIVE_INFINITY;
        this.counts = new long[upperBounds.length];
        this.createdMillis = createdMillis;
    }

    /** Observes {@code costNanos} if the program's sample count moved past the last one seen (loop thread). */
    void observeIfNew(long samples, long costNanos) {
        if (samples > samplesSeen) {
            samplesSeen = samples;
            observe(costNanos / 1e9);
        }
    }

    synchronized void observe(double seconds) {
        int i = 0;
        while (seconds > upperBounds[i]) {
            i++;
        }
        counts[i]++;
        sum += seconds;
    }

    synchronized HistogramDataPointSnapshot snapshot(Labels labels) {
        return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(upperBounds, counts.clone()), sum, labels,
                Exemplars.EMPTY, createdMillis);
    }
}
