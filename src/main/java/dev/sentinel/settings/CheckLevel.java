package dev.sentinel.settings;

import java.util.Locale;

/** What a failing check means: the program is broken ({@code alive}) or only not ready ({@code ready}). */
public enum CheckLevel {
    ALIVE, READY;

    public static final String ACCEPTED = "\"alive\" or \"ready\"";

    public static CheckLevel parse(String word) {
        for (CheckLevel l : values()) {
            if (l.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a check level; use " + ACCEPTED + ".");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
