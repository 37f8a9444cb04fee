package dev.sentinel.text;

/**
 * Text a user typed, made safe to echo in one line of an error: a control character (a newline,
 * an escape that would drive the terminal, a C1 code) is shown as a backslash escape instead of
 * being written, so a refusal stays one line and cannot repaint the screen.
 */
public final class Visible {

    private Visible() {
    }

    public static String escape(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String shown = shown(c);
            if (shown != null && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                b.append(shown != null ? shown : String.valueOf(c));
            }
        }
        return b == null ? text : b.toString();
    }

    private static String shown(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\u001b':
                return "\\e";
            default:
                if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') {
                    return String.format("\\u%04x", (int) c);
                }
                return null;
        }
    }
}
