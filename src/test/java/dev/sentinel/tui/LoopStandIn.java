package dev.sentinel.tui;

import dev.sentinel.time.Clock;
import dev.sentinel.events.EventSink;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.Snapshot;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The supervisor loop as the dashboard tests play it on their own thread: the context the
 * dashboard's posted orders run against, over the test's guardians. Config-mode tests override
 * {@link #selfName()} and {@link #shutdown}.
 */
class LoopStandIn implements LoopContext {

    private final Clock clock;
    private final Supplier<Snapshot> latest;
    private final EventSink events;
    private final Supplier<Program> guardian;
    private final Supplier<List<Program>> programs;

    LoopStandIn(Clock clock, Supplier<Snapshot> latest, EventSink events, Supplier<Program> guardian,
                Supplier<List<Program>> programs) {
        this.clock = clock;
        this.latest = latest;
        this.events = events;
        this.guardian = guardian;
        this.programs = programs;
    }

    /** Runs every order posted so far, in order; returns how many there were. */
    int run(Queue<Consumer<LoopContext>> posted) {
        int n = 0;
        Consumer<LoopContext> c;
        while ((c = posted.poll()) != null) {
            c.accept(this);
            n++;
        }
        return n;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void post(Consumer<LoopContext> command) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Snapshot latest() {
        return latest.get();
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public Program guardian() {
        return guardian.get();
    }

    @Override
    public List<Program> programs() {
        return programs.get();
    }
}
