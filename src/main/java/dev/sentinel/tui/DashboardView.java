package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.core.Durations;
import dev.sentinel.core.Event;
import dev.sentinel.core.GuardianState;
import dev.sentinel.core.ProgramSnapshot;
import dev.sentinel.core.RunInfo;
import java.time.ZoneId;
import java.util.List;

/**
 * Draws one {@link Frame} onto a {@link TextGraphics} of any size: pure drawing, no terminal, so
 * tests render into Lanterna's virtual terminal and read the characters back.
 *
 * <pre>
 * header        Sentinel version, pid, limit, grace, socket, metrics
 * program line  name, state, pid, uptime, restarts, growth and time to the limit;
 *               in BACKOFF the countdown to the restart, in FATAL why Sentinel gave up
 * process table one row per process, then the total with the usage bar
 * memory chart  the tree's RSS over the last minutes against the limit line, restarts marked
 * events | output
 * footer        keys, or the question waiting for y/n, or the reply to the last order
 * </pre>
 *
 * While Sentinel is about to exit, a box in the middle says how the program ended and why.
 *
 * Below {@value #COMPACT_BELOW_COLUMNS} columns or {@value #COMPACT_BELOW_ROWS} rows only the
 * essentials are drawn ({@link CompactView}).
 */
final class DashboardView {

    static final int COMPACT_BELOW_COLUMNS = 50;
    static final int COMPACT_BELOW_ROWS = 12;
    static final String KEYS = "q quit  s stop  k kill  r restart  +/- limit  ? help";

    private final ZoneId zone;

    DashboardView(ZoneId zone) {
        this.zone = zone;
    }

    void draw(TextGraphics g, Frame f) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1 || f.snapshot().programs().isEmpty()) {
            return;
        }
        ProgramSnapshot p = f.snapshot().programs().get(0);
        if (w < COMPACT_BELOW_COLUMNS || h < COMPACT_BELOW_ROWS) {
            CompactView.draw(g, f, p);
        } else {
            full(g, f, p, w, h);
        }
        if (f.finalReason() != null && w >= COMPACT_BELOW_COLUMNS && h >= COMPACT_BELOW_ROWS) {
            FinalOverlay.draw(g, f.finalReason(), f.finalHint(), p.state() == GuardianState.FATAL);
        } else if (f.help()) {
            HelpOverlay.draw(g);
        }
    }

    private void full(TextGraphics g, Frame f, ProgramSnapshot p, int w, int h) {
        header(g, f.snapshot().info(), p, w);
        programLine(g, 1, p, w, f.nowMillis(), f.snapshot().events());
        int rest = h - 5;
        int tableRows = p.processes().isEmpty() ? ProcessTable.rowsWithoutTree(p) : p.processes().size();
        int procRows = Math.max(1, Math.min(tableRows, Math.min(12, rest / 4)));
        ProcessTable.draw(area(g, 0, 2, w, 1 + procRows), p, f.cpu());
        int totalY = 3 + procRows;
        ProcessTable.drawTotal(g, totalY, p);
        int below = h - 1 - (totalY + 1);
        int chartH;
        int panesH;
        if (below >= 8) {
            chartH = Math.max(4, Math.min(16, below * 45 / 100));
            panesH = below - chartH;
            if (panesH < 3) {
                chartH += panesH;
                panesH = 0;
            }
        } else {
            chartH = below;
            panesH = 0;
        }
        int chartY = totalY + 1;
        MemoryChart.draw(area(g, 0, chartY, w, chartH), f.history(), f.nowMillis(), p.limit());
        int panesY = chartY + chartH;
        if (panesH > 0) {
            if (w >= 100) {
                int ew = w * 45 / 100;
                EventPane.draw(area(g, 0, panesY, ew - 1, panesH), f.events(), zone);
                g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
                for (int y = panesY; y < panesY + panesH; y++) {
                    g.setCharacter(ew, y, '│');
                }
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
                OutputPane.draw(area(g, ew + 2, panesY, w - ew - 2, panesH), f.output(), f.outputScroll());
            } else if (panesH >= 4) {
                int eh = panesH / 2;
                EventPane.draw(area(g, 0, panesY, w, eh), f.events(), zone);
                OutputPane.draw(area(g, 0, panesY + eh, w, panesH - eh), f.output(), f.outputScroll());
            } else {
                EventPane.draw(area(g, 0, panesY, w, panesH), f.events(), zone);
            }
        }
        footer(g, h - 1, w, f);
    }

    private static void header(TextGraphics g, RunInfo info, ProgramSnapshot p, int w) {
        // Limit and grace first: they matter most and survive a narrow terminal.
        String text = " Sentinel " + info.version() + " · pid " + info.pid() + " · limit " + p.limit() + " · grace "
                + Durations.format(p.grace())
                + " · socket " + (info.socketPath() == null ? "off" : info.socketPath())
                + " · metrics " + (info.metricsAddress() == null ? "off" : info.metricsAddress());
        g.setBackgroundColor(TextColor.ANSI.BLUE);
        g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, Fmt.left(text, w));
        g.disableModifiers(SGR.BOLD);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }

    /**
     * Name, state, pid, uptime, restarts, then growth and the time left until the limit. In
     * BACKOFF the countdown to the restart (against {@code nowMillis}, the frame's clock) takes the
     * place of pid and uptime; in FATAL, why Sentinel gave up.
     */
    static void programLine(TextGraphics g, int y, ProgramSnapshot p, int w, long nowMillis, List<Event> events) {
        int x = put(g, 0, y, p.name(), TextColor.ANSI.DEFAULT, true);
        x = put(g, x + 2, y, p.state().name(), stateColor(p.state()), true);
        boolean waiting = p.state() == GuardianState.BACKOFF || p.state() == GuardianState.FATAL;
        if (p.state() == GuardianState.BACKOFF) {
            x = put(g, x, y, "  " + RestartText.countdown(p, nowMillis), TextColor.ANSI.YELLOW, true);
        } else if (p.state() == GuardianState.FATAL) {
            x = put(g, x, y, "  " + RestartText.gaveUp(p, events), TextColor.ANSI.RED, true);
        }
        StringBuilder sb = new StringBuilder();
        if (!waiting) {
            if (p.pid() != 0) {
                sb.append("  pid ").append(p.pid());
            }
            sb.append("  up ").append(Fmt.duration(p.uptimeMillis()));
        }
        if (p.restarts() > 0) {
            sb.append("  restarts ").append(p.restarts());
        }
        if (p.state().isFinal() && p.exitStatus() >= 0) {
            sb.append("  exit status ").append(p.exitStatus());
        }
        x = put(g, x, y, sb.toString(), TextColor.ANSI.DEFAULT, false);
        if (p.isUp()) {
            x = put(g, x, y, "  growth " + Fmt.growth(p.growthBytesPerSecond()), TextColor.ANSI.DEFAULT, false);
            String eta = timeToLimit(p);
            if (eta != null) {
                x = put(g, x, y, "  " + eta, TextColor.ANSI.YELLOW, true);
            }
        }
        if (x > w) {
            g.setCharacter(w - 1, y, '…');
        }
    }

    /** "limit in ~48s" when the tree grows towards a limit, else null. */
    static String timeToLimit(ProgramSnapshot p) {
        double rate = p.growthBytesPerSecond();
        if (!p.limit().isSet() || rate < 1024 || p.rssBytes() >= p.limit().bytes()) {
            return null;
        }
        double seconds = (p.limit().bytes() - p.rssBytes()) / rate;
        if (seconds > 100 * 3600) {
            return null;
        }
        return "limit in ~" + Fmt.duration((long) (seconds * 1000));
    }

    static TextColor stateColor(GuardianState s) {
        return switch (s) {
            case STARTING -> TextColor.ANSI.CYAN;
            case RUNNING -> TextColor.ANSI.GREEN;
            case STOPPING -> TextColor.ANSI.YELLOW;
            case KILLING, FATAL -> TextColor.ANSI.RED;
            case BACKOFF -> TextColor.ANSI.YELLOW;
            case EXITED -> TextColor.ANSI.MAGENTA;
        };
    }

    /** The footer: the final banner, or a question, or the keys with the reply to the last order. */
    static void footer(TextGraphics g, int y, int w, Frame f) {
        if (f.finalHint() != null) {
            bar(g, y, w, f.finalHint(), TextColor.ANSI.MAGENTA);
        } else if (f.prompt() != null) {
            bar(g, y, w, f.prompt(), TextColor.ANSI.RED);
        } else {
            String keys = f.quitting() ? "stopping, then exiting · q again: kill now" : KEYS;
            bar(g, y, w, keys, f.quitting() ? TextColor.ANSI.YELLOW : TextColor.ANSI.BLUE);
            if (f.status() != null && w > keys.length() + 6) {
                g.setForegroundColor(TextColor.ANSI.YELLOW);
                g.putString(keys.length() + 3, y, Fmt.fit(f.status(), w - keys.length() - 3));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
        }
    }

    private static void bar(TextGraphics g, int y, int w, String text, TextColor background) {
        g.setBackgroundColor(background);
        g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
        g.enableModifiers(SGR.BOLD);
        g.putString(0, y, Fmt.left(" " + text, w));
        g.disableModifiers(SGR.BOLD);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }

    private static int put(TextGraphics g, int x, int y, String text, TextColor color, boolean bold) {
        g.setForegroundColor(color);
        if (bold) {
            g.enableModifiers(SGR.BOLD);
        }
        g.putString(x, y, text);
        g.disableModifiers(SGR.BOLD);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        return x + com.googlecode.lanterna.TerminalTextUtils.getColumnWidth(text);
    }

    /** A clipped sub-area; never throws for sizes that do not fit. */
    static TextGraphics area(TextGraphics g, int x, int y, int w, int h) {
        return g.newTextGraphics(new TerminalPosition(Math.max(0, x), Math.max(0, y)),
                new TerminalSize(Math.max(0, w), Math.max(0, h)));
    }
}
