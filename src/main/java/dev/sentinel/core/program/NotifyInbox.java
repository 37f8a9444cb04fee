package dev.sentinel.core.program;

import dev.sentinel.platform.health.NotifyDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where a program's notify socket leaves what it received, for the loop to read at its next tick:
 * the receiving thread only queues and wakes the loop. Bounded: a program that floods its socket
 * loses datagrams beyond {@link #CAPACITY} until the loop has read them, never Sentinel's memory.
 */
public final class NotifyInbox implements Consumer<NotifyDatagram> {

    static final int CAPACITY = 64;

    private final Queue<NotifyDatagram> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile Runnable wakeup = () -> { };

    /** Called by the program once it knows how to wake the loop. */
    void wakeWith(Runnable w) {
        wakeup = w;
    }

    @Override
    public void accept(NotifyDatagram d) {
        if (size.incrementAndGet() > CAPACITY) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(d);
        wakeup.run();
    }

    /** Everything received since the last call (loop thread). */
    List<NotifyDatagram> drain() {
        if (size.get() == 0) {
            return List.of();
        }
        List<NotifyDatagram> out = new ArrayList<>();
        NotifyDatagram d;
        while ((d = queue.poll()) != null) {
            size.decrementAndGet();
            out.add(d);
        }
        return out;
    }

    /** Datagrams lost to a full inbox, since the last call. */
    int takeDropped() {
        return dropped.getAndSet(0);
    }
}
