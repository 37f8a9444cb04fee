package dev.sentinel.text;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as users write them: {@code 512M}, {@code 1.5G}, {@code 200MiB}, {@code 300m},
 * {@code 1048576}. K, M, G and T are binary (x1024) as in Docker and systemd; {@code KB} etc.
 * are accepted as the same binary units because that is what users of such tools mean.
 */
public final class ByteSize {

    public static final String ACCEPTED = "a size like 512M, 1.5G, 200MiB, 300m or 1048576 (bytes)";

    private static final Pattern FORM =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE / 2);

    private ByteSize() {
    }

    /** Parses a size into bytes; throws IllegalArgumentException with one sentence on bad input. */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = FORM.matcher(t);
        if (t.isEmpty() || !m.matches() || (m.group(3) != null && m.group(2).isEmpty()
                && m.group(3).equalsIgnoreCase("ib"))) {
            throw new IllegalArgumentException("'" + text + "' is not a size; use " + ACCEPTED + ".");
        }
        int power = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        // Exact decimal arithmetic: through a double, 9007199254740993 read back one byte less.
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.compareTo(BigDecimal.ONE) < 0 || bytes.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is out of range; use " + ACCEPTED + ".");
        }
        return bytes.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** Formats bytes for people: {@code 512 MiB}, {@code 1.5 GiB}, {@code 830.2 MiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%d %s", (long) v, units[u]);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
