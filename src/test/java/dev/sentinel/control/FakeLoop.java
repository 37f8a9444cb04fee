package dev.sentinel.control;

import dev.sentinel.time.Clock;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventSink;
import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.core.LoopContext;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.ReloadOutcome;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A supervisor loop for unit tests of the protocol: guardians of pretend trees ({@link FakeTree}),
 * a fake clock, commands run at once on the caller's thread, and a scripted reload. Config mode
 * (several programs, Sentinel's own name "sentinel") or single-command mode (one program, whose
 * name events about Sentinel carry).
 */
final class FakeLoop implements LoopContext {

    static final String CONFIG_FILE = "/etc/sentinel/test.toml";

    final FakeClock clock = new FakeClock();
    final List<Event> events = new ArrayList<>();
    final Map<String, FakeTree> trees = new LinkedHashMap<>();
    final List<StopReason> shutdowns = new ArrayList<>();
    private final List<Program> guardians = new ArrayList<>();
    private final boolean configMode;
    private ReloadOutcome nextReload = ReloadOutcome.refused("no reload scripted");
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
            g.tick();
            trees.put(name, tree);
            guardians.add(g);
        }
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
        nextReload = outcome;
    }

    /** Every process of {@code name}'s tree ends; the next ticks see it gone. */
    void treeEnds(String name, int status) {
        trees.get(name).everythingExits(status);
        clock.advanceMillis(250);
        guardians.forEach(Program::tick);
    }

    List<String> eventMessages() {
        return events.stream().map(e -> e.program() + ": " + e.message()).toList();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Snapshot latest() {
        List<ProgramSnapshot> programs = guardians.stream().map(Program::snapshot).toList();
        RunInfo info = new RunInfo("test", 4242, "/tmp/test.sock", null, configMode ? CONFIG_FILE : null);
        return new Snapshot(++sequence, clock.epochMillis(), info, programs, events);
    }

    @Override
    public void post(Consumer<LoopContext> command) {
        command.accept(this);
    }

    @Override
    public EventSink events() {
        return events::add;
    }

    @Override
    public Program guardian() {
        return guardians.get(0);
    }

    @Override
    public List<Program> programs() {
        return List.copyOf(guardians);
    }

    @Override
    public String selfName() {
        return configMode ? "sentinel" : guardian().name();
    }

    @Override
    public ReloadOutcome reload() {
        return configMode ? nextReload : LoopContext.super.reload();
    }

    @Override
    public String shutdown(StopReason reason) {
        shutdowns.add(reason);
        List<String> done = new ArrayList<>();
        for (Program g : guardians) {
            done.add(g.stop(reason));
        }
        return configMode ? "stopping every program, then Sentinel exits: " + String.join("; ", done) : done.get(0);
    }

    /** Removes {@code name}, as a reload that dropped it from the file would. */
    void remove(String name) {
        guardians.removeIf(g -> g.name().equals(name));
    }
}
