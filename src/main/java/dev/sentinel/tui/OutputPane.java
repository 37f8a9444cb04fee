package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;

/**
 * The child's stdout and stderr (and anything Sentinel itself printed meanwhile), newest at the
 * bottom. It follows new lines unless the user scrolled up with PgUp.
 */
final class OutputPane {

    private OutputPane() {
    }

    /** Draws into the whole of {@code g}, {@code scroll} lines up from the newest. */
    static void draw(TextGraphics g, OutputView output, int scroll) {
        draw(g, output, scroll, null);
    }

    /** As {@link #draw(TextGraphics, OutputView, int)}, the title naming {@code program} (or none if null). */
    static void draw(TextGraphics g, OutputView output, int scroll, String program) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1) {
            return;
        }
        String title = "output" + (program == null ? "" : " of " + program) + " (stdout, stderr in yellow)";
        if (scroll > 0) {
            title += " · scrolled up " + scroll + " line" + (scroll == 1 ? "" : "s") + ", End follows";
        }
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, Fmt.fit(title, w));
        g.disableModifiers(SGR.BOLD);
        int room = h - 1;
        List<OutputLine> lines = output.window(room, scroll);
        if (lines.isEmpty() && room > 0) {
            g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
            g.putString(0, 1, Fmt.fit("(nothing printed yet)", w));
        }
        int y = 1 + room - lines.size();
        for (OutputLine l : lines) {
            g.setForegroundColor(switch (l.source()) {
                case STDOUT -> TextColor.ANSI.DEFAULT;
                case STDERR -> TextColor.ANSI.YELLOW;
                case SENTINEL -> TextColor.ANSI.CYAN;
            });
            g.putString(0, y++, Fmt.fit(l.text(), w));
        }
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }
}
