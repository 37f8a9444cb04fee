package dev.sentinel.control;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The little JSON the protocol writes: escaped strings and finite numbers. Pure. */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259). */
    static String string(String text) {
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
    static String number(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static boolean validPair(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
