package dev.sentinel.core.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.health.NotifyDatagram;
import dev.sentinel.settings.CheckAction;
import dev.sentinel.settings.CheckLevel;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.Readiness;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import dev.sentinel.testing.HeldProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A program's health on a fake clock, fake trees and checks the test answers: thresholds, levels,
 * on_failure, readiness by check and by notify, the watchdog, the ready timeout, and one event per
 * change rather than one per check.
 */
class ProgramHealthTest {

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private final HeldProbes probes = new HeldProbes();
    private final NotifyInbox inbox = new NotifyInbox();
    private final List<Event> events = new ArrayList<>();

    private static ProgramSettings.Builder web() {
        return ProgramSettings.builder("web", List.of("web")).limit(MemoryLimit.NONE).grace(Duration.ofSeconds(1))
                .restartPolicy(RestartPolicy.ON_FAILURE).restartDelay(Duration.ofMillis(100))
                .checkHttp("http://127.0.0.1:1/health").checkPeriod(Duration.ofSeconds(1)).checkThreshold(3);
    }

    private Program program(ProgramSettings s) throws LaunchException {
        Program p = new Program(s, tree, LaunchSpec.passThrough(s.command()), tree, tree,
                SamplingPolicy.fixed(Duration.ofMillis(100).toNanos()), clock, events::add, () -> { }, () -> 0.5,
                null, new HealthLinks(s.health().check().isSet() ? probes : null, inbox, "@test"));
        p.start();
        tick(p, 10);
        return p;
    }

    /** {@code millis} pass, ticking every 10 ms. */
    private void tick(Program p, long millis) {
        for (long t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            p.onTick();
        }
    }

    /** The next check comes (within a period) and is answered. */
    private void check(Program p, boolean passes) {
        for (int i = 0; i < 200 && probes.waiting() == 0; i++) {
            tick(p, 10);
        }
        assertEquals(1, probes.waiting(), "a check is running");
        if (passes) {
            probes.pass();
        } else {
            probes.fail("HTTP 500");
        }
        tick(p, 10);
    }

    private List<EventKind> kinds(EventKind... only) {
        List<EventKind> wanted = List.of(only);
        return events.stream().map(Event::kind).filter(wanted::contains).toList();
    }

    @Test
    void anAliveCheckThatFailsThresholdTimesRestartsTheProgramAsACheckFailure() throws LaunchException {
        Program p = program(web().build());
        check(p, true);
        assertEquals("passing", p.snapshot().health().check());
        check(p, false);
        check(p, false);
        assertEquals(ProgramState.RUNNING, p.state(), "two failures are under the threshold");
        assertEquals(2, p.snapshot().health().failuresInARow());
        check(p, false);
        assertEquals(ProgramState.STOPPING, p.state());
        assertEquals(StopReason.CHECK_FAILED, p.snapshot().lastStop());
        assertEquals(List.of(Signal.TERM), tree.sent().stream().map(FakeTree.Sent::signal).toList());
        tree.everythingExits(143);
        tick(p, 20);
        assertEquals(ProgramState.BACKOFF, p.state());
        tick(p, 200);
        assertEquals(ProgramState.RUNNING, p.state());
        assertEquals(1L, p.snapshot().restart().byReason().get(RestartReason.CHECK_FAILED));
        assertEquals(List.of(EventKind.CHECK_PASSED, EventKind.CHECK_FAILED), kinds(EventKind.CHECK_PASSED,
                EventKind.CHECK_FAILED), "one event per change, not one per check");
        Event failed = events.stream().filter(e -> e.kind() == EventKind.CHECK_FAILED).findFirst().orElseThrow();
        assertEquals("HTTP 500", failed.fields().get("error"));
        assertEquals("restart", failed.fields().get("action"));
        assertEquals(3L, p.snapshot().health().checkFailures());
    }

    @Test
    void onFailureStopEndsItForGoodAndIgnoreOnlySaysSo() throws LaunchException {
        Program p = program(web().checkThreshold(1).checkOnFailure(CheckAction.STOP).build());
        check(p, false);
        assertEquals(ProgramState.STOPPING, p.state());
        tree.everythingExits(143);
        tick(p, 500);
        assertEquals(ProgramState.EXITED, p.state(), "never restarted, whatever the policy");
        assertFalse(p.endedByOrder(), "a failure, not an order");

        events.clear();
        FakeTree other = new FakeTree(5000);
        Program q = new Program(web().checkThreshold(1).checkOnFailure(CheckAction.IGNORE).build(), other,
                LaunchSpec.passThrough(List.of("web")), other, other, SamplingPolicy.fixed(100_000_000L), clock,
                events::add, () -> { }, () -> 0.5, null, new HealthLinks(probes, null, null));
        q.start();
        check(q, false);
        assertEquals(ProgramState.RUNNING, q.state());
        assertEquals("failing", q.snapshot().health().check());
        assertFalse(q.snapshot().health().ready(), "a failing check is never ready");
        assertEquals(List.of(EventKind.CHECK_FAILED, EventKind.NOT_READY), kinds(EventKind.CHECK_FAILED,
                EventKind.NOT_READY));
    }

    @Test
    void aReadyLevelCheckOnlyFlipsReadiness() throws LaunchException {
        Program p = program(web().checkLevel(CheckLevel.READY).ready(Readiness.CHECK).checkThreshold(2).build());
        assertFalse(p.snapshot().health().ready(), "not ready before the check passes");
        assertTrue(p.snapshot().health().notReadyWhy().startsWith("check not passed yet"));
        check(p, true);
        assertTrue(p.snapshot().health().ready());
        check(p, false);
        assertTrue(p.snapshot().health().ready(), "one failure is under the threshold");
        check(p, false);
        assertFalse(p.snapshot().health().ready());
        assertEquals(ProgramState.RUNNING, p.state(), "a ready-level check never stops it");
        check(p, false);
        check(p, true);
        assertTrue(p.snapshot().health().ready());
        assertEquals(List.of(EventKind.READY, EventKind.CHECK_FAILED, EventKind.NOT_READY, EventKind.CHECK_PASSED,
                EventKind.READY), kinds(EventKind.READY, EventKind.NOT_READY, EventKind.CHECK_FAILED,
                EventKind.CHECK_PASSED).subList(1, 6));
        assertTrue(tree.sent().isEmpty());
    }

    @Test
    void beforeTheFirstPassTheCheckRunsEverySecondButCountsFailuresAPeriodApart() throws LaunchException {
        long start = clock.nanos();
        Program p = program(web().checkPeriod(Duration.ofSeconds(10)).checkThreshold(2).build());
        for (int i = 0; i < 5; i++) {
            check(p, false);
        }
        long took = clock.nanos() - start;
        assertTrue(took < 5_500_000_000L, "checked about every second: " + took);
        assertEquals(ProgramState.RUNNING, p.state(), "five fast failures count as one");
        assertEquals(1, p.snapshot().health().failuresInARow());
    }

    @Test
    void theStartPeriodForgivesFailuresUntilTheFirstPass() throws LaunchException {
        Program p = program(web().checkThreshold(1).checkStartPeriod(Duration.ofSeconds(5)).build());
        check(p, false);
        check(p, false);
        assertEquals(ProgramState.RUNNING, p.state());
        assertEquals(2L, p.snapshot().health().checkFailures(), "still counted in all");
        tick(p, 5000);
        check(p, false);
        assertEquals(ProgramState.STOPPING, p.state(), "after the start period a failure counts");
    }

    @Test
    void notifyReadinessComesWithReady1FromTheTreeAndStatusIsKept() throws LaunchException {
        Program p = program(web().checkHttp(null).ready(Readiness.NOTIFY).build());
        assertFalse(p.snapshot().health().ready());
        assertEquals("no READY=1 yet", p.snapshot().health().notReadyWhy());
        inbox.accept(new NotifyDatagram(424242, 0, "READY=1"));
        tick(p, 10);
        assertFalse(p.snapshot().health().ready(), "a process of another tree cannot speak for it");
        assertEquals(1, events.stream().filter(e -> e.kind() == EventKind.WARNING).count());
        inbox.accept(new NotifyDatagram(tree.mainPid(), 0, "STATUS=warming up\nREADY=1"));
        tick(p, 10);
        assertTrue(p.snapshot().health().ready());
        assertEquals("warming up", p.snapshot().health().notifyStatus());
        inbox.accept(new NotifyDatagram(tree.mainPid(), 0, "STOPPING=1"));
        tick(p, 10);
        assertFalse(p.snapshot().health().ready());
        assertEquals(List.of(EventKind.READY, EventKind.NOT_READY), kinds(EventKind.READY, EventKind.NOT_READY));
    }

    @Test
    void aProgramThatStopsPingingItsWatchdogIsRestartedForIt() throws LaunchException {
        Program p = program(web().checkHttp(null).ready(Readiness.NOTIFY).watchdog(Duration.ofSeconds(1)).build());
        inbox.accept(new NotifyDatagram(tree.mainPid(), 0, "READY=1\nWATCHDOG=1"));
        tick(p, 800);
        inbox.accept(new NotifyDatagram(tree.mainPid(), 0, "WATCHDOG=1"));
        tick(p, 800);
        assertEquals(ProgramState.RUNNING, p.state(), "pinged in time");
        tick(p, 300);
        assertEquals(ProgramState.STOPPING, p.state());
        assertEquals(StopReason.WATCHDOG, p.snapshot().lastStop());
        tree.everythingExits(143);
        tick(p, 300);
        assertEquals(1L, p.snapshot().restart().byReason().get(RestartReason.WATCHDOG));
    }

    @Test
    void watchdogTriggerRestartsAtOnce() throws LaunchException {
        Program p = program(web().checkHttp(null).ready(Readiness.NOTIFY).watchdog(Duration.ofSeconds(30)).build());
        inbox.accept(new NotifyDatagram(tree.mainPid(), 0, "WATCHDOG=trigger"));
        tick(p, 10);
        assertEquals(StopReason.WATCHDOG, p.snapshot().lastStop());
    }

    @Test
    void aProgramNotReadyWithinItsReadyTimeoutIsRestartedAsAFailure() throws LaunchException {
        Program p = program(web().checkHttp(null).ready(Readiness.NOTIFY).readyTimeout(Duration.ofSeconds(2))
                .build());
        tick(p, 1900);
        assertEquals(ProgramState.RUNNING, p.state());
        tick(p, 200);
        assertEquals(ProgramState.STOPPING, p.state());
        assertEquals(StopReason.READY_TIMEOUT, p.snapshot().lastStop());
        tree.everythingExits(143);
        tick(p, 300);
        assertEquals(1L, p.snapshot().restart().byReason().get(RestartReason.READY_TIMEOUT));
    }

    @Test
    void aProgramWithoutChecksIsReadyWhileItRunsAndSaysNothingOfIt() throws LaunchException {
        Program p = program(ProgramSettings.builder("plain", List.of("plain")).build());
        assertTrue(p.snapshot().health().ready());
        assertNull(p.snapshot().health().check());
        assertTrue(kinds(EventKind.READY, EventKind.NOT_READY, EventKind.CHECK_PASSED).isEmpty());
        p.onStop(StopReason.STOP);
        assertFalse(p.snapshot().health().ready(), "never ready while it is being stopped");
        tree.everythingExits(0);
        tick(p, 20);
        assertFalse(p.snapshot().health().expected(), "stopped by an order: not expected to run");
    }

    @Test
    void aLateCheckResultOfAnEarlierRunIsDropped() throws LaunchException {
        Program p = program(web().checkThreshold(1).build());
        for (int i = 0; i < 200 && probes.waiting() == 0; i++) {
            tick(p, 10);
        }
        p.onRestart();
        tree.everythingExits(143);
        tick(p, 20);
        probes.fail("from the old run");
        tick(p, 10);
        assertEquals(ProgramState.RUNNING, p.state());
        assertEquals(0, p.snapshot().health().failuresInARow());
    }
}
