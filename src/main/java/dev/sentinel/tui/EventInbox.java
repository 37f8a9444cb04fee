package dev.sentinel.tui;

import dev.sentinel.events.Event;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands events from the supervisor loop to the dashboard thread. {@link #offer} is what the
 * loop calls: it never blocks and drops events once {@value #CAPACITY} are waiting (the dashboard
 * thread has stopped taking them, so nobody would see them anyway).
 */
final class EventInbox {

    static final int CAPACITY = 1_000;

    private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    void offer(Event e) {
        if (size.incrementAndGet() > CAPACITY) {
            size.decrementAndGet();
            return;
        }
        queue.offer(e);
    }

    /** Moves every waiting event to {@code sink} (when the dashboard falls back to log lines). */
    void drainTo(java.util.function.Consumer<Event> sink) {
        Event e;
        while ((e = queue.poll()) != null) {
            size.decrementAndGet();
            sink.accept(e);
        }
    }
}
