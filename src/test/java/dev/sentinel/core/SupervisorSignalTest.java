package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.events.EventLog;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import dev.sentinel.testing.FakeTree.Sent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signals to Sentinel itself: one request delivered twice is one request; a second request kills. */
class SupervisorSignalTest {

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private Supervisor supervisor;
    private Program guardian;
    private EventLog log;

    @BeforeEach
    void start() throws LaunchException {
        ProgramSettings config = ProgramSettings.builder("app", List.of("app")).limit(MemoryLimit.NONE)
                .grace(Duration.ofSeconds(30)).interval(Duration.ofMillis(250)).build();
        log = new EventLog(50);
        guardian = new Program(config, tree, LaunchSpec.passThrough(List.of("app")), tree, tree,
                SamplingPolicy.fixed(250_000_000L), clock, log, () -> { });
        supervisor = new Supervisor(new Wakeup(), clock, new RunInfo("t", 1, null, null), guardian, log, List.of());
        guardian.start();
    }

    private long kills() {
        return tree.sent().stream().filter(s -> s.signal() == Signal.KILL).count();
    }

    @Test
    void theSameSignalTwiceWithinTheWindowIsOneRequest() {
        long at = clock.nanos();
        supervisor.onSignal(Signal.TERM, at);
        supervisor.onSignal(Signal.TERM, at + 3_000_000L);
        assertEquals(ProgramState.STOPPING, guardian.state(), "GNU timeout's second SIGTERM keeps the grace");
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.TERM)), tree.sent());
        assertEquals(0, kills());
    }

    @Test
    void theSameSignalAfterTheWindowKillsAtOnce() {
        long at = clock.nanos();
        supervisor.onSignal(Signal.INT, at);
        supervisor.onSignal(Signal.INT, at + SelfSignals.SAME_SIGNAL_NANOS);
        assertEquals(ProgramState.KILLING, guardian.state());
        assertEquals(1, kills());
    }

    @Test
    void anotherStopSignalWithinTheWindowIsASecondRequest() {
        long at = clock.nanos();
        supervisor.onSignal(Signal.INT, at);
        supervisor.onSignal(Signal.TERM, at + 1_000_000L);
        assertEquals(ProgramState.KILLING, guardian.state());
    }

    @Test
    void otherSignalsAreForwardedEveryTime() {
        long at = clock.nanos();
        supervisor.onSignal(Signal.HUP, at);
        supervisor.onSignal(Signal.HUP, at + 1_000_000L);
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.HUP), new Sent(tree.mainPid(), true, Signal.HUP)),
                tree.sent());
    }

    @Test
    void aSignalThatMeansNothingToSentinelIsSaidOnceAndChangesNothing() {
        long at = clock.nanos();
        for (Signal stray : dev.sentinel.platform.SignalTrap.IGNORED) {
            supervisor.onSignal(stray, at);
            supervisor.onSignal(stray, at + 1_000_000_000L);
        }
        assertEquals(ProgramState.RUNNING, guardian.state());
        assertEquals(List.of(), tree.sent(), "nothing forwarded, nothing stopped");
        List<String> said = log.recent().stream().filter(e -> e.kind() == dev.sentinel.events.EventKind.WARNING)
                .map(e -> e.message()).toList();
        assertEquals(dev.sentinel.platform.SignalTrap.IGNORED.size(), said.size(), "each once: " + said);
        assertTrue(said.get(0).startsWith("received SIGALRM, which Sentinel does not act on: ignored"), said.get(0));
    }
}
