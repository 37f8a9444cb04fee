package dev.sentinel.tui;

import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;

/** The share of the limit in use as a bar: green, yellow above 80 %, red above 95 %. */
final class UsageBar {

    static final double YELLOW_ABOVE = 80.0;
    static final double RED_ABOVE = 95.0;
    static final char FULL = '█';
    static final char EMPTY = '░';

    private UsageBar() {
    }

    static TextColor colorFor(double percent) {
        if (percent > RED_ABOVE) {
            return TextColor.ANSI.RED;
        }
        if (percent > YELLOW_ABOVE) {
            return TextColor.ANSI.YELLOW;
        }
        return TextColor.ANSI.GREEN;
    }

    /** Draws a bar of {@code width} cells at ({@code x}, {@code y}) for {@code percent} (0 to 100+). */
    static void draw(TextGraphics g, int x, int y, int width, double percent) {
        if (width <= 0) {
            return;
        }
        double p = Double.isNaN(percent) ? 0 : Math.max(0, Math.min(100, percent));
        int filled = (int) Math.round(width * p / 100.0);
        if (p > 0 && filled == 0) {
            filled = 1;
        }
        TextColor fg = g.getForegroundColor();
        g.setForegroundColor(colorFor(percent));
        for (int i = 0; i < filled; i++) {
            g.setCharacter(x + i, y, FULL);
        }
        g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
        for (int i = filled; i < width; i++) {
            g.setCharacter(x + i, y, EMPTY);
        }
        g.setForegroundColor(fg);
    }
}
