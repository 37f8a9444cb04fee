package dev.sentinel.core;

import java.util.concurrent.locks.LockSupport;

/**
 * Where the supervisor loop sleeps until its next sample or deadline, and how other threads (a
 * posted command, the child's exit) cut that sleep short. A wake-up that comes while the loop is
 * busy is kept, so the next wait returns at once, as {@link java.nio.channels.Selector#wakeup()}
 * does.
 *
 * <p>Why not a selector: the loop has no channel to watch, and an idle Sentinel wakes a few times
 * a second for its whole life, long before the JIT compiles the JDK's selector code. Parking runs
 * a handful of bytecodes per wait instead of a few hundred interpreted ones, and sleeps to the
 * nanosecond instead of the millisecond.
 */
public final class Wakeup {

    private volatile Thread waiter;
    private volatile boolean pending;

    /** Sleeps for up to {@code nanos}, less if {@link #wake} is or was called; loop thread only. */
    public void await(long nanos) {
        waiter = Thread.currentThread();
        if (!pending && nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
        pending = false;
    }

    /** Ends the current or next {@link #await} early; safe from any thread. */
    public void wake() {
        pending = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
