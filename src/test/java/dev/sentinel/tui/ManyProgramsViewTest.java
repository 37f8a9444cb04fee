package dev.sentinel.tui;

import dev.sentinel.settings.MemoryLimit;
import static dev.sentinel.tui.Fixtures.MIB;
import static dev.sentinel.tui.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextColor;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.StopReason;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard of a config file's programs, drawn from chosen frames: the program table and the selected program. */
class ManyProgramsViewTest {

    private final DashboardView view = new DashboardView(ZoneId.of("UTC"));

    private VirtualScreen render(int columns, int rows, Frame f) {
        return VirtualScreen.started(columns, rows).draw(g -> view.draw(g, f));
    }

    private static Frame three(String selected) {
        return Fixtures.manyFrame(Fixtures.threePrograms(T0 + 2_100), selected, false, Fixtures.staircase(30),
                new OutputBuffer(10), List.of());
    }

    /** The row of the table that shows {@code name}. */
    private static int row(VirtualScreen s, String name) {
        for (int y = 0; y < s.rows(); y++) {
            String line = s.line(y);
            if (line.length() > 2 && line.substring(2).startsWith(name + " ")) {
                return y;
            }
        }
        return -1;
    }

    @Test
    void oneRowPerProgramWithStatePidMemoryRestartsUptimeAndLastStop() {
        VirtualScreen s = render(120, 40, three("web"));
        int title = s.rowOf("NAME");
        assertEquals(1, title, s.text());
        for (String column : List.of("STATE", "PID", "RSS", "MEMORY", "LIMIT", "RESTARTS", "UPTIME", "LAST STOP")) {
            assertTrue(s.line(title).contains(column), column + " in " + s.line(title));
        }
        String web = s.line(row(s, "web"));
        assertTrue(web.matches("▶ web\\s+RUNNING\\s+1000\\s+56 MiB █+░+\\s+56%\\s+100 MiB\\s+0\\s+1m35s -\\s*"), web);
        String worker = s.line(row(s, "worker"));
        assertTrue(worker.matches("  worker\\s+BACKOFF\\s+-\\s+- restart in 2\\.1s \\(3 of at most 10\\)\\s+100 MiB\\s+2\\s+-"
                + " memory\\s*"), worker);
        String cron = s.line(row(s, "cron"));
        assertTrue(cron.matches("  cron\\s+EXITED\\s+-\\s+- exit status 143\\s+100 MiB\\s+0\\s+- stop\\s*"), cron);
        assertEquals(TextColor.ANSI.GREEN, s.foreground(web.indexOf("RUNNING"), row(s, "web")));
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(worker.indexOf("BACKOFF"), row(s, "worker")));
        assertEquals(TextColor.ANSI.MAGENTA, s.foreground(cron.indexOf("EXITED"), row(s, "cron")));
    }

    @Test
    void theBarIsTheShareOfEachProgramsLimit() {
        List<ProgramSnapshot> ps = List.of(Fixtures.renamed(Fixtures.running(20, 100), "low", 0),
                Fixtures.renamed(Fixtures.running(99, 100), "high", 0));
        VirtualScreen s = render(120, 40, Fixtures.manyFrame(ps, "low", false, Fixtures.staircase(5),
                new OutputBuffer(10), List.of()));
        String low = s.line(row(s, "low"));
        String high = s.line(row(s, "high"));
        int lowFilled = (int) low.chars().filter(c -> c == UsageBar.FULL).count();
        int highFilled = (int) high.chars().filter(c -> c == UsageBar.FULL).count();
        int width = lowFilled + (int) low.chars().filter(c -> c == UsageBar.EMPTY).count();
        assertEquals(0.20, lowFilled / (double) width, 0.05, low);
        assertEquals(0.99, highFilled / (double) width, 0.05, high);
        assertEquals(TextColor.ANSI.RED, s.foreground(high.indexOf(UsageBar.FULL), row(s, "high")));
        assertEquals(TextColor.ANSI.GREEN, s.foreground(low.indexOf(UsageBar.FULL), row(s, "low")));
        assertTrue(high.contains(" 99% "), high);
    }

    @Test
    void theHeaderCountsTheProgramsByState() {
        VirtualScreen s = render(160, 40, three("web"));
        assertTrue(s.line(0).startsWith(" Sentinel 9.8.7 · pid 4242 · 3 programs: 1 running, 1 backoff, 1 exited · "
                + "socket /tmp/sentinel-test.socket · metrics 127.0.0.1:9100 · config /etc/sentinel.toml"), s.line(0));
        List<ProgramSnapshot> ps = new ArrayList<>(Fixtures.manyPrograms(4));
        ps.add(Fixtures.renamed(Fixtures.fatal(), "bad", 0));
        assertEquals("5 programs: 4 running, 1 fatal", DashboardView.countByState(ps));
    }

    @Test
    void theSelectedRowIsMarkedAndTheRestFollowsIt() {
        OutputBuffer workerOutput = new OutputBuffer(10);
        workerOutput.add(OutputLine.Source.STDOUT, "worker says hello");
        Frame f = Fixtures.manyFrame(Fixtures.threePrograms(T0 + 2_100), "worker", false, Fixtures.staircase(30),
                workerOutput, List.of());
        VirtualScreen s = render(120, 40, f);
        int worker = row(s, "worker");
        assertTrue(s.line(worker).startsWith("▶ worker"), s.text());
        assertEquals(ProgramTable.SELECTED_BACKGROUND, s.at(30, worker).getBackgroundColor());
        assertFalse(s.line(row(s, "web")).startsWith("▶"), s.text());
        assertEquals(TextColor.ANSI.DEFAULT, s.at(30, row(s, "web")).getBackgroundColor());
        // Below the table: the selected program's line, chart and output.
        assertTrue(s.line(worker + 2).startsWith("worker  BACKOFF  restart in 2.1s (3 of at most 10)  restarts 2"),
                s.line(worker + 2));
        assertNotEquals(-1, s.rowOf("memory of worker · last"), s.text());
        assertNotEquals(-1, s.rowOf("output of worker (stdout, stderr in yellow)"), s.text());
        assertTrue(s.contains("│ worker says hello"), s.text());
        assertEquals(-1, s.rowOf("NAME / COMMAND"), "no process tree until Enter");
    }

    @Test
    void enterShowsTheSelectedProgramsTree() {
        Frame f = Fixtures.manyFrame(Fixtures.threePrograms(T0 + 2_100), "web", true, Fixtures.staircase(30),
                new OutputBuffer(10), List.of());
        VirtualScreen s = render(120, 40, f);
        int header = s.rowOf("NAME / COMMAND");
        assertTrue(header > row(s, "cron"), s.text());
        assertTrue(s.line(header + 1).matches("\\s+1000 python3 app\\.py --port 8080\\s+sleep\\s+40 MiB.*"), s.text());
        assertTrue(s.line(header + 2).contains("└─ worker --queue jobs"), s.text());
        assertTrue(s.contains("TOTAL 3 processes  RSS 56 MiB"), s.text());
        assertTrue(s.rowOf("memory of web") > s.rowOf("TOTAL"), s.text());
        // The tree of a program in BACKOFF says how its last run ended.
        VirtualScreen b = render(120, 40, Fixtures.manyFrame(Fixtures.threePrograms(T0 + 2_100), "worker", true,
                Fixtures.staircase(30), new OutputBuffer(10), List.of()));
        assertTrue(b.contains("waiting to restart: run 3 exited with status 143 (SIGTERM) after 9.5s"), b.text());
    }

    @Test
    void aRowInBackoffCountsDownOnTheDashboardsClock() {
        Frame f = three("web");
        VirtualScreen s = render(120, 40, f);
        int worker = row(s, "worker");
        String line = s.line(worker);
        assertTrue(line.contains("restart in 2.1s (3 of at most 10)"), line);
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(line.indexOf("restart in"), worker));
        assertTrue(render(120, 40, Fixtures.at(f, T0 + 1_050)).line(worker).contains("restart in 1.1s"));
        assertTrue(render(120, 40, Fixtures.at(f, T0 + 5_000)).line(worker).contains("restarting now"));
        assertTrue(render(80, 24, f).line(worker).contains("restart in 2.1s"), render(80, 24, f).text());
    }

    @Test
    void fiftyProgramsIn80x24ScrollSoTheSelectedRowStaysVisible() {
        List<ProgramSnapshot> ps = Fixtures.manyPrograms(50);
        TableScroll scroll = new TableScroll();
        VirtualScreen s = VirtualScreen.started(80, 24);
        for (int selected : new int[] {0, 7, 8, 30, 49, 45, 0}) {
            String name = ps.get(selected).name();
            Frame f = new Frame(Fixtures.configSnapshot(7, ps, List.of()), Fixtures.staircase(30), new CpuMeter(1000),
                    List.of(), new OutputBuffer(10), 0, false, null, null, null, null, false, T0,
                    new Selection(name, false, scroll));
            s.draw(g -> view.draw(g, f));
            int y = row(s, name);
            assertTrue(y > 1, name + " is visible:\n" + s.text());
            assertTrue(s.line(y).startsWith("▶ " + name), s.text());
            assertTrue(s.text().contains(" of 50 "), "which rows are shown:\n" + s.text());
            assertTrue(s.line(23).startsWith(" ↑↓ select  Enter tree"), s.line(23));
            assertTrue(s.contains("memory of " + name), s.text());
            assertTrue(s.contains("output of " + name), s.text());
        }
        // Moving within the rows in view does not scroll; 45 after 49 keeps the window that shows 49.
        Frame at49 = new Frame(Fixtures.configSnapshot(7, ps, List.of()), Fixtures.staircase(30), new CpuMeter(1000),
                List.of(), new OutputBuffer(10), 0, false, null, null, null, null, false, T0,
                new Selection("p49", false, new TableScroll()));
        s.draw(g -> view.draw(g, at49));
        String shown = s.text();
        assertTrue(row(s, "p49") > row(s, "p45") && row(s, "p45") > 1, shown);
        assertTrue(shown.contains(" 42-49 of 50 ") || shown.contains(" 43-50 of 50 "), shown);
        assertTrue(s.line(0).startsWith(" Sentinel 9.8.7 · pid 4242 · 50 programs: 50 running"), s.line(0));
    }

    @Test
    void theScrollMovesOnlyAsFarAsTheSelectionNeeds() {
        TableScroll t = new TableScroll();
        assertEquals(0, t.top(0, 8, 50));
        assertEquals(0, t.top(7, 8, 50));
        assertEquals(1, t.top(8, 8, 50));
        assertEquals(1, t.top(3, 8, 50), "within the window: no scroll");
        assertEquals(0, t.top(0, 8, 50));
        assertEquals(42, t.top(49, 8, 50));
        assertEquals(42, t.top(45, 8, 50));
        assertEquals(0, t.top(2, 8, 3), "fewer programs than rows");
    }

    @Test
    void eventsNameTheirProgramAndTheFooterGivesTheKeys() {
        List<Event> events = List.of(
                Fixtures.event(T0 - 2000, "web", EventKind.STARTED, "started pid 1000 (limit 100 MiB, grace 3s)"),
                Fixtures.event(T0, "worker", EventKind.RESTART_SCHEDULED, "restarting in 3s"));
        Frame f = Fixtures.manyFrame(Fixtures.threePrograms(T0 + 2_100), "web", false, Fixtures.staircase(30),
                new OutputBuffer(10), events);
        VirtualScreen s = render(120, 40, f);
        assertTrue(s.contains("14:13:18 web: started pid 1000"), s.text());
        assertTrue(s.contains("14:13:20 worker: restarting in 3s"), s.text());
        assertTrue(s.line(39).startsWith(" " + DashboardView.KEYS_MANY), s.line(39));
        // At 80 columns the keys leave no room: a reply takes the footer while it shows.
        Frame replied = Fixtures.withUi(f, false, null, "sent SIGTERM to web, SIGKILL follows in 3s", null, null);
        assertTrue(render(80, 24, replied).line(23).startsWith(" sent SIGTERM to web, SIGKILL follows in 3s"),
                render(80, 24, replied).line(23));
        assertTrue(render(140, 40, replied).line(39).contains("…") || render(140, 40, replied).line(39)
                .contains("sent SIGTERM to web"), "beside the keys when there is room");
    }

    @Test
    void theHelpSaysTheKeysActOnTheSelectedProgram() {
        VirtualScreen s = render(100, 30, Fixtures.withUi(three("web"), true, null, null, null, null));
        for (String key : List.of("act on the selected program", "↑ ↓        select a program",
                "Enter      show or hide the selected program's process tree", "q, Ctrl-C  quit: stop every program")) {
            assertTrue(s.contains(key), key + "\n" + s.text());
        }
    }

    @Test
    void theFinalBoxCountsHowEveryProgramEnded() {
        List<ProgramSnapshot> ended = List.of(Fixtures.renamed(Fixtures.exited(StopReason.STOP), "web", 0),
                Fixtures.renamed(Fixtures.fatal(), "worker", 0));
        Frame f = Fixtures.withUi(Fixtures.manyFrame(ended, "web", false, Fixtures.staircase(5), new OutputBuffer(1),
                List.of()), false, null, null, "2 programs: 1 exited, 1 fatal; Sentinel gave up on worker",
                "exiting in 2s · any key: now");
        VirtualScreen s = render(120, 40, f);
        int title = s.rowOf(FinalOverlay.TITLE_ALL_FATAL);
        assertTrue(title > 0, s.text());
        assertTrue(s.contains("2 programs: 1 exited, 1 fatal; Sentinel gave up on worker"), s.text());
        assertEquals(TextColor.ANSI.RED, s.at(s.line(title).indexOf("Every"), title).getBackgroundColor());
    }

    @Test
    void aTinyTerminalShowsTheSelectedProgramAndWhichOfHowManyItIs() {
        VirtualScreen s = render(20, 8, three("worker"));
        assertEquals("worker 2/3", s.line(0).trim());
        assertEquals("BACKOFF in 2.1s", s.line(1).trim());
    }

    @Test
    void anySizeDrawsWithoutThrowing() {
        int[] widths = {1, 2, 5, 20, 49, 50, 51, 64, 79, 80, 81, 99, 100, 109, 110, 133, 200};
        int[] heights = {1, 2, 3, 4, 8, 11, 12, 13, 17, 24, 40, 60};
        List<Frame> frames = new ArrayList<>();
        frames.add(three("web"));
        frames.add(Fixtures.manyFrame(Fixtures.threePrograms(T0), "worker", true, Fixtures.staircase(5),
                new OutputBuffer(5), List.of()));
        frames.add(Fixtures.manyFrame(Fixtures.manyPrograms(50), "p37", true, Fixtures.staircase(5),
                new OutputBuffer(5), List.of()));
        frames.add(Fixtures.withUi(three("cron"), true, null, null, null, null));
        frames.add(Fixtures.withUi(three("cron"), false, null, null, "3 programs: 3 exited", "press any key to exit"));
        List<ProgramSnapshot> longNames = List.of(
                Fixtures.renamed(Fixtures.running(1, 100), "a-program-with-a-very-long-name-indeed", 0),
                Fixtures.renamed(Fixtures.program(ProgramState.STARTING, 0, MemoryLimit.NONE,
                        List.of()), "日本語の名前", 0));
        frames.add(Fixtures.manyFrame(longNames, "日本語の名前", true, Fixtures.staircase(5), new OutputBuffer(5),
                List.of()));
        VirtualScreen s = VirtualScreen.started(1, 1);
        for (int w : widths) {
            for (int h : heights) {
                s.resize(w, h);
                for (Frame f : frames) {
                    s.draw(g -> view.draw(g, f));
                    assertEquals(h, s.lines().size());
                }
            }
        }
        s.resize(120, 40);
        s.draw(g -> view.draw(g, frames.get(frames.size() - 1)));
        assertTrue(s.contains("a-program-with-a-ve…"), s.text());
        assertTrue(s.contains("no limit"), s.text());
    }

    @Test
    void withOneProgramOfAConfigFileTheTableIsShownToo() {
        Frame f = Fixtures.manyFrame(List.of(Fixtures.renamed(Fixtures.running(56, 100), "web", 0)), "web", false,
                Fixtures.staircase(5), new OutputBuffer(1), List.of());
        VirtualScreen s = render(120, 40, f);
        assertTrue(s.line(0).contains("1 program: 1 running"), s.line(0));
        assertTrue(s.line(2).startsWith("▶ web"), s.text());
        assertTrue(f.manyPrograms());
        // One command: the single-program dashboard, as it always was.
        assertFalse(Fixtures.frame(Fixtures.running(56, 100)).manyPrograms());
        assertEquals(56 * MIB, f.selected().rssBytes());
    }
}
