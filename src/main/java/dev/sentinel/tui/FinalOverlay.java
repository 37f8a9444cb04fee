package dev.sentinel.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.ArrayList;
import java.util.List;

/** The box shown while Sentinel is about to exit: how the program ended, why, and when Sentinel exits. */
final class FinalOverlay {

    static final String TITLE = "The guarded program has ended";
    static final String TITLE_FATAL = "Sentinel gave up restarting the program";
    static final String TITLE_ALL = "Every guarded program has ended";
    static final String TITLE_ALL_FATAL = "Every program has ended; Sentinel gave up on some";

    private FinalOverlay() {
    }

    /** {@code fatal}: Sentinel gave up on the program (FATAL); the box says so and is red. */
    static void draw(TextGraphics g, String reason, String hint, boolean fatal) {
        draw(g, fatal ? TITLE_FATAL : TITLE, reason, hint, fatal);
    }

    /** The box titled {@code title}, red when {@code fatal}. */
    static void draw(TextGraphics g, String title, String reason, String hint, boolean fatal) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        int boxW = Math.min(w, Math.max(title.length() + 4, Math.min(76, Fmt.columns(reason) + 4)));
        if (boxW < 8 || h < 5) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(title);
        lines.add("");
        lines.addAll(TerminalTextUtils.getWordWrappedText(boxW - 4, reason));
        if (hint != null) {
            lines.add("");
            lines.add(hint);
        }
        int boxH = Math.min(h, lines.size() + 2);
        CenteredBox.draw(g, fatal ? TextColor.ANSI.RED : TextColor.ANSI.MAGENTA, lines, boxW, boxH);
    }
}
