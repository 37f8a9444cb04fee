package dev.sentinel.core.program;

import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.health.NotifyDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where a program's notify socket leaves what it received, for the loop to read at its next tick:
 * the receiving thread queues and wakes the loop. It also judges there and then whether the
 * sender descends from the program's main process: a helper like {@code systemd-notify} or
 * {@code socat} exits right after it sends, and once it is reaped nothing tells whose it was.
 * Bounded: a program that floods its socket loses datagrams beyond {@link #CAPACITY} until the
 * loop has read them, never Sentinel's memory.
 */
public final class NotifyInbox implements Consumer<NotifyDatagram> {

    static final int CAPACITY = 64;

    /** A datagram, and whether its sender descended from the main process when it arrived. */
    record Heard(NotifyDatagram datagram, boolean fromTheTree) {
    }

    private final ProcFs proc;
    private final Queue<Heard> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile Runnable wakeup = () -> { };
    /** The current run's main process, 0 between runs. */
    private volatile long mainPid;

    public NotifyInbox() {
        this(ProcFs.system());
    }

    NotifyInbox(ProcFs proc) {
        this.proc = proc;
    }

    /** The run whose tree may speak now (0: none). */
    void speakerIs(long pid) {
        mainPid = pid;
    }

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
        long main = mainPid;
        queue.add(new Heard(d, main > 0 && d.pid() > 0 && proc.descendsFrom(d.pid(), main)));
        wakeup.run();
    }

    /** Everything received since the last call (loop thread). */
    List<Heard> drain() {
        if (size.get() == 0) {
            return List.of();
        }
        List<Heard> out = new ArrayList<>();
        Heard d;
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
