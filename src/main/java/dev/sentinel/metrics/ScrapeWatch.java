package dev.sentinel.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Knows which snapshot the scrapes have delivered, so that Sentinel can wait for one last scrape
 * before it exits. Without that wait Prometheus would never see the end of a run: Sentinel exits
 * a few milliseconds after the tree is gone, long before the next scrape, and {@code up=0} and the
 * final kill counts would be lost between two scrapes.
 *
 * <p>A scrape counts as delivered only once its HTTP exchange has finished: {@link #collecting}
 * runs inside the exchange on the HTTP thread; {@link #takeCollected} right after it, on the same
 * thread, takes the sequence, and {@link #delivered} counts it once the whole answer is written.
 */
final class ScrapeWatch {

    /** How often a waiting thread re-reads the clock (the clock is injectable, so it cannot just sleep). */
    private static final long RECHECK_MILLIS = 50;

    private final LongSupplier nanos;
    /** The sequence collected by the exchange running on this thread, if any. */
    private final ThreadLocal<Long> inExchange = new ThreadLocal<>();
    private long deliveredSequence = -1;
    private long scrapes;
    private long lastScrapeNanos;
    private long intervalNanos;

    ScrapeWatch() {
        this(System::nanoTime);
    }

    /** For tests: {@code nanos} is the monotonic clock. */
    ScrapeWatch(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Called by the collector during a scrape, with the sequence of the snapshot it reads. */
    void collecting(long sequence) {
        inExchange.set(sequence);
    }

    /** Called on the HTTP thread after each task it ran (a scrape or any other request). */
    void exchangeDone() {
        Long sequence = takeCollected();
        if (sequence != null) {
            delivered(sequence);
        }
    }

    /**
     * The sequence that the exchange running on this thread collected, or null if it collected
     * nothing (a {@code /-/healthy} request); forgets it. For a server that answers on one thread
     * and finishes writing later: it calls {@link #delivered} once the answer is written.
     */
    Long takeCollected() {
        Long sequence = inExchange.get();
        inExchange.remove();
        return sequence;
    }

    /** A scrape's answer with snapshot {@code sequence} has been written whole. */
    void delivered(long sequence) {
        long now = nanos.getAsLong();
        synchronized (this) {
            if (scrapes > 0) {
                intervalNanos = now - lastScrapeNanos;
            }
            scrapes++;
            lastScrapeNanos = now;
            deliveredSequence = Math.max(deliveredSequence, sequence);
            notifyAll();
        }
    }

    synchronized long scrapes() {
        return scrapes;
    }

    synchronized long deliveredSequence() {
        return deliveredSequence;
    }

    /**
     * Waits until a scrape has delivered snapshot {@code sequence} or a later one. Returns at once
     * unless something scrapes regularly (at least two scrapes so far, and the next one is not
     * overdue): nobody is watching, so there is no reason to delay the exit. Otherwise waits for
     * about one scrape interval as seen so far, never longer than {@code max}.
     *
     * @return whether the snapshot was delivered
     */
    synchronized boolean awaitDelivered(long sequence, Duration max) throws InterruptedException {
        if (deliveredSequence >= sequence) {
            return true;
        }
        if (scrapes < 2) {
            return false;
        }
        long now = nanos.getAsLong();
        // The next scrape is due one interval after the last one (Prometheus keeps a steady
        // rhythm per target); allow a quarter interval, at least half a second, for jitter.
        long expected = lastScrapeNanos + intervalNanos + Math.max(intervalNanos / 4, 500_000_000L);
        long deadline = Math.min(now + max.toNanos(), expected);
        while (deliveredSequence < sequence) {
            long left = deadline - nanos.getAsLong();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
        }
        return true;
    }
}
