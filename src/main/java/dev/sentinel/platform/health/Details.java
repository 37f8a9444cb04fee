package dev.sentinel.platform.health;

/**
 * The words of a result, fit for one line of a status table or an event: whatever a server or
 * a command sent may hold terminal escapes, newlines or megabytes.
 */
final class Details {

    /** The longest detail a result carries (see {@link ProbeResult}). */
    static final int MAX = 200;
    /** A check that the runner's close cut short, or that came after it. */
    static final String SHUTTING_DOWN = "sentinel is shutting down";

    private Details() {
    }

    /**
     * {@code text} on one line of at most {@code max} characters: tabs and line ends become
     * spaces, other control characters {@code ?}, and a longer text ends in an ellipsis.
     */
    static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        boolean cut = text.length() > max;
        int keep = cut ? max - 1 : text.length();
        if (cut && keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
            keep--;
        }
        StringBuilder b = new StringBuilder(keep + 1);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                b.append(' ');
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        if (cut) {
            b.append('\u2026');
        }
        return b.toString();
    }

    /** What an exception says: its message, or its class's name when it has none. */
    static String words(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /**
     * The message nearest the root cause: TLS failures wrap their reason ({@code PKIX path
     * building failed: sun.security...: unable to find valid certification path}) in layers.
     */
    static String rootWords(Throwable t) {
        String found = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.isBlank()) {
                found = m;
            }
        }
        return found == null ? words(t) : found;
    }

    /** {@code Connection reset} as a detail writes it: {@code connection reset}. */
    static String lowerFirst(String text) {
        if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
            return Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return text;
    }
}
