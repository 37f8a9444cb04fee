package dev.sentinel.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One writer thread that empties the programs' {@link LineQueue}s into their destinations (one
 * stream, or many files). It visits the queues in turn and takes a bounded slice from each, so a
 * flooding program gets its share and no more: a quiet program's line waits for at most one
 * slice per program. When a destination is slow the queues fill and the output reader drops lines;
 * it never waits. Idle, the thread is parked and costs no CPU.
 *
 * <p>It counts the pipes whose lines come here ({@link #pipeBegan}, {@link #pipeEnded}, from the
 * sinks' {@code begin} and {@code end}), so that closing waits exactly for the last line of every
 * pipe still open, and no longer: a program's last words may still be in its pipe when it exits,
 * and a grandchild may hold the pipe open after the program is gone. A pipe that does not end
 * (a daemon that kept it) is waited for until the close deadline.
 *
 * <p>One thread, not one per destination: a Java thread costs about 100 KiB of resident memory
 * whatever its stack size (HotSpot touches its stack's 80 KiB shadow zone), so fifty output files
 * share one writer. The price: a disk that hangs holds up every file, which then drops and counts.
 */
final class LineDrain {

    /** Bytes taken from one queue per visit. */
    private static final int SLICE_BYTES = 16 * 1024;
    private static final long STACK_BYTES = 256 * 1024;

    private record Key(LineDestination destination, String program) {
    }

    private final long perProgramBytes;
    private final Budget shared;
    private final Map<Key, LineQueue> queues = new ConcurrentHashMap<>();
    private final Set<LineDestination> destinations = new CopyOnWriteArraySet<>();
    private final Thread thread;
    /** The thread is about to park or parked: an offer must wake it. */
    private final AtomicBoolean idle = new AtomicBoolean();
    /** Pipes begun and not ended yet. */
    private final AtomicInteger openPipes = new AtomicInteger();
    private volatile boolean closing;
    /** Once closing: when to stop waiting for open pipes (System.nanoTime). */
    private volatile long closeDeadline;

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
     * blocks. The line comes ready to write (formatted and encoded by the caller, the output
     * reader), so this thread only copies bytes.
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

    /** A pipe whose lines come here was opened (a run started). */
    void pipeBegan() {
        openPipes.incrementAndGet();
    }

    /** A pipe whose lines come here ended; its last line was offered before. */
    void pipeEnded() {
        // Never below 0: an end without its begin must not make a later pipe look ended.
        openPipes.getAndUpdate(n -> Math.max(0, n - 1));
        if (closing) {
            LockSupport.unpark(thread);
        }
    }

    /** Pipes begun and not ended. */
    int openPipes() {
        return openPipes.get();
    }

    /**
     * Tells the thread to write what is queued and what the open pipes still bring, and to stop
     * once they have all ended, or at {@code deadlineNanos} (System.nanoTime); returns at once.
     */
    void beginClose(long deadlineNanos) {
        closeDeadline = deadlineNanos;
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
                    long left = closeDeadline - System.nanoTime();
                    if (!anyPending() && openPipes.get() > 0 && left > 0) {
                        // Woken by a line or by the end of a pipe.
                        LockSupport.parkNanos(this, left);
                    }
                    idle.set(false);
                    if (!anyPending() && (openPipes.get() == 0 || closeDeadline - System.nanoTime() <= 0)) {
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
