package dev.sentinel.platform.health;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of small daemon threads that starts a thread only when none is free, and queues
 * (without bound) once all are busy.
 *
 * <p>A plain ThreadPoolExecutor with an unbounded queue never grows past its core size, so the
 * bound would have to be the core size, and it starts a new core thread for each task until it
 * has them all, idle ones or not: one check every 10 s would keep {@code max} threads, taking
 * turns, each idling out just before its turn came and being replaced. Here the core is 0, the
 * queue refuses a task while every thread is busy (so the pool grows, up to its bound), and the
 * queue takes what the full pool refuses. Sequential checks keep one thread; an idle Sentinel,
 * after {@link #IDLE}, none.
 */
final class CheckThreads extends ThreadPoolExecutor {

    static final Duration IDLE = Duration.ofSeconds(30);
    /** As PollReader's: a check's stack is shallow, and HotSpot's default 1 MiB is mostly waste. */
    static final long STACK_BYTES = 256 * 1024;

    /** Tasks handed over and not yet finished: more than there are threads means none is free. */
    private final AtomicInteger unfinished = new AtomicInteger();

    private CheckThreads(String prefix, int max, Duration idle, GrowFirst queue) {
        super(0, max, idle.toNanos(), TimeUnit.NANOSECONDS, queue, threads(prefix), (task, pool) -> {
            if (pool.isShutdown()) {
                throw new RejectedExecutionException("shut down");
            }
            // The pool is at its bound after all (another task took the last place): wait in line.
            queue.enqueue(task);
        });
        queue.pool = this;
    }

    /** At most {@code max} threads, named {@code prefix1}, {@code prefix2}, ... */
    static CheckThreads named(String prefix, int max) {
        return named(prefix, max, IDLE);
    }

    static CheckThreads named(String prefix, int max, Duration idle) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one thread, not " + max);
        }
        return new CheckThreads(prefix, max, idle, new GrowFirst());
    }

    @Override
    public void execute(Runnable task) {
        unfinished.incrementAndGet();
        try {
            super.execute(task);
        } catch (RuntimeException e) {
            unfinished.decrementAndGet();
            throw e;
        }
    }

    @Override
    protected void afterExecute(Runnable task, Throwable thrown) {
        unfinished.decrementAndGet();
    }

    /**
     * Can be wrong for the moment a thread takes to end when it has idled out (the pool still
     * counts it): a task then waits for a busy thread instead of a new one. Nothing is lost, and
     * a check's deadline starts only when it runs.
     */
    private boolean hasFreeThread() {
        return unfinished.get() <= getPoolSize();
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(null, task, prefix + n.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        };
    }

    /** Says no to a task while no thread is free and the pool may still grow. */
    private static final class GrowFirst extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        transient CheckThreads pool;

        @Override
        public boolean offer(Runnable task) {
            if (!pool.hasFreeThread() && pool.getPoolSize() < pool.getMaximumPoolSize()) {
                return false;
            }
            return super.offer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
