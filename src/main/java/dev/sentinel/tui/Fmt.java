package dev.sentinel.tui;

import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Durations;
import java.util.Locale;

/** The dashboard's short number formats, so every pane writes the same value the same way. */
final class Fmt {

    private static final double MIB = 1024.0 * 1024.0;

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private Fmt() {
    }

    /**
     * {@code 1.6 MiB}, {@code 300 MiB}, {@code 512 B}: what {@link ByteSize#format} writes, without
     * its {@code String.format}, which costs more than the rest of a table row (it parses its
     * pattern on every call).
     */
    static String bytes(long bytes) {
        long b = Math.max(0, bytes);
        if (b < 1024) {
            return b + " B";
        }
        double v = b;
        int u = -1;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        if (v == Math.rint(v)) {
            return (long) v + " " + UNITS[u];
        }
        return oneDecimal(v) + " " + UNITS[u];
    }

    /** {@code 12s}, {@code 2m05s}, {@code 1h02m}; whole seconds, as {@link Durations#formatWholeSeconds} writes them. */
    static String duration(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + twoDigits(s % 60) + "s";
        }
        return s / 3600 + "h" + twoDigits((s % 3600) / 60) + "m";
    }

    /** {@code 512 MiB}, or {@code none}: what {@link MemoryLimit#toString} writes. */
    static String limit(MemoryLimit limit) {
        return limit.isSet() ? bytes(limit.bytes()) : "none";
    }

    /** {@code 500ms}, {@code 3s}, {@code 1.5s}, {@code 2m05s}, {@code 1h02m}: what {@link Durations#format} writes. */
    static String duration(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return ms % 1000 == 0 ? s + "s" : oneDecimal(ms / 1000.0) + "s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? (s / 60) + "m" : s / 60 + "m" + twoDigits(s % 60) + "s";
        }
        return s / 3600 + "h" + twoDigits((s % 3600) / 60) + "m";
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
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
        double v = bytesPerSecond * 60 / MIB;
        String n = oneDecimal(v);
        return (n.startsWith("-") || Double.isNaN(v) ? n : "+" + n) + " MiB/min";
    }

    static String percent(double percent) {
        return oneDecimal(percent) + "%";
    }

    /** {@code 25.0}, {@code -0.3}: one decimal, rounded half up, as {@code %.1f} writes it. */
    static String oneDecimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || Math.abs(value) >= 1e15) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        long tenths = Math.round(Math.abs(value) * 10);
        return (value < 0 ? "-" : "") + tenths / 10 + "." + tenths % 10;
    }

    /**
     * The columns {@code text} takes on a terminal, as Lanterna counts them, without Lanterna's
     * Unicode block lookup for every character: no character below U+1100 is double-width, and a
     * frame measures thousands of them (that lookup was a tenth of a frame's CPU).
     */
    static int columns(String text) {
        int n = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (CellGrid.isWide(text.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    /** {@code text} cut to {@code width} columns, ending in an ellipsis when it was cut. */
    static String fit(String text, int width) {
        if (width <= 0) {
            return "";
        }
        if (columns(text) <= width) {
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
        int w = columns(t);
        return w >= width ? t : t + " ".repeat(width - w);
    }
}
