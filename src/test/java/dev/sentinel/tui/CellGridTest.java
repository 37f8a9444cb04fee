package dev.sentinel.tui;

import static dev.sentinel.tui.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.sentinel.core.program.StopReason;
import java.io.IOException;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the dashboard writes through its grid is what Lanterna's own graphics would have put on the terminal. */
class CellGridTest {

    private final DashboardView view = new DashboardView(ZoneId.of("UTC"));

    /** The terminal after Lanterna's screen drew {@code painter}. */
    private static DefaultVirtualTerminal byLanterna(int w, int h, Consumer<TextGraphics> painter) {
        return VirtualScreen.started(w, h).draw(painter).terminal;
    }

    /** The terminal after a grid drew {@code painter} and wrote itself out whole. */
    private static DefaultVirtualTerminal byGrid(int w, int h, Consumer<TextGraphics> painter) throws IOException {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(w, h));
        CellGrid grid = new CellGrid(new TerminalSize(w, h));
        painter.accept(grid.graphics());
        grid.writeTo(t, null);
        return t;
    }

    private static void assertSameCells(DefaultVirtualTerminal expected, DefaultVirtualTerminal actual) {
        TerminalSize size = expected.getTerminalSize();
        for (int y = 0; y < size.getRows(); y++) {
            for (int x = 0; x < size.getColumns(); x++) {
                TextCharacter e = expected.getCharacter(x, y);
                TextCharacter a = actual.getCharacter(x, y);
                String where = "(" + x + ", " + y + ") of " + size;
                assertEquals(e.getCharacterString(), a.getCharacterString(), "character at " + where);
                assertEquals(e.getForegroundColor(), a.getForegroundColor(), "foreground at " + where);
                assertEquals(e.getBackgroundColor(), a.getBackgroundColor(), "background at " + where);
                assertEquals(e.getModifiers(), a.getModifiers(), "modifiers at " + where);
            }
        }
    }

    private static List<Frame> frames() {
        OutputBuffer wide = new OutputBuffer(10);
        wide.add(OutputLine.Source.STDOUT, "日本語の出力 and ascii after it");
        wide.add(OutputLine.Source.STDERR, "an error");
        return List.of(
                Fixtures.frame(Fixtures.running(56, 100)),
                Fixtures.frame(Fixtures.running(99, 100), Fixtures.staircase(70), wide, List.of()),
                Fixtures.withUi(Fixtures.frame(Fixtures.running(56, 100)), true, null, null, null, null),
                Fixtures.withUi(Fixtures.frame(Fixtures.exited(StopReason.MEMORY)), false, "Kill app? y/n", null,
                        "app exited with status 143", "exiting in 2s · any key: now"),
                Fixtures.frame(Fixtures.backoff(T0 + 2_100)),
                Fixtures.manyFrame(Fixtures.threePrograms(T0 + 2_100), "worker", true, Fixtures.staircase(30), wide,
                        List.of()),
                Fixtures.manyFrame(Fixtures.manyPrograms(50), "p31", false, Fixtures.staircase(30), wide, List.of()));
    }

    @Test
    void everyFrameLooksTheSameAsDrawnByLanterna() throws IOException {
        for (int[] size : new int[][] {{120, 40}, {80, 24}, {20, 8}, {51, 12}, {200, 60}}) {
            for (Frame f : frames()) {
                assertSameCells(byLanterna(size[0], size[1], g -> view.draw(g, f)),
                        byGrid(size[0], size[1], g -> view.draw(g, f)));
            }
        }
    }

    @Test
    void doubleWidthCharactersAndClippedAreasFollowLanternasRules() throws IOException {
        Consumer<TextGraphics> painter = g -> {
            g.putString(0, 0, "日本語 text");
            g.putString(2, 1, "abcdef");
            g.putString(3, 1, "漢");
            g.putString(0, 2, "xy漢z");
            g.putString(1, 2, "q");
            g.putString(8, 3, "line one\nline two");
            g.setForegroundColor(TextColor.ANSI.RED);
            g.enableModifiers(SGR.BOLD, SGR.UNDERLINE);
            TextGraphics box = g.newTextGraphics(new TerminalPosition(4, 4), new TerminalSize(6, 2));
            box.putString(-2, 0, "0123456789");
            box.putString(0, 1, "漢字漢字");
            box.setCharacter(5, 1, '#');
            box.newTextGraphics(new TerminalPosition(3, 0), new TerminalSize(10, 10)).putString(0, 0, "nested!");
            g.disableModifiers(SGR.UNDERLINE);
            g.setBackgroundColor(TextColor.ANSI.BLUE);
            g.newTextGraphics(new TerminalPosition(0, 7), new TerminalSize(5, 2)).fill('.');
            g.newTextGraphics(new TerminalPosition(30, 30), new TerminalSize(5, 2)).putString(0, 0, "outside");
            g.putString(18, 9, "end 漢");
        };
        assertSameCells(byLanterna(20, 10, painter), byGrid(20, 10, painter));
    }

    @Test
    void nothingBelowU1100IsDoubleWidth() {
        for (char c = 0; c < CellGrid.FIRST_WIDE; c++) {
            assertTrue(!TerminalTextUtils.isCharDoubleWidth(c), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void onlyTheCellsThatChangedAreWrittenAndAnUnchangedFrameWritesNothing() throws IOException {
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(120, 40));
        AtomicInteger flushes = VirtualScreen.countFlushes(t);
        Frame first = Fixtures.frame(Fixtures.backoff(T0 + 2_100));
        Frame later = Fixtures.at(first, T0 + 1_000);
        CellGrid grid = new CellGrid(t.getTerminalSize());
        view.draw(grid.graphics(), first);
        grid.writeTo(t, null);
        CellGrid shown = grid.copy();
        assertEquals(1, flushes.get());

        grid.clear();
        view.draw(grid.graphics(), first);
        assertEquals(0, grid.writeTo(t, shown), "the same frame again");
        assertEquals(1, flushes.get(), "and no flush");

        grid.clear();
        view.draw(grid.graphics(), later);
        int written = grid.writeTo(t, shown);
        // "2.1s" became "1.1s" and the chart moved a column: a small part of the 4,800 cells.
        assertTrue(written >= 1 && written < 200, written + " cells");
        assertEquals(2, flushes.get());
        assertSameCells(byLanterna(120, 40, g -> view.draw(g, later)), t);
        assertEquals(0, grid.writeTo(t, shown), "what was written is what the terminal shows now");
    }
}
