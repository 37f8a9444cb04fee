package dev.sentinel.core.program;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guardian's restart policy, backoff, give-up and tolerance, on a fake clock and a fake tree. */
class ProgramRestartTest {

    private static final long MIB = 1 << 20;
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private final List<Event> events = new ArrayList<>();

    private Program guardian(RestartPolicy policy, int maxRestarts, Duration tolerate) throws LaunchException {
        return guardian(policy, maxRestarts, tolerate, SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()));
    }

    private Program guardian(RestartPolicy policy, int maxRestarts, Duration tolerate, SamplingPolicy sampling)
            throws LaunchException {
        RestartSettings restart = new RestartSettings(policy, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), maxRestarts);
        ProgramSettings config = ProgramSettings.builder("app", List.of("app")).limit(new MemoryLimit(100 * MIB))
                .grace(GRACE).interval(Duration.ofMillis(250)).tolerate(tolerate).restart(restart).build();
        // Jitter 0.5: the delays are exactly 1 s, 2 s, 4 s ...
        Program g = new Program(config, tree, LaunchSpec.passThrough(List.of("app")), tree, tree, sampling, clock,
                events::add, () -> { }, () -> 0.5);
        g.start();
        g.onTick();
        return g;
    }

    private Program guardian(RestartPolicy policy, int maxRestarts) throws LaunchException {
        return guardian(policy, maxRestarts, Duration.ZERO);
    }

    /** Advances the clock in 10 ms steps, ticking, until {@code done} or {@code millis} have passed. */
    private void run(Program g, long millis) {
        for (long t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            g.onTick();
        }
    }

    private List<Event> ofKind(EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    @Test
    void aMemoryStopIsFollowedByARestartAfterTheDelayWithANewPid() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 10);
        long first = tree.mainPid();
        tree.setMainRss(101 * MIB);
        run(g, 250);
        assertEquals(ProgramState.STOPPING, g.state());
        tree.everythingExits(143);
        run(g, 10);
        assertEquals(ProgramState.BACKOFF, g.state());
        Event scheduled = ofKind(EventKind.RESTART_SCHEDULED).get(0);
        assertEquals("restarting in 1s (restart 1 of at most 10; the last run lasted 260ms)", scheduled.message());
        assertEquals("memory", scheduled.fields().get("reason"));
        ProgramSnapshot waiting = g.snapshot();
        assertEquals(clock.epochMillis() + 1000, waiting.restart().nextRestartEpochMillis());
        assertEquals(0, waiting.processes().size());
        assertTrue(!waiting.isUp());
        assertEquals(clock.nanos() + Duration.ofSeconds(1).toNanos(), g.nextWakeNanos(), "the loop sleeps until then");

        run(g, 990);
        assertEquals(ProgramState.BACKOFF, g.state(), "not before the delay");
        run(g, 10);
        assertEquals(ProgramState.RUNNING, g.state());
        assertNotEquals(first, tree.mainPid());
        ProgramSnapshot s = g.snapshot();
        assertEquals(tree.mainPid(), s.pid());
        assertEquals(1, s.restarts());
        assertEquals(2, s.restart().run());
        assertEquals(1L, s.restart().byReason().get(RestartReason.MEMORY));
        assertEquals(1L, s.restart().byReason().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(143, s.restart().lastExitStatus());
        Event started = ofKind(EventKind.STARTED).get(1);
        assertEquals(2, started.run());
        assertTrue(started.message().startsWith("started pid " + tree.mainPid() + " (run 2, restart 1 after a memory stop"),
                started.message());
        assertEquals("memory", started.fields().get("restart_reason"));
    }

    @Test
    void aRunLastsFromBeforeItsLaunchNotFromWhenTheLaunchReturned() throws LaunchException {
        // A fork and exec that take 40 ms on a busy machine: the program lived through them.
        tree.whileLaunching(() -> clock.advanceMillis(40));
        Program g = guardian(RestartPolicy.NEVER, 0);
        run(g, 100);
        tree.mainExits(4);
        run(g, 10);
        Event exited = ofKind(EventKind.EXITED).get(0);
        assertEquals(0.15, (double) exited.fields().get("duration_seconds"), 1e-9, exited.toString());
        assertEquals(150, g.snapshot().history().get(0).durationMillis());
    }

    @Test
    void aCrashLoopGivesUpAfterMaxRestartsAndExitsWithTheLastStatus() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 3);
        List<Long> delays = new ArrayList<>();
        int runs = 0;
        while (!g.isFinished() && runs < 10) {
            runs++;
            tree.mainExits(3);
            run(g, 10);
            if (g.state() == ProgramState.BACKOFF) {
                long waitMillis = (g.nextWakeNanos() - clock.nanos()) / 1_000_000;
                delays.add(waitMillis);
                run(g, waitMillis);
                assertEquals(ProgramState.RUNNING, g.state());
            }
        }
        assertEquals(4, runs, "--max-restarts 3 runs it 4 times");
        assertEquals(List.of(1000L, 2000L, 4000L), delays);
        assertEquals(ProgramState.FATAL, g.state());
        assertEquals(3, g.exitCode());
        assertEquals(Long.MAX_VALUE, g.nextWakeNanos());
        Event gaveUp = ofKind(EventKind.GAVE_UP).get(0);
        assertEquals("gave up after 3 restarts in a row that each lasted under 1m (the last run exited with status 3)",
                gaveUp.message());
        assertEquals(3, g.snapshot().restarts());
        assertEquals(4, g.snapshot().restart().consecutiveFailures(), "four failed runs in a row");
        assertEquals(4, g.snapshot().history().size());
    }

    @Test
    void aStableRunResetsTheDelayAndTheCount() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 2);
        tree.mainExits(1);
        run(g, 10);
        run(g, 1000);
        tree.mainExits(1);
        run(g, 10);
        assertEquals(2, g.snapshot().restart().consecutiveFailures());
        run(g, 2000);
        assertEquals(ProgramState.RUNNING, g.state());
        run(g, 60_000);
        assertEquals(0, g.snapshot().restart().consecutiveFailures(), "up for stable_after: the streak is over");
        tree.mainExits(1);
        run(g, 10);
        assertEquals(ProgramState.BACKOFF, g.state(), "not given up: the run before was stable");
        assertEquals(clock.nanos() + Duration.ofSeconds(1).toNanos(), g.nextWakeNanos(), "the delay is back to 1 s");
        assertTrue(ofKind(EventKind.RESTART_SCHEDULED).get(2).message().contains("restart 1 of at most 2"));
    }

    @Test
    void exitZeroEndsSupervisionOnFailureButRestartsWithAlways() throws LaunchException {
        Program onFailure = guardian(RestartPolicy.ON_FAILURE, 10);
        tree.mainExits(0);
        run(onFailure, 10);
        assertEquals(ProgramState.EXITED, onFailure.state());
        assertEquals(0, onFailure.exitCode());

        Program always = guardian(RestartPolicy.ALWAYS, 10);
        tree.mainExits(0);
        run(always, 10);
        assertEquals(ProgramState.BACKOFF, always.state());
        assertEquals("exit", ofKind(EventKind.RESTART_SCHEDULED).get(0).fields().get("reason"));
    }

    @Test
    void ordersNeverRestart() throws LaunchException {
        Program g = guardian(RestartPolicy.ALWAYS, 10);
        g.onStop(StopReason.STOP, Signal.TERM);
        tree.everythingExits(143);
        run(g, 10);
        assertEquals(ProgramState.EXITED, g.state());
        assertEquals(143, g.exitCode());

        Program k = guardian(RestartPolicy.ALWAYS, 10);
        k.onKill(StopReason.SIGNAL);
        tree.everythingExits(137);
        run(k, 10);
        assertEquals(ProgramState.EXITED, k.state());
        assertEquals(2, tree.launches(), "each guardian started once");
    }

    @Test
    void aStopOrderedDuringAMemoryStopIsNotRestarted() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 10);
        tree.setMainRss(101 * MIB);
        run(g, 250);
        assertEquals(ProgramState.STOPPING, g.state());
        assertTrue(g.onStop(StopReason.SIGNAL, Signal.TERM).message().startsWith("already stopping app (memory limit exceeded)"));
        tree.everythingExits(143);
        run(g, 10);
        assertEquals(ProgramState.EXITED, g.state(), "Ctrl-C during a memory stop means: stay stopped");
        assertEquals(143, g.exitCode());

        Program k = guardian(RestartPolicy.ON_FAILURE, 10);
        tree.setMainRss(101 * MIB);
        run(k, 250);
        k.onKill(StopReason.KILL);
        tree.everythingExits(137);
        run(k, 10);
        assertEquals(ProgramState.EXITED, k.state());
        assertEquals(137, k.exitCode(), "the memory stop needed SIGKILL");
    }

    @Test
    void aStopDuringBackoffCancelsTheRestart() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 10);
        tree.mainExits(5);
        run(g, 10);
        assertEquals(ProgramState.BACKOFF, g.state());
        String reply = g.onStop(StopReason.STOP, Signal.TERM).message();
        assertEquals("cancelled the restart of app that was due in 1s; it stays stopped", reply);
        assertEquals(ProgramState.EXITED, g.state());
        assertEquals(5, g.exitCode());
        run(g, 5000);
        assertEquals(1, tree.launches());
        assertTrue(tree.sent().isEmpty(), "nothing to signal in BACKOFF");
        assertTrue(!g.forward(Signal.HUP).done());
    }

    @Test
    void startDuringBackoffStartsNowAndClearsTheCount() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 10);
        tree.mainExits(5);
        run(g, 10);
        run(g, 1000);
        tree.mainExits(5);
        run(g, 10);
        assertEquals(2, g.snapshot().restart().consecutiveFailures());
        String reply = g.onStart().message();
        assertTrue(reply.startsWith("started app again as pid " + tree.mainPid() + " (its restart was due in "), reply);
        assertEquals(ProgramState.RUNNING, g.state());
        assertEquals(0, g.snapshot().restart().consecutiveFailures());
        assertEquals(1L, g.snapshot().restart().byReason().get(RestartReason.ORDER));
        assertEquals(OrderResult.Outcome.NOTHING_TO_DO, g.onStart().outcome(), "already running");
    }

    @Test
    void startClearsFatal() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 1);
        tree.mainExits(2);
        run(g, 10);
        run(g, 1000);
        tree.mainExits(2);
        run(g, 10);
        assertEquals(ProgramState.FATAL, g.state());
        assertTrue(g.onStop(StopReason.STOP, Signal.TERM).message().contains("FATAL"));
        assertTrue(g.onStart().message().startsWith("started app again"));
        assertEquals(ProgramState.RUNNING, g.state());
        tree.mainExits(2);
        run(g, 10);
        assertEquals(ProgramState.BACKOFF, g.state(), "the count started again from zero");
    }

    @Test
    void aMemoryStopEndsWith143EvenIfTheProgramExitsZeroAnd137WhenSigkillWasNeeded() throws LaunchException {
        Program polite = guardian(RestartPolicy.NEVER, 10);
        tree.setMainRss(101 * MIB);
        run(polite, 250);
        tree.everythingExits(0);
        run(polite, 10);
        assertEquals(ProgramState.EXITED, polite.state());
        assertEquals(143, polite.exitCode(), "the tool that acted says so");
        Event exited = ofKind(EventKind.EXITED).get(0);
        assertTrue(exited.message().startsWith("exited with status 0 (stopped by sentinel: memory limit exceeded)"),
                exited.message());
        assertTrue(exited.message().endsWith("; Sentinel reports 143 (SIGTERM) for a memory stop"), exited.message());
        assertEquals(0, exited.fields().get("exit_status"));
        assertEquals(143, exited.fields().get("sentinel_status"));
        assertEquals(0, polite.snapshot().exitStatus(), "the program's own status is still shown");

        Program stubborn = guardian(RestartPolicy.NEVER, 10);
        tree.setMainRss(101 * MIB);
        tree.addProcess(tree.mainPid() + 1, tree.mainPid(), MIB);
        run(stubborn, 250);
        tree.mainExits(0);
        run(stubborn, GRACE.toMillis() + 20);
        assertEquals(ProgramState.KILLING, stubborn.state(), "a child outlived the grace");
        tree.everythingExits(0);
        run(stubborn, 10);
        assertEquals(137, stubborn.exitCode());
    }

    @Test
    void theToleranceLetsASpikePassAndADipStartsTheCountAgain() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER, 10, Duration.ofSeconds(5));
        tree.setMainRss(150 * MIB);
        run(g, 250);
        assertEquals(ProgramState.RUNNING, g.state());
        Event crossed = ofKind(EventKind.LIMIT_CROSSED).get(0);
        assertTrue(crossed.message().endsWith("; over the limit; tolerated for up to 5s"), crossed.message());
        run(g, 4000);
        assertEquals(ProgramState.RUNNING, g.state(), "4 s over a 5 s tolerance");
        tree.setMainRss(90 * MIB);
        run(g, 250);
        assertTrue(ofKind(EventKind.LIMIT_CLEARED).get(0).message().startsWith("back under the limit after 4"));
        tree.setMainRss(150 * MIB);
        run(g, 4750);
        assertEquals(ProgramState.RUNNING, g.state(), "the dip started the count again");
        run(g, 500);
        assertEquals(ProgramState.STOPPING, g.state(), "5 s over, sample after sample");
        assertTrue(ofKind(EventKind.SIGNAL_SENT).get(0).message().startsWith(
                "sent SIGTERM to the tree (memory limit exceeded for 5"), ofKind(EventKind.SIGNAL_SENT).toString());
        assertEquals(2, ofKind(EventKind.LIMIT_CROSSED).size());
    }

    @Test
    void toleratingSamplesAtTheIntervalNotEveryMillisecond() throws LaunchException {
        // Like the adaptive policy: over the limit it asks for a sample every millisecond.
        SamplingPolicy eager = (rss, limit, growth) -> limit.isExceededBy(rss) ? 1_000_000L : 250_000_000L;
        Program g = guardian(RestartPolicy.NEVER, 10, Duration.ofSeconds(5), eager);
        tree.setMainRss(150 * MIB);
        clock.advanceMillis(250);
        g.onTick();
        clock.advanceMillis(1);
        g.onTick();
        long wait = g.nextWakeNanos() - clock.nanos();
        assertTrue(wait >= Duration.ofMillis(200).toNanos(), "next sample in " + wait + " ns");
    }

    @Test
    void theLimitCrossedEventNamesTheBiggestProcesses() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER, 10);
        for (int i = 1; i <= 7; i++) {
            tree.addProcess(tree.mainPid() + i, tree.mainPid(), i * 10 * MIB);
        }
        run(g, 250);
        Event crossed = ofKind(EventKind.LIMIT_CROSSED).get(0);
        long biggest = tree.mainPid() + 7;
        assertTrue(crossed.message().contains("(8 processes); the biggest is pid " + biggest + " (p" + biggest
                + ") at 70 MiB"), crossed.message());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> top = (List<Map<String, Object>>) crossed.fields().get("top");
        assertEquals(5, top.size());
        assertEquals(biggest, top.get(0).get("pid"));
        assertEquals(70 * MIB, top.get(0).get("rss_bytes"));
        assertEquals(30 * MIB, top.get(4).get("rss_bytes"));
    }

    @Test
    void aRestartThatCannotStartTheProgramBacksOffAndGivesUp() throws LaunchException {
        Program g = guardian(RestartPolicy.ON_FAILURE, 2);
        tree.mainExits(1);
        run(g, 10);
        tree.failLaunches(10);
        run(g, 1000);
        assertEquals(ProgramState.BACKOFF, g.state());
        Event failed = ofKind(EventKind.START_FAILED).get(0);
        assertEquals("could not start the program again (run 2): app: not found", failed.message());
        run(g, 2000);
        assertEquals(ProgramState.FATAL, g.state());
        assertEquals(127, g.exitCode());
        List<RunRecord> history = g.snapshot().history();
        assertEquals(3, history.size());
        assertTrue(history.get(1).startFailed() && history.get(2).startFailed());
    }

    @Test
    void historyRecordsEveryRunAndKeepsTheLastHundred() throws LaunchException {
        Program g = guardian(RestartPolicy.ALWAYS, 0);
        for (int i = 0; i < 120; i++) {
            tree.mainExits(i % 2);
            run(g, 10);
            run(g, (g.nextWakeNanos() - clock.nanos()) / 1_000_000);
        }
        List<RunRecord> history = g.snapshot().history();
        assertEquals(Program.HISTORY_RUNS, history.size());
        assertEquals(121, history.get(history.size() - 1).run());
        assertTrue(history.get(history.size() - 1).isRunning());
        RunRecord done = history.get(history.size() - 2);
        assertEquals(120, done.run());
        assertEquals(1, done.exitStatus());
        assertNull(done.stoppedBy());
    }

    @Test
    void anOrderedRestartStartsAtOnceWithoutBackoff() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER, 10);
        g.onRestart();
        tree.everythingExits(143);
        run(g, 10);
        assertEquals(ProgramState.RUNNING, g.state());
        assertEquals(1L, g.snapshot().restart().byReason().get(RestartReason.ORDER));
        assertTrue(ofKind(EventKind.RESTART_SCHEDULED).isEmpty());
    }
}
