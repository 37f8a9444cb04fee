package dev.sentinel.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One writer thread that empties the programs' {@link LineQueue}s into their destinations (one
 * stream, or many files). It visits the queues in turn and takes a bounded slice from each, so a
 * flooding program gets its share and no more: a quiet program's line waits for at most one
 * slice per program. When a destination is slow the queues fill and the pump threads drop lines;
 * they never wait. Idle, the thread is parked and costs no CPU.
 *
 * <p>One thread, not one per destination: a Java thread costs about 100 KiB of resident memory
 * whatever its stack size (HotSpot touches its stack's 80 KiB shadow zone), so fifty output files
 * share one writer. The price: a disk that hangs holds up every file, which then drops and counts.
 */
final class LineDrain {

    /** Bytes taken from one queue per visit. */
    private static final int SLICE_BYTES = 16 * 1024;
    private static final long STACK_BYTES = 256 * 1024;
    /**
     * Closing waits for this long a moment with no line: when a program exits, what it wrote last
     * may still be in its pipe, and the pump delivers it within microseconds of being scheduled.
     * (A pump cannot say it reached the end: OutputSink has no such call.)
     */
    static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Key(LineDestination destination, String program) {
    }

    private final long perProgramBytes;
    private final Budget shared;
    private final Map<Key, LineQueue> queues = new ConcurrentHashMap<>();
    private final Set<LineDestination> destinations = new CopyOnWriteArraySet<>();
    private final Thread thread;
    /** The thread is about to park or parked: an offer must wake it. */
    private final AtomicBoolean idle = new AtomicBoolean();
    private volatile boolean closing;

    /**
     * @param perProgramBytes what one program may have queued for one destination (plus a small
     *                        overhead per line)
     * @param totalBytes what all programs together may have queued here
     */
    LineDrain(String threadName, long perProgramBytes, long totalBytes) {
        this.perProgramBytes = perProgramBytes;
        this.shared = new Budget(totalBytes);
        this.thread = new Thread(null, this::run, threadName, STACK_BYTES);
        thread.setDaemon(true);
    }

    LineDrain start() {
        thread.start();
        return this;
    }

    /** Makes {@code destination} one of those closed when the thread ends, whether it got lines or not. */
    void attach(LineDestination destination) {
        destinations.add(destination);
    }

    /**
     * Queues a line of {@code program}'s for {@code destination}, or drops it and counts; never
     * blocks. The line comes ready to write (formatted and encoded by the caller, the pump thread),
     * so the one writer thread only copies bytes: formatting fifty programs' lines is spread over
     * their pumps instead of piling up here.
     */
    void offer(LineDestination destination, String program, byte[] line) {
        queue(destination, program).offer(line);
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
    }

    private LineQueue queue(LineDestination destination, String program) {
        Key key = new Key(destination, program);
        LineQueue q = queues.get(key);
        if (q == null) {
            destinations.add(destination);
            q = queues.computeIfAbsent(key, k -> new LineQueue(program, destination, new Budget(perProgramBytes),
                    shared));
        }
        return q;
    }

    /** Tells the thread to write what is queued, settle, and stop; returns at once. */
    void beginClose() {
        closing = true;
        LockSupport.unpark(thread);
    }

    /** Waits until the thread has stopped or {@code deadlineNanos} (System.nanoTime) has passed. */
    void awaitStop(long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (thread.isAlive() && left > 0) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the thread has ended (everything queued before close was written). */
    boolean stopped() {
        return !thread.isAlive();
    }

    private void run() {
        List<LineDestination> touched = new ArrayList<>();
        try {
            while (true) {
                for (LineQueue q : queues.values()) {
                    if (drainSlice(q) && !touched.contains(q.destination())) {
                        touched.add(q.destination());
                    }
                }
                if (!touched.isEmpty()) {
                    touched.forEach(LineDestination::endBatch);
                    touched.clear();
                    continue;
                }
                if (closing) {
                    idle.set(true);
                    if (!anyPending()) {
                        LockSupport.parkNanos(this, SETTLE_NANOS);
                    }
                    idle.set(false);
                    if (!anyPending()) {
                        return;
                    }
                    continue;
                }
                idle.set(true);
                // An offer between the sweep above and here may have seen idle false: look again.
                if (!anyPending() && !closing) {
                    LockSupport.park(this);
                }
                idle.set(false);
            }
        } finally {
            destinations.forEach(LineDestination::close);
        }
    }

    private boolean drainSlice(LineQueue q) {
        boolean wrote = false;
        int bytes = 0;
        LineDestination to = q.destination();
        while (bytes < SLICE_BYTES) {
            LineQueue.QueuedLine l = q.poll();
            if (l == null) {
                long dropped = q.takeDropped();
                if (dropped > 0) {
                    to.dropped(q.program(), dropped);
                    wrote = true;
                }
                break;
            }
            if (l.droppedBefore() > 0) {
                to.dropped(q.program(), l.droppedBefore());
            }
            to.line(l.bytes());
            bytes += l.bytes().length;
            wrote = true;
        }
        return wrote;
    }

    private boolean anyPending() {
        for (LineQueue q : queues.values()) {
            if (q.pending()) {
                return true;
            }
        }
        return false;
    }
}
