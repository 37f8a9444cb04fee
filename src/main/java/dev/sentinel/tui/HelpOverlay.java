package dev.sentinel.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.ArrayList;
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

    /** The keys with several programs: the orders act on the selected one; q ends them all in config mode. */
    static List<String> linesForMany(boolean configMode) {
        List<String> l = new ArrayList<>(List.of(
                "Keys (s, k, r, + and - act on the selected program)",
                "",
                "↑ ↓        select a program: the chart and the output follow",
                "Enter      show or hide the selected program's process tree"));
        if (configMode) {
            l.addAll(List.of(
                    "q, Ctrl-C  quit: stop every program (reverse priority order, each",
                    "           in tiers), then exit; pressed again: kill them all"));
        } else {
            l.addAll(List.of(
                    "q, Ctrl-C  quit: stop the trees in tiers, then exit; pressed",
                    "           again: kill at once"));
        }
        l.addAll(List.of(
                "s          stop its tree (its stop signal, SIGKILL after the grace",
                "           period; in BACKOFF: cancel the pending restart)",
                "k          kill its whole tree with SIGKILL now (asks y/n)",
                "r          restart it (stopped, FATAL or in BACKOFF: start it now)",
                "+ / -      raise / lower its limit by 10 % (asks y/n before",
                "           lowering it under the tree's RSS)",
                "PgUp PgDn  scroll the output pane; End follows new output again",
                "Ctrl-L     redraw the screen",
                "? or Esc   close this help"));
        return List.copyOf(l);
    }

    static void draw(TextGraphics g) {
        draw(g, LINES);
    }

    static void draw(TextGraphics g, List<String> lines) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        int inner = 0;
        for (String l : lines) {
            inner = Math.max(inner, l.length());
        }
        int boxW = Math.min(w, inner + 4);
        int boxH = Math.min(h, lines.size() + 2);
        if (boxW < 3 || boxH < 3) {
            return;
        }
        CenteredBox.draw(g, TextColor.ANSI.BLUE, lines, boxW, boxH);
    }
}
