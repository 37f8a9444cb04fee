package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventLog;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Config mode on a fake clock and fake trees: priority order at start and (reversed) at shutdown,
 * when Sentinel exits and with what, a command that cannot run, autostart, and reloads.
 */
class SupervisorConfigModeTest {

    private static final Duration GRACE = Duration.ofSeconds(3);

    private final FakeClock clock = new FakeClock();
    private final EventLog log = new EventLog(500);
    /** Every tree a guardian of that name was built with, the newest last (a reload builds a new one). */
    private final Map<String, List<FakeTree>> trees = new HashMap<>();
    private final List<String> launched = new ArrayList<>();
    private volatile ReloadPlan nextPlan = new ReloadPlan.Refused(List.of("no plan"));
    private final java.util.concurrent.atomic.AtomicInteger plans = new java.util.concurrent.atomic.AtomicInteger();

    private static ProgramSettings spec(String name, int priority, RestartPolicy policy) {
        RestartSettings restart = new RestartSettings(policy, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 10);
        ProgramSettings g = ProgramSettings.builder(name, List.of(name)).limit(MemoryLimit.NONE).grace(GRACE)
                .interval(Duration.ofMillis(250)).tolerate(Duration.ZERO).restart(restart).build();
        return g.toBuilder().priority(priority).autostart(true).output(OutputTarget.PREFIX).build();
    }

    private static ProgramSettings spec(String name, int priority) {
        return spec(name, priority, RestartPolicy.NEVER);
    }

    private Program build(ProgramSettings spec) {
        if (spec.name().startsWith("broken")) {
            throw new IllegalStateException("cannot build " + spec.name());
        }
        FakeTree tree = new FakeTree();
        trees.computeIfAbsent(spec.name(), n -> new ArrayList<>()).add(tree);
        return new Program(spec, s -> {
            launched.add(spec.name());
            return tree.launch(s);
        }, LaunchSpec.passThrough(spec.command()), tree, tree, SamplingPolicy.fixed(250_000_000L), clock,
                log, () -> { }, () -> 0.5);
    }

    private FakeTree tree(String name) {
        List<FakeTree> t = trees.get(name);
        return t.get(t.size() - 1);
    }

    private Supervisor supervisor(boolean keepRunning, ProgramSettings... specs) throws LaunchException {
        Supervisor s = Supervisor.forConfig(new Wakeup(), clock, new RunInfo("t", 1, null, null, "/etc/s.toml"),
                List.of(specs), new Supervisor.ConfigMode(this::build, () -> {
                    plans.incrementAndGet();
                    return nextPlan;
                }, keepRunning), log, List.of());
        s.begin();
        return s;
    }

    private static void turns(Supervisor s, FakeClock clock, int millis) {
        for (int t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            s.turn();
        }
    }

    private List<Signal> signals(String name) {
        return tree(name).sent().stream().map(FakeTree.Sent::signal).toList();
    }

    private ProgramState state(Supervisor s, String name) {
        return s.program(name).state();
    }

    @Test
    void startsInPriorityOrderLowerFirstAndFileOrderWithinAPriority() throws LaunchException {
        supervisor(false, spec("web", 20), spec("db", 10), spec("cache", 10), spec("worker", 30));
        assertEquals(List.of("db", "cache", "web", "worker"), launched);
    }

    @Test
    void shutdownStopsTheHighestPriorityFirstAndTheNextGroupOnlyOnceItIsGone() throws LaunchException {
        Supervisor s = supervisor(false, spec("db", 10), spec("web", 20), spec("api", 20));
        turns(s, clock, 50);
        s.shutdown(StopReason.STOP);
        s.turn();
        assertEquals(List.of(Signal.TERM), signals("web"));
        assertEquals(List.of(Signal.TERM), signals("api"), "equal priorities stop in parallel");
        assertEquals(List.of(), signals("db"), "db stops last");
        tree("web").everythingExits(143);
        turns(s, clock, 50);
        assertEquals(List.of(), signals("db"), "api still runs, so db waits");
        tree("api").everythingExits(143);
        turns(s, clock, 50);
        assertEquals(List.of(Signal.TERM), signals("db"));
        assertFalse(s.over());
        tree("db").everythingExits(143);
        turns(s, clock, 50);
        assertTrue(s.over());
        assertEquals(0, s.exitCode(), "told to stop: 0, whatever the programs' statuses");
    }

    @Test
    void shutdownUsesEachProgramsStopSignalAndEachItsOwnGrace() throws LaunchException {
        ProgramSettings web = spec("web", 10);
        ProgramSettings g = web;
        ProgramSettings nginx = (ProgramSettings.builder("nginx", List.of("nginx")).limit(g.limit()).grace(g.grace())
                .interval(g.interval()).tolerate(g.tolerate()).restart(g.restart()).stopSignal(Signal.QUIT).build())
                .toBuilder().priority(10).autostart(true).output(OutputTarget.PREFIX).build();
        Supervisor s = supervisor(false, web, nginx);
        s.turn();
        s.shutdown(StopReason.STOP);
        assertEquals(List.of(Signal.QUIT), signals("nginx"));
        turns(s, clock, 2_900);
        assertEquals(List.of(Signal.QUIT), signals("nginx"), "within its grace");
        turns(s, clock, 150);
        assertEquals(List.of(Signal.QUIT, Signal.KILL), signals("nginx").subList(0, 2), "the grace is over: SIGKILL");
    }

    @Test
    void aSecondStopSignalKillsEveryTreeAtOnce() throws LaunchException {
        Supervisor s = supervisor(false, spec("db", 10), spec("web", 20));
        s.turn();
        long at = clock.nanos();
        s.onSignal(Signal.INT, at);
        s.onSignal(Signal.INT, at + SelfSignals.SAME_SIGNAL_NANOS);
        assertEquals(List.of(Signal.TERM, Signal.KILL), signals("web"), "its own stop signal, then SIGKILL");
        assertEquals(List.of(Signal.KILL), signals("db"));
    }

    @Test
    void shutdownCancelsPendingRestarts() throws LaunchException {
        Supervisor s = supervisor(false, spec("web", 10, RestartPolicy.ALWAYS), spec("db", 5));
        s.turn();
        tree("web").everythingExits(1);
        turns(s, clock, 20);
        assertEquals(ProgramState.BACKOFF, state(s, "web"));
        s.shutdown(StopReason.STOP);
        assertEquals(ProgramState.EXITED, state(s, "web"));
        turns(s, clock, 2_000);
        assertEquals(1, tree("web").launches(), "the restart was cancelled");
    }

    @Test
    void onItsOwnItExitsZeroWhenEveryProgramEndedWithZero() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1), spec("b", 1));
        s.turn();
        tree("a").everythingExits(0);
        turns(s, clock, 20);
        assertFalse(s.over(), "b still runs");
        tree("b").everythingExits(0);
        turns(s, clock, 20);
        assertTrue(s.over());
        assertEquals(0, s.exitCode());
    }

    @Test
    void onItsOwnItExitsOneWhenAProgramsLastRunFailed() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1), spec("b", 1));
        s.turn();
        tree("a").everythingExits(0);
        tree("b").everythingExits(3);
        turns(s, clock, 20);
        assertTrue(s.over());
        assertEquals(1, s.exitCode());
    }

    @Test
    void aProgramStoppedByAnOrderCountsAsEndedCleanly() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1), spec("b", 1));
        s.turn();
        s.program("b").onStop(StopReason.STOP);
        tree("b").everythingExits(143);
        tree("a").everythingExits(0);
        turns(s, clock, 20);
        assertTrue(s.over());
        assertEquals(0, s.exitCode());
    }

    @Test
    void keepRunningStaysUpWithNothingRunningUntilToldToStop() throws LaunchException {
        Supervisor s = supervisor(true, spec("a", 1));
        s.turn();
        tree("a").everythingExits(1);
        turns(s, clock, 20);
        assertEquals(ProgramState.EXITED, state(s, "a"));
        assertFalse(s.over(), "keep_running keeps Sentinel up for 'start a'");
        s.shutdown(StopReason.STOP);
        assertTrue(s.over());
        assertEquals(0, s.exitCode());
    }

    @Test
    void aCommandThatCannotRunIsFatalAtOnceAndTheOthersRun() throws LaunchException {
        FakeTree failing = new FakeTree();
        failing.failLaunches(1);
        ProgramSettings missing = spec("missing", 1);
        ProgramSettings web = spec("web", 2);
        Supervisor s = Supervisor.forConfig(new Wakeup(), clock, new RunInfo("t", 1, null, null, "/s.toml"),
                List.of(missing, web), new Supervisor.ConfigMode(sp -> sp == missing
                        ? new Program(sp, failing, LaunchSpec.passThrough(List.of("missing")), failing,
                                failing, SamplingPolicy.fixed(250_000_000L), clock, log, () -> { })
                        : build(sp), () -> nextPlan, false), log, List.of());
        s.begin();
        s.turn();
        assertEquals(ProgramState.FATAL, state(s, "missing"));
        assertEquals(127, s.program("missing").exitCode(), "reported like a shell: 127");
        assertEquals(ProgramState.RUNNING, state(s, "web"));
        turns(s, clock, 5_000);
        assertEquals(0, failing.launches(), "no crash loop");
        assertFalse(s.over());
        tree("web").everythingExits(0);
        turns(s, clock, 20);
        assertTrue(s.over());
        assertEquals(1, s.exitCode());
        assertTrue(log.recent().stream().anyMatch(e -> e.kind() == EventKind.GAVE_UP && e.program().equals("missing")));
    }

    @Test
    void aProgramWithoutAutostartWaitsForAStartOrder() throws LaunchException {
        ProgramSettings a = spec("a", 1);
        ProgramSettings later = (spec("later", 1)).toBuilder().priority(1).autostart(false)
                .output(OutputTarget.PREFIX).build();
        Supervisor s = supervisor(false, a, later);
        assertEquals(List.of("a"), launched);
        assertEquals(ProgramState.EXITED, state(s, "later"));
        assertEquals(0, s.program("later").run());
        String reply = s.program("later").onStart().message();
        assertTrue(reply.startsWith("started later as pid"), reply);
        assertEquals(1, s.program("later").run());
        assertEquals(0, s.program("later").snapshot().restarts(), "a first start is not a restart");
    }

    @Test
    void aReloadLeavesUnchangedProgramsRestartsChangedOnesStopsRemovedOnesAndStartsAddedOnes()
            throws LaunchException {
        Supervisor s = supervisor(false, spec("keep", 1), spec("change", 1), spec("drop", 1));
        s.turn();
        Program kept = s.program("keep");
        long keptPid = tree("keep").mainPid();
        ProgramSettings changed = spec("change", 1, RestartPolicy.ALWAYS);
        nextPlan = new ReloadPlan.Apply(List.of(changed), List.of("drop"), List.of(spec("new", 1)), List.of("keep"),
                List.of("metrics_port changed: takes effect when Sentinel restarts"), false);
        ReloadOutcome r = s.reload();
        assertTrue(r.applied());
        assertTrue(r.lines().contains("keep: unchanged"), r.lines().toString());
        assertTrue(r.lines().contains("metrics_port changed: takes effect when Sentinel restarts"));
        assertEquals(List.of(Signal.TERM), signals("change"));
        assertEquals(List.of(Signal.TERM), signals("drop"));
        assertEquals(ProgramState.RUNNING, state(s, "new"));
        tree("change").everythingExits(143);
        tree("drop").everythingExits(143);
        turns(s, clock, 50);
        assertSame(kept, s.program("keep"), "unchanged: the same guardian");
        assertEquals(keptPid, tree("keep").mainPid());
        assertEquals(List.of(), tree("keep").sent());
        assertNull(s.program("drop"), "removed once its tree is gone");
        assertEquals(2, trees.get("change").size(), "a new guardian with the new settings");
        assertEquals(RestartPolicy.ALWAYS, s.program("change").settings().restart().policy());
        assertEquals(ProgramState.RUNNING, state(s, "change"));
        assertEquals(List.of("keep", "change", "new"), s.programs().stream().map(Program::name).toList());
        assertTrue(log.recent().stream().anyMatch(e -> e.kind() == EventKind.RELOADED));
    }

    @Test
    void aRefusedReloadChangesNothing() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1));
        s.turn();
        Program a = s.program("a");
        nextPlan = new ReloadPlan.Refused(List.of("/etc/s.toml:3: programs.a.memory_limit: 'lots' is not a size"));
        ReloadOutcome r = s.reload();
        assertFalse(r.applied());
        assertEquals(List.of("/etc/s.toml:3: programs.a.memory_limit: 'lots' is not a size"), r.lines());
        assertSame(a, s.program("a"));
        assertEquals(List.of(), tree("a").sent());
    }

    @Test
    void sighupReloadsInConfigMode() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1));
        s.turn();
        nextPlan = new ReloadPlan.Apply(List.of(), List.of(), List.of(spec("b", 1)), List.of("a"), List.of(), false);
        s.onSignal(Signal.HUP);
        // The file is read off the loop; the loop applies the plan at its next turn.
        Await.until(Duration.ofSeconds(10), "the plan is applied", () -> {
            s.turn();
            return s.program("b") != null;
        });
        assertEquals(1, plans.get());
        assertEquals(List.of(), tree("a").sent(), "not forwarded to the program");
    }

    @Test
    void aReloadWhileShuttingDownIsRefused() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1));
        s.turn();
        s.shutdown(StopReason.STOP);
        assertFalse(s.reload().applied());
        assertEquals(0, plans.get());
    }

    @Test
    void aChangedProgramThatWasNotRunningStartsWithTheNewSettingsAtOnce() throws LaunchException {
        Supervisor s = supervisor(true, spec("a", 1));
        s.turn();
        tree("a").everythingExits(0);
        turns(s, clock, 20);
        Program old = s.program("a");
        nextPlan = new ReloadPlan.Apply(List.of(spec("a", 2)), List.of(), List.of(), List.of(), List.of(), true);
        s.reload();
        assertNotSame(old, s.program("a"));
        assertEquals(ProgramState.RUNNING, s.program("a").state());
    }

    @Test
    void aProgramThatCannotBeBuiltAfterAReloadIsAWarningAndTheLoopGoesOn() throws LaunchException {
        Supervisor s = supervisor(false, spec("a", 1));
        s.turn();
        nextPlan = new ReloadPlan.Apply(List.of(), List.of(), List.of(spec("broken", 1)), List.of("a"), List.of(), false);
        ReloadOutcome r = s.reload();
        assertTrue(r.lines().get(0).startsWith("broken: added, but it could not be set up"), r.lines().toString());
        assertNull(s.program("broken"));
        assertTrue(log.recent().stream().anyMatch(e -> e.kind() == EventKind.WARNING));
        turns(s, clock, 50);
        assertEquals(ProgramState.RUNNING, state(s, "a"));
    }
}
