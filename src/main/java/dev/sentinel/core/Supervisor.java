package dev.sentinel.core;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.EventLog;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.time.Clock;
import java.time.Duration;
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
 * runs the posted commands, ticks every program, lets the {@link RunMode} finish what a reload or a
 * shutdown began, and publishes an immutable {@link Snapshot} of every program. Other threads
 * never touch a program: they read {@link #latest()} or {@link #post} a command, which runs here
 * with a {@link LoopContext}. N programs are N state machines on this one thread, never N threads.
 *
 * <p>One command (the command line) and the programs of a file run the same loop; the
 * {@link RunMode} says what differs. It watches no channel: the control socket's connections live
 * on their own thread, so a thousand quiet clients cost this loop nothing per tick.
 */
public final class Supervisor implements LoopHandle {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_WAIT_NANOS = 60_000_000_000L;

    /** What a config file adds: a way to build programs, to re-read the file, and keep_running. */
    public record ConfigMode(ProgramFactory factory, Reloader reloader, boolean keepRunning) {
    }

    private final Wakeup wakeup;
    private final Clock clock;
    private final RunInfo info;
    private final Fleet fleet;
    private final EventLog events;
    private final List<LoopExtension> extensions;
    private final RunMode mode;
    private final Orders orders;
    private final SelfSignals signals;
    private final LoopContext context = new Context();
    private final Queue<Consumer<LoopContext>> commands = new ConcurrentLinkedQueue<>();
    private volatile Snapshot latest;
    private volatile long lastTurnNanos;
    private long sequence;

    /** One command: {@code program} is the fleet, its end Sentinel's end. */
    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, Program program, EventLog events,
                      List<LoopExtension> extensions) {
        this(wakeup, clock, info, program, ShutdownBudget.DEFAULT, events, extensions);
    }

    /** One command, with {@code shutdownTimeout} as the budget of the stop that ends Sentinel. */
    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, Program program, Duration shutdownTimeout,
                      EventLog events, List<LoopExtension> extensions) {
        this(wakeup, clock, info, fleetOf(program), events, extensions, null, shutdownTimeout);
    }

    private Supervisor(Wakeup wakeup, Clock clock, RunInfo info, Fleet fleet, EventLog events,
                       List<LoopExtension> extensions, ConfigMode config, Duration shutdownTimeout) {
        if (fleet.size() == 0) {
            throw new IllegalArgumentException("nothing to supervise");
        }
        this.wakeup = wakeup;
        this.clock = clock;
        this.info = info;
        this.fleet = fleet;
        this.events = events;
        this.extensions = List.copyOf(extensions);
        if (config == null) {
            this.mode = new SingleCommand(fleet.programs().get(0), shutdownTimeout, events, clock);
        } else {
            ConfigFile file = new ConfigFile(fleet, config.factory(), config.reloader(), info.configFile(),
                    config.keepRunning(), shutdownTimeout, events, clock);
            file.attach(this);
            this.mode = file;
        }
        this.orders = new Orders(fleet, mode, events, clock);
        this.signals = new SelfSignals(mode, fleet, events, clock);
        this.latest = new Snapshot(0, clock.epochMillis(), info, programSnapshots(), List.of());
    }

    /**
     * The programs of a config file, each built by {@code config}'s factory. {@code info} must name
     * the file ({@link RunInfo#configMode()}).
     */
    public static Supervisor forConfig(Wakeup wakeup, Clock clock, RunInfo info, List<ProgramSettings> programs,
                                       ConfigMode config, EventLog events, List<LoopExtension> extensions) {
        return forConfig(wakeup, clock, info, programs, config, ShutdownBudget.DEFAULT, events, extensions);
    }

    /** The programs of a config file, with {@code shutdownTimeout} as the whole shutdown's budget. */
    public static Supervisor forConfig(Wakeup wakeup, Clock clock, RunInfo info, List<ProgramSettings> programs,
                                       ConfigMode config, Duration shutdownTimeout, EventLog events,
                                       List<LoopExtension> extensions) {
        if (!info.configMode()) {
            throw new IllegalArgumentException("config mode needs the config file in RunInfo");
        }
        Fleet fleet = new Fleet();
        for (ProgramSettings p : programs) {
            fleet.add(new ProgramSlot(p, config.factory().create(p)));
        }
        return new Supervisor(wakeup, clock, info, fleet, events, extensions, config, shutdownTimeout);
    }

    private static Fleet fleetOf(Program program) {
        Fleet fleet = new Fleet();
        fleet.add(new ProgramSlot(program.settings(), program));
        return fleet;
    }

    /**
     * Starts the programs and supervises them until Sentinel's work is over.
     *
     * @return the status Sentinel exits with ({@link RunMode#exitCode()})
     * @throws LaunchException for one command that cannot be started at all (126/127)
     */
    public int run() throws LaunchException {
        try {
            begin();
            while (!over()) {
                waitForWork();
                turn();
            }
            return exitCode();
        } finally {
            mode.close();
            for (LoopExtension e : extensions) {
                try {
                    e.close();
                } catch (RuntimeException ex) {
                    LOG.warn("closing {} failed", e, ex);
                }
            }
        }
    }

    /** Attaches the extensions, starts the programs and publishes the first snapshot. */
    void begin() throws LaunchException {
        for (LoopExtension e : extensions) {
            e.attach(context);
        }
        lastTurnNanos = clock.nanos();
        mode.startAll();
        publish();
    }

    /** One turn of the loop, once woken: posted commands, every program's tick, the mode's follow-up. */
    void turn() {
        lastTurnNanos = clock.nanos();
        runCommands();
        List<Program> programs = fleet.programs();
        for (int i = 0; i < programs.size(); i++) {
            programs.get(i).onTick();
        }
        mode.afterTurn();
        publish();
    }

    boolean over() {
        return mode.over();
    }

    int exitCode() {
        return mode.exitCode();
    }

    /** Hands a command to the loop; safe from any thread, returns at once. */
    @Override
    public void post(Consumer<LoopContext> command) {
        commands.add(command);
        wakeup.wake();
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
    public long lastTurnNanos() {
        return lastTurnNanos;
    }

    @Override
    public String selfName() {
        return mode.selfName();
    }

    /** A signal sent to Sentinel itself now (call on the loop, e.g. through {@link #post}). */
    public void onSignal(Signal signal) {
        onSignal(signal, clock.nanos());
    }

    /** A signal sent to Sentinel itself, received at {@code receivedNanos} (call on the loop). */
    public void onSignal(Signal signal, long receivedNanos) {
        signals.received(signal, receivedNanos);
    }

    /** Stops every program, as {@code stop} without a name does (call on the loop). */
    public OrderResult shutdown(StopReason reason) {
        return mode.stopAll(reason);
    }

    /** Reads the config file on the loop and applies it (call on the loop). */
    public ReloadOutcome reload() {
        return mode.reload();
    }

    /** Every program, in order (call on the loop). */
    public List<Program> programs() {
        return fleet.programs();
    }

    /** The program called {@code name}, or null (call on the loop). */
    public Program program(String name) {
        return fleet.program(name);
    }

    private void waitForWork() {
        if (!commands.isEmpty()) {
            return;
        }
        long wake = nextWakeNanos();
        long wait = wake - clock.nanos();
        wakeup.await(wake == Long.MAX_VALUE || wait > MAX_WAIT_NANOS ? MAX_WAIT_NANOS : wait);
    }

    /** The earliest deadline of any program or of the mode (the shutdown budget), monotonic nanos. */
    long nextWakeNanos() {
        long wake = mode.nextWakeNanos();
        List<Program> programs = fleet.programs();
        for (int i = 0; i < programs.size(); i++) {
            wake = Math.min(wake, programs.get(i).nextWakeNanos());
        }
        return wake;
    }

    private void runCommands() {
        Consumer<LoopContext> c;
        while ((c = commands.poll()) != null) {
            try {
                c.accept(context);
            } catch (RuntimeException e) {
                LOG.warn("a posted command failed", e);
            }
        }
    }

    private List<ProgramSnapshot> programSnapshots() {
        List<Program> programs = fleet.programs();
        if (programs.size() == 1) {
            return List.of(programs.get(0).snapshot());
        }
        List<ProgramSnapshot> out = new ArrayList<>(programs.size());
        for (Program p : programs) {
            out.add(p.snapshot());
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

    /** What posted commands and extensions get: the loop's own parts, for use on the loop only. */
    private final class Context implements LoopContext {

        @Override
        public LoopHandle handle() {
            return Supervisor.this;
        }

        @Override
        public EventSink events() {
            return events;
        }

        @Override
        public List<Program> programs() {
            return fleet.programs();
        }

        @Override
        public Program program(String name) {
            return fleet.program(name);
        }

        @Override
        public Orders orders() {
            return orders;
        }

        @Override
        public ReloadOutcome reload() {
            return mode.reload();
        }

        @Override
        public void reload(Consumer<ReloadOutcome> done) {
            mode.reload(done);
        }
    }
}
