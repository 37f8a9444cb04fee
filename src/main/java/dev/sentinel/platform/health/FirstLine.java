package dev.sentinel.platform.health;

import dev.sentinel.platform.OutputSink;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An exec check's output, as much as a failure's detail needs: its first non-blank line (stdout
 * or stderr, whichever came first), cut short; the rest is dropped as it comes. Tells when all
 * its pipes have closed, so the line of a check that prints and exits at once is not missed.
 */
final class FirstLine implements OutputSink {

    private final int max;
    private String first;
    private int open;

    FirstLine(int max) {
        this.max = max;
    }

    @Override
    public synchronized void line(Stream stream, String text) {
        if (first == null && !text.isBlank()) {
            first = Details.oneLine(text.strip(), max);
        }
    }

    @Override
    public synchronized void begin(Stream stream) {
        open++;
    }

    @Override
    public synchronized void end(Stream stream) {
        open--;
        notifyAll();
    }

    /** The first non-blank line, or null if none came. */
    synchronized String first() {
        return first;
    }

    /** Waits until every pipe that began has ended, or {@code within} has passed. */
    synchronized void awaitEnd(Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (open > 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
