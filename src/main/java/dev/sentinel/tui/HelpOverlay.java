package dev.sentinel.tui;

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
            "           (in BACKOFF: cancel the pending restart)",
            "k          kill the whole tree with SIGKILL now (asks y/n)",
            "r          restart: stop the tree, then start the command again",
            "           (in BACKOFF: start it now, without waiting)",
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
        CenteredBox.draw(g, TextColor.ANSI.BLUE, LINES, boxW, boxH);
    }
}
