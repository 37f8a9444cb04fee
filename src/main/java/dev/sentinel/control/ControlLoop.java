package dev.sentinel.control;

import dev.sentinel.time.Clock;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket's own thread. It sleeps in junixsocket's selector until a client is ready, a
 * connection's deadline falls due, or another thread posts work, and runs everything of the
 * control socket: so only this thread ever touches a connection.
 *
 * <p>Why not the supervisor loop's selector: junixsocket's selector is built on poll(2), which
 * scans every registered descriptor on every call. Inside the supervisor loop, which wakes for
 * every sample (every millisecond near a crossing), 1000 quiet connections cost ~90 µs per wake.
 * Here they cost nothing until one of them speaks or times out.
 */
final class ControlLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    private final Selector selector;
    private final Clock clock;
    private final Thread thread;
    private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private long order;
    private volatile boolean stopping;

    ControlLoop(Selector selector, Clock clock) {
        this.selector = selector;
        this.clock = clock;
        this.thread = new Thread(this::run, "sentinel-control");
        thread.setDaemon(true);
    }

    Selector selector() {
        return selector;
    }

    long now() {
        return clock.nanos();
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on the control thread, soon; safe from any thread. */
    void post(Runnable task) {
        posted.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the control thread at or after {@code deadlineNanos}; control thread only. */
    Deadline schedule(long deadlineNanos, Runnable task) {
        Deadline d = new Deadline(deadlineNanos, order++, task);
        deadlines.add(d);
        return d;
    }

    /**
     * Runs {@code last} on the control thread after everything posted before it, ends the thread
     * and closes the selector. Waits at most {@code millis} for that; safe from any other thread.
     *
     * @return false if the thread had not ended in time
     */
    boolean stop(Runnable last, long millis) throws InterruptedException {
        if (!thread.isAlive()) {
            last.run();
            closeSelector();
            return true;
        }
        post(() -> {
            try {
                last.run();
            } finally {
                stopping = true;
            }
        });
        thread.join(millis);
        return !thread.isAlive();
    }

    private void run() {
        try {
            while (!stopping) {
                waitForWork();
                runSelected();
                runPosted();
                runDue();
            }
        } catch (RuntimeException | Error e) {
            // Only the control socket stops answering; the supervisor loop goes on guarding.
            LOG.error("the control socket's thread failed; the socket no longer answers", e);
        } finally {
            closeSelector();
        }
    }

    private void waitForWork() {
        try {
            if (!posted.isEmpty()) {
                selector.selectNow();
                return;
            }
            Deadline next = deadlines.peek();
            if (next == null) {
                selector.select();
                return;
            }
            long waitNanos = next.at - now();
            if (waitNanos <= 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new IllegalStateException("the control socket's selector failed", e);
        }
    }

    private void runSelected() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid() || !(key.attachment() instanceof ReadyHandler handler)) {
                continue;
            }
            try {
                handler.ready(key);
            } catch (RuntimeException e) {
                LOG.warn("a control connection's handler failed; closing that connection", e);
                key.cancel();
                try {
                    key.channel().close();
                } catch (IOException ignored) {
                    // already broken
                }
            }
        }
    }

    private void runPosted() {
        Runnable task;
        while ((task = posted.poll()) != null) {
            runSafely(task);
        }
    }

    private void runDue() {
        long now = now();
        while (!deadlines.isEmpty() && deadlines.peek().at - now <= 0) {
            Deadline d = deadlines.poll();
            if (!d.cancelled) {
                runSafely(d.task);
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("a control socket task failed", e);
        }
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing is left to select on
        }
    }

    /** A scheduled task that can be cancelled. */
    static final class Deadline implements Comparable<Deadline> {
        final long at;
        final long order;
        final Runnable task;
        boolean cancelled;

        Deadline(long at, long order, Runnable task) {
            this.at = at;
            this.order = order;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Deadline o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
