package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.settings.MemoryLimit;

/**
 * The tree's RSS over the last minutes as a column chart of block characters (eight heights per
 * cell), with the limit as a red line: a leak shows as a staircase climbing towards the line.
 * Each column is the highest RSS seen in its time slot; the slot grows (1 s, 2 s, 5 s, ...) so the
 * whole run fits as it gets longer. A column in which a new run started (a restart) has a cyan
 * dotted line through its empty cells, and the title then says what the mark means.
 */
final class MemoryChart {

    static final char[] EIGHTHS = {' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    static final char LIMIT_LINE = '─';
    /** Marks the column in which a new run started (a restart). */
    static final char RESTART_MARK = '┊';
    static final TextColor RESTART_COLOR = TextColor.ANSI.CYAN;
    static final long[] STEPS_MILLIS = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
        600_000};
    /** Label (10 columns) plus the axis. */
    static final int GUTTER = 11;
    private static final long MIB = 1024 * 1024;

    private MemoryChart() {
    }

    /** Draws into the whole of {@code g}: a title row, then the plot. */
    static void draw(TextGraphics g, RssHistory history, long nowMillis, MemoryLimit limit) {
        draw(g, history, nowMillis, limit, null);
    }

    /** As {@link #draw(TextGraphics, RssHistory, long, MemoryLimit)}, the title naming {@code program} if not null. */
    static void draw(TextGraphics g, RssHistory history, long nowMillis, MemoryLimit limit, String program) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1) {
            return;
        }
        int gutter = w >= 30 ? GUTTER : 0;
        int plotW = w - gutter;
        long step = stepFor(history, nowMillis, plotW);
        boolean[] restarts = history.restartColumns(nowMillis, Math.max(0, plotW), step);
        boolean anyRestart = false;
        for (boolean r : restarts) {
            anyRestart |= r;
        }
        String title = Fmt.fit("memory" + (program == null ? "" : " of " + program) + " · last "
                + Fmt.duration(step * plotW) + " · " + Fmt.duration(step)
                + " per column" + (limit.isSet() ? " · limit " + Fmt.limit(limit) : " · no limit")
                + (anyRestart ? " · " + RESTART_MARK + " restart" : ""), w);
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, title);
        g.disableModifiers(SGR.BOLD);
        int legend = title.indexOf(RESTART_MARK);
        if (legend >= 0) {
            g.setForegroundColor(RESTART_COLOR);
            g.setCharacter(legend, 0, RESTART_MARK);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        int plotH = h - 1;
        if (plotH < 1 || plotW < 1) {
            return;
        }
        long[] cols = history.columns(nowMillis, plotW, step);
        long max = 0;
        boolean any = false;
        for (long v : cols) {
            if (v >= 0) {
                any = true;
                max = Math.max(max, v);
            }
        }
        double top = limit.isSet() ? Math.max(limit.bytes() * 1.1, max) : Math.max(max * 1.2, MIB);
        for (int c = 0; c < plotW; c++) {
            long v = cols[c];
            if (v < 0) {
                continue;
            }
            int eighths = heightInEighths(v, top, plotH);
            g.setForegroundColor(limit.isSet() ? UsageBar.colorFor(100.0 * v / limit.bytes()) : TextColor.ANSI.GREEN);
            for (int r = 0; r < plotH; r++) {
                int cell = Math.max(0, Math.min(8, eighths - r * 8));
                if (cell > 0) {
                    g.setCharacter(gutter + c, 1 + plotH - 1 - r, EIGHTHS[cell]);
                }
            }
        }
        // Restarts: a dotted line through the empty cells of the column in which a run started;
        // the limit line, drawn next, stays whole.
        g.setForegroundColor(RESTART_COLOR);
        for (int c = 0; c < plotW; c++) {
            if (!restarts[c]) {
                continue;
            }
            int eighths = cols[c] < 0 ? 0 : heightInEighths(cols[c], top, plotH);
            for (int r = 0; r < plotH; r++) {
                if (eighths - r * 8 <= 0) {
                    g.setCharacter(gutter + c, 1 + plotH - 1 - r, RESTART_MARK);
                }
            }
        }
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        int limitRow = -1;
        if (limit.isSet()) {
            double level = limit.bytes() / top * plotH * 8;
            int fromBottom = Math.max(0, Math.min(plotH - 1, (int) Math.ceil(level / 8.0) - 1));
            limitRow = 1 + plotH - 1 - fromBottom;
            g.setForegroundColor(TextColor.ANSI.RED);
            for (int c = 0; c < plotW; c++) {
                long v = cols[c];
                int eighths = v < 0 ? 0 : (int) Math.round(v / top * plotH * 8);
                if (eighths <= fromBottom * 8) {
                    g.setCharacter(gutter + c, limitRow, LIMIT_LINE);
                }
            }
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
        if (!any && plotW > 22) {
            g.putString(gutter + Math.max(0, (plotW - 21) / 2), 1 + plotH / 2, "waiting for samples …");
        }
        if (gutter > 0) {
            g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
            for (int y = 1; y <= plotH; y++) {
                g.setCharacter(gutter - 1, y, '│');
            }
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
            if (limitRow != 1) {
                label(g, 1, Fmt.bytes((long) top));
            }
            if (plotH >= 2) {
                label(g, plotH, "0");
            }
            if (limitRow > 0) {
                g.setForegroundColor(TextColor.ANSI.RED);
                label(g, limitRow, Fmt.limit(limit));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
        }
    }

    /** How high a column of {@code v} bytes is drawn, in eighths of a cell; a non-zero value shows at least one. */
    private static int heightInEighths(long v, double top, int plotH) {
        int eighths = (int) Math.round(v / top * plotH * 8);
        return v > 0 && eighths == 0 ? 1 : eighths;
    }

    private static void label(TextGraphics g, int y, String text) {
        g.putString(0, y, Fmt.right(text, GUTTER - 1));
        g.setCharacter(GUTTER - 1, y, '┤');
    }

    /** The smallest slot in which the whole history fits into {@code columns}. */
    static long stepFor(RssHistory history, long nowMillis, int columns) {
        long oldest = history.oldestMillis();
        long span = oldest < 0 ? 0 : nowMillis - oldest;
        for (long s : STEPS_MILLIS) {
            if (span <= s * Math.max(1, columns)) {
                return s;
            }
        }
        return STEPS_MILLIS[STEPS_MILLIS.length - 1];
    }
}
