package dev.sentinel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.events.EventLog;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import dev.sentinel.testing.FakeTree.Sent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tree Sentinel attached to ({@code sentinel attach}) in a process group shared with others:
 * signals go to each process, a stop signal to Sentinel detaches, and no order starts it.
 */
class AttachedTreeTest {

    private static final long MIB = 1 << 20;

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private Supervisor supervisor;
    private Program guardian;

    @BeforeEach
    void start() throws LaunchException {
        tree.attaching();
        ProgramSettings config = ProgramSettings.builder("attached", List.of("app"))
                .limit(new MemoryLimit(100 * MIB)).grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250))
                .build();
        EventLog log = new EventLog(50);
        guardian = new Program(config, tree, LaunchSpec.passThrough(List.of("app")), tree, tree,
                SamplingPolicy.fixed(250_000_000L), clock, log, () -> { });
        supervisor = new Supervisor(new Wakeup(), clock, new RunInfo("t", 1, null, null), guardian, log, List.of());
        supervisor.begin();
        guardian.onTick();
    }

    @Test
    void aMemoryStopSignalsEachProcessNotTheSharedGroup() {
        tree.addProcess(tree.mainPid() + 1, 1, 10 * MIB);
        tree.setMainRss(101 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        assertEquals(ProgramState.STOPPING, guardian.state());
        assertEquals(List.of(new Sent(tree.mainPid(), false, Signal.TERM), new Sent(tree.mainPid() + 1, false,
                Signal.TERM)), tree.sent());
    }

    @Test
    void aStopSignalToSentinelDetachesWithoutASignalAndEndsWithZero() {
        assertTrue(guardian.attached());
        supervisor.onSignal(Signal.TERM, clock.nanos());
        assertTrue(supervisor.over());
        assertEquals(0, supervisor.exitCode());
        assertEquals(List.of(), tree.sent(), "the tree is left alone");
        assertEquals(ProgramState.RUNNING, guardian.state());
    }

    @Test
    void aStopSignalDuringAMemoryStopFinishesItWithSigkill() {
        tree.setMainRss(101 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        supervisor.onSignal(Signal.TERM, clock.nanos());
        assertEquals(ProgramState.KILLING, guardian.state());
        assertFalse(supervisor.over());
    }

    @Test
    void restartAndStartOrdersAreRefused() {
        OrderResult restart = guardian.onRestart();
        assertFalse(restart.done(), restart.message());
        assertTrue(restart.message().contains("not its parent"), restart.message());
        assertEquals(ProgramState.RUNNING, guardian.state());
        assertEquals(List.of(), tree.sent());
        assertEquals(1, tree.launches());
    }

    @Test
    void theHangUpGoesToTheProcessAloneWhenItsGroupIsShared() {
        supervisor.onSignal(Signal.HUP, clock.nanos());
        assertEquals(List.of(new Sent(tree.mainPid(), false, Signal.HUP)), tree.sent());
    }
}
