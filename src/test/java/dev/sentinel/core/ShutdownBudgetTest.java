package dev.sentinel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventLog;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole shutdown's budget on a fake clock and fake trees: it starts with the shutdown, the
 * loop wakes for it, and once spent every tree left gets SIGKILL whatever its grace and its group;
 * a grace shorter than the budget still ends its own stop; one command has the same budget.
 */
class ShutdownBudgetTest {

    private static final Duration BUDGET = Duration.ofSeconds(5);

    private final FakeClock clock = new FakeClock();
    private final EventLog log = new EventLog(500);
    private final Map<String, FakeTree> trees = new HashMap<>();
    private long nextPid = 1000;

    private static ProgramSettings spec(String name, int priority, Duration grace) {
        return ProgramSettings.builder(name, List.of(name)).limit(MemoryLimit.NONE).grace(grace)
                .interval(Duration.ofMillis(250)).tolerate(Duration.ZERO).restartPolicy(RestartPolicy.NEVER).build()
                .toBuilder().priority(priority).autostart(true).output(OutputTarget.PREFIX).build();
    }

    private Program build(ProgramSettings s) {
        FakeTree tree = trees.computeIfAbsent(s.name(), n -> new FakeTree(nextPid += 1000));
        return new Program(s, tree, LaunchSpec.passThrough(s.command()), tree, tree,
                SamplingPolicy.fixed(250_000_000L), clock, log, () -> { });
    }

    private Supervisor config(ProgramSettings... specs) throws LaunchException {
        Supervisor s = Supervisor.forConfig(new Wakeup(), clock, new RunInfo("t", 1, null, null, "/etc/s.toml"),
                List.of(specs), new Supervisor.ConfigMode(this::build, () -> null, false), BUDGET, log, List.of());
        s.begin();
        return s;
    }

    private void turns(Supervisor s, long millis) {
        for (long t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            s.turn();
        }
    }

    /** The signals sent to {@code name}'s tree, each once in the order first sent (SIGKILL repeats while killing). */
    private List<Signal> signals(String name) {
        return trees.get(name).sent().stream().map(FakeTree.Sent::signal).distinct().toList();
    }

    private List<String> messages(EventKind kind) {
        return log.recent().stream().filter(e -> e.kind() == kind).map(Event::message).toList();
    }

    @Test
    void onceSpentEveryTreeLeftIsKilledWhateverItsGraceOrGroup() throws LaunchException {
        Supervisor s = config(spec("db", 10, Duration.ofSeconds(3)), spec("web", 20, Duration.ofSeconds(60)));
        turns(s, 50);
        s.shutdown(StopReason.STOP);
        s.turn();
        assertEquals(List.of(Signal.TERM), signals("web"), "web ignores its SIGTERM; its grace is 60s");
        assertEquals(List.of(), signals("db"), "db waits for web, as ever");
        turns(s, BUDGET.toMillis() - 100);
        assertFalse(signals("web").contains(Signal.KILL), "the budget is not spent yet");
        turns(s, 100);
        assertEquals(Signal.KILL, signals("web").get(1), "spent: SIGKILL, 55s before web's own grace ends");
        assertEquals(Signal.KILL, signals("db").get(0), "and db, which never got its turn, is killed with it");
        assertEquals("shutdown: stopping priority 20 (web); SIGKILL to every tree left after 5s (shutdown_timeout)",
                messages(EventKind.ORDER).get(0), "the first group's line says the budget");
        assertTrue(messages(EventKind.ORDER).contains(
                "shutdown budget of 5s (shutdown_timeout) spent: SIGKILL to 2 trees left"), messages(EventKind.ORDER)
                .toString());
        trees.get("web").everythingExits(137);
        trees.get("db").everythingExits(137);
        turns(s, 50);
        assertTrue(s.over());
        assertEquals(0, s.exitCode(), "an ordered shutdown is 0, even when the budget ran out");
    }

    @Test
    void theLoopWakesWhenTheBudgetIsSpentEvenWithNothingElseDue() throws LaunchException {
        Supervisor s = config(spec("web", 10, Duration.ofSeconds(60)));
        turns(s, 50);
        long before = clock.nanos();
        s.shutdown(StopReason.SIGNAL);
        long wake = s.nextWakeNanos();
        assertTrue(wake <= before + BUDGET.toNanos(), "the budget's deadline is the loop's at the latest");
        assertTrue(wake > before, "but not at once");
    }

    @Test
    void aGraceWithinTheBudgetStillEndsItsOwnStop() throws LaunchException {
        Supervisor s = config(spec("db", 10, Duration.ofSeconds(1)), spec("web", 20, Duration.ofSeconds(1)));
        turns(s, 50);
        s.shutdown(StopReason.STOP);
        turns(s, 1_100);
        assertEquals(List.of(Signal.TERM, Signal.KILL), signals("web"), "web's own grace of 1s");
        trees.get("web").everythingExits(137);
        turns(s, 50);
        assertEquals(List.of(Signal.TERM), signals("db"), "db gets its turn and its own grace");
        trees.get("db").everythingExits(143);
        turns(s, 50);
        assertTrue(s.over());
        assertTrue(messages(EventKind.ORDER).stream().noneMatch(m -> m.startsWith("shutdown budget")));
    }

    @Test
    void anEssentialProgramsEndStartsTheBudgetToo() throws LaunchException {
        ProgramSettings app = spec("app", 10, Duration.ofSeconds(1)).toBuilder().essential(true).build();
        Supervisor s = config(app, spec("sidecar", 20, Duration.ofSeconds(60)));
        turns(s, 50);
        trees.get("app").everythingExits(3);
        turns(s, 30);
        assertEquals(List.of(Signal.TERM), signals("sidecar"));
        turns(s, BUDGET.toMillis());
        assertEquals(List.of(Signal.TERM, Signal.KILL), signals("sidecar"));
        trees.get("sidecar").everythingExits(137);
        turns(s, 30);
        assertTrue(s.over());
        assertEquals(3, s.exitCode(), "the essential program's status, as before");
    }

    @Test
    void aGraceLongerThanTheBudgetIsSaidAtStart() throws LaunchException {
        config(spec("db", 10, Duration.ofSeconds(3)), spec("web", 20, Duration.ofSeconds(60)));
        List<Event> warnings = log.recent().stream().filter(e -> e.kind() == EventKind.WARNING).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("web", warnings.get(0).program());
        assertEquals("grace 1m is longer than the shutdown budget of 5s (shutdown_timeout): at a shutdown it gets "
                + "SIGKILL once the budget is spent", warnings.get(0).message());
    }

    @Test
    void oneCommandHasTheBudgetForTheStopThatEndsSentinel() throws LaunchException {
        ProgramSettings app = spec("app", 0, Duration.ofSeconds(60));
        Program program = build(app);
        Supervisor s = new Supervisor(new Wakeup(), clock, new RunInfo("t", 1, null, null), program,
                Duration.ofSeconds(2), log, List.of());
        s.begin();
        turns(s, 50);
        s.onSignal(Signal.TERM);
        s.turn();
        assertEquals(ProgramState.STOPPING, program.state());
        turns(s, 1_900);
        assertEquals(List.of(Signal.TERM), signals("app"));
        turns(s, 200);
        assertEquals(List.of(Signal.TERM, Signal.KILL), signals("app"), "SIGKILL at 2s, not at its grace of 60s");
        trees.get("app").everythingExits(137);
        turns(s, 50);
        assertTrue(s.over());
        assertEquals(137, s.exitCode(), "the program's own status: killed by SIGKILL");
    }

    @Test
    void aMemoryStopOfOneCommandIsNotAShutdownAndKeepsItsGrace() throws LaunchException {
        Program program = build(spec("app", 0, Duration.ofSeconds(60)));
        Supervisor s = new Supervisor(new Wakeup(), clock, new RunInfo("t", 1, null, null), program,
                Duration.ofSeconds(2), log, List.of());
        s.begin();
        turns(s, 50);
        program.onStop(StopReason.MEMORY);
        turns(s, 3_000);
        assertEquals(List.of(Signal.TERM), signals("app"), "no budget: the grace of 60s runs");
    }

    @Test
    void aBudgetMustBeAboveZeroAndAStartIsOnlyTheFirst() {
        assertThrows(IllegalArgumentException.class, () -> new ShutdownBudget(Duration.ZERO, clock));
        ShutdownBudget b = new ShutdownBudget(Duration.ofSeconds(1), clock);
        assertEquals(Long.MAX_VALUE, b.deadlineNanos());
        assertFalse(b.spendNow());
        b.start();
        long deadline = b.deadlineNanos();
        clock.advanceMillis(500);
        b.start();
        assertEquals(deadline, b.deadlineNanos(), "a second start changes nothing");
        assertFalse(b.spendNow());
        clock.advanceMillis(500);
        assertTrue(b.spendNow());
        assertFalse(b.spendNow(), "spent once");
        assertEquals(Long.MAX_VALUE, b.deadlineNanos());
        assertNull(b.tooLongGrace(spec("x", 0, Duration.ofSeconds(1))), "a grace equal to the budget fits");
        assertEquals(ShutdownBudget.DEFAULT, Duration.ofSeconds(25));
    }
}
