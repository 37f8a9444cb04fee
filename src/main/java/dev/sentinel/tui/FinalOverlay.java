package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
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
        TextGraphics box = g.newTextGraphics(new TerminalPosition((w - boxW) / 2, (h - boxH) / 2),
                new TerminalSize(boxW, boxH));
        box.setBackgroundColor(TextColor.ANSI.MAGENTA);
        box.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
        box.fill(' ');
        box.putString(0, 0, "┌" + "─".repeat(boxW - 2) + "┐");
        box.putString(0, boxH - 1, "└" + "─".repeat(boxW - 2) + "┘");
        for (int y = 1; y < boxH - 1; y++) {
            box.setCharacter(0, y, '│');
            box.setCharacter(boxW - 1, y, '│');
        }
        for (int i = 0; i < lines.size() && i < boxH - 2; i++) {
            if (i == 0) {
                box.enableModifiers(SGR.BOLD);
            }
            box.putString(2, 1 + i, Fmt.fit(lines.get(i), boxW - 4));
            box.disableModifiers(SGR.BOLD);
        }
    }
}
