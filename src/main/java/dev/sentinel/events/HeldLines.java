package dev.sentinel.events;

import dev.sentinel.platform.RotatingFile;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The journal's lines on their way to the file, held back while the file cannot be written (a full
 * disk, a read-only filesystem, a removed directory) and written, oldest first, once it can again.
 *
 * <ul>
 * <li>While all is well a line is written as it comes, and nothing is held.</li>
 * <li>After a failure, the line that failed and every later one wait here, at most {@code capacity}
 * of them; beyond that the newest are dropped and counted, so memory stays bounded and what
 * reaches the file is an unbroken run up to the first drop.</li>
 * <li>Writing is tried again at the next line or {@link #tick()}, but at most once per
 * {@code retryNanos}: a full disk costs one failed write a second, not one per event.</li>
 * <li>The failure is reported once, and the recovery once (with how many lines were dropped).</li>
 * </ul>
 *
 * <p>Not thread-safe: the journal's writer thread owns it.
 */
final class HeldLines {

    /** Where lines go: writes one whole line (and flushes it), or throws. */
    interface Sink {
        void write(byte[] line) throws IOException;
    }

    /** Told once when writing starts failing, and once when it works again. */
    interface Reports {
        void failed(String reason);

        void recovered(long written, long dropped);
    }

    private final int capacity;
    private final long retryNanos;
    private final LongSupplier nanos;
    private final Sink sink;
    private final Reports reports;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean failing;
    private long lastAttempt;
    private long dropped;
    /** Lines written since the failure: the held ones that made it once the file came back. */
    private long writtenLate;

    HeldLines(int capacity, long retryNanos, LongSupplier nanos, Sink sink, Reports reports) {
        if (capacity < 1 || retryNanos < 0) {
            throw new IllegalArgumentException("capacity must be positive and retryNanos not negative");
        }
        this.capacity = capacity;
        this.retryNanos = retryNanos;
        this.nanos = nanos;
        this.sink = sink;
        this.reports = reports;
    }

    /** Takes one line: written now if the file can be, else held (or dropped and counted if full). */
    void add(byte[] line) {
        if (held.size() >= capacity) {
            dropped++;
        } else {
            held.add(line);
        }
        writeHeld();
    }

    /** Called now and then with no new line: tries the held lines again if the retry time has come. */
    void tick() {
        if (!held.isEmpty()) {
            writeHeld();
        }
    }

    /** At the end (Sentinel exits): one more try for what is held, whatever the retry time. */
    void lastTry() {
        if (!held.isEmpty()) {
            lastAttempt = nanos.getAsLong() - retryNanos;
            writeHeld();
        }
    }

    /** Whether lines wait for the file (the writer then ticks once per retry period). */
    boolean holding() {
        return !held.isEmpty();
    }

    /** How many lines wait now. */
    int held() {
        return held.size();
    }

    /** Lines dropped since the failure (zero again after the recovery is reported). */
    long dropped() {
        return dropped;
    }

    /** Lines dropped elsewhere (a full hand-off queue in front of this one) count here too. */
    void droppedBefore(long count) {
        dropped += count;
    }

    boolean failing() {
        return failing;
    }

    private void writeHeld() {
        long now = nanos.getAsLong();
        if (failing && now - lastAttempt < retryNanos) {
            return;
        }
        lastAttempt = now;
        while (!held.isEmpty()) {
            try {
                sink.write(held.peek());
            } catch (IOException | RuntimeException e) {
                if (!failing) {
                    failing = true;
                    writtenLate = 0;
                    reports.failed(RotatingFile.reason(e));
                }
                return;
            }
            held.poll();
            if (failing) {
                writtenLate++;
            }
        }
        if (failing) {
            failing = false;
            long d = dropped;
            dropped = 0;
            reports.recovered(writtenLate, d);
        }
    }
}
