package dev.sentinel.settings;

import java.util.Locale;

/**
 * What an alive-level check that fails {@code threshold} times in a row does: restart the program
 * as a failure (the restart policy, backoff and {@code max_restarts} still decide), stop it for
 * good, or nothing but the event.
 */
public enum CheckAction {
    RESTART, STOP, IGNORE;

    public static final String ACCEPTED = "\"restart\", \"stop\" or \"ignore\"";

    public static CheckAction parse(String word) {
        for (CheckAction a : values()) {
            if (a.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not an on_failure action; use " + ACCEPTED + ".");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
