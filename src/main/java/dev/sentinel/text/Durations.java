package dev.sentinel.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: {@code 3s}, {@code 500ms}, {@code 2m}, {@code 1.5s}, {@code 3}. */
public final class Durations {

    public static final String ACCEPTED = "a duration like 3s, 500ms, 2m, 1.5s or a bare number of seconds";

    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*(ms|s|m|h)?",
            Pattern.CASE_INSENSITIVE);

    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE / 4);

    private Durations() {
    }

    /** Parses a non-negative duration; throws IllegalArgumentException with one sentence. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use " + ACCEPTED + ".");
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        long unitNanos = switch (unit) {
            case "ms" -> 1_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 1_000_000_000L;
        };
        // Exact decimal arithmetic: through a double, 576000012305ms read back as ...304.999936 ms.
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long; use " + ACCEPTED + ".");
        }
        return Duration.ofNanos(nanos.setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    /** Formats for people: {@code 3s}, {@code 500ms}, {@code 2m30s}, {@code 1h02m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return ms % 1000 == 0 ? s + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (s < 3600) {
            return s % 60 == 0 ? (s / 60) + "m" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /**
     * Whole seconds for status lines and table columns: {@code 0s}, {@code 59s}, {@code 1m02s},
     * {@code 3h05m}. Never blank, never milliseconds, always the same shape for the same unit.
     */
    public static String formatWholeSeconds(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
