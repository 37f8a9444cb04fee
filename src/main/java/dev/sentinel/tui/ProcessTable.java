package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.platform.ProcessSample;
import java.util.ArrayList;
import java.util.List;

/**
 * One row per process of the tree, the main process first and its descendants indented under
 * it; then a total row with the tree's RSS, its peak and the share of the limit as a bar.
 * Columns that do not fit a narrow terminal are left out, least important first.
 */
final class ProcessTable {

    /** A column: its title, width (0 = takes the remaining space) and whether it is right-aligned. */
    private enum Column {
        PID("PID", 7, true), COMMAND("NAME / COMMAND", 0, false), STATE("STATE", 6, false), RSS("RSS", 10, true),
        CPU("CPU%", 6, true), THREADS("THR", 4, true), UPTIME("UPTIME", 8, true);

        final String title;
        final int width;
        final boolean right;

        Column(String title, int width, boolean right) {
            this.title = title;
            this.width = width;
            this.right = right;
        }
    }

    private static final int MIN_COMMAND = 12;
    static final String BACKOFF_KEYS = "r restarts it now, s cancels the restart";
    /** Dropped in this order when the terminal is narrow. */
    private static final List<Column> DROP_ORDER =
            List.of(Column.UPTIME, Column.THREADS, Column.CPU, Column.STATE, Column.PID);

    private ProcessTable() {
    }

    /**
     * Draws the header and up to {@code g}'s height minus one process rows; when the tree has more,
     * the last row says how many are not shown.
     */
    static void draw(TextGraphics g, ProgramSnapshot program, CpuMeter cpu) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1) {
            return;
        }
        List<Column> cols = columnsFor(w);
        int commandWidth = commandWidth(cols, w);
        g.enableModifiers(SGR.BOLD, SGR.UNDERLINE);
        g.putString(0, 0, Fmt.left(line(cols, commandWidth, c -> c.title), w));
        g.disableModifiers(SGR.BOLD, SGR.UNDERLINE);
        List<ProcessSample> ps = program.processes();
        int room = h - 1;
        if (room < 1) {
            return;
        }
        if (ps.isEmpty()) {
            g.setForegroundColor(switch (program.state()) {
                case BACKOFF -> TextColor.ANSI.YELLOW;
                case FATAL -> TextColor.ANSI.RED;
                default -> TextColor.ANSI.BLACK_BRIGHT;
            });
            g.putString(0, 1, Fmt.fit(withoutTree(program), w));
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
            if (program.state() == ProgramState.BACKOFF && room >= 2) {
                g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
                g.putString(0, 2, Fmt.fit(BACKOFF_KEYS, w));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
            return;
        }
        boolean cut = ps.size() > room;
        int shown = cut ? room - 1 : ps.size();
        long mainStart = ps.get(0).startTicks();
        for (int i = 0; i < shown; i++) {
            ProcessSample p = ps.get(i);
            String prefix = treePrefix(ps, i);
            String row = line(cols, commandWidth, c -> cell(c, p, prefix, program, cpu, mainStart));
            if (p.depth() == 0) {
                g.enableModifiers(SGR.BOLD);
            }
            g.putString(0, 1 + i, row);
            g.disableModifiers(SGR.BOLD);
        }
        if (cut) {
            g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
            g.putString(0, room, Fmt.fit("… " + (ps.size() - shown) + " more process"
                    + (ps.size() - shown == 1 ? "" : "es") + " not shown (the terminal is too small)", w));
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
    }

    /** Rows the table wants without processes: in BACKOFF a second one says what the keys do now. */
    static int rowsWithoutTree(ProgramSnapshot program) {
        return program.state() == ProgramState.BACKOFF ? 2 : 1;
    }

    /** The row of a table without processes: why there are none, and in BACKOFF how the last run ended. */
    static String withoutTree(ProgramSnapshot program) {
        return switch (program.state()) {
            case BACKOFF -> "waiting to restart: " + RestartText.lastRun(program);
            case FATAL -> "Sentinel gave up restarting: " + RestartText.lastRun(program);
            default -> program.isUp() ? "(no processes seen yet)" : "(no processes: the tree is gone)";
        };
    }

    /** The total row: process count, RSS, peak and the share of the limit as a coloured bar. */
    static void drawTotal(TextGraphics g, int y, ProgramSnapshot program) {
        int w = g.getSize().getColumns();
        int n = program.processes().size();
        String label = "TOTAL " + n + " process" + (n == 1 ? "" : "es") + "  RSS " + Fmt.bytes(program.rssBytes())
                + "  peak " + Fmt.bytes(program.peakRssBytes()) + "  ";
        g.enableModifiers(SGR.BOLD);
        g.putString(0, y, Fmt.fit(label, w));
        g.disableModifiers(SGR.BOLD);
        int x = label.length();
        if (!program.limit().isSet()) {
            g.putString(x, y, Fmt.fit("no limit (watching only)", Math.max(0, w - x)));
            return;
        }
        double pct = program.percentOfLimit();
        String tail = " " + Fmt.percent(pct) + " of " + Fmt.limit(program.limit());
        int barWidth = w - x - tail.length();
        if (barWidth >= 10) {
            UsageBar.draw(g, x, y, barWidth, pct);
            x += barWidth;
        }
        g.setForegroundColor(UsageBar.colorFor(pct));
        g.enableModifiers(SGR.BOLD);
        g.putString(x, y, Fmt.fit(tail, Math.max(0, w - x)));
        g.disableModifiers(SGR.BOLD);
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }

    private static List<Column> columnsFor(int width) {
        List<Column> cols = new ArrayList<>(List.of(Column.values()));
        for (Column drop : DROP_ORDER) {
            if (commandWidth(cols, width) >= MIN_COMMAND) {
                break;
            }
            cols.remove(drop);
        }
        return cols;
    }

    private static int commandWidth(List<Column> cols, int width) {
        int used = 0;
        for (Column c : cols) {
            used += c.width + 1;
        }
        return width - used;
    }

    private static String line(List<Column> cols, int commandWidth, java.util.function.Function<Column, String> text) {
        StringBuilder sb = new StringBuilder();
        for (Column c : cols) {
            int width = c == Column.COMMAND ? Math.max(1, commandWidth) : c.width;
            String t = text.apply(c);
            sb.append(c.right ? Fmt.right(t, width) : Fmt.left(t, width)).append(' ');
        }
        return sb.toString();
    }

    private static String cell(Column c, ProcessSample p, String prefix, ProgramSnapshot program, CpuMeter cpu,
                               long mainStartTicks) {
        return switch (c) {
            case PID -> Long.toString(p.pid());
            case COMMAND -> prefix + (p.command() == null || p.command().isBlank() ? p.name() : p.command());
            case STATE -> stateWord(p.state());
            case RSS -> Fmt.bytes(p.rssBytes());
            case CPU -> {
                double pct = cpu.percent(p);
                yield Double.isNaN(pct) ? "-" : Fmt.oneDecimal(pct);
            }
            case THREADS -> Integer.toString(p.threads());
            case UPTIME -> Fmt.duration(program.uptimeMillis() - (p.startTicks() - mainStartTicks) * 10);
        };
    }

    /** Tree lines: {@code ├─ } for a child with later siblings, {@code └─ } for the last one. */
    static String treePrefix(List<ProcessSample> ps, int i) {
        int depth = ps.get(i).depth();
        if (depth <= 0) {
            return "";
        }
        boolean last = true;
        for (int j = i + 1; j < ps.size(); j++) {
            int d = ps.get(j).depth();
            if (d < depth) {
                break;
            }
            if (d == depth) {
                last = false;
                break;
            }
        }
        return "  ".repeat(depth - 1) + (last ? "└─ " : "├─ ");
    }

    static String stateWord(char state) {
        return switch (state) {
            case 'R' -> "run";
            case 'S' -> "sleep";
            case 'D' -> "disk";
            case 'Z' -> "zombie";
            case 'T' -> "stop";
            case 't' -> "trace";
            case 'I' -> "idle";
            case 'X', 'x' -> "dead";
            default -> String.valueOf(state);
        };
    }
}
