package dev.sentinel.platform.health;

import dev.sentinel.text.Durations;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * When one check must be over. Every blocking step is given only what is left, so the steps
 * together (lookup, connect, handshake, each read) cannot add up to more than the timeout.
 */
final class Deadline {

    /** Far enough to be forever, near enough that adding it to a nanoTime cannot overflow. */
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 4;

    private final long startNanos;
    private final long endNanos;
    private final Duration timeout;

    private Deadline(long startNanos, Duration timeout) {
        this.startNanos = startNanos;
        this.timeout = timeout.isNegative() ? Duration.ZERO : timeout;
        this.endNanos = startNanos + nanos(this.timeout);
    }

    static Deadline startingNow(Duration timeout) {
        return new Deadline(System.nanoTime(), timeout);
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** What is left; zero or less once it has passed. */
    long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    /**
     * What is left for a socket's connect or SO_TIMEOUT, rounded up to a whole millisecond and
     * never 0, which a socket takes for "wait forever".
     *
     * @throws SocketTimeoutException once nothing is left
     */
    int remainingMillis() throws SocketTimeoutException {
        long left = remainingNanos();
        if (left <= 0) {
            throw new SocketTimeoutException("the check's time is up");
        }
        return (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }

    /** The detail of a check that ran out of time: {@code timed out after 3s}. */
    String timedOut() {
        return "timed out after " + Durations.format(timeout);
    }

    private static long nanos(Duration d) {
        try {
            return Math.min(d.toNanos(), FOREVER_NANOS);
        } catch (ArithmeticException e) {
            return FOREVER_NANOS;
        }
    }
}
