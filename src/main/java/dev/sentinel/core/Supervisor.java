package dev.sentinel.core;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop that owns all mutable state. It sleeps ({@link Wakeup}) until the earliest sample
 * or deadline of any program is due or another thread posts a command (or a child exits); then it
 * acts and publishes an immutable {@link Snapshot} of every program. Other threads never touch a
 * guardian: they read {@link #latest()} or {@link #post} a command. N programs are N guardians on
 * this one thread, never N threads.
 *
 * <p>It watches no channel: the control socket's connections live on their own thread (see
 * {@code ControlServer}), so a thousand quiet clients cost this loop nothing per tick.
 */
public final class Supervisor implements LoopContext {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_WAIT_NANOS = 60_000_000_000L;
    /**
     * The same stop signal again within this window is the same request, not a second one: GNU
     * timeout sends SIGTERM to its child and then to the child's whole process group, so Sentinel
     * receives it twice within milliseconds. A person pressing Ctrl-C twice is slower than this.
     */
    static final long SAME_SIGNAL_NANOS = 200_000_000L;

    private final Wakeup wakeup;
    private final Clock clock;
    private final RunInfo info;
    private final List<Guardian> guardians;
    private final EventLog events;
    private final List<LoopExtension> extensions;
    private final Queue<Consumer<LoopContext>> commands = new ConcurrentLinkedQueue<>();
    private volatile Snapshot latest;
    private long sequence;
    private int stopSignals;
    private Signal lastStopSignal;
    private long lastStopSignalNanos;

    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, Guardian guardian, EventLog events,
                      List<LoopExtension> extensions) {
        this(wakeup, clock, info, List.of(guardian), events, extensions);
    }

    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, List<Guardian> guardians, EventLog events,
                      List<LoopExtension> extensions) {
        if (guardians.isEmpty()) {
            throw new IllegalArgumentException("nothing to supervise");
        }
        this.wakeup = wakeup;
        this.clock = clock;
        this.info = info;
        this.guardians = List.copyOf(guardians);
        this.events = events;
        this.extensions = List.copyOf(extensions);
        this.latest = new Snapshot(0, clock.epochMillis(), info, programSnapshots(), List.of());
    }

    /**
     * Starts the programs and supervises them until every one is finished (EXITED or FATAL).
     *
     * @return the exit status Sentinel should exit with: with one program, that program's (its last
     *         run's status, 143/137 after a memory stop); with several, 0 if every one's is 0, else 1
     * @throws LaunchException if a program cannot be started at all (126/127)
     */
    public int run() throws LaunchException {
        try {
            for (LoopExtension e : extensions) {
                e.attach(this);
            }
            for (Guardian g : guardians) {
                g.start();
            }
            publish();
            while (!allFinished()) {
                waitForWork();
                runCommands();
                for (Guardian g : guardians) {
                    g.tick();
                }
                publish();
            }
            return exitCode();
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

    /** Reacts to a signal sent to Sentinel itself now (call on the loop, e.g. through {@link #post}). */
    public void onSignal(Signal signal) {
        onSignal(signal, clock.nanos());
    }

    /**
     * Reacts to a signal sent to Sentinel itself, received at {@code receivedNanos} (call on the loop).
     * SIGINT and SIGTERM stop every program in tiers, the received signal being the first tier; a
     * second one kills at once, unless it is the same signal within {@link #SAME_SIGNAL_NANOS} of
     * the first (one request delivered twice). Others are forwarded to each program's process group.
     */
    public void onSignal(Signal signal, long receivedNanos) {
        if (signal == Signal.INT || signal == Signal.TERM) {
            if (signal == lastStopSignal && receivedNanos - lastStopSignalNanos < SAME_SIGNAL_NANOS) {
                LOG.debug("{} again within {} ms: the same request", signal, SAME_SIGNAL_NANOS / 1_000_000);
                return;
            }
            lastStopSignal = signal;
            lastStopSignalNanos = receivedNanos;
            stopSignals++;
            for (Guardian g : guardians) {
                stopOnSignal(g, signal);
            }
            return;
        }
        for (Guardian g : guardians) {
            if (g.forward(signal)) {
                note(g, "forwarded " + signal.fullName() + " to the process group");
            }
        }
    }

    private void stopOnSignal(Guardian g, Signal signal) {
        GuardianState s = g.state();
        if (s.isFinal()) {
            return;
        }
        if (s == GuardianState.BACKOFF) {
            note(g, "received " + signal.fullName() + ": " + g.stop(StopReason.SIGNAL, signal));
        } else if (stopSignals > 1 || s == GuardianState.STOPPING || s == GuardianState.KILLING) {
            note(g, "received " + signal.fullName() + " again: killing the tree now");
            g.kill(StopReason.SIGNAL);
        } else {
            note(g, "received " + signal.fullName() + ": stopping the tree");
            g.stop(StopReason.SIGNAL, signal);
        }
    }

    private void note(Guardian g, String message) {
        events.emit(new Event(clock.epochMillis(), g.name(), g.run(), EventKind.ORDER, message, java.util.Map.of()));
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
        return guardians.get(0);
    }

    @Override
    public List<Guardian> programs() {
        return guardians;
    }

    private boolean allFinished() {
        for (Guardian g : guardians) {
            if (!g.isFinished()) {
                return false;
            }
        }
        return true;
    }

    private int exitCode() {
        if (guardians.size() == 1) {
            return guardians.get(0).exitCode();
        }
        for (Guardian g : guardians) {
            if (g.exitCode() != 0) {
                return 1;
            }
        }
        return 0;
    }

    private void waitForWork() {
        if (!commands.isEmpty()) {
            return;
        }
        long wake = Long.MAX_VALUE;
        for (Guardian g : guardians) {
            wake = Math.min(wake, g.nextWakeNanos());
        }
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

    private List<ProgramSnapshot> programSnapshots() {
        if (guardians.size() == 1) {
            return List.of(guardians.get(0).snapshot());
        }
        List<ProgramSnapshot> out = new ArrayList<>(guardians.size());
        for (Guardian g : guardians) {
            out.add(g.snapshot());
        }
        return out;
    }

    private void publish() {
        Snapshot s = new Snapshot(++sequence, clock.epochMillis(), info, programSnapshots(), events.recent());
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
