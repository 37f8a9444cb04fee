package dev.sentinel.testing;

import dev.sentinel.core.ConfigFile;
import dev.sentinel.core.Fleet;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Order;
import dev.sentinel.core.Orders;
import dev.sentinel.core.ReloadOutcome;
import dev.sentinel.core.RunMode;
import dev.sentinel.core.SingleCommand;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.Target;
import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.Signal;
import dev.sentinel.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The supervisor loop as a unit test plays it on its own thread, over the test's programs: the
 * real order service and the real {@link SingleCommand} or {@link ConfigFile} mode, except that a
 * test may say what "stop everything" does (and record it). Commands posted to it run when the
 * test calls {@link #run}, or at once with {@link #runPostedAtOnce}.
 */
public class StandInLoop implements LoopContext, LoopHandle {

    private final Clock clock;
    private final Supplier<Snapshot> latest;
    private final EventSink events;
    private final Supplier<List<Program>> programs;
    private final boolean configFile;
    private Function<StopReason, OrderResult> stopAll;
    private Queue<Consumer<LoopContext>> posted;
    private ReloadOutcome nextReload = ReloadOutcome.refused("no reload scripted");

    private StandInLoop(Clock clock, Supplier<Snapshot> latest, EventSink events, Supplier<List<Program>> programs,
                        boolean configFile) {
        this.clock = clock;
        this.latest = latest;
        this.events = events;
        this.programs = programs;
        this.configFile = configFile;
    }

    /** A Sentinel guarding one command: the first of {@code programs}. */
    public static StandInLoop single(Clock clock, Supplier<Snapshot> latest, EventSink events,
                                     Supplier<List<Program>> programs) {
        return new StandInLoop(clock, latest, events, programs, false);
    }

    /** A Sentinel guarding the programs of a file. */
    public static StandInLoop config(Clock clock, Supplier<Snapshot> latest, EventSink events,
                                     Supplier<List<Program>> programs) {
        return new StandInLoop(clock, latest, events, programs, true);
    }

    /** What "stop everything" does instead of the mode's own. */
    public StandInLoop stopAllDoes(Function<StopReason, OrderResult> action) {
        this.stopAll = action;
        return this;
    }

    /** Where {@link #post} puts commands (null: they run at once). */
    public StandInLoop postingTo(Queue<Consumer<LoopContext>> queue) {
        this.posted = queue;
        return this;
    }

    /** The outcome the next {@code reload} has (config mode). */
    public void reloadWillAnswer(ReloadOutcome outcome) {
        nextReload = outcome;
    }

    /** Runs every command in {@code queue}, in order; returns how many there were. */
    public int run(Queue<Consumer<LoopContext>> queue) {
        int n = 0;
        Consumer<LoopContext> c;
        while ((c = queue.poll()) != null) {
            c.accept(this);
            n++;
        }
        return n;
    }

    @Override
    public LoopHandle handle() {
        return this;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Snapshot latest() {
        return latest.get();
    }

    @Override
    public void post(Consumer<LoopContext> command) {
        if (posted == null) {
            command.accept(this);
        } else {
            posted.add(command);
        }
    }

    @Override
    public String selfName() {
        return mode().selfName();
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public List<Program> programs() {
        return List.copyOf(programs.get());
    }

    @Override
    public Orders orders() {
        RunMode mode = mode();
        return new Orders(Fleet.of(programs()), stopAll == null ? mode : new StopAllInstead(mode, stopAll), events,
                clock);
    }

    @Override
    public ReloadOutcome reload() {
        return configFile ? nextReload : mode().reload();
    }

    @Override
    public void reload(Consumer<ReloadOutcome> done) {
        done.accept(reload());
    }

    private RunMode mode() {
        List<Program> ps = programs();
        return configFile ? new ConfigFile(Fleet.of(ps), null, null, "/etc/sentinel/test.toml", false, events, clock)
                : new SingleCommand(ps.get(0), events, clock);
    }

    /** The mode as it is, but for what stopping everything does. */
    private record StopAllInstead(RunMode mode, Function<StopReason, OrderResult> stopAll) implements RunMode {
        @Override
        public String selfName() {
            return mode.selfName();
        }

        @Override
        public void startAll() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Aim aim(Target target, Order order) {
            return mode.aim(target, order);
        }

        @Override
        public Program wholeSubject() {
            return mode.wholeSubject();
        }

        @Override
        public OrderResult stopAll(StopReason reason) {
            return stopAll.apply(reason);
        }

        @Override
        public OrderResult killAll(StopReason reason) {
            return mode.killAll(reason);
        }

        @Override
        public void onStopSignal(Signal signal, int received) {
            mode.onStopSignal(signal, received);
        }

        @Override
        public void onHangUp() {
            mode.onHangUp();
        }

        @Override
        public void afterTurn() {
        }

        @Override
        public boolean over() {
            return mode.over();
        }

        @Override
        public int exitCode() {
            return mode.exitCode();
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
