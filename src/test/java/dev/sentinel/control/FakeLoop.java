package dev.sentinel.control;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Orders;
import dev.sentinel.core.ReloadOutcome;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import dev.sentinel.testing.StandInLoop;
import dev.sentinel.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A supervisor loop for unit tests of the protocol: programs of pretend trees ({@link FakeTree}),
 * a fake clock, commands run at once on the caller's thread, and a scripted reload. Config mode
 * (several programs, Sentinel's own name "sentinel") or single-command mode (one program, whose
 * name events about Sentinel carry). The order service is the real one; stopping everything stops
 * every program at once and is recorded in {@link #shutdowns}.
 */
final class FakeLoop implements LoopContext {

    static final String CONFIG_FILE = "/etc/sentinel/test.toml";

    final FakeClock clock = new FakeClock();
    final List<Event> events = new ArrayList<>();
    final Map<String, FakeTree> trees = new LinkedHashMap<>();
    final List<StopReason> shutdowns = new ArrayList<>();
    private final List<Program> programs = new ArrayList<>();
    private final boolean configMode;
    private final StandInLoop loop;
    private long sequence;

    private FakeLoop(boolean configMode, String... names) throws LaunchException {
        this.configMode = configMode;
        EventSink sink = events::add;
        for (String name : names) {
            FakeTree tree = new FakeTree();
            ProgramSettings config = ProgramSettings.builder(name, List.of(name)).limit(MemoryLimit.parse("100M"))
                    .grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();
            Program g = new Program(config, tree, LaunchSpec.passThrough(List.of(name)), tree, tree,
                    SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()), clock, sink, () -> { });
            g.start();
            g.onTick();
            trees.put(name, tree);
            programs.add(g);
        }
        loop = (configMode ? StandInLoop.config(clock, this::latest, sink, () -> programs)
                : StandInLoop.single(clock, this::latest, sink, () -> programs)).stopAllDoes(this::stopEverything);
    }

    /** A config-mode Sentinel guarding {@code names}, in that order. */
    static FakeLoop config(String... names) throws LaunchException {
        return new FakeLoop(true, names);
    }

    /** A Sentinel guarding one command, called {@code name}. */
    static FakeLoop single(String name) throws LaunchException {
        return new FakeLoop(false, name);
    }

    void reloadWillAnswer(ReloadOutcome outcome) {
        loop.reloadWillAnswer(outcome);
    }

    /** Every process of {@code name}'s tree ends; the next ticks see it gone. */
    void treeEnds(String name, int status) {
        trees.get(name).everythingExits(status);
        clock.advanceMillis(250);
        programs.forEach(Program::onTick);
    }

    List<String> eventMessages() {
        return events.stream().map(e -> e.program() + ": " + e.message()).toList();
    }

    /** Removes {@code name}, as a reload that dropped it from the file would. */
    void remove(String name) {
        programs.removeIf(g -> g.name().equals(name));
    }

    private OrderResult stopEverything(StopReason reason) {
        shutdowns.add(reason);
        List<String> done = new ArrayList<>();
        boolean any = false;
        for (Program g : programs) {
            OrderResult r = g.onStop(reason);
            any |= r.done();
            done.add(r.message());
        }
        String said = configMode ? "stopping every program, then Sentinel exits: " + String.join("; ", done)
                : done.get(0);
        return any ? OrderResult.done(said) : OrderResult.nothingToDo(said);
    }

    @Override
    public LoopHandle handle() {
        return loop;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Snapshot latest() {
        List<ProgramSnapshot> snapshots = programs.stream().map(Program::snapshot).toList();
        RunInfo info = new RunInfo("test", 4242, "/tmp/test.sock", null, configMode ? CONFIG_FILE : null);
        return new Snapshot(++sequence, clock.epochMillis(), info, snapshots, events);
    }

    /** Runs {@code command} at once, on the caller's thread. */
    void post(Consumer<LoopContext> command) {
        command.accept(this);
    }

    @Override
    public EventSink events() {
        return events::add;
    }

    @Override
    public List<Program> programs() {
        return List.copyOf(programs);
    }

    @Override
    public Orders orders() {
        return loop.orders();
    }

    @Override
    public ReloadOutcome reload() {
        return loop.reload();
    }

    @Override
    public void reload(Consumer<ReloadOutcome> done) {
        done.accept(reload());
    }
}
