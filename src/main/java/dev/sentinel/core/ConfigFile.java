package dev.sentinel.core;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.Signal;
import dev.sentinel.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The programs of a config file: started in priority order (lower first; equal ones in file order,
 * one right after the other) and stopped in reverse ({@link Shutdown}); a program that cannot be
 * run is FATAL and the others go on. Sentinel ends when told to (exit 0 once every tree is gone),
 * or when nothing runs or waits to restart (0 if every program ended cleanly, 1 otherwise), unless
 * {@code keep_running}. SIGHUP and {@code reload} re-read the file ({@link Reloads}).
 */
public final class ConfigFile implements RunMode {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFile.class);
    /** The name events about Sentinel itself carry. */
    public static final String SELF = "sentinel";

    private final Fleet fleet;
    private final EventSink events;
    private final Clock clock;
    private final String file;
    private final ShutdownBudget budget;
    private final Shutdown shutdown;
    private final Reloads reloads;
    private final StartOrder order;
    private boolean keepRunning;
    /** The essential program whose end ended Sentinel, or null. */
    private Program essentialEnded;

    /**
     * @param factory builds a program from its settings (at a reload too)
     * @param reloader reads the file again
     * @param file the file's path, for what Sentinel says about it
     */
    public ConfigFile(Fleet fleet, ProgramFactory factory, Reloader reloader, String file, boolean keepRunning,
                      EventSink events, Clock clock) {
        this(fleet, factory, reloader, file, keepRunning, ShutdownBudget.DEFAULT, events, clock);
    }

    /** @param shutdownTimeout the whole shutdown's budget ({@link ShutdownBudget}) */
    public ConfigFile(Fleet fleet, ProgramFactory factory, Reloader reloader, String file, boolean keepRunning,
                      Duration shutdownTimeout, EventSink events, Clock clock) {
        this.fleet = fleet;
        this.events = events;
        this.clock = clock;
        this.file = file;
        this.keepRunning = keepRunning;
        this.budget = new ShutdownBudget(shutdownTimeout, clock);
        this.shutdown = new Shutdown(fleet, events, clock, SELF, budget);
        this.order = new StartOrder(fleet, events, clock, SELF);
        this.reloads = new Reloads(fleet, factory, reloader, file, shutdown, events, clock, SELF,
                k -> this.keepRunning = k, order::startFirst);
    }

    /** Where a file read off the loop is handed back to it. */
    void attach(LoopHandle loop) {
        reloads.attach(loop);
    }

    @Override
    public String selfName() {
        return SELF;
    }

    @Override
    public void startAll() {
        for (ProgramSlot s : fleet.slots()) {
            String longer = budget.tooLongGrace(s.settings);
            if (longer != null) {
                events.emit(new Event(clock.epochMillis(), s.program.name(), EventKind.WARNING, longer));
            }
        }
        List<ProgramSlot> order = new ArrayList<>(fleet.slots());
        order.sort(Comparator.comparingInt(s -> s.settings.priority()));
        for (ProgramSlot s : order) {
            this.order.startFirst(s);
        }
        watchEssentials();
    }

    /** {@code stop} alone stops everything; other orders need a name or {@code all}. */
    @Override
    public Aim aim(Target target, Order order) {
        if (target instanceof Target.Named n) {
            Program p = fleet.program(n.name());
            return p == null ? new Aim.NoSuchProgram(n.name()) : new Aim.Programs(List.of(p));
        }
        if (target instanceof Target.All) {
            return new Aim.Programs(fleet.programs());
        }
        return order instanceof Order.Stop ? new Aim.Whole() : new Aim.NameNeeded();
    }

    @Override
    public Program wholeSubject() {
        return null;
    }

    @Override
    public OrderResult stopAll(StopReason reason) {
        boolean anything = fleet.anythingToStop();
        String said = shutdown.begin(reason);
        return anything ? OrderResult.done(said) : OrderResult.nothingToDo(said);
    }

    @Override
    public OrderResult killAll(StopReason reason) {
        int n = fleet.killAll(reason);
        shutdown.beginIfIdle(reason);
        return OrderResult.done("killing " + n + " tree" + (n == 1 ? "" : "s") + " now");
    }

    /** The first request stops everything in reverse priority order; a second kills every tree. */
    @Override
    public void onStopSignal(Signal signal, int received) {
        OrderResult r = received > 1 ? killAll(StopReason.SIGNAL) : stopAll(StopReason.SIGNAL);
        note("received " + signal.fullName() + ": " + r.message());
    }

    @Override
    public void onHangUp() {
        note("received " + Signal.HUP.fullName() + ": reloading " + file);
        reloads.later(r -> LOG.debug("SIGHUP reload: {}", r));
    }

    @Override
    public void afterTurn() {
        reloads.finish();
        if (shutdown.active()) {
            shutdown.advance();
        } else {
            order.advance();
            watchEssentials();
        }
    }

    /**
     * An essential program that ended for good (an exit nothing restarts, or FATAL; not an order's
     * stop) ends Sentinel: the others stop in order, and Sentinel exits with its status.
     */
    private void watchEssentials() {
        if (shutdown.active()) {
            return;
        }
        for (ProgramSlot s : fleet.slots()) {
            Program p = s.program;
            if (s.settings.essential() && !s.pending() && p.isFinished() && !p.endedByOrder() && p.run() > 0) {
                essentialEnded = p;
                note(p.name() + " is essential and " + (p.state() == ProgramState.FATAL ? "was given up on"
                        : "has ended") + " (status " + p.exitCode() + "): stopping the others; Sentinel exits with "
                        + "its status");
                shutdown.begin(StopReason.ESSENTIAL);
                return;
            }
        }
    }

    @Override
    public long nextWakeNanos() {
        return shutdown.nextWakeNanos();
    }

    @Override
    public boolean over() {
        return fleet.allFinished() && (shutdown.active() || !keepRunning);
    }

    /** 0 after a shutdown or when every program ended cleanly (or by an order); 1 otherwise. */
    @Override
    public int exitCode() {
        if (essentialEnded != null) {
            return essentialEnded.exitCode();
        }
        if (shutdown.active()) {
            return 0;
        }
        for (Program p : fleet.programs()) {
            if (p.exitCode() != 0 && !p.endedByOrder()) {
                return 1;
            }
        }
        return 0;
    }

    @Override
    public ReloadOutcome reload() {
        return reloads.now();
    }

    @Override
    public void reload(Consumer<ReloadOutcome> done) {
        reloads.later(done);
    }

    @Override
    public void close() {
        reloads.close();
    }

    private void note(String message) {
        events.emit(new Event(clock.epochMillis(), SELF, 0, EventKind.ORDER, message, Map.of()));
    }
}
