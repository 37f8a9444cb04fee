package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;

/** A framed box of lines centred on the screen, the first line bold: the help and the final overlays. */
final class CenteredBox {

    private CenteredBox() {
    }

    /** Draws {@code lines} in a {@code boxW} x {@code boxH} box (already fitted to the screen). */
    static void draw(TextGraphics g, TextColor background, List<String> lines, int boxW, int boxH) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        TextGraphics box = g.newTextGraphics(new TerminalPosition((w - boxW) / 2, (h - boxH) / 2),
                new TerminalSize(boxW, boxH));
        box.setBackgroundColor(background);
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
