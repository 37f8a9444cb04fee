package dev.sentinel.tui;

/**
 * Turns a line the child printed into plain text that cannot move the cursor, change colours or
 * switch screens: escape sequences (CSI, OSC, DCS, and the short ones) and control characters are
 * removed, tabs become spaces, a carriage return keeps what was printed after it (as a progress
 * bar would look), and characters whose width a terminal may disagree about are replaced.
 */
final class TextSanitizer {

    /** Longer lines are cut before cleaning: nobody reads past this in a pane. */
    static final int MAX_INPUT = 4096;
    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;

    private TextSanitizer() {
    }

    static String clean(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String s = raw.length() > MAX_INPUT ? raw.substring(0, MAX_INPUT) : raw;
        s = afterLastCarriageReturn(s);
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ESC) {
                i = skipEscape(s, i + 1);
                continue;
            }
            if (c == 0x9b) {
                i = skipCsi(s, i + 1);
                continue;
            }
            if (c == '\t') {
                int spaces = 8 - out.length() % 8;
                out.append(" ".repeat(spaces));
            } else if (c == '\b') {
                if (out.length() > 0) {
                    out.setLength(out.length() - 1);
                }
            } else if (Character.isHighSurrogate(c) || Character.isLowSurrogate(c)) {
                // Beyond the BMP (emoji): terminals disagree on the width, so one visible stand-in.
                if (!(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                    out.append('\ufffd');
                }
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                // other control characters: dropped
            } else {
                int type = Character.getType(c);
                if (type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK
                        && type != Character.FORMAT) {
                    out.append(c);
                }
            }
            i++;
        }
        return out.toString();
    }

    private static String afterLastCarriageReturn(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\r') {
            end--;
        }
        int cr = s.lastIndexOf('\r', end - 1);
        return s.substring(cr + 1, end);
    }

    /** {@code i} is just after ESC; returns the index after the whole sequence. */
    private static int skipEscape(String s, int i) {
        if (i >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        switch (c) {
            case '[':
                return skipCsi(s, i + 1);
            case ']':
            case 'P':
            case 'X':
            case '^':
            case '_':
                return skipString(s, i + 1);
            default:
                // ESC, optional intermediate bytes (0x20-0x2f), one final byte: "ESC ( B", "ESC 7", "ESC c".
                while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2f) {
                    i++;
                }
                return Math.min(s.length(), i + 1);
        }
    }

    /** Parameters and intermediates up to a final byte in 0x40-0x7e. */
    private static int skipCsi(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c >= 0x40 && c <= 0x7e) {
                return i;
            }
        }
        return i;
    }

    /** OSC/DCS/... strings end with BEL or ESC backslash (the string terminator). */
    private static int skipString(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == BEL || c == 0x9c) {
                return i;
            }
            if (c == ESC && i < s.length() && s.charAt(i) == '\\') {
                return i + 1;
            }
        }
        return i;
    }
}
