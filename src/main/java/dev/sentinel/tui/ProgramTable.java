package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.events.Event;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RunRecord;
import dev.sentinel.platform.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * One row per program: name, state, whether it is ready (only when some program has a check or a
 * readiness to wait for: {@link HealthText}), pid, the tree's RSS, its share of the limit as a bar
 * (in BACKOFF the countdown to the restart instead, in FATAL why Sentinel gave up), the limit,
 * restarts, uptime and why it last stopped. The selected row is marked and highlighted; when there
 * are more programs than rows the table scrolls to keep it in view and the header says which rows
 * are shown. Columns that do not fit are left out, least important first.
 */
final class ProgramTable {

    /** A column: its title, width (0 = the bar, which takes the remaining space) and whether it is right-aligned. */
    private enum Column {
        NAME("NAME", -1, false), STATE("STATE", 8, false), READY("READY", 5, false), PID("PID", 7, true),
        RSS("RSS", 9, true),
        USAGE("MEMORY", 0, false), LIMIT("LIMIT", 9, true), RESTARTS("RESTARTS", 8, true), UPTIME("UPTIME", 7, true),
        LAST_STOP("LAST STOP", 9, false);

        final String title;
        final int width;
        final boolean right;

        Column(String title, int width, boolean right) {
            this.title = title;
            this.width = width;
            this.right = right;
        }
    }

    static final String MARK = "▶ ";
    static final TextColor SELECTED_BACKGROUND = TextColor.ANSI.BLUE;
    private static final int MARK_WIDTH = 2;
    private static final int MIN_NAME = 4;
    private static final int MAX_NAME = 20;
    private static final int MIN_USAGE = 12;
    /** The limit gets a column of its own only on wide terminals; the bar says how close it is. */
    private static final int LIMIT_FROM_COLUMNS = 110;
    /** Dropped in this order when the terminal is narrow. */
    private static final List<Column> DROP_ORDER = List.of(Column.LIMIT, Column.LAST_STOP, Column.UPTIME,
            Column.RESTARTS, Column.READY, Column.PID, Column.RSS);

    private ProgramTable() {
    }

    /** Rows the table wants for {@code programs}: a title row and one per program. */
    static int rowsWanted(int programs) {
        return 1 + programs;
    }

    /**
     * Draws the title row and as many program rows as {@code g} has room for below it, scrolled
     * (through {@code scroll}) so that {@code selected} is among them. When not every program
     * fits, the title row ends with which are shown ({@code 9-16 of 50}); if the titles leave no
     * room for that, it is returned for the caller to show elsewhere, else null.
     */
    static String draw(TextGraphics g, List<ProgramSnapshot> programs, int selected, TableScroll scroll,
                       long nowMillis, List<Event> events) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1) {
            return null;
        }
        int nameWidth = nameWidth(programs);
        List<Column> cols = columnsFor(w, nameWidth, HealthText.anyWatched(programs));
        int usageWidth = usageWidth(cols, w, nameWidth);
        int visible = h - 1;
        int top = scroll.top(selected, visible, programs.size());
        String titles = " ".repeat(MARK_WIDTH) + titles(cols, nameWidth, usageWidth).stripTrailing();
        g.enableModifiers(SGR.BOLD, SGR.UNDERLINE);
        g.putString(0, 0, Fmt.left(titles, w));
        g.disableModifiers(SGR.BOLD, SGR.UNDERLINE);
        String unplaced = null;
        if (programs.size() > visible && visible > 0) {
            String where = position(top, visible, programs.size());
            if (titles.length() + where.length() + 2 <= w) {
                g.enableModifiers(SGR.BOLD);
                g.setForegroundColor(TextColor.ANSI.CYAN);
                g.putString(w - where.length(), 0, where);
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
                g.disableModifiers(SGR.BOLD);
            } else {
                unplaced = where;
            }
        }
        for (int r = 0; r < visible && top + r < programs.size(); r++) {
            int i = top + r;
            row(g, 1 + r, w, programs.get(i), i == selected, cols, nameWidth, usageWidth, nowMillis, events);
        }
        return unplaced;
    }

    /** {@code 9-16 of 50}: the programs in view, counted from 1. */
    static String position(int top, int visible, int count) {
        return (top + 1) + "-" + Math.min(count, top + visible) + " of " + count;
    }

    private static void row(TextGraphics g, int y, int w, ProgramSnapshot p, boolean selected, List<Column> cols,
                            int nameWidth, int usageWidth, long nowMillis, List<Event> events) {
        TextColor background = selected ? SELECTED_BACKGROUND : TextColor.ANSI.DEFAULT;
        g.setBackgroundColor(background);
        if (selected) {
            g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
            g.enableModifiers(SGR.BOLD);
            g.putString(0, y, Fmt.left(MARK, w));
        }
        int x = MARK_WIDTH;
        for (Column c : cols) {
            int width = c == Column.NAME ? nameWidth : c == Column.USAGE ? usageWidth : c.width;
            if (x >= w) {
                break;
            }
            int room = Math.min(width, w - x);
            if (c == Column.USAGE) {
                usage(g, x, y, room, p, nowMillis, events, selected);
            } else {
                TextColor plain = selected ? TextColor.ANSI.WHITE_BRIGHT : TextColor.ANSI.DEFAULT;
                g.setForegroundColor(c == Column.STATE ? DashboardView.stateColor(p.state())
                        : c == Column.READY ? HealthText.color(p, plain) : plain);
                boolean bold = selected || c == Column.STATE || c == Column.NAME;
                if (bold) {
                    g.enableModifiers(SGR.BOLD);
                }
                String text = cell(c, p);
                g.putString(x, y, c.right ? Fmt.right(text, room) : Fmt.left(text, room));
                g.disableModifiers(SGR.BOLD);
            }
            x += width + 1;
        }
        g.disableModifiers(SGR.BOLD);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
    }

    /**
     * The memory cell: the share of the limit as a bar and a percentage while the tree runs; in
     * BACKOFF the countdown, in FATAL that Sentinel gave up, once over how it ended.
     */
    private static void usage(TextGraphics g, int x, int y, int width, ProgramSnapshot p, long nowMillis,
                              List<Event> events, boolean selected) {
        TextColor plain = selected ? TextColor.ANSI.WHITE_BRIGHT : TextColor.ANSI.DEFAULT;
        if (p.isUp() && p.limit().isSet()) {
            double pct = p.percentOfLimit();
            String label = Fmt.right(Math.round(pct) + "%", 5);
            int barWidth = width - label.length();
            if (barWidth >= 3) {
                UsageBar.draw(g, x, y, barWidth, pct);
            } else {
                barWidth = 0;
            }
            g.setForegroundColor(UsageBar.colorFor(pct));
            g.putString(x + barWidth, y, Fmt.fit(label, width - barWidth));
            return;
        }
        String text;
        TextColor color;
        switch (p.state()) {
            case BACKOFF -> {
                String streak = RestartText.streak(p);
                text = RestartText.timeToRestart(p, nowMillis) + (streak.isEmpty() ? "" : " (" + streak + ")");
                color = TextColor.ANSI.YELLOW;
            }
            case FATAL -> {
                text = RestartText.gaveUp(p, events);
                color = TextColor.ANSI.RED;
            }
            case EXITED -> {
                text = p.restart().run() == 0 && p.pid() == 0 ? "not started" : statusOf(p);
                color = TextColor.ANSI.MAGENTA;
            }
            default -> {
                text = p.isUp() ? "no limit" : "starting";
                color = plain;
            }
        }
        g.setForegroundColor(color);
        g.putString(x, y, Fmt.left(text, width));
    }

    private static String statusOf(ProgramSnapshot p) {
        return p.exitStatus() >= 0 ? "exit status " + p.exitStatus() : "exited";
    }

    private static String cell(Column c, ProgramSnapshot p) {
        return switch (c) {
            case NAME -> p.name();
            case STATE -> p.state().name();
            case READY -> HealthText.cell(p);
            case PID -> p.isUp() ? Long.toString(p.pid()) : "-";
            case RSS -> p.isUp() ? Fmt.bytes(p.rssBytes()) : "-";
            case LIMIT -> Fmt.limit(p.limit());
            case RESTARTS -> Integer.toString(p.restarts());
            case UPTIME -> p.isUp() ? Fmt.duration(p.uptimeMillis()) : "-";
            case LAST_STOP -> lastStop(p);
            case USAGE -> "";
        };
    }

    /**
     * How the last finished run ended: what Sentinel stopped it for (memory, stop, kill, restart,
     * ...), or by itself ({@code exit 3}, {@code SIGSEGV}); {@code -} before any run ended.
     */
    static String lastStop(ProgramSnapshot p) {
        List<RunRecord> runs = p.history();
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunRecord r = runs.get(i);
            if (!r.isRunning()) {
                return r.stoppedBy() != null ? r.stoppedBy().label() : exitWord(r.exitStatus());
            }
        }
        if (p.lastStop() != null) {
            return p.lastStop().label();
        }
        return p.state().isFinal() && p.exitStatus() >= 0 ? exitWord(p.exitStatus()) : "-";
    }

    /** {@code exit 3}, or the signal for 128+N: {@code SIGSEGV}. */
    private static String exitWord(int status) {
        String signal = Signal.nameForExitStatus(status);
        return signal != null ? signal : "exit " + status;
    }

    private static String titles(List<Column> cols, int nameWidth, int usageWidth) {
        StringBuilder sb = new StringBuilder();
        for (Column c : cols) {
            int width = c == Column.NAME ? nameWidth : c == Column.USAGE ? usageWidth : c.width;
            sb.append(c.right ? Fmt.right(c.title, width) : Fmt.left(c.title, width)).append(' ');
        }
        return sb.toString();
    }

    private static int nameWidth(List<ProgramSnapshot> programs) {
        int longest = MIN_NAME;
        for (ProgramSnapshot p : programs) {
            longest = Math.max(longest, Fmt.columns(p.name()));
        }
        return Math.min(MAX_NAME, longest);
    }

    private static List<Column> columnsFor(int width, int nameWidth, boolean ready) {
        List<Column> cols = new ArrayList<>(List.of(Column.values()));
        if (!ready) {
            cols.remove(Column.READY);
        }
        if (width < LIMIT_FROM_COLUMNS) {
            cols.remove(Column.LIMIT);
        }
        for (Column drop : DROP_ORDER) {
            if (usageWidth(cols, width, nameWidth) >= MIN_USAGE) {
                break;
            }
            cols.remove(drop);
        }
        return cols;
    }

    private static int usageWidth(List<Column> cols, int width, int nameWidth) {
        int used = MARK_WIDTH;
        for (Column c : cols) {
            used += (c == Column.NAME ? nameWidth : c == Column.USAGE ? 0 : c.width) + 1;
        }
        return width - used;
    }
}
