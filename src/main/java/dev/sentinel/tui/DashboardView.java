package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.events.Event;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.RunInfo;
import java.time.ZoneId;
import java.util.List;

/**
 * Draws one {@link Frame} onto a {@link TextGraphics} of any size: pure drawing, no terminal, so
 * tests render into Lanterna's virtual terminal and read the characters back.
 *
 * <pre>
 * header        Sentinel version, pid, limit, grace, socket, metrics
 * program line  name, state, readiness (with a check or a readiness to wait for), pid, uptime,
 *               restarts, growth and time to the limit, the notify socket's STATUS= text;
 *               in BACKOFF the countdown to the restart, in FATAL why Sentinel gave up
 * process table one row per process, then the total with the usage bar
 * memory chart  the tree's RSS over the last minutes against the limit line, restarts marked
 * events | output
 * footer        keys, or the question waiting for y/n, or the reply to the last order
 * </pre>
 *
 * While Sentinel is about to exit, a box in the middle says how the program ended and why.
 *
 * <p>With more than one program, or in config mode, the program table comes first and the rest
 * is about the selected program:
 *
 * <pre>
 * header        Sentinel version, pid, the programs counted by state, socket, metrics
 * program table one row per program (scrolls), the selected one highlighted
 * program line  the selected program's line, as above
 * process table its tree, when Enter showed it
 * memory chart  its RSS over time
 * events | output  every program's events (named), the selected program's output
 * footer        keys, question or reply
 * </pre>
 *
 * Below {@value #COMPACT_BELOW_COLUMNS} columns or {@value #COMPACT_BELOW_ROWS} rows only the
 * essentials are drawn ({@link CompactView}).
 */
final class DashboardView {

    static final int COMPACT_BELOW_COLUMNS = 50;
    static final int COMPACT_BELOW_ROWS = 12;
    static final String KEYS = "q quit  s stop  k kill  r restart  +/- limit  ? help";
    static final String KEYS_MANY = "↑↓ select  Enter tree  s stop  k kill  r restart  +/- limit  q quit  ? help";
    /** The program table's share of the rows below the header, when there are more programs than fit. */
    static final int TABLE_PERCENT = 45;

    private final ZoneId zone;
    private final EventPane events;

    DashboardView(ZoneId zone) {
        this.zone = zone;
        this.events = new EventPane(zone);
    }

    void draw(TextGraphics g, Frame f) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1 || f.snapshot().programs().isEmpty()) {
            return;
        }
        ProgramSnapshot p = f.selected();
        boolean many = f.manyPrograms();
        if (w < COMPACT_BELOW_COLUMNS || h < COMPACT_BELOW_ROWS) {
            CompactView.draw(g, f, p);
        } else if (many) {
            many(g, f, p, w, h);
        } else {
            full(g, f, p, w, h);
        }
        if (f.finalReason() != null && w >= COMPACT_BELOW_COLUMNS && h >= COMPACT_BELOW_ROWS) {
            if (many) {
                boolean fatal = false;
                for (ProgramSnapshot x : f.snapshot().programs()) {
                    fatal |= x.state() == ProgramState.FATAL;
                }
                FinalOverlay.draw(g, fatal ? FinalOverlay.TITLE_ALL_FATAL : FinalOverlay.TITLE_ALL, f.finalReason(),
                        f.finalHint(), fatal);
            } else {
                boolean fatal = p.state() == ProgramState.FATAL;
                FinalOverlay.draw(g, fatal ? FinalOverlay.TITLE_FATAL : FinalOverlay.TITLE, f.finalReason(),
                        f.finalHint(), fatal);
            }
        } else if (f.help()) {
            HelpOverlay.draw(g, many ? HelpOverlay.linesForMany(f.snapshot().info().configMode()) : HelpOverlay.LINES);
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
        lower(g, f, p, totalY + 1, w, h, null);
        footer(g, h - 1, w, f);
    }

    /** The program table, then the selected program: its line, its tree (if shown), chart and panes. */
    private void many(TextGraphics g, Frame f, ProgramSnapshot p, int w, int h) {
        List<ProgramSnapshot> programs = f.snapshot().programs();
        int rest = h - 2;
        int tableH = Math.min(ProgramTable.rowsWanted(programs.size()), Math.max(3, (rest - 1) * TABLE_PERCENT / 100));
        String position = ProgramTable.draw(area(g, 0, 1, w, tableH), programs, f.selection().index(programs),
                f.selection().scroll(), f.nowMillis(), f.snapshot().events());
        manyHeader(g, f.snapshot().info(), programs, w, position);
        int y = 1 + tableH;
        programLine(g, y++, p, w, f.nowMillis(), f.snapshot().events());
        if (f.selection().tree()) {
            int tableRows = p.processes().isEmpty() ? ProcessTable.rowsWithoutTree(p) : p.processes().size();
            int procRows = Math.max(1, Math.min(tableRows, Math.min(12, (h - 1 - y) / 4)));
            ProcessTable.draw(area(g, 0, y, w, 1 + procRows), p, f.cpu());
            y += 1 + procRows;
            ProcessTable.drawTotal(g, y++, p);
        }
        lower(g, f, p, y, w, h, p.name());
        footer(g, h - 1, w, f);
    }

    /**
     * The memory chart and, below it, the events and output panes, from row {@code top} to the
     * footer. {@code program} names the program in the titles (with several), or is null.
     */
    private void lower(TextGraphics g, Frame f, ProgramSnapshot p, int top, int w, int h, String program) {
        int below = h - 1 - top;
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
        MemoryChart.draw(area(g, 0, top, w, chartH), f.history(), f.nowMillis(), p.limit(), program);
        int panesY = top + chartH;
        boolean named = program != null;
        if (panesH > 0) {
            if (w >= 100) {
                int ew = w * 45 / 100;
                events.draw(area(g, 0, panesY, ew - 1, panesH), f.events(), named);
                g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
                for (int y = panesY; y < panesY + panesH; y++) {
                    g.setCharacter(ew, y, '│');
                }
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
                OutputPane.draw(area(g, ew + 2, panesY, w - ew - 2, panesH), f.output(), f.outputScroll(), program);
            } else if (panesH >= 4) {
                int eh = panesH / 2;
                events.draw(area(g, 0, panesY, w, eh), f.events(), named);
                OutputPane.draw(area(g, 0, panesY + eh, w, panesH - eh), f.output(), f.outputScroll(), program);
            } else {
                events.draw(area(g, 0, panesY, w, panesH), f.events(), named);
            }
        }
    }

    /**
     * The header with several programs: how many there are in each state instead of one program's
     * limit; at its end {@code position}, which programs the table shows, when the table's own
     * title row had no room for it (null: nothing).
     */
    private static void manyHeader(TextGraphics g, RunInfo info, List<ProgramSnapshot> programs, int w,
                                   String position) {
        String text = " Sentinel " + info.version() + " · pid " + info.pid() + " · " + countByState(programs)
                + " · socket " + (info.socketPath() == null ? "off" : info.socketPath())
                + " · metrics " + (info.metricsAddress() == null ? "off" : info.metricsAddress())
                + (info.configFile() == null ? "" : " · config " + info.configFile());
        String tail = position == null ? "" : " " + position + " ";
        if (tail.length() + 10 > w) {
            tail = "";
        }
        headerBar(g, Fmt.fit(text, w - tail.length()), w);
        if (!tail.isEmpty()) {
            g.setBackgroundColor(TextColor.ANSI.BLUE);
            g.setForegroundColor(TextColor.ANSI.CYAN_BRIGHT);
            g.enableModifiers(SGR.BOLD);
            g.putString(w - tail.length(), 0, tail);
            g.disableModifiers(SGR.BOLD);
            g.setBackgroundColor(TextColor.ANSI.DEFAULT);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
    }

    /** {@code 3 programs: 2 running, 1 backoff}: the states in their life's order, those with none left out. */
    static String countByState(List<ProgramSnapshot> programs) {
        int[] counts = new int[ProgramState.values().length];
        for (ProgramSnapshot p : programs) {
            counts[p.state().ordinal()]++;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(programs.size()).append(programs.size() == 1 ? " program: " : " programs: ");
        boolean first = true;
        for (ProgramState s : ProgramState.values()) {
            if (counts[s.ordinal()] > 0) {
                sb.append(first ? "" : ", ").append(counts[s.ordinal()]).append(' ')
                        .append(s.name().toLowerCase(java.util.Locale.ROOT));
                first = false;
            }
        }
        return sb.toString();
    }

    private static void header(TextGraphics g, RunInfo info, ProgramSnapshot p, int w) {
        // Limit and grace first: they matter most and survive a narrow terminal.
        String text = " Sentinel " + info.version() + " · pid " + info.pid() + " · limit " + Fmt.limit(p.limit())
                + " · grace " + Fmt.duration(p.grace())
                + " · socket " + (info.socketPath() == null ? "off" : info.socketPath())
                + " · metrics " + (info.metricsAddress() == null ? "off" : info.metricsAddress());
        headerBar(g, text, w);
    }

    private static void headerBar(TextGraphics g, String text, int w) {
        g.setBackgroundColor(TextColor.ANSI.BLUE);
        g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, Fmt.left(text, w));
        g.disableModifiers(SGR.BOLD);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }

    /**
     * Name, state, readiness (for a program whose health is watched: {@link HealthText#line}), pid,
     * uptime, restarts, then growth and the time left until the limit, and last what the program
     * said with {@code STATUS=}. In BACKOFF the countdown to the restart (against
     * {@code nowMillis}, the frame's clock) takes the place of pid and uptime; in FATAL, why
     * Sentinel gave up.
     */
    static void programLine(TextGraphics g, int y, ProgramSnapshot p, int w, long nowMillis, List<Event> events) {
        int x = put(g, 0, y, p.name(), TextColor.ANSI.DEFAULT, true);
        x = put(g, x + 2, y, p.state().name(), stateColor(p.state()), true);
        boolean waiting = p.state() == ProgramState.BACKOFF || p.state() == ProgramState.FATAL;
        if (p.state() == ProgramState.BACKOFF) {
            x = put(g, x, y, "  " + RestartText.countdown(p, nowMillis), TextColor.ANSI.YELLOW, true);
        } else if (p.state() == ProgramState.FATAL) {
            x = put(g, x, y, "  " + RestartText.gaveUp(p, events), TextColor.ANSI.RED, true);
        }
        String health = HealthText.line(p);
        if (health != null) {
            x = put(g, x, y, "  " + health, HealthText.color(p, TextColor.ANSI.DEFAULT), false);
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
        String status = HealthText.status(p);
        if (status != null) {
            x = put(g, x, y, "  " + status, TextColor.ANSI.CYAN, false);
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

    static TextColor stateColor(ProgramState s) {
        return switch (s) {
            case STARTING, WAITING -> TextColor.ANSI.CYAN;
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
            boolean many = f.manyPrograms();
            String keys = f.quitting() ? quittingText(f) : many ? KEYS_MANY : KEYS;
            TextColor background = f.quitting() ? TextColor.ANSI.YELLOW : TextColor.ANSI.BLUE;
            if (many && f.status() != null && w - keys.length() - 3 < Math.min(f.status().length(), 30)) {
                // The reply matters more than the keys for the few seconds it shows.
                bar(g, y, w, f.status(), background);
                return;
            }
            bar(g, y, w, keys, background);
            if (f.status() != null && w > keys.length() + 6) {
                g.setForegroundColor(TextColor.ANSI.YELLOW);
                g.putString(keys.length() + 3, y, Fmt.fit(f.status(), w - keys.length() - 3));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
        }
    }

    private static String quittingText(Frame f) {
        return f.snapshot().info().configMode() ? "stopping every program, then exiting · q again: kill now"
                : "stopping, then exiting · q again: kill now";
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
        return x + Fmt.columns(text);
    }

    /** A clipped sub-area; never throws for sizes that do not fit. */
    static TextGraphics area(TextGraphics g, int x, int y, int w, int h) {
        return g.newTextGraphics(new TerminalPosition(Math.max(0, x), Math.max(0, y)),
                new TerminalSize(Math.max(0, w), Math.max(0, h)));
    }
}
