package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;

/** The key reference, drawn as a box over the middle of the dashboard. */
final class HelpOverlay {

    static final List<String> LINES = List.of(
            "Keys",
            "",
            "q, Ctrl-C  quit: stop the tree (SIGTERM, SIGKILL after the grace",
            "           period), then exit; pressed again: kill at once",
            "s          stop the tree the same way; Sentinel exits when it is gone",
            "k          kill the whole tree with SIGKILL now (asks y/n)",
            "r          restart: stop the tree, then start the command again",
            "+ / -      raise / lower the limit by 10 % (asks y/n before",
            "           lowering it under the tree's RSS)",
            "PgUp PgDn  scroll the output pane; End follows new output again",
            "Ctrl-L     redraw the screen",
            "? or Esc   close this help");

    private HelpOverlay() {
    }

    static void draw(TextGraphics g) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        int inner = 0;
        for (String l : LINES) {
            inner = Math.max(inner, l.length());
        }
        int boxW = Math.min(w, inner + 4);
        int boxH = Math.min(h, LINES.size() + 2);
        if (boxW < 3 || boxH < 3) {
            return;
        }
        int x0 = (w - boxW) / 2;
        int y0 = (h - boxH) / 2;
        TextGraphics box = g.newTextGraphics(new TerminalPosition(x0, y0), new TerminalSize(boxW, boxH));
        box.setBackgroundColor(TextColor.ANSI.BLUE);
        box.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
        box.fill(' ');
        box.putString(0, 0, "┌" + "─".repeat(boxW - 2) + "┐");
        box.putString(0, boxH - 1, "└" + "─".repeat(boxW - 2) + "┘");
        for (int y = 1; y < boxH - 1; y++) {
            box.setCharacter(0, y, '│');
            box.setCharacter(boxW - 1, y, '│');
        }
        for (int i = 0; i < LINES.size() && i < boxH - 2; i++) {
            if (i == 0) {
                box.enableModifiers(SGR.BOLD);
            }
            box.putString(2, 1 + i, Fmt.fit(LINES.get(i), boxW - 4));
            box.disableModifiers(SGR.BOLD);
        }
    }
}
