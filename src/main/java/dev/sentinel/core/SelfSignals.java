package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.SignalTrap;
import dev.sentinel.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals sent to Sentinel itself: SIGINT and SIGTERM stop the programs (a second request kills
 * them), SIGHUP is the {@link RunMode}'s (a file is reloaded, a single command gets it), any other
 * is forwarded to every program's process group. Loop thread only.
 */
final class SelfSignals {

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignals.class);
    /**
     * The same stop signal again within this window is the same request, not a second one: GNU
     * timeout sends SIGTERM to its child and then to the child's whole process group, so Sentinel
     * receives it twice within milliseconds. A person pressing Ctrl-C twice is slower than this.
     */
    static final long SAME_SIGNAL_NANOS = 200_000_000L;

    private final RunMode mode;
    private final Fleet fleet;
    private final EventSink events;
    private final Clock clock;
    private int stopRequests;
    private Signal lastStopSignal;
    private long lastStopSignalNanos;
    /** Signals ignored so far: each is said once, not at every delivery. */
    private final Set<Signal> ignoredOnce = EnumSet.noneOf(Signal.class);

    SelfSignals(RunMode mode, Fleet fleet, EventSink events, Clock clock) {
        this.mode = mode;
        this.fleet = fleet;
        this.events = events;
        this.clock = clock;
    }

    /** {@code signal} came at {@code receivedNanos} (stamped on arrival, not when the loop got to it). */
    void received(Signal signal, long receivedNanos) {
        if (signal == Signal.INT || signal == Signal.TERM) {
            if (signal == lastStopSignal && receivedNanos - lastStopSignalNanos < SAME_SIGNAL_NANOS) {
                LOG.debug("{} again within {} ms: the same request", signal, SAME_SIGNAL_NANOS / 1_000_000);
                return;
            }
            lastStopSignal = signal;
            lastStopSignalNanos = receivedNanos;
            stopRequests++;
            mode.onStopSignal(signal, stopRequests);
            return;
        }
        if (signal == Signal.HUP) {
            mode.onHangUp();
            return;
        }
        if (SignalTrap.IGNORED.contains(signal)) {
            if (ignoredOnce.add(signal)) {
                events.emit(new Event(clock.epochMillis(), mode.selfName(), EventKind.WARNING, "received "
                        + signal.fullName() + ", which Sentinel does not act on: ignored, the programs go on "
                        + "(TERM and INT stop them, HUP reloads, USR1 and USR2 are forwarded)"));
            } else {
                LOG.debug("{} again: ignored", signal.fullName());
            }
            return;
        }
        for (Program p : fleet.programs()) {
            if (p.forward(signal).done()) {
                events.emit(new Event(clock.epochMillis(), p.name(), p.run(), EventKind.ORDER,
                        "forwarded " + signal.fullName() + " to the process group", Map.of()));
            }
        }
    }
}
