package dev.sentinel.tui;

import dev.sentinel.testing.StandInLoop;
import dev.sentinel.events.EventKind;
import dev.sentinel.settings.TuiMode;
import static dev.sentinel.tui.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminalListener;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventSink;
import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import dev.sentinel.testing.FakeTree.Sent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole dashboard on Lanterna's virtual terminal, with a real guardian over a pretend process
 * tree. The test thread plays the supervisor loop: it runs the orders the dashboard posted and
 * publishes snapshots.
 */
class DashboardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ProgramSettings CONFIG = ProgramSettings.builder("app", List.of("app"))
            .limit(new MemoryLimit(100 * MIB)).grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private final List<Event> loopEvents = new ArrayList<>();
    private final ConcurrentLinkedQueue<Consumer<LoopContext>> posted = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Runnable> holdSignal = new AtomicReference<>();
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final AtomicInteger terminalCloses = new AtomicInteger();
    private final AtomicLong shown = new AtomicLong();
    private volatile LongSupplier snapshotClock = System::currentTimeMillis;
    private volatile LongSupplier dashboardClock = System::currentTimeMillis;
    private volatile Snapshot latest;
    private long sequence;
    private Program guardian;
    private Dashboard dashboard;
    private VirtualScreen vs;

    @TempDir
    Path dir;

    /** The test thread acts as the supervisor loop: what the dashboard posts waits in {@link #posted}. */
    private final StandInLoop port = StandInLoop.single(clock, () -> latest, e -> {
        loopEvents.add(e);
        dashboard.emit(e);
    }, () -> List.of(guardian)).postingTo(posted);

    @BeforeEach
    void startGuardian() throws LaunchException {
        startGuardian(CONFIG);
        vs = new VirtualScreen(120, 40);
        vs.terminal.addVirtualTerminalListener(new VirtualTerminalListener() {
            @Override
            public void onFlush() {
            }

            @Override
            public void onBell() {
            }

            @Override
            public void onClose() {
                terminalCloses.incrementAndGet();
            }

            @Override
            public void onResized(Terminal terminal, TerminalSize newSize) {
            }
        });
    }

    /** A new guardian of {@code config} (replacing the one before), started, sampled and published. */
    private void startGuardian(ProgramSettings config) throws LaunchException {
        EventSink events = e -> {
            loopEvents.add(e);
            if (dashboard != null) {
                dashboard.emit(e);
            }
        };
        loopEvents.clear();
        // A jitter of 0.5 is none: the backoff delays are exactly those configured.
        guardian = new Program(config, tree, LaunchSpec.passThrough(List.of("app")), tree, tree,
                SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()), clock, events, () -> { }, () -> 0.5);
        guardian.start();
        tree.setMainRss(40 * MIB);
        guardian.onTick();
        publish();
    }

    /**
     * From now on the loop's snapshots carry the fake clock's time and the dashboard's clock is
     * {@link #shown}, moved by hand: the screen changes only when the test moves it (or a key or an
     * event wakes the dashboard).
     */
    private void useFakeTime() {
        shown.set(clock.epochMillis());
        snapshotClock = clock::epochMillis;
        dashboardClock = shown::get;
    }

    /** Moves the dashboard's clock past its next frame, so it draws the latest snapshot again. */
    private void nextFrame(long millis) {
        assertTrue(millis > DashboardLoop.FRAME_MILLIS);
        shown.addAndGet(millis);
    }

    @AfterEach
    void closeDashboard() {
        if (dashboard != null) {
            Runnable r = holdSignal.get();
            if (r != null) {
                r.run();
            }
            dashboard.close();
        }
    }

    private Dashboard dashboard(TuiMode mode, long autoHold, long alwaysHold, Path logFile, TerminalOpener opener)
            throws LaunchException {
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        dashboard = new Dashboard(new UiSettings(mode, logFile), new Dashboard.Options(opener, false, autoHold,
                alwaysHold, ZoneId.of("UTC"), dashboardClock, holdSignal::set, out, err));
        return dashboard;
    }

    private Dashboard started(TuiMode mode, long autoHold) throws LaunchException {
        Dashboard d = dashboard(mode, autoHold, 60_000, null, () -> vs.screen);
        d.start(port);
        await("the header", () -> vs.contains(" Sentinel 9.8.7"));
        return d;
    }

    /** The test thread acts as the supervisor loop: run what was posted, then publish. */
    private int runPosted() {
        int n = port.run(posted);
        publish();
        return n;
    }

    private void publish() {
        latest = new Snapshot(++sequence, snapshotClock.getAsLong(), Fixtures.INFO, List.of(guardian.snapshot()),
                List.copyOf(loopEvents));
    }

    /** The tree vanishes; the guardian notices on its next tick. */
    private void treeEnds(int status) {
        tree.everythingExits(status);
        clock.advanceMillis(20);
        guardian.onTick();
        publish();
    }

    private void press(char c) {
        vs.terminal.addInput(new KeyStroke(c, false, false));
    }

    private void awaitOrders(int n) {
        Await.until(WAIT, "orders posted by the dashboard", () -> posted.size() >= n);
    }

    private void await(String what, java.util.function.BooleanSupplier condition) {
        Await.until(WAIT, () -> what + "; the screen was:\n" + vs.text(), condition);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sStopsTheTreeThroughTheLoop() throws Exception {
        started(TuiMode.AUTO, 0);
        press('s');
        awaitOrders(1);
        assertTrue(tree.sent().isEmpty(), "nothing is signalled until the loop runs the order");
        assertEquals(1, runPosted());
        assertEquals(ProgramState.STOPPING, guardian.state());
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.TERM)), tree.sent());
        await("the guardian's reply", () -> vs.contains("sent SIGTERM to app, SIGKILL follows in 3s"));
        await("the order in the event pane", () -> vs.contains("dashboard: stop (key s)"));
        await("the new state", () -> vs.line(1).startsWith("app  STOPPING"));
    }

    @Test
    void killHappensOnlyAfterYes() throws Exception {
        started(TuiMode.AUTO, 0);
        press('k');
        await("the question", () -> vs.contains("Kill app now with SIGKILL (1 process)? y/n"));
        press('n');
        await("the cancel note", () -> vs.contains("cancelled"));
        assertTrue(posted.isEmpty());
        press('k');
        await("the question again", () -> vs.contains("Kill app now with SIGKILL"));
        press('y');
        awaitOrders(1);
        runPosted();
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.KILL)), tree.sent());
        assertEquals(ProgramState.KILLING, guardian.state());
    }

    @Test
    void plusAndMinusMoveTheLimit() throws Exception {
        started(TuiMode.AUTO, 0);
        press('+');
        awaitOrders(1);
        runPosted();
        assertEquals(new MemoryLimit(110 * MIB), guardian.limit());
        await("the new limit in the reply", () -> vs.contains("limit is now 110 MiB (was 100 MiB)"));
        await("the new limit in the header", () -> vs.line(0).contains("limit 110 MiB"));
        press('-');
        press('-');
        awaitOrders(2);
        runPosted();
        assertEquals(new MemoryLimit(89 * MIB), guardian.limit(), "110 - 11 - 10");
    }

    @Test
    void restartStopsThenStartsAgain() throws Exception {
        started(TuiMode.AUTO, 0);
        press('r');
        awaitOrders(1);
        runPosted();
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.TERM)), tree.sent());
        treeEnds(143);
        assertEquals(2, tree.launches(), "started again once the tree was gone");
        assertEquals(1, guardian.snapshot().restarts());
        await("the restart count", () -> vs.line(1).contains("restarts 1"));
    }

    /** On failure, {@code delay} before each restart (no doubling), stable after 60 s, at most {@code max} restarts. */
    private static ProgramSettings restarting(Duration delay, int max) {
        return CONFIG.toBuilder()
                .restart(new RestartSettings(RestartPolicy.ON_FAILURE, delay, delay, Duration.ofSeconds(60),
                max)).build();
    }

    @Test
    void inBackoffTheCountdownRunsWithoutNewSnapshotsAndRStartsTheProgramNow() throws Exception {
        useFakeTime();
        startGuardian(restarting(Duration.ofSeconds(3), 2));
        started(TuiMode.AUTO, 0);
        clock.advanceMillis(2_000);
        guardian.onTick();
        treeEnds(3);
        assertEquals(ProgramState.BACKOFF, guardian.state());
        assertEquals(clock.epochMillis() + 3_000, guardian.snapshot().restart().nextRestartEpochMillis());
        shown.set(clock.epochMillis() + 300);
        await("the countdown", () -> vs.line(1).startsWith("app  BACKOFF  restart in 2.7s (1 of at most 2)"));
        await("how the last run ended", () -> vs.contains("waiting to restart: run 1 exited with status 3 after 2.0s"));
        long published = sequence;
        nextFrame(1_200);
        await("the countdown a second later", () -> vs.line(1).startsWith("app  BACKOFF  restart in 1.5s (1 of at most 2)"));
        assertEquals(published, sequence, "drawn from the same snapshot: the loop publishes nothing while it waits");

        int launches = tree.launches();
        press('r');
        awaitOrders(1);
        runPosted();
        assertEquals(launches + 1, tree.launches(), "started at once, without waiting for the delay");
        assertEquals(ProgramState.RUNNING, guardian.state());
        nextFrame(300);
        await("the guardian's reply", () -> vs.contains("started app again as pid " + tree.mainPid()
                + " (its restart was due in 3s)"));
        await("the order in the event pane", () -> vs.contains("dashboard: start now (key r)"));
        await("the new run", () -> vs.line(1).startsWith("app  RUNNING  pid " + tree.mainPid() + "  up 0s  restarts 1"));
        // Run 2 started 1.8 s before the dashboard's now: the second column from the right (the last is x 119).
        await("the restart on the chart", () -> markColumns().equals(Set.of(118))
                && vs.contains("per column · limit 100 MiB · ┊ restart"));
    }

    @Test
    void sInBackoffCancelsThePendingRestart() throws Exception {
        useFakeTime();
        startGuardian(restarting(Duration.ofSeconds(3), 2));
        started(TuiMode.AUTO, 0);
        int launches = tree.launches();
        treeEnds(3);
        shown.set(clock.epochMillis() + 300);
        await("the countdown", () -> vs.line(1).startsWith("app  BACKOFF  restart in 2.7s"));
        press('s');
        awaitOrders(1);
        runPosted();
        assertEquals(ProgramState.EXITED, guardian.state());
        assertEquals(launches, tree.launches(), "not started again");
        nextFrame(300);
        await("the guardian's reply", () -> vs.contains("cancelled the restart of app that was due in 3s; it stays stopped"));
        await("the order in the event pane", () -> vs.contains("dashboard: cancel the pending restart (key"));
        await("the new state", () -> vs.line(1).startsWith("app  EXITED  pid "));
    }

    @Test
    void afterGivingUpTheFinalStateShowsWhyAndIsHeld() throws Exception {
        useFakeTime();
        startGuardian(restarting(Duration.ZERO, 1));
        started(TuiMode.AUTO, 60_000);
        int launches = tree.launches();
        treeEnds(3);
        guardian.onTick();
        assertEquals(launches + 1, tree.launches(), "restarted once");
        treeEnds(3);
        assertEquals(ProgramState.FATAL, guardian.state());
        nextFrame(300);
        await("the program line", () -> vs.line(1).startsWith("app  FATAL  gave up after 1 restart in a row  restarts 1"
                + "  exit status 3"));
        Thread closer = new Thread(dashboard::close);
        closer.start();
        await("the final box", () -> vs.contains(FinalOverlay.TITLE_FATAL));
        await("the reason", () -> vs.contains("app: Sentinel gave up after 1 restart in a row that each lasted"));
        await("the countdown", () -> vs.contains("exiting in 60s · any key: now"));
        closer.join(300);
        assertTrue(closer.isAlive(), "held, as after an exit");
        press(' ');
        closer.join(WAIT.toMillis());
        assertFalse(closer.isAlive(), "a key ends the hold");
        assertTrue(err().matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} sentinel\\[app\\]: gave up after 1 restart in a row that "
                + "each lasted under 1m \\(the last run exited with status 3\\)\n"), err());
    }

    @Test
    void theChartMarksEveryRestartEvenOfRunsThatCameAndWentBetweenTwoFrames() throws Exception {
        useFakeTime();
        startGuardian(restarting(Duration.ZERO, 10));
        started(TuiMode.AUTO, 0);
        // Two crashes 2 s apart, each restarted at once, while the loop publishes nothing.
        for (int i = 0; i < 2; i++) {
            clock.advanceMillis(2_000);
            guardian.onTick();
            tree.everythingExits(3);
            clock.advanceMillis(20);
            guardian.onTick();
            guardian.onTick();
        }
        assertEquals(3, guardian.run());
        publish();
        shown.set(clock.epochMillis() + 300);
        // Run 3 started 0.3 s before now (the last column, x 119), run 2 2.02 s before it.
        await("a mark for each restart", () -> markColumns().equals(Set.of(117, 119)));
    }

    @Test
    void whileTheTreeIsGoneTheChartShowsAGapAlthoughTheLoopPublishesNothing() throws Exception {
        useFakeTime();
        startGuardian(restarting(Duration.ofSeconds(3), 2));
        started(TuiMode.AUTO, 0);
        clock.advanceMillis(1_000);
        guardian.onTick();
        publish();
        assertEquals(40 * MIB, latest.programs().get(0).rssBytes());
        treeEnds(3);
        assertEquals(ProgramState.BACKOFF, guardian.state());
        shown.set(clock.epochMillis() + 300);
        await("the countdown", () -> vs.line(1).contains("restart in 2.7s"));
        nextFrame(1_200);
        // The last run's 40 MiB is in the slot 1.5 s before now (x 118); the newest slot (x 119) has
        // no snapshot of its own and shows the gone tree as empty, not 40 MiB carried on.
        await("the gap after the run", () -> {
            int zero = vs.rowOf("        0┤");
            return zero > 0 && vs.line(zero).charAt(118) == '█' && vs.line(zero).charAt(119) == ' ';
        });
    }

    /** The columns of the chart with a restart mark. */
    private Set<Integer> markColumns() {
        int title = vs.rowOf("memory · last");
        int zero = vs.rowOf("        0┤");
        Set<Integer> xs = new TreeSet<>();
        for (int y = title + 1; title >= 0 && y <= zero; y++) {
            String line = vs.line(y);
            for (int x = MemoryChart.GUTTER; x < line.length(); x++) {
                if (line.charAt(x) == MemoryChart.RESTART_MARK) {
                    xs.add(x);
                }
            }
        }
        return xs;
    }

    @Test
    void quitStopsTheTreeAndExitsWithoutHolding() throws Exception {
        started(TuiMode.AUTO, 60_000);
        press('q');
        awaitOrders(1);
        runPosted();
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.TERM)), tree.sent());
        await("the quitting footer", () -> vs.contains("stopping, then exiting · q again: kill now"));
        treeEnds(143);
        long t0 = System.nanoTime();
        dashboard.close();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "no 60 s hold after q");
        assertEquals(1, terminalCloses.get(), "the terminal was restored");
        assertFalse(vs.contains("Sentinel 9.8.7"), "back on the normal screen:\n" + vs.text());
        assertTrue(err().matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} sentinel\\[app\\]: exited with status 143 "
                + "\\(SIGTERM\\) \\(stopped by sentinel: stop ordered\\).*"), err());
    }

    @Test
    void qTwiceKillsAtOnce() throws Exception {
        started(TuiMode.AUTO, 0);
        press('q');
        press('q');
        awaitOrders(2);
        runPosted();
        assertEquals(List.of(new Sent(tree.mainPid(), true, Signal.TERM), new Sent(tree.mainPid(), true, Signal.KILL)),
                tree.sent());
    }

    @Test
    void theFinalStateIsShownUntilAKey() throws Exception {
        started(TuiMode.AUTO, 60_000);
        tree.setMainRss(150 * MIB);
        clock.advanceMillis(250);
        guardian.onTick();
        treeEnds(143);
        Thread closer = new Thread(dashboard::close);
        closer.start();
        await("the final box", () -> vs.contains(FinalOverlay.TITLE));
        await("the reason", () -> vs.contains("app exited with status 143 (SIGTERM) (stopped by sentinel: memory"));
        await("the countdown", () -> vs.contains("exiting in 60s · any key: now"));
        assertTrue(closer.isAlive());
        press(' ');
        closer.join(WAIT.toMillis());
        assertFalse(closer.isAlive(), "a key ends the hold");
        assertEquals(1, terminalCloses.get());
    }

    @Test
    void theHoldEndsByItself() throws Exception {
        started(TuiMode.AUTO, 300);
        treeEnds(0);
        long t0 = System.nanoTime();
        dashboard.close();
        long took = System.nanoTime() - t0;
        assertTrue(took >= Duration.ofMillis(250).toNanos(), "held for a moment: " + took / 1_000_000 + " ms");
        assertEquals(1, terminalCloses.get());
    }

    @Test
    void alwaysModeHoldsUntilAKeyOrASignal() throws Exception {
        started(TuiMode.ALWAYS, 0);
        treeEnds(0);
        Thread closer = new Thread(dashboard::close);
        closer.start();
        await("the key hint", () -> vs.contains("press any key to exit"));
        closer.join(300);
        assertTrue(closer.isAlive(), "still holding");
        Runnable signal = holdSignal.get();
        assertNotNull(signal, "signals to Sentinel end the hold");
        signal.run();
        closer.join(WAIT.toMillis());
        assertFalse(closer.isAlive());
    }

    @Test
    void noHoldWhenASignalStoppedSentinel() throws Exception {
        started(TuiMode.ALWAYS, 0);
        guardian.onStop(StopReason.SIGNAL, Signal.TERM);
        treeEnds(143);
        long t0 = System.nanoTime();
        dashboard.close();
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
        assertEquals(1, terminalCloses.get());
    }

    @Test
    void childOutputGoesToThePaneAndTheLogFile() throws Exception {
        Path log = dir.resolve("child.log");
        Files.writeString(log, "earlier run\n");
        Dashboard d = dashboard(TuiMode.AUTO, 0, 0, log, () -> vs.screen);
        d.start(port);
        OutputSink sink = d.outputSink();
        sink.line(OutputSink.Stream.STDOUT, "hello from the child");
        sink.line(OutputSink.Stream.STDERR, "\u001b[31mwarning\u001b[0m on stderr");
        await("the output", () -> vs.contains("│ hello from the child") && vs.contains("│ warning on stderr"));
        treeEnds(0);
        d.close();
        assertEquals(List.of("earlier run", "hello from the child", "\u001b[31mwarning\u001b[0m on stderr"),
                Files.readAllLines(log), "appended as printed");
    }

    @Test
    void aLogFileThatCannotBeOpenedIsAUsageError() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> dashboard(TuiMode.AUTO, 0, 0, dir.resolve("missing/child.log"), () -> vs.screen));
        assertEquals(2, e.exitCode());
        assertEquals("cannot open the log file " + dir.resolve("missing/child.log")
                + " for appending: its directory does not exist.", e.getMessage());
        dashboard = null;
    }

    @Test
    void withoutATerminalItFallsBackToLogLines() throws Exception {
        Dashboard d = dashboard(TuiMode.ALWAYS, 0, 0, null, () -> {
            throw new NoTerminalException("there is no terminal to draw the dashboard on (test)", null);
        });
        d.start(port);
        assertEquals("sentinel: there is no terminal to draw the dashboard on (test); showing log lines instead.\n",
                err());
        d.emit(new Event(Fixtures.T0, "app", EventKind.STARTED, "started pid 7"));
        Await.until(WAIT, () -> "the lifecycle line; stderr was: " + err(),
                () -> err().contains(" sentinel[app]: started pid 7"));
        d.outputSink().line(OutputSink.Stream.STDOUT, "child says hi");
        assertEquals("child says hi\n", outBytes.toString(StandardCharsets.UTF_8));
        d.close();
        assertEquals(0, terminalCloses.get(), "the terminal was never touched");
    }

    @Test
    void aBrokenTerminalTurnsTheDashboardIntoLogLines() throws Exception {
        CountDownLatch broken = new CountDownLatch(1);
        Dashboard d = dashboard(TuiMode.AUTO, 0, 0, null, () -> {
            try {
                return new com.googlecode.lanterna.screen.TerminalScreen(new BrokenTerminal(broken));
            } catch (java.io.IOException e) {
                throw new NoTerminalException("no", e);
            }
        });
        d.start(port);
        broken.countDown();
        d.emit(new Event(Fixtures.T0, "app", EventKind.WARNING, "after the failure"));
        Await.until(WAIT, () -> "the event as a lifecycle line; stderr was: " + err(),
                () -> err().contains("sentinel[app]: after the failure"));
        d.outputSink().line(OutputSink.Stream.STDOUT, "the child still talks");
        assertTrue(outBytes.toString(StandardCharsets.UTF_8).contains("the child still talks\n"));
    }

    @Test
    void aStuckTerminalNeverHoldsUpTheLoopOrTheExit() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Dashboard d = dashboard(TuiMode.AUTO, 0, 0, null, () -> {
            try {
                return new com.googlecode.lanterna.screen.TerminalScreen(new StuckTerminal(stuck, release));
            } catch (java.io.IOException e) {
                throw new NoTerminalException("no", e);
            }
        });
        try {
            d.start(port);
            Await.until(WAIT, "the dashboard thread to hang in a terminal write", () -> stuck.getCount() == 0);
            // What the loop and the pump threads call must return although nothing is drawn.
            Thread loopSide = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    d.emit(new Event(Fixtures.T0, "app", EventKind.ORDER, "event " + i));
                    d.outputSink().line(OutputSink.Stream.STDOUT, "line " + i);
                }
            });
            loopSide.start();
            loopSide.join(WAIT.toMillis());
            assertFalse(loopSide.isAlive(), "emit() and the output sink never wait for the terminal");
            treeEnds(0);
            Thread closer = new Thread(d::close);
            closer.start();
            closer.join(WAIT.toMillis());
            assertFalse(closer.isAlive(), "close() gives up on a stuck terminal after a bounded wait");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeIsIdempotentAndSafeFromManyThreads() throws Exception {
        started(TuiMode.AUTO, 0);
        treeEnds(0);
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(dashboard::close);
            closers.add(t);
            t.start();
        }
        for (Thread t : closers) {
            t.join(WAIT.toMillis());
            assertFalse(t.isAlive());
        }
        dashboard.close();
        assertEquals(1, terminalCloses.get());
        assertEquals(1, err().lines().count(), "one final line: " + err());
    }

    @Test
    void aResizeRedrawsForTheNewSize() throws Exception {
        started(TuiMode.AUTO, 0);
        vs.resize(20, 8);
        await("the compact view", () -> vs.line(0).trim().equals("app") && vs.line(7).contains("q quit  ? help"));
        vs.resize(100, 30);
        await("the full view", () -> vs.line(0).startsWith(" Sentinel 9.8.7") && vs.line(29).startsWith(" q quit"));
    }

    /** A virtual terminal whose second flush hangs until released, like a terminal nobody reads. */
    private static final class StuckTerminal extends com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal {
        private final CountDownLatch stuck;
        private final CountDownLatch release;
        private int flushes;

        StuckTerminal(CountDownLatch stuck, CountDownLatch release) {
            super(new TerminalSize(80, 24));
            this.stuck = stuck;
            this.release = release;
        }

        @Override
        public void flush() {
            synchronized (this) {
                flushes++;
                if (flushes < 2) {
                    super.flush();
                    return;
                }
            }
            stuck.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A virtual terminal whose flush fails once {@code broken} is released, like a hung-up tty. */
    private static final class BrokenTerminal extends com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal {
        private final CountDownLatch broken;

        BrokenTerminal(CountDownLatch broken) {
            super(new TerminalSize(80, 24));
            this.broken = broken;
        }

        @Override
        public synchronized void flush() {
            if (broken.getCount() == 0) {
                throw new java.io.UncheckedIOException(new java.io.IOException("Input/output error"));
            }
            super.flush();
        }
    }
}
