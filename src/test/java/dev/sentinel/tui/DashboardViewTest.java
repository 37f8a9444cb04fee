package dev.sentinel.tui;

import static dev.sentinel.tui.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextColor;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.StopReason;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardViewTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private final DashboardView view = new DashboardView(UTC);

    private VirtualScreen render(int columns, int rows, Frame f) {
        return VirtualScreen.started(columns, rows).draw(g -> view.draw(g, f));
    }

    @Test
    void headerShowsVersionPidSocketMetricsLimitAndGrace() {
        VirtualScreen s = render(140, 40, Fixtures.frame(Fixtures.running(56, 100)));
        String header = s.line(0);
        assertTrue(header.startsWith(" Sentinel 9.8.7 · pid 4242 · limit 100 MiB · grace 3s · socket "
                + "/tmp/sentinel-test.socket · metrics 127.0.0.1:9100"), header);
    }

    @Test
    void tableShowsOneRowPerProcessMainFirstDescendantsIndented() {
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(56, 100)));
        int headerRow = s.rowOf("NAME / COMMAND");
        assertTrue(headerRow > 0, s.text());
        for (String column : List.of("PID", "STATE", "RSS", "CPU%", "THR", "UPTIME")) {
            assertTrue(s.line(headerRow).contains(column), column + " in " + s.line(headerRow));
        }
        String main = s.line(headerRow + 1);
        String child = s.line(headerRow + 2);
        String grandchild = s.line(headerRow + 3);
        assertTrue(main.matches("\\s+1000 python3 app\\.py --port 8080\\s+sleep\\s+40 MiB\\s+25\\.0\\s+4\\s+1m35s\\s*"), main);
        // The child started 150 ticks (1.5 s) after the main process: 93 s of the main's 95 s.
        assertTrue(child.matches("\\s+1001 └─ worker --queue jobs\\s+sleep\\s+15 MiB\\s+25\\.0\\s+2\\s+1m33s\\s*"), child);
        assertTrue(grandchild.matches("\\s+1002   └─ sleep 100\\s+sleep\\s+1 MiB\\s+25\\.0\\s+1\\s+1m32s\\s*"), grandchild);
    }

    @Test
    void totalRowShowsRssPeakAndShareOfTheLimit() {
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(56, 100)));
        int row = s.rowOf("TOTAL");
        String total = s.line(row);
        assertTrue(total.startsWith("TOTAL 3 processes  RSS 56 MiB  peak 60 MiB  █"), total);
        assertTrue(total.trim().endsWith("░ 56.0% of 100 MiB"), total);
    }

    @Test
    void barIsGreenAt50YellowAt85RedAt99() {
        assertEquals(TextColor.ANSI.GREEN, barColor(50));
        assertEquals(TextColor.ANSI.YELLOW, barColor(85));
        assertEquals(TextColor.ANSI.RED, barColor(99));
        assertEquals(TextColor.ANSI.GREEN, UsageBar.colorFor(80.0), "yellow only above 80 %");
        assertEquals(TextColor.ANSI.YELLOW, UsageBar.colorFor(95.0), "red only above 95 %");
    }

    /** Renders the total row at {@code percent} of the limit and returns the colour of the bar and its label. */
    private TextColor barColor(int percent) {
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(percent, 100)));
        int row = s.rowOf("TOTAL");
        String total = s.line(row);
        int first = total.indexOf(UsageBar.FULL);
        int empty = total.indexOf(UsageBar.EMPTY);
        int filled = empty - first;
        int width = total.lastIndexOf(UsageBar.EMPTY) - first + 1;
        assertEquals(percent / 100.0, filled / (double) width, 0.02, "bar length at " + percent + "%: " + total);
        TextColor color = s.foreground(first, row);
        assertEquals(color, s.foreground(empty - 1, row), "the whole filled part has one colour");
        assertEquals(TextColor.ANSI.BLACK_BRIGHT, s.foreground(empty, row), "the empty part is grey");
        int label = total.indexOf(percent + ".0%");
        assertTrue(label > 0, total);
        assertEquals(color, s.foreground(label, row), "the percentage has the bar's colour");
        return color;
    }

    @Test
    void chartDrawsTheStaircaseOfALeakUnderTheLimitLine() {
        // 20 MiB rising by 1 MiB per second for 70 s, limit 100 MiB.
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(90, 100), Fixtures.staircase(70),
                new OutputBuffer(10), List.of()));
        int title = s.rowOf("memory · last");
        assertTrue(title > 0, s.text());
        assertTrue(s.line(title).contains("1s per column · limit 100 MiB"), s.line(title));
        int limitRow = s.rowOf("100 MiB┤");
        assertTrue(limitRow > title, s.text());
        int zeroRow = s.rowOf("        0┤");
        assertTrue(zeroRow > limitRow, s.text());
        int plotLeft = MemoryChart.GUTTER;
        String limitLine = s.line(limitRow).substring(plotLeft);
        assertTrue(limitLine.chars().allMatch(c -> c == MemoryChart.LIMIT_LINE), "limit line: " + limitLine);
        assertEquals(TextColor.ANSI.RED, s.foreground(plotLeft + 3, limitRow));
        // Column heights in eighths, left to right, for the columns that have data.
        int columns = s.columns() - plotLeft;
        int[] heights = new int[columns];
        for (int c = 0; c < columns; c++) {
            for (int y = zeroRow; y > limitRow; y--) {
                char ch = s.line(y).charAt(plotLeft + c);
                int eighths = new String(MemoryChart.EIGHTHS).indexOf(ch);
                assertTrue(eighths >= 0, "only block characters in the plot, found '" + ch + "'");
                heights[c] += eighths;
            }
        }
        int firstData = 0;
        while (firstData < columns && heights[firstData] == 0) {
            firstData++;
        }
        assertEquals(columns - 71, firstData, "71 one-second columns at the right end: " + java.util.Arrays.toString(heights));
        for (int c = firstData + 1; c < columns; c++) {
            assertTrue(heights[c] >= heights[c - 1], "a leak climbs: column " + c + " " + java.util.Arrays.toString(heights));
        }
        assertTrue(heights[columns - 1] > 2 * heights[firstData], java.util.Arrays.toString(heights));
        // The newest column (90 MiB of 100) is yellow; the oldest (20 MiB) green.
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(s.columns() - 1, zeroRow));
        assertEquals(TextColor.ANSI.GREEN, s.foreground(plotLeft + firstData, zeroRow));
    }

    @Test
    void chartWithoutLimitScalesToTheDataAndSaysSo() {
        VirtualScreen s = render(100, 30, Fixtures.frame(Fixtures.running(56, 0)));
        assertTrue(s.contains("· no limit"), s.text());
        assertFalse(s.contains(String.valueOf(MemoryChart.LIMIT_LINE).repeat(10)), s.text());
        assertTrue(s.contains("no limit (watching only)"), s.text());
    }

    @Test
    void programLineShowsStateGrowthAndTimeToTheLimit() {
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(56, 100)));
        String line = s.line(1);
        // 44 MiB left at 5 MiB per minute.
        assertTrue(line.startsWith("app  RUNNING  pid 1000  up 1m35s  growth +5.0 MiB/min  limit in ~8m48s"), line);
        assertEquals(TextColor.ANSI.GREEN, s.foreground(line.indexOf("RUNNING"), 1));
    }

    @Test
    void eventsAndOutputPanesShowTheNewestAtTheBottom() {
        OutputBuffer out = new OutputBuffer(100);
        for (int i = 1; i <= 50; i++) {
            out.add(OutputLine.Source.STDOUT, "line " + i);
        }
        out.add(OutputLine.Source.STDERR, "an error");
        List<Event> events = List.of(
                Fixtures.event(T0 - 5000, EventKind.STARTED, "started pid 1000 (limit 100 MiB, grace 3s)"),
                Fixtures.event(T0 - 1000, EventKind.LIMIT_CROSSED, "limit crossed: tree RSS 101 MiB > limit 100 MiB"),
                Fixtures.event(T0, EventKind.SIGNAL_SENT, "sent SIGTERM to the tree (memory limit exceeded)"));
        VirtualScreen s = render(160, 40, Fixtures.frame(Fixtures.running(56, 100), Fixtures.staircase(5), out, events));
        int footer = s.rows() - 1;
        assertTrue(s.line(footer - 1).startsWith("14:13:20 sent SIGTERM to the tree (memory limit exceeded)"), s.text());
        assertTrue(s.line(footer - 2).startsWith("14:13:19 limit crossed"), s.text());
        assertEquals(TextColor.ANSI.RED, s.foreground(0, footer - 2));
        assertTrue(s.line(footer - 1).contains("│ an error"), s.line(footer - 1));
        assertTrue(s.line(footer - 2).contains("│ line 50"), s.line(footer - 2));
        int x = s.line(footer - 1).indexOf("an error");
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(x, footer - 1), "stderr in yellow");
    }

    @Test
    void footerShowsTheKeysOrTheQuestionOrTheFinalHint() {
        ProgramSnapshot p = Fixtures.running(56, 100);
        VirtualScreen s = render(120, 40, Fixtures.frame(p));
        assertTrue(s.line(39).startsWith(" q quit  s stop  k kill  r restart  +/- limit  ? help"), s.line(39));

        Frame asking = withUi(Fixtures.frame(p), false, "Kill app now with SIGKILL (3 processes)? y/n", null, null, null);
        s = render(120, 40, asking);
        assertTrue(s.line(39).startsWith(" Kill app now with SIGKILL (3 processes)? y/n"), s.line(39));
        assertEquals(TextColor.ANSI.RED, s.at(1, 39).getBackgroundColor());

        Frame replied = withUi(Fixtures.frame(p), false, null, "limit is now 110 MiB (was 100 MiB)", null, null);
        assertTrue(render(120, 40, replied).line(39).contains("limit is now 110 MiB (was 100 MiB)"));
    }

    @Test
    void helpOverlayListsTheKeys() {
        VirtualScreen s = render(120, 40, withUi(Fixtures.frame(Fixtures.running(56, 100)), true, null, null, null, null));
        for (String key : List.of("q, Ctrl-C  quit", "s          stop", "k          kill", "r          restart",
                "+ / -      raise / lower the limit", "? or Esc   close this help")) {
            assertTrue(s.contains(key), key + "\n" + s.text());
        }
    }

    @Test
    void finalStateShowsHowTheProgramEndedAndWhy() {
        String reason = "app exited with status 143 (SIGTERM) (stopped by sentinel: memory limit exceeded) after 1m35s,"
                + " peak RSS 101 MiB";
        Frame f = withUi(Fixtures.frame(Fixtures.exited(StopReason.MEMORY)), false, null, null, reason,
                "exiting in 2s · any key: now");
        VirtualScreen s = render(120, 40, f);
        assertTrue(s.contains(FinalOverlay.TITLE), s.text());
        assertTrue(s.contains("stopped by sentinel: memory limit"), s.text());
        assertTrue(s.line(39).startsWith(" exiting in 2s · any key: now"), s.line(39));
        assertTrue(s.line(1).startsWith("app  EXITED  pid 1000  up 1m35s  exit status 143"), s.line(1));
        assertTrue(s.contains("(no processes: the tree is gone)"), s.text());
    }

    @Test
    void aTwentyByEightTerminalShowsTheEssentials() {
        VirtualScreen s = render(20, 8, Fixtures.frame(Fixtures.running(56, 100)));
        List<String> l = s.lines();
        assertEquals("app", l.get(0).trim());
        assertTrue(l.get(1).startsWith("RUNNING pid 1000"), s.text());
        assertEquals("56 MiB / 100 MiB", l.get(2).trim());
        assertTrue(l.get(3).endsWith(" 56%"), s.text());
        assertEquals(TextColor.ANSI.GREEN, s.foreground(0, 3));
        assertEquals("q quit  ? help", l.get(7).trim());
    }

    @Test
    void aTinyTerminalAtTheLimitTurnsItsBarRed() {
        VirtualScreen s = render(20, 8, Fixtures.frame(Fixtures.running(99, 100)));
        assertEquals(TextColor.ANSI.RED, s.foreground(0, 3), s.text());
    }

    @Test
    void anySizeDrawsWithoutThrowing() {
        int[] widths = {1, 2, 3, 5, 8, 12, 20, 30, 49, 50, 51, 64, 80, 99, 100, 101, 133, 200};
        int[] heights = {1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 17, 24, 40, 60};
        Frame running = Fixtures.frame(Fixtures.running(56, 100));
        Frame help = withUi(running, true, null, null, null, null);
        Frame last = withUi(Fixtures.frame(Fixtures.exited(StopReason.STOP)), false, null, null,
                "app exited with status 143", "press any key to exit");
        Frame backoff = Fixtures.frame(Fixtures.backoff(T0 + 2_100));
        backoff.history().restartAt(T0 - 1_000);
        Frame fatal = withUi(Fixtures.frame(Fixtures.fatal()), false, null, null,
                "app: Sentinel gave up after 10 restarts in a row", "press any key to exit");
        VirtualScreen s = VirtualScreen.started(1, 1);
        for (int w : widths) {
            for (int h : heights) {
                s.resize(w, h);
                for (Frame f : List.of(running, help, last, backoff, fatal)) {
                    s.draw(g -> view.draw(g, f));
                    assertEquals(h, s.lines().size());
                }
            }
        }
        s.resize(1, 1);
        s.draw(g -> view.draw(g, running));
        assertEquals("a", s.line(0));
        s.resize(200, 60);
        s.draw(g -> view.draw(g, running));
        assertTrue(s.contains("TOTAL 3 processes"), s.text());
        assertNotEquals(-1, s.rowOf("memory · last"));
    }

    @Test
    void childOutputCannotTearTheScreen() {
        OutputBuffer out = new OutputBuffer(10);
        out.add(OutputLine.Source.STDOUT, "\u001b[2J\u001b[1;1Hgotcha\u001b]0;evil title\u0007\ttab\rfinal text");
        out.add(OutputLine.Source.STDOUT, "bell\u0007 backspace\b\b\b\bXX nul\u0000 del\u007f c1\u009b31m");
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(56, 100), Fixtures.staircase(5), out, List.of()));
        assertTrue(s.line(0).startsWith(" Sentinel 9.8.7"), s.text());
        assertTrue(s.contains("│ final text"), s.text());
        assertTrue(s.contains("│ bell backsXX nul del c1"), s.text());
        assertFalse(s.contains("gotcha"), "text before a carriage return is overwritten, as on a terminal");
        assertFalse(s.contains("evil"), s.text());
    }

    @Test
    void backoffShowsTheCountdownAndItRunsOnTheDashboardsClockAlone() {
        Frame f = Fixtures.frame(Fixtures.backoff(T0 + 2_100));
        VirtualScreen s = render(120, 40, f);
        String line = s.line(1);
        assertTrue(line.startsWith("app  BACKOFF  restart in 2.1s (3 of at most 10)  restarts 2 "), line);
        assertFalse(line.contains(" up "), "the tree is gone: no uptime, " + line);
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(line.indexOf("BACKOFF"), 1));
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(line.indexOf("restart in"), 1));
        // The same snapshot (the loop sleeps through the backoff), drawn later.
        assertTrue(render(120, 40, Fixtures.at(f, T0 + 1_050)).line(1)
                .startsWith("app  BACKOFF  restart in 1.1s (3 of at most 10)"), "rounded up to the tenth");
        assertTrue(render(120, 40, Fixtures.at(f, T0 - 20_000)).line(1).startsWith("app  BACKOFF  restart in 23s ("));
        assertTrue(render(120, 40, Fixtures.at(f, T0 + 2_100)).line(1).startsWith("app  BACKOFF  restarting now ("));
        assertTrue(render(120, 40, Fixtures.at(f, T0 + 9_000)).line(1).startsWith("app  BACKOFF  restarting now ("),
                "overdue (the next snapshot is on its way): never a negative time");
    }

    @Test
    void backoffSaysInTheEmptyTableHowTheLastRunEnded() {
        VirtualScreen s = render(104, 34, Fixtures.frame(Fixtures.backoff(T0 + 2_100)));
        int row = s.rowOf("NAME / COMMAND") + 1;
        assertEquals("waiting to restart: run 3 exited with status 143 (SIGTERM) after 9.5s (stopped: memory limit "
                + "exceeded)", s.line(row).trim());
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(0, row));
        assertEquals("r restarts it now, s cancels the restart", s.line(row + 1).trim());
        assertTrue(s.line(row + 2).startsWith("TOTAL 0 processes  RSS 0 B  peak 101 MiB"), s.line(row + 2));
    }

    @Test
    void fatalIsRedAndSaysWhySentinelGaveUp() {
        List<Event> events = List.of(new Event(T0, "app", 11, EventKind.GAVE_UP,
                "gave up after 10 restarts in a row that each lasted under 1m (the last run exited with status 3)",
                Event.fields("restarts", 10, "exit_status", 3, "stable_after_seconds", 60.0)));
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.fatal(), Fixtures.staircase(5), new OutputBuffer(10),
                events));
        String line = s.line(1);
        assertTrue(line.startsWith("app  FATAL  gave up after 10 restarts in a row  restarts 10  exit status 3"), line);
        assertEquals(TextColor.ANSI.RED, s.foreground(line.indexOf("FATAL"), 1));
        assertEquals(TextColor.ANSI.RED, s.foreground(line.indexOf("gave up"), 1));
        assertEquals(TextColor.ANSI.DEFAULT, s.foreground(line.indexOf("restarts 10"), 1));
        int row = s.rowOf("NAME / COMMAND") + 1;
        assertEquals("Sentinel gave up restarting: run 11 exited with status 3 after 2s", s.line(row).trim());
        assertEquals(TextColor.ANSI.RED, s.foreground(0, row));
    }

    @Test
    void theGiveUpCountIsTheEventsElseTheMaximum() {
        ProgramSnapshot p = Fixtures.fatal();
        assertEquals("gave up after 10 restarts in a row", RestartText.gaveUp(p, List.of()));
        Event other = new Event(T0, "other", 1, EventKind.GAVE_UP, "gave up", Event.fields("restarts", 2));
        Event own = new Event(T0, "app", 2, EventKind.GAVE_UP, "gave up", Event.fields("restarts", 1));
        assertEquals("gave up after 1 restart in a row", RestartText.gaveUp(p, List.of(own, other)));
    }

    @Test
    void theFinalBoxAfterGivingUpIsRedAndSaysSo() {
        String reason = "app: Sentinel gave up after 10 restarts in a row that each lasted under 1m (the last run "
                + "exited with status 3)";
        VirtualScreen s = render(120, 40, withUi(Fixtures.frame(Fixtures.fatal()), false, null, null, reason,
                "exiting in 2s · any key: now"));
        int title = s.rowOf(FinalOverlay.TITLE_FATAL);
        assertTrue(title > 0, s.text());
        assertFalse(s.contains(FinalOverlay.TITLE), s.text());
        assertTrue(s.contains("Sentinel gave up after 10 restarts in a row"), s.text());
        assertEquals(TextColor.ANSI.RED, s.at(s.line(title).indexOf("Sentinel gave up"), title).getBackgroundColor());
    }

    @Test
    void theChartMarksEachRestartInItsColumn() {
        // Run 1 climbs for 30 s, the tree is gone for 10 s (BACKOFF), run 2 starts 20 s before now.
        RssHistory h = new RssHistory(1000, 500);
        for (int sec = 0; sec <= 60; sec++) {
            long rss = sec <= 30 ? (20 + sec) * Fixtures.MIB : sec < 40 ? 0 : (10 + sec - 40) * Fixtures.MIB;
            h.record(T0 - 60_000 + sec * 1000L, rss);
        }
        h.restartAt(T0 - 20_000);
        VirtualScreen s = render(120, 40, Fixtures.frame(Fixtures.running(30, 100), h, new OutputBuffer(10), List.of()));
        int title = s.rowOf("memory · last");
        assertTrue(s.line(title).contains("1s per column · limit 100 MiB · ┊ restart"), s.line(title));
        assertEquals(MemoryChart.RESTART_COLOR, s.foreground(s.line(title).indexOf('┊'), title));
        int zeroRow = s.rowOf("        0┤");
        // 109 one-second columns end at now; the start 20 s ago is in the slot (now-21s, now-20s].
        int x = MemoryChart.GUTTER + 109 - 1 - 20;
        int marks = 0;
        for (int y = title + 1; y <= zeroRow; y++) {
            char c = s.line(y).charAt(x);
            if (c == MemoryChart.RESTART_MARK) {
                marks++;
                assertEquals(MemoryChart.RESTART_COLOR, s.foreground(x, y));
            } else {
                assertTrue(c == MemoryChart.LIMIT_LINE || new String(MemoryChart.EIGHTHS).indexOf(c) > 0,
                        "the mark goes through the empty cells only, found '" + c + "' at row " + y);
            }
            assertFalse(s.line(y).charAt(x - 1) == MemoryChart.RESTART_MARK, "one column only");
            assertFalse(s.line(y).charAt(x + 1) == MemoryChart.RESTART_MARK, "one column only");
        }
        assertTrue(marks >= zeroRow - title - 3, "dotted nearly the full height: " + marks + "\n" + s.text());
        assertTrue(s.line(zeroRow).charAt(x) != MemoryChart.RESTART_MARK, "the new run's RSS is at the bottom");
        assertEquals(1, s.text().chars().filter(c -> c == MemoryChart.RESTART_MARK).count() - marks,
                "no other mark but the legend");
    }

    @Test
    void aChartWithoutRestartsHasNoMarkAndNoLegend() {
        VirtualScreen s = render(104, 34, Fixtures.frame(Fixtures.running(56, 100)));
        int title = s.rowOf("memory · last");
        assertTrue(title > 0, s.text());
        assertFalse(s.line(title).contains("restart"), s.line(title));
        assertFalse(s.contains(String.valueOf(MemoryChart.RESTART_MARK)), s.text());
    }

    @Test
    void aTwentyByEightTerminalShowsBackoffAndItsCountdown() {
        Frame f = Fixtures.frame(Fixtures.backoff(T0 + 2_100));
        VirtualScreen s = render(20, 8, f);
        List<String> l = s.lines();
        assertEquals("app", l.get(0).trim());
        assertEquals("BACKOFF in 2.1s", l.get(1).trim());
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(0, 1));
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(l.get(1).indexOf("2.1s"), 1));
        assertEquals("0 B / 100 MiB", l.get(2).trim());
        assertTrue(l.get(3).endsWith(" 0%"), s.text());
        assertEquals("restart 3 of 10", l.get(4).trim());
        assertEquals("q quit  ? help", l.get(7).trim());
        assertEquals("BACKOFF in 0.6s", render(20, 8, Fixtures.at(f, T0 + 1_500)).line(1).trim());
        assertTrue(render(30, 2, f).line(0).startsWith("app BACKOFF in 2.1s 0 B / 100…"),
                render(30, 2, f).text());
    }

    @Test
    void aTwentyByEightTerminalShowsFatalInRed() {
        VirtualScreen s = render(20, 8, Fixtures.frame(Fixtures.fatal()));
        assertEquals("FATAL", s.line(1).trim());
        assertEquals(TextColor.ANSI.RED, s.foreground(0, 1));
        assertEquals("gave up: 10 restarts", s.line(4).trim());
        assertEquals(TextColor.ANSI.RED, s.foreground(0, 4));
        Frame holding = withUi(Fixtures.frame(Fixtures.fatal()), false, null, null,
                "app: Sentinel gave up after 10 restarts in a row", "exiting in 2s · any key: now");
        assertEquals("gave up: 10 restarts", render(20, 8, holding).line(4).trim(), "short, while the final state shows");
    }

    private static Frame withUi(Frame f, boolean help, String prompt, String status, String reason, String hint) {
        return new Frame(f.snapshot(), f.history(), f.cpu(), f.events(), f.output(), f.outputScroll(), help, prompt,
                status, reason, hint, f.quitting(), f.nowMillis());
    }
}
