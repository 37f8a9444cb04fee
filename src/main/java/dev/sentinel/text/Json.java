package dev.sentinel.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The little JSON Sentinel writes (status lines, the journal): escaped strings, finite numbers, values. Pure. */
public final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259). */
    public static String string(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2);
        b.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // U+2028/2029 are valid JSON but break JavaScript consumers; lone surrogates are escaped too.
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validPair(text, i)) {
                        b.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        b.append(c);
                        if (Character.isHighSurrogate(c)) {
                            b.append(text.charAt(++i));
                        }
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A number with at most {@code decimals} decimals, or {@code null} for NaN and infinities. */
    public static String number(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /**
     * Appends {@code value} as JSON: null, a boolean, a number (whole numbers as integers, others
     * with at most 3 decimals), a string, a list (array) or a map with string keys (object).
     */
    public static StringBuilder value(StringBuilder b, Object value) {
        if (value == null) {
            return b.append("null");
        }
        if (value instanceof String s) {
            return b.append(string(s));
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return b.append(value);
        }
        if (value instanceof Number n) {
            return b.append(number(n.doubleValue(), 3));
        }
        if (value instanceof java.util.Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ",").append(string(String.valueOf(e.getKey()))).append(':');
                value(b, e.getValue());
                first = false;
            }
            return b.append('}');
        }
        if (value instanceof Iterable<?> list) {
            b.append('[');
            boolean first = true;
            for (Object o : list) {
                b.append(first ? "" : ",");
                value(b, o);
                first = false;
            }
            return b.append(']');
        }
        return b.append(string(value.toString()));
    }

    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
