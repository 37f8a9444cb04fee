package dev.sentinel.tui;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.testing.StandInLoop;
import dev.sentinel.settings.TuiMode;
import static dev.sentinel.tui.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventSink;
import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.ProgramSnapshot;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard of a config file's three programs (web, worker, cron) on Lanterna's virtual
 * terminal, each a real guardian over a pretend process tree of its own. The test thread plays the
 * supervisor loop: it runs the orders the dashboard posted and publishes snapshots.
 */
class ManyProgramsDashboardTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> NAMES = List.of("web", "worker", "cron");

    private final FakeClock clock = new FakeClock();
    private final Map<String, FakeTree> trees = new LinkedHashMap<>();
    private final Map<String, Program> guardians = new LinkedHashMap<>();
    private final List<Event> loopEvents = new ArrayList<>();
    private final ConcurrentLinkedQueue<Consumer<LoopContext>> posted = new ConcurrentLinkedQueue<>();
    private final AtomicReference<StopReason> shutdown = new AtomicReference<>();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @TempDir
    Path dir;
    private volatile Snapshot latest;
    private long sequence;
    private Dashboard dashboard;
    private VirtualScreen vs;

    /** The test thread acts as the supervisor loop of a config file: what the dashboard posts waits in {@link #posted}. */
    private final StandInLoop port = StandInLoop.config(clock, () -> latest, e -> {
        loopEvents.add(e);
        dashboard.emit(e);
    }, () -> List.copyOf(guardians.values())).postingTo(posted).stopAllDoes(reason -> {
        shutdown.set(reason);
        for (Program g : guardians.values()) {
            g.onStop(reason);
        }
        return OrderResult.done("stopping 3 programs in reverse priority order; Sentinel exits when all are gone");
    });

    @BeforeEach
    void startPrograms() throws LaunchException {
        EventSink events = e -> {
            loopEvents.add(e);
            if (dashboard != null) {
                dashboard.emit(e);
            }
        };
        for (String name : NAMES) {
            FakeTree tree = new FakeTree();
            ProgramSettings config = ProgramSettings.builder(name, List.of(name)).limit(new MemoryLimit(100 * MIB))
                    .grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();
            Program g = new Program(config, tree, LaunchSpec.passThrough(List.of(name)), tree, tree,
                    SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()), clock, events, () -> { }, () -> 0.5);
            g.start();
            tree.setMainRss(40 * MIB);
            g.onTick();
            trees.put(name, tree);
            guardians.put(name, g);
        }
        publish();
        vs = new VirtualScreen(120, 40);
    }

    @AfterEach
    void closeDashboard() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    private Dashboard started() throws LaunchException {
        return started(0, null);
    }

    private Dashboard started(long autoHold, Path logFile) throws LaunchException {
        dashboard = new Dashboard(new UiSettings(TuiMode.AUTO, logFile), new Dashboard.Options(() -> vs.screen, false,
                autoHold, 60_000, ZoneId.of("UTC"), System::currentTimeMillis, r -> { },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8)));
        dashboard.start(port);
        await("the program table", () -> vs.contains("3 programs: 3 running") && vs.contains("▶ web"));
        return dashboard;
    }

    /** The test thread acts as the supervisor loop of a config file: run what was posted, then publish. */
    private int runPosted() {
        int n = port.run(posted);
        publish();
        return n;
    }

    private void publish() {
        List<ProgramSnapshot> ps = new ArrayList<>();
        for (Program g : guardians.values()) {
            ps.add(g.snapshot());
        }
        latest = new Snapshot(++sequence, System.currentTimeMillis(), Fixtures.CONFIG_INFO, ps,
                List.copyOf(loopEvents));
    }

    private void press(char c) {
        vs.terminal.addInput(new KeyStroke(c, false, false));
    }

    private void press(KeyType t) {
        vs.terminal.addInput(new KeyStroke(t));
    }

    private void awaitOrders(int n) {
        Await.until(WAIT, "orders posted by the dashboard", () -> posted.size() >= n);
    }

    private void await(String what, BooleanSupplier condition) {
        Await.until(WAIT, () -> what + "; the screen was:\n" + vs.text(), condition);
    }

    /** The table row of {@code name}. */
    private String row(String name) {
        for (String line : vs.lines()) {
            if (line.length() > 2 && line.substring(2).startsWith(name + " ")) {
                return line;
            }
        }
        return "";
    }

    private void select(String name) {
        int from = NAMES.indexOf(currentlySelected());
        int to = NAMES.indexOf(name);
        for (int i = from; i < to; i++) {
            press(KeyType.ArrowDown);
        }
        for (int i = from; i > to; i--) {
            press(KeyType.ArrowUp);
        }
        await(name + " selected", () -> row(name).startsWith("▶ " + name));
    }

    private String currentlySelected() {
        for (String n : NAMES) {
            if (row(n).startsWith("▶ ")) {
                return n;
            }
        }
        return "web";
    }

    @Test
    void upAndDownMoveTheSelectionAndTheChartAndOutputFollowIt() throws Exception {
        started();
        OutputSink web = dashboard.outputSink("web");
        OutputSink worker = dashboard.outputSink("worker");
        web.line(OutputSink.Stream.STDOUT, "hello from web");
        worker.line(OutputSink.Stream.STDERR, "hello from worker");
        await("web's output", () -> vs.contains("│ hello from web") && vs.contains("memory of web · last")
                && vs.contains("output of web"));
        assertTrue(!vs.contains("hello from worker"), vs.text());
        press(KeyType.ArrowDown);
        await("worker selected, its chart and output", () -> row("worker").startsWith("▶ worker")
                && vs.contains("memory of worker · last") && vs.contains("│ hello from worker")
                && !vs.contains("hello from web"));
        assertTrue(row("web").startsWith("  web"), row("web"));
        press(KeyType.ArrowDown);
        press(KeyType.ArrowDown);
        await("cron selected: the last row, the selection stays there", () -> row("cron").startsWith("▶ cron")
                && vs.contains("output of cron") && vs.contains("(nothing printed yet)"));
        press(KeyType.ArrowUp);
        await("back to worker", () -> row("worker").startsWith("▶ worker"));
        assertEquals(0, posted.size(), "moving the selection orders nothing");
    }

    @Test
    void keysActOnTheSelectedProgramOnly() throws Exception {
        started();
        select("worker");
        press('s');
        awaitOrders(1);
        assertEquals(1, runPosted());
        assertEquals(ProgramState.STOPPING, guardians.get("worker").state());
        assertEquals(ProgramState.RUNNING, guardians.get("web").state());
        assertEquals(ProgramState.RUNNING, guardians.get("cron").state());
        assertEquals(List.of(new Sent(trees.get("worker").mainPid(), true, Signal.TERM)), trees.get("worker").sent());
        assertTrue(trees.get("web").sent().isEmpty());
        assertTrue(trees.get("cron").sent().isEmpty());
        await("the order in the event pane, named", () -> vs.contains("worker: dashboard: stop (key s)"));
        await("the new state in worker's row", () -> row("worker").contains("STOPPING"));
        await("the header's counts", () -> vs.line(0).contains("3 programs: 2 running, 1 stopping"));

        select("cron");
        press('+');
        awaitOrders(1);
        runPosted();
        assertEquals(new MemoryLimit(110 * MIB), guardians.get("cron").limit());
        assertEquals(new MemoryLimit(100 * MIB), guardians.get("web").limit());
        await("the reply names the program", () -> vs.contains("cron: limit is now 110 MiB (was 100 MiB)"));
    }

    @Test
    void killAsksFirstAndNamesTheSelectedProgram() throws Exception {
        started();
        select("cron");
        press('k');
        await("the question", () -> vs.contains("Kill cron now with SIGKILL (1 process)? y/n"));
        press('n');
        await("the cancel note", () -> vs.contains("cancelled"));
        assertTrue(posted.isEmpty());
        press('k');
        await("the question again", () -> vs.contains("Kill cron now with SIGKILL"));
        press(KeyType.ArrowUp);
        await("any other key is a no", () -> vs.contains("cancelled") && row("cron").startsWith("▶ cron"));
        assertTrue(posted.isEmpty(), "the arrow answered the question: it did not move the selection");
        press('k');
        await("the question once more", () -> vs.contains("Kill cron now with SIGKILL"));
        press('y');
        awaitOrders(1);
        runPosted();
        assertEquals(List.of(new Sent(trees.get("cron").mainPid(), true, Signal.KILL)), trees.get("cron").sent());
        assertEquals(ProgramState.KILLING, guardians.get("cron").state());
        assertTrue(trees.get("web").sent().isEmpty());
        assertTrue(trees.get("worker").sent().isEmpty());
    }

    @Test
    void enterShowsTheSelectedProgramsTreeAndEnterAgainHidesIt() throws Exception {
        trees.get("worker").addProcess(4321, trees.get("worker").mainPid(), 5 * MIB);
        clock.advanceMillis(250);
        guardians.get("worker").onTick();
        publish();
        started();
        assertEquals(-1, vs.rowOf("NAME / COMMAND"), "no tree before Enter");
        select("worker");
        press(KeyType.Enter);
        await("worker's tree", () -> vs.rowOf("NAME / COMMAND") > 0 && vs.contains("TOTAL 2 processes")
                && vs.contains(" 4321 └─ p4321"));
        press(KeyType.ArrowUp);
        await("web's tree: it follows the selection", () -> row("web").startsWith("▶ web")
                && vs.contains("TOTAL 1 process ") && !vs.contains("p4321"));
        press(KeyType.Enter);
        await("the tree hidden", () -> vs.rowOf("NAME / COMMAND") == -1);
    }

    @Test
    void qStopsEveryProgramAndQAgainKillsThemAll() throws Exception {
        started();
        select("worker");
        press('q');
        awaitOrders(1);
        runPosted();
        assertEquals(StopReason.STOP, shutdown.get(), "q is the shutdown of the whole config");
        for (String name : NAMES) {
            assertEquals(ProgramState.STOPPING, guardians.get(name).state(), name);
        }
        await("the quitting footer", () -> vs.contains("stopping every program, then exiting · q again: kill now"));
        await("the order, Sentinel's", () -> vs.contains("sentinel: dashboard: quit (key q): stopping"));
        press('q');
        awaitOrders(1);
        runPosted();
        for (String name : NAMES) {
            assertEquals(ProgramState.KILLING, guardians.get(name).state(), name);
            assertEquals(Signal.KILL, trees.get(name).sent().get(trees.get(name).sent().size() - 1).signal(), name);
        }
    }

    @Test
    void aProgramThatIsGoneLeavesTheSelectionOnTheOneNowInItsPlace() throws Exception {
        started();
        select("worker");
        guardians.remove("worker");
        publish();
        await("cron, now second, selected", () -> row("cron").startsWith("▶ cron") && vs.contains("2 programs")
                && row("worker").isEmpty());
        press('s');
        awaitOrders(1);
        runPosted();
        assertEquals(ProgramState.STOPPING, guardians.get("cron").state());
        assertNull(guardians.get("worker"));
    }

    @Test
    void fiftyProgramsIn80x24ScrollWithTheSelection() throws Exception {
        vs = new VirtualScreen(80, 24);
        List<ProgramSnapshot> fifty = Fixtures.manyPrograms(50);
        latest = Fixtures.configSnapshot(++sequence, fifty, List.of());
        dashboard = new Dashboard(new UiSettings(TuiMode.AUTO, null), new Dashboard.Options(() -> vs.screen, false, 0,
                0, ZoneId.of("UTC"), System::currentTimeMillis, r -> { },
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        dashboard.start(port);
        await("the first rows", () -> row("p00").startsWith("▶ p00") && vs.contains("1-8 of 50"));
        for (int i = 0; i < 30; i++) {
            press(KeyType.ArrowDown);
        }
        // Rows are counted from 1: p23 to p30 are rows 24 to 31.
        await("p30 selected and in view", () -> row("p30").startsWith("▶ p30") && vs.contains("24-31 of 50")
                && vs.contains("memory of p30"));
        assertTrue(row("p22").isEmpty() && !row("p23").isEmpty(), vs.text());
        for (int i = 0; i < 40; i++) {
            press(KeyType.ArrowDown);
        }
        await("the last program, at the bottom", () -> row("p49").startsWith("▶ p49") && vs.contains("43-50 of 50"));
        for (int i = 0; i < 7; i++) {
            press(KeyType.ArrowUp);
        }
        await("p42 selected, the first row in view: nothing scrolled", () -> row("p42").startsWith("▶ p42")
                && vs.contains("43-50 of 50"));
        press(KeyType.ArrowUp);
        await("p41: one row up", () -> row("p41").startsWith("▶ p41") && vs.contains("42-49 of 50")
                && row("p49").isEmpty());
    }

    @Test
    void eachProgramsOutputGoesToTheLogFileAfterItsName() throws Exception {
        Path log = dir.resolve("programs.log");
        started(0, log);
        dashboard.outputSink("web").line(OutputSink.Stream.STDOUT, "listening on :8080");
        dashboard.outputSink("worker").line(OutputSink.Stream.STDERR, "\u001b[31mjob failed\u001b[0m");
        await("web's line in its pane", () -> vs.contains("│ listening on :8080"));
        dashboard.close();
        dashboard = null;
        assertEquals(List.of("web | listening on :8080", "worker | \u001b[31mjob failed\u001b[0m"),
                Files.readAllLines(log), "as printed, after the program's name");
    }

    @Test
    void whenEveryProgramHasEndedTheBoxCountsThemAndEachEndIsPrinted() throws Exception {
        started(60_000, null);
        for (String name : NAMES) {
            trees.get(name).everythingExits(name.equals("cron") ? 3 : 0);
            clock.advanceMillis(20);
            guardians.get(name).onTick();
        }
        publish();
        await("every program over", () -> vs.line(0).contains("3 programs: 3 exited"));
        Thread closer = new Thread(dashboard::close);
        closer.start();
        await("the final box", () -> vs.contains(FinalOverlay.TITLE_ALL) && vs.contains("3 programs: 3 exited")
                && vs.contains("exiting in 60s · any key: now"));
        press(' ');
        closer.join(WAIT.toMillis());
        assertTrue(!closer.isAlive(), "a key ends the hold");
        dashboard = null;
        List<String> lines = errBytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} sentinel\\[web\\]: exited with status 0 .*"), lines.get(0));
        assertTrue(lines.get(2).matches(".* sentinel\\[cron\\]: exited with status 3 .*"), lines.get(2));
    }
}
