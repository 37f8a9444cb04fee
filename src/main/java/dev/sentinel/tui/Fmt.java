package dev.sentinel.tui;

import dev.sentinel.core.ByteSize;
import dev.sentinel.core.Durations;
import java.util.Locale;

/** The dashboard's short number formats, so every pane writes the same value the same way. */
final class Fmt {

    private static final double MIB = 1024.0 * 1024.0;

    private Fmt() {
    }

    static String bytes(long bytes) {
        return ByteSize.format(Math.max(0, bytes));
    }

    /** {@code 12s}, {@code 2m05s}, {@code 1h02m}; whole seconds, as a table column needs. */
    static String duration(long millis) {
        return Durations.formatWholeSeconds(millis);
    }

    /**
     * Time left on a countdown, rounded up so it never shows 0 before it is due: {@code 2.1s}
     * (tenths under 10 s, as it is redrawn four times a second), then {@code 45s}, {@code 1m05s}.
     */
    static String countdown(long millis) {
        long ms = Math.max(0, millis);
        long tenths = (ms + 99) / 100;
        if (tenths < 100) {
            return tenths / 10 + "." + tenths % 10 + "s";
        }
        return duration((ms + 999) / 1000 * 1000);
    }

    /** Growth as people read it: {@code +5.0 MiB/min}. */
    static String growth(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%+.1f MiB/min", bytesPerSecond * 60 / MIB);
    }

    static String percent(double percent) {
        return String.format(Locale.ROOT, "%.1f%%", percent);
    }

    static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** {@code text} cut to {@code width} columns, ending in an ellipsis when it was cut. */
    static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        if (com.googlecode.lanterna.TerminalTextUtils.getColumnWidth(text) <= width) {
            return text;
        }
        if (width < 4) {
            return com.googlecode.lanterna.TerminalTextUtils.fitString(text, width);
        }
        return com.googlecode.lanterna.TerminalTextUtils.fitString(text, width - 1) + "…";
    }

    /** {@code text} right-aligned in {@code width} columns (cut on the left side if too long). */
    static String right(String text, int width) {
        if (width <= 0) {
            return "";
        }
        if (text.length() >= width) {
            return text.substring(text.length() - width);
        }
        return " ".repeat(width - text.length()) + text;
    }

    /** {@code text} left-aligned and padded (or cut) to exactly {@code width} columns. */
    static String left(String text, int width) {
        if (width <= 0) {
            return "";
        }
        String t = fit(text, width);
        int w = com.googlecode.lanterna.TerminalTextUtils.getColumnWidth(t);
        return w >= width ? t : t + " ".repeat(width - w);
    }
}
