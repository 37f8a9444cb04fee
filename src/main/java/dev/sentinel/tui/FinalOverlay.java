package dev.sentinel.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.ArrayList;
import java.util.List;

/** The box shown while Sentinel is about to exit: how the program ended, why, and when Sentinel exits. */
final class FinalOverlay {

    static final String TITLE = "The guarded program has ended";

    private FinalOverlay() {
    }

    static void draw(TextGraphics g, String reason, String hint) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        int boxW = Math.min(w, Math.max(TITLE.length() + 4, Math.min(76, TerminalTextUtils.getColumnWidth(reason) + 4)));
        if (boxW < 8 || h < 5) {
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(TITLE);
        lines.add("");
        lines.addAll(TerminalTextUtils.getWordWrappedText(boxW - 4, reason));
        if (hint != null) {
            lines.add("");
            lines.add(hint);
        }
        int boxH = Math.min(h, lines.size() + 2);
        CenteredBox.draw(g, TextColor.ANSI.MAGENTA, lines, boxW, boxH);
    }
}
