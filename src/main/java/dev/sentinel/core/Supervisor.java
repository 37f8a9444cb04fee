package dev.sentinel.core;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Signal;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop that owns all mutable state. It sleeps ({@link Wakeup}) until the next sample or
 * deadline is due or another thread posts a command (or the child exits); then it acts and
 * publishes an immutable {@link Snapshot}. Other threads never touch the guardian: they read
 * {@link #latest()} or {@link #post} a command.
 *
 * <p>It watches no channel: the control socket's connections live on their own thread (see
 * {@code ControlServer}), so a thousand quiet clients cost this loop nothing per tick.
 */
public final class Supervisor implements LoopContext {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_WAIT_NANOS = 60_000_000_000L;

    private final Wakeup wakeup;
    private final Clock clock;
    private final RunInfo info;
    private final Guardian guardian;
    private final EventLog events;
    private final List<LoopExtension> extensions;
    private final Queue<Consumer<LoopContext>> commands = new ConcurrentLinkedQueue<>();
    private volatile Snapshot latest;
    private long sequence;
    private int stopSignals;

    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, Guardian guardian, EventLog events,
                      List<LoopExtension> extensions) {
        this.wakeup = wakeup;
        this.clock = clock;
        this.info = info;
        this.guardian = guardian;
        this.events = events;
        this.extensions = List.copyOf(extensions);
        this.latest = new Snapshot(0, clock.epochMillis(), info, List.of(guardian.snapshot()), List.of());
    }

    /**
     * Starts the program and guards it until its whole tree is gone.
     *
     * @return the exit status Sentinel should exit with
     * @throws LaunchException if the program cannot be started (126/127)
     */
    public int run() throws LaunchException {
        try {
            for (LoopExtension e : extensions) {
                e.attach(this);
            }
            guardian.start();
            publish();
            while (!guardian.isFinished()) {
                waitForWork();
                runCommands();
                guardian.tick();
                publish();
            }
            return guardian.exitCode();
        } finally {
            for (LoopExtension e : extensions) {
                try {
                    e.close();
                } catch (RuntimeException ex) {
                    LOG.warn("closing {} failed", e, ex);
                }
            }
        }
    }

    /** Hands a command to the loop; safe from any thread, returns at once. */
    @Override
    public void post(Consumer<LoopContext> command) {
        commands.add(command);
        wakeup.wake();
    }

    /** Reacts to a signal sent to Sentinel itself (call on the loop, e.g. through {@link #post}). */
    public void onSignal(Signal signal) {
        if (signal == Signal.INT || signal == Signal.TERM) {
            stopSignals++;
            GuardianState s = guardian.state();
            if (stopSignals > 1 || s == GuardianState.STOPPING || s == GuardianState.KILLING) {
                events.emit(new Event(clock.epochMillis(), guardian.name(), EventKind.ORDER,
                        "received " + signal.fullName() + " again: killing the tree now"));
                guardian.kill(StopReason.SIGNAL);
            } else {
                events.emit(new Event(clock.epochMillis(), guardian.name(), EventKind.ORDER,
                        "received " + signal.fullName() + ": stopping the tree"));
                guardian.stop(StopReason.SIGNAL, signal);
            }
        } else if (guardian.forward(signal)) {
            events.emit(new Event(clock.epochMillis(), guardian.name(), EventKind.ORDER,
                    "forwarded " + signal.fullName() + " to the process group"));
        }
    }

    @Override
    public Snapshot latest() {
        return latest;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public Guardian guardian() {
        return guardian;
    }

    private void waitForWork() {
        if (!commands.isEmpty()) {
            return;
        }
        long wake = guardian.nextWakeNanos();
        long wait = wake - clock.nanos();
        wakeup.await(wake == Long.MAX_VALUE || wait > MAX_WAIT_NANOS ? MAX_WAIT_NANOS : wait);
    }

    private void runCommands() {
        Consumer<LoopContext> c;
        while ((c = commands.poll()) != null) {
            try {
                c.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("a posted command failed", e);
            }
        }
    }

    private void publish() {
        Snapshot s = new Snapshot(++sequence, clock.epochMillis(), info, List.of(guardian.snapshot()), events.recent());
        latest = s;
        for (LoopExtension e : extensions) {
            try {
                e.afterTick(s);
            } catch (RuntimeException ex) {
                LOG.warn("{} failed after a tick", e, ex);
            }
        }
    }
}
