package dev.sentinel.core.program;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgramTest {

    private static final long MIB = 1 << 20;

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private final List<Event> events = new ArrayList<>();
    private Program guardian;

    @BeforeEach
    void start() throws LaunchException {
        guardian = guardian(Duration.ofSeconds(3));
        guardian.start();
        guardian.onTick();
    }

    private Program guardian(Duration grace) {
        ProgramSettings config = ProgramSettings.builder("app", List.of("app")).limit(new MemoryLimit(100 * MIB))
                .grace(grace).interval(Duration.ofMillis(250)).build();
        return new Program(config, tree, LaunchSpec.passThrough(List.of("app")), tree, tree,
                SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()), clock, events::add, () -> { });
    }

    @Test
    void staysQuietUnderTheLimit() {
        tree.setMainRss(99 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        assertEquals(ProgramState.RUNNING, guardian.state());
        assertTrue(tree.sent().isEmpty());
    }

    @Test
    void crossingTheLimitSendsSigtermToTheGroup() {
        tree.setMainRss(101 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        assertEquals(ProgramState.STOPPING, guardian.state());
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.TERM)), tree.sent());
        assertTrue(events.stream().anyMatch(e -> e.kind() == EventKind.LIMIT_CROSSED
                && e.message().contains("101 MiB") && e.message().contains("100 MiB")), events.toString());
    }

    @Test
    void waitsForTheNextSampleNotForEveryTick() {
        tree.setMainRss(101 * MIB);
        clock.advanceMillis(100);
        guardian.onTick();
        assertEquals(ProgramState.RUNNING, guardian.state(), "sampled only when due");
        assertEquals(clock.nanos() + Duration.ofMillis(150).toNanos(), guardian.nextWakeNanos());
    }

    @Test
    void sigkillComesAtTheEndOfTheGraceNotBefore() {
        tree.setMainRss(200 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        long termAt = clock.nanos();
        assertEquals(termAt + Duration.ofSeconds(3).toNanos(), nextDeadlineAtMost(termAt + Duration.ofSeconds(3).toNanos()));
        while (clock.nanos() < termAt + Duration.ofSeconds(3).toNanos() - 10_000_000L) {
            clock.advanceMillis(10);
            guardian.onTick();
        }
        assertEquals(ProgramState.STOPPING, guardian.state());
        assertTrue(tree.sent().stream().noneMatch(s -> s.signal() == Signal.KILL), "no SIGKILL before the grace ends");
        clock.advanceMillis(10);
        guardian.onTick();
        assertEquals(ProgramState.KILLING, guardian.state());
        assertEquals(new Sent(tree.mainPid(), true, Signal.KILL), tree.sent().get(tree.sent().size() - 1));
        tree.everythingExits(137);
        clock.advanceMillis(10);
        guardian.onTick();
        assertEquals(ProgramState.EXITED, guardian.state());
        assertEquals(137, guardian.exitCode());
    }

    /** The guardian must ask to be woken at the deadline even if sampling is slower. */
    private long nextDeadlineAtMost(long deadline) {
        long wake = guardian.nextWakeNanos();
        assertTrue(wake <= deadline, "wakes at " + wake + ", deadline " + deadline);
        return deadline;
    }

    @Test
    void childThatHandlesSigtermEndsTheRunWithItsStatus() {
        tree.setMainRss(200 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        tree.mainExits(143);
        clock.advanceMillis(1);
        guardian.onTick();
        assertEquals(ProgramState.EXITED, guardian.state());
        assertEquals(143, guardian.exitCode());
        assertEquals(1, tree.released());
        Event exited = events.get(events.size() - 1);
        assertEquals(EventKind.EXITED, exited.kind());
        assertTrue(exited.message().contains("143 (SIGTERM)") && exited.message().contains("memory limit"),
                exited.message());
        assertEquals(StopReason.MEMORY, guardian.snapshot().lastStop());
    }

    @Test
    void processesThatLeftTheGroupAreSignalledOneByOne() {
        tree.addProcess(2001, 2001, MIB);
        tree.addProcess(2002, tree.mainPid(), MIB);
        guardian.onStop(StopReason.STOP, Signal.TERM);
        clock.advanceMillis(250);
        guardian.onTick();
        List<Sent> sent = tree.sent();
        assertTrue(sent.contains(new Sent(tree.mainPid(), true, Signal.TERM)));
        assertTrue(sent.contains(new Sent(2001, false, Signal.TERM)), sent.toString());
        assertTrue(sent.stream().noneMatch(s -> s.target() == 2002 && !s.group()), "group members get the group signal");
    }

    @Test
    void leftoversAfterTheMainProcessExitsAreStoppedAndTheStatusKept() {
        tree.addProcess(3001, tree.mainPid(), MIB);
        tree.mainExits(0);
        clock.advanceMillis(1);
        guardian.onTick();
        assertEquals(ProgramState.STOPPING, guardian.state());
        assertTrue(tree.sent().contains(new Sent(tree.mainPid(), true, Signal.TERM)));
        tree.everythingExits(0);
        clock.advanceMillis(10);
        guardian.onTick();
        assertEquals(ProgramState.EXITED, guardian.state());
        assertEquals(0, guardian.exitCode());
    }

    @Test
    void cleanExitEndsAtOnce() {
        tree.mainExits(7);
        guardian.onTick();
        assertEquals(ProgramState.EXITED, guardian.state());
        assertEquals(7, guardian.exitCode());
        assertTrue(tree.sent().isEmpty());
    }

    @Test
    void killSendsSigkillAtOnce() {
        guardian.onKill(StopReason.KILL);
        assertEquals(ProgramState.KILLING, guardian.state());
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.KILL)), tree.sent());
        assertEquals(1, guardian.snapshot().kills().size());
    }

    @Test
    void restartStopsThenStartsTheSameCommand() {
        long first = tree.mainPid();
        guardian.onRestart();
        assertEquals(ProgramState.STOPPING, guardian.state());
        tree.everythingExits(143);
        clock.advanceMillis(10);
        guardian.onTick();
        assertEquals(2, tree.launches());
        assertTrue(tree.mainPid() != first);
        assertEquals(1, guardian.snapshot().restarts());
        guardian.onTick();
        assertEquals(ProgramState.RUNNING, guardian.state());
    }

    @Test
    void aStopOrKillAfterARestartOrderCancelsTheRestart() {
        guardian.onRestart();
        assertTrue(guardian.onStop(StopReason.STOP, Signal.TERM).message().startsWith("restart cancelled"));
        tree.everythingExits(143);
        clock.advanceMillis(10);
        guardian.onTick();
        assertEquals(ProgramState.EXITED, guardian.state());
        assertEquals(1, tree.launches(), "not started again");
        assertEquals(143, guardian.exitCode());
    }

    @Test
    void raisingTheLimitAtRunTimeAvoidsTheKill() {
        guardian.onLimit(new MemoryLimit(300 * MIB));
        tree.setMainRss(200 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        assertEquals(ProgramState.RUNNING, guardian.state());
        guardian.onLimit(MemoryLimit.NONE);
        tree.setMainRss(10_000 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        assertEquals(ProgramState.RUNNING, guardian.state());
    }

    @Test
    void zeroGraceKillsOnTheNextTick() throws LaunchException {
        Program g = guardian(Duration.ZERO);
        g.start();
        tree.setMainRss(200 * MIB);
        clock.advanceMillis(250);
        g.onTick();
        clock.advanceMillis(1);
        g.onTick();
        assertEquals(ProgramState.KILLING, g.state());
    }

    @Test
    void snapshotReportsPeakAndPercent() {
        tree.setMainRss(50 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        tree.setMainRss(20 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        ProgramSnapshot s = guardian.snapshot();
        assertEquals(20 * MIB, s.rssBytes());
        assertEquals(50 * MIB, s.peakRssBytes());
        assertEquals(20.0, s.percentOfLimit(), 1e-9);
        assertTrue(s.isUp());
    }
}
