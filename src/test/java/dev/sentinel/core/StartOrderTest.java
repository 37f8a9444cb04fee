package dev.sentinel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.program.HealthLinks;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.EventLog;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.Readiness;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import dev.sentinel.testing.HeldProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The order between a file's programs on a fake clock, fake trees and checks the test answers:
 * after waits for readiness, requires stops and starts again with what it requires, an essential
 * program's end ends Sentinel with its status, shutdown goes in reverse start order, and a reload
 * that changes only a check leaves the tree running.
 */
class StartOrderTest {

    private final FakeClock clock = new FakeClock();
    private final EventLog log = new EventLog(500);
    private final Map<String, FakeTree> trees = new HashMap<>();
    private final Map<String, HeldProbes> probes = new HashMap<>();
    private final List<String> launched = new ArrayList<>();
    private volatile ReloadPlan nextPlan = new ReloadPlan.Refused(List.of("no plan"));
    private long nextPid = 1000;

    private static ProgramSettings.Builder spec(String name) {
        return ProgramSettings.builder(name, List.of(name)).limit(MemoryLimit.NONE).grace(Duration.ofSeconds(1))
                .interval(Duration.ofMillis(100)).restartPolicy(RestartPolicy.ON_FAILURE)
                .restartDelay(Duration.ofMillis(100));
    }

    /** A program that is ready once its check passes. */
    private static ProgramSettings.Builder checked(String name) {
        return spec(name).checkTcp("127.0.0.1:1").checkPeriod(Duration.ofMillis(100)).ready(Readiness.CHECK);
    }

    private Program build(ProgramSettings s) {
        FakeTree tree = trees.computeIfAbsent(s.name(), n -> new FakeTree(nextPid += 1000));
        HeldProbes p = probes.computeIfAbsent(s.name(), n -> new HeldProbes());
        return new Program(s, spec -> {
            launched.add(s.name());
            return tree.launch(spec);
        }, LaunchSpec.passThrough(s.command()), tree, tree, SamplingPolicy.fixed(100_000_000L), clock, log,
                () -> { }, () -> 0.5, null, new HealthLinks(s.health().check().isSet() ? p : null, null, null));
    }

    private Supervisor supervisor(ProgramSettings... specs) throws LaunchException {
        Supervisor s = Supervisor.forConfig(new Wakeup(), clock, new RunInfo("t", 1, null, null, "/etc/s.toml"),
                List.of(specs), new Supervisor.ConfigMode(new ProgramFactory() {
                    @Override
                    public Program create(ProgramSettings spec) {
                        return build(spec);
                    }

                    @Override
                    public HealthLinks links(ProgramSettings spec) {
                        return new HealthLinks(probes.computeIfAbsent(spec.name(), n -> new HeldProbes()), null,
                                null);
                    }
                }, () -> nextPlan, false), log, List.of());
        s.begin();
        return s;
    }

    private void turns(Supervisor s, int millis) {
        for (int t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            s.turn();
        }
    }

    /** {@code name}'s next check comes and passes. */
    private void ready(Supervisor s, String name) {
        HeldProbes p = probes.get(name);
        for (int i = 0; i < 300 && p.waiting() == 0; i++) {
            turns(s, 10);
        }
        p.pass();
        turns(s, 20);
        assertTrue(s.program(name).isReady(), name + " is ready");
    }

    private List<Signal> signals(String name) {
        return trees.get(name).sent().stream().map(FakeTree.Sent::signal).toList();
    }

    @Test
    void aProgramWaitsUntilWhatItStartsAfterIsReady() throws LaunchException {
        Supervisor s = supervisor(spec("web").after(List.of("db")).build(), checked("db").build());
        assertEquals(List.of("db"), launched);
        assertEquals(ProgramState.WAITING, s.program("web").state());
        assertEquals("db to be ready", s.program("web").waitingFor());
        turns(s, 2000);
        assertEquals(ProgramState.WAITING, s.program("web").state(), "db runs but is not ready");
        ready(s, "db");
        assertEquals(List.of("db", "web"), launched);
        assertTrue(s.program("web").state().hasTree());
    }

    @Test
    void aOneShotJobThatEndedCleanlyLetsWhatComesAfterItStart() throws LaunchException {
        Supervisor s = supervisor(spec("migrate").restartPolicy(RestartPolicy.NEVER).build(),
                spec("web").after(List.of("migrate")).build());
        turns(s, 50);
        assertEquals(List.of("migrate", "web"), launched, "migrate is ready as it starts: no check");
    }

    @Test
    void requiresStopsTheProgramWhileWhatItRequiresIsDownAndStartsItAgainAfter() throws LaunchException {
        Supervisor s = supervisor(checked("db").build(), spec("web").requires(List.of("db")).build());
        ready(s, "db");
        turns(s, 50);
        assertTrue(s.program("web").state().hasTree());
        trees.get("db").everythingExits(1);
        turns(s, 30);
        assertEquals(List.of(Signal.TERM), signals("web"), "web is stopped while db is down");
        assertEquals(StopReason.REQUIRED, s.program("web").snapshot().lastStop());
        trees.get("web").everythingExits(143);
        turns(s, 30);
        assertEquals(ProgramState.WAITING, s.program("web").state());
        turns(s, 300);
        assertTrue(s.program("db").state().hasTree(), "db restarted by its policy");
        assertEquals(ProgramState.WAITING, s.program("web").state(), "until db is ready again");
        ready(s, "db");
        assertTrue(s.program("web").state().hasTree());
        assertEquals(1L, s.program("web").snapshot().restart().byReason().get(RestartReason.REQUIRED));
    }

    @Test
    void anEssentialProgramsEndStopsTheOthersAndIsSentinelsStatus() throws LaunchException {
        Supervisor s = supervisor(spec("app").essential(true).restartPolicy(RestartPolicy.NEVER).build(),
                spec("sidecar").build());
        turns(s, 50);
        trees.get("app").everythingExits(3);
        turns(s, 30);
        assertEquals(List.of(Signal.TERM), signals("sidecar"));
        assertFalse(s.over());
        trees.get("sidecar").everythingExits(143);
        turns(s, 30);
        assertTrue(s.over());
        assertEquals(3, s.exitCode());
    }

    @Test
    void anEssentialProgramStoppedByAnOrderDoesNotEndSentinel() throws LaunchException {
        Supervisor s = supervisor(spec("app").essential(true).build(), spec("sidecar").build());
        turns(s, 50);
        s.program("app").onStop(StopReason.STOP);
        trees.get("app").everythingExits(143);
        turns(s, 30);
        assertTrue(signals("sidecar").isEmpty());
        assertFalse(s.over());
    }

    @Test
    void shutdownStopsAProgramBeforeWhatItStartsAfter() throws LaunchException {
        Supervisor s = supervisor(checked("db").build(), spec("web").after(List.of("db")).build());
        ready(s, "db");
        turns(s, 50);
        s.shutdown(StopReason.STOP);
        s.turn();
        assertEquals(List.of(Signal.TERM), signals("web"));
        assertTrue(signals("db").isEmpty(), "db stops once web is gone");
        trees.get("web").everythingExits(143);
        turns(s, 30);
        assertEquals(List.of(Signal.TERM), signals("db"));
    }

    @Test
    void aProgramWaitingForOneThatEndedForGoodGivesUp() throws LaunchException {
        Supervisor s = supervisor(checked("db").restartPolicy(RestartPolicy.NEVER).build(),
                spec("web").after(List.of("db")).build());
        turns(s, 50);
        trees.get("db").everythingExits(1);
        turns(s, 50);
        assertEquals(ProgramState.EXITED, s.program("web").state());
        assertTrue(s.over());
    }

    @Test
    void aReloadThatChangesOnlyACheckKeepsTheTreeRunningAndItsReadiness() throws LaunchException {
        Supervisor s = supervisor(checked("db").build(), spec("web").requires(List.of("db")).build());
        ready(s, "db");
        turns(s, 50);
        Program db = s.program("db");
        long pid = db.pid();
        nextPlan = new ReloadPlan.Apply(List.of(checked("db").checkTcp("127.0.0.1:2").checkThreshold(5).build()),
                List.of(), List.of(), List.of(), List.of(), false);
        assertTrue(s.reload().applied());
        turns(s, 50);
        assertSame(db, s.program("db"));
        assertEquals(pid, s.program("db").pid());
        assertEquals(5, s.program("db").settings().health().check().threshold());
        assertTrue(s.program("db").isReady(), "still ready: web is not stopped for a reload");
        assertTrue(signals("web").isEmpty());
    }

    @Test
    void aProgramAddedByAReloadWaitsForWhatItStartsAfterToo() throws LaunchException {
        Supervisor s = supervisor(checked("db").build());
        nextPlan = new ReloadPlan.Apply(List.of(), List.of(), List.of(spec("web").after(List.of("db")).build()),
                List.of("db"), List.of(), false);
        assertTrue(s.reload().lines().stream().anyMatch(l -> l.equals("web: added; waiting for db to be ready")),
                s.latest().toString());
        assertEquals(ProgramState.WAITING, s.program("web").state());
        ready(s, "db");
        assertTrue(s.program("web").state().hasTree());
    }
}
