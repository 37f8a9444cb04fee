package dev.sentinel.settings;

import java.util.Locale;

/** When a program counts as ready: at its start, when its check first passes, or when it says {@code READY=1}. */
public enum Readiness {
    STARTED, CHECK, NOTIFY;

    public static final String ACCEPTED = "\"started\", \"check\" or \"notify\"";

    public static Readiness parse(String word) {
        for (Readiness r : values()) {
            if (r.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a readiness; use " + ACCEPTED + ".");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
