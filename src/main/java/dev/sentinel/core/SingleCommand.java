package dev.sentinel.core;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Signal;
import dev.sentinel.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One command from the command line: a fleet of one whose end is Sentinel's end and whose status
 * is Sentinel's. Every order is about it, named or not; a command that cannot be run stops
 * Sentinel before anything starts (126/127); SIGINT and SIGTERM are the first tier of its stop.
 * A stop that ends Sentinel (a stop signal, {@code stop}) has the {@link ShutdownBudget}: once
 * spent, the tree gets SIGKILL even within its grace.
 */
public final class SingleCommand implements RunMode {

    static final String NO_RELOAD = "reload needs a config file: this Sentinel guards one command "
            + "(sentinel --config FILE)";

    private final Program program;
    private final List<Program> only;
    private final EventSink events;
    private final Clock clock;
    private final ShutdownBudget budget;
    /** Why the shutdown began, or null before. */
    private StopReason shutdown;
    /**
     * Whether Sentinel let go of an attached tree (or of its wait for one) on a stop signal: its
     * end, with status 0.
     */
    private boolean detached;

    public SingleCommand(Program program, EventSink events, Clock clock) {
        this(program, ShutdownBudget.DEFAULT, events, clock);
    }

    /** @param shutdownTimeout the budget of the stop that ends Sentinel ({@link ShutdownBudget}) */
    public SingleCommand(Program program, Duration shutdownTimeout, EventSink events, Clock clock) {
        this.program = program;
        this.budget = new ShutdownBudget(shutdownTimeout, clock);
        this.only = List.of(program);
        this.events = events;
        this.clock = clock;
    }

    @Override
    public String selfName() {
        return program.name();
    }

    @Override
    public void startAll() throws LaunchException {
        String longer = budget.tooLongGrace(program.settings());
        if (longer != null) {
            events.emit(new Event(clock.epochMillis(), program.name(), EventKind.WARNING, longer));
        }
        if (program.waitingFor() == null) {
            // A program held before the loop (an attach waiting for its process) starts on release.
            program.start();
        }
    }

    /** Any order is about the one program, whether the line named it, said 'all' or said nothing. */
    @Override
    public Aim aim(Target target, Order order) {
        if (target instanceof Target.Named n && !n.name().equals(program.name())) {
            return new Aim.NoSuchProgram(n.name());
        }
        return order instanceof Order.Stop ? new Aim.Whole() : new Aim.Programs(only);
    }

    @Override
    public Program wholeSubject() {
        return program;
    }

    @Override
    public OrderResult stopAll(StopReason reason) {
        beginShutdown(reason);
        return program.onStop(reason);
    }

    @Override
    public OrderResult killAll(StopReason reason) {
        return program.onKill(reason);
    }

    /**
     * The signal received is the first tier (Ctrl-C sends SIGINT, as a shell would); a second
     * request, or one that comes while the tree is stopping already, kills it now.
     */
    @Override
    public void onStopSignal(Signal signal, int received) {
        ProgramState s = program.state();
        if (s.isFinal()) {
            return;
        }
        if (s == ProgramState.WAITING) {
            note("received " + signal.fullName() + " while waiting for " + program.waitingFor() + ": Sentinel ends");
            detached = true;
            return;
        }
        if (program.attached() && (s == ProgramState.STARTING || s == ProgramState.RUNNING)) {
            // A sidecar being stopped or restarted must not take the app down with it: Sentinel did
            // not start the tree, so a signal to Sentinel ends only Sentinel's watch.
            note("received " + signal.fullName() + ": detaching from pid " + program.pid() + ", which goes on "
                    + "running (Sentinel attached to it and did not start it)");
            program.detach();
            detached = true;
            return;
        }
        beginShutdown(StopReason.SIGNAL);
        if (s == ProgramState.BACKOFF) {
            note("received " + signal.fullName() + ": " + program.onStop(StopReason.SIGNAL, signal).message());
        } else if (received > 1 || s == ProgramState.STOPPING || s == ProgramState.KILLING) {
            note("received " + signal.fullName() + " again: killing the tree now");
            program.onKill(StopReason.SIGNAL);
        } else {
            note("received " + signal.fullName() + ": stopping the tree"
                    + (budget.tooLongGrace(program.settings()) == null ? "" : "; " + budget.limitSentence()));
            program.onStop(StopReason.SIGNAL, signal);
        }
    }

    /** The program may reload on SIGHUP itself: it is passed on. */
    @Override
    public void onHangUp() {
        if (program.forward(Signal.HUP).done()) {
            note("forwarded " + Signal.HUP.fullName() + " to the process group");
        }
    }

    @Override
    public void afterTurn() {
        if (budget.spendNow() && program.state().hasTree()) {
            note(budget.spentSentence(1));
            program.onKill(shutdown);
        }
    }

    @Override
    public long nextWakeNanos() {
        return budget.deadlineNanos();
    }

    private void beginShutdown(StopReason reason) {
        if (shutdown == null) {
            shutdown = reason;
            budget.start();
        }
    }

    @Override
    public boolean over() {
        return detached || program.isFinished();
    }

    /** The program's last run's status (143/137 after a memory stop), or 126/127 if it never ran. */
    @Override
    public int exitCode() {
        return detached ? 0 : program.exitCode();
    }

    @Override
    public ReloadOutcome reload() {
        return ReloadOutcome.refused(NO_RELOAD);
    }

    @Override
    public void reload(Consumer<ReloadOutcome> done) {
        done.accept(reload());
    }

    private void note(String message) {
        events.emit(new Event(clock.epochMillis(), program.name(), program.run(), EventKind.ORDER, message, Map.of()));
    }
}
