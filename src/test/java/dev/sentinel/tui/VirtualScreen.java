package dev.sentinel.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminalListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Lanterna's in-memory terminal with a screen on it: tests draw, refresh, and read back the
 * characters and colours the terminal received, as a user would see them.
 */
final class VirtualScreen {

    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;

    VirtualScreen(int columns, int rows) {
        terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        try {
            screen = new TerminalScreen(terminal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts the flushes {@code terminal} receives from now on (a frame that writes nothing flushes nothing). */
    static AtomicInteger countFlushes(DefaultVirtualTerminal terminal) {
        AtomicInteger flushes = new AtomicInteger();
        terminal.addVirtualTerminalListener(new VirtualTerminalListener() {
            @Override
            public void onFlush() {
                flushes.incrementAndGet();
            }

            @Override
            public void onBell() {
            }

            @Override
            public void onClose() {
            }

            @Override
            public void onResized(Terminal terminal, TerminalSize newSize) {
            }
        });
        return flushes;
    }

    /** A started screen, for drawing directly. */
    static VirtualScreen started(int columns, int rows) {
        VirtualScreen v = new VirtualScreen(columns, rows);
        try {
            v.screen.startScreen();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return v;
    }

    /** Clears, lets {@code painter} draw, and sends the result to the terminal. */
    VirtualScreen draw(Consumer<TextGraphics> painter) {
        screen.doResizeIfNecessary();
        screen.clear();
        painter.accept(screen.newTextGraphics());
        try {
            screen.refresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    void resize(int columns, int rows) {
        terminal.setTerminalSize(new TerminalSize(columns, rows));
    }

    int columns() {
        return terminal.getTerminalSize().getColumns();
    }

    int rows() {
        return terminal.getTerminalSize().getRows();
    }

    /** Row {@code y} as text (double-width padding cells skipped), trailing blanks kept. */
    String line(int y) {
        StringBuilder sb = new StringBuilder();
        for (int x = 0; x < columns(); x++) {
            TextCharacter c = terminal.getCharacter(x, y);
            if (x > 0 && terminal.getCharacter(x - 1, y).isDoubleWidth()) {
                continue;
            }
            sb.append(c == null ? " " : c.getCharacterString());
        }
        return sb.toString();
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (int y = 0; y < rows(); y++) {
            out.add(line(y));
        }
        return out;
    }

    /** The whole screen, one line per row, for assertions and failure messages. */
    String text() {
        return String.join("\n", lines());
    }

    boolean contains(String s) {
        return text().contains(s);
    }

    /** Row of the first line containing {@code s}, or -1. */
    int rowOf(String s) {
        List<String> ls = lines();
        for (int y = 0; y < ls.size(); y++) {
            if (ls.get(y).contains(s)) {
                return y;
            }
        }
        return -1;
    }

    TextCharacter at(int x, int y) {
        return terminal.getCharacter(x, y);
    }

    TextColor foreground(int x, int y) {
        return at(x, y).getForegroundColor();
    }
}
