package dev.sentinel.output;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One program's lines waiting for one destination. Offering never blocks (the output reader must
 * go on reading the pipe): when the program's allowance or the destination's is used up, the
 * line is dropped and counted, and the count travels with the next line that gets in, so the
 * writer reports the gap exactly where it is.
 */
final class LineQueue {

    /** What a queued line costs beyond its bytes: its array's header, the record, the queue node. */
    static final int LINE_OVERHEAD = 64;

    /**
     * A line as it will be written (encoded, formatted, its newline included), and how many lines
     * of the same program were dropped just before it.
     */
    record QueuedLine(byte[] bytes, long droppedBefore) {
    }

    private final String program;
    private final LineDestination destination;
    private final Budget own;
    private final Budget shared;
    private final ConcurrentLinkedQueue<QueuedLine> lines = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();

    LineQueue(String program, LineDestination destination, Budget own, Budget shared) {
        this.program = program;
        this.destination = destination;
        this.own = own;
        this.shared = shared;
    }

    String program() {
        return program;
    }

    LineDestination destination() {
        return destination;
    }

    /** Queues {@code line}, or drops it; returns whether it was queued. */
    boolean offer(byte[] line) {
        long cost = cost(line);
        if (!own.take(cost)) {
            dropped.incrementAndGet();
            return false;
        }
        if (!shared.take(cost)) {
            own.give(cost);
            dropped.incrementAndGet();
            return false;
        }
        lines.add(new QueuedLine(line, dropped.getAndSet(0)));
        return true;
    }

    /** The oldest line, or null. */
    QueuedLine poll() {
        QueuedLine l = lines.poll();
        if (l != null) {
            long cost = cost(l.bytes());
            own.give(cost);
            shared.give(cost);
        }
        return l;
    }

    /** Lines dropped since the last queued one, now reported (so zeroed). */
    long takeDropped() {
        return dropped.getAndSet(0);
    }

    /** Whether the writer has something to do here: a line, or drops to report. */
    boolean pending() {
        return !lines.isEmpty() || dropped.get() > 0;
    }

    private static long cost(byte[] line) {
        return line.length + LINE_OVERHEAD;
    }
}
