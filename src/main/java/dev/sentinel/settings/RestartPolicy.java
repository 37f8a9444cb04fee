package dev.sentinel.settings;

import java.util.Locale;

/**
 * When a program is started again after a run ends by itself or is stopped for memory: the word
 * users write. What each policy does after each kind of ending is {@code core.program.RestartRule}.
 */
public enum RestartPolicy {
    NEVER("never"),
    ON_FAILURE("on-failure"),
    ALWAYS("always");

    public static final String ACCEPTED = "never, on-failure or always";

    private final String label;

    RestartPolicy(String label) {
        this.label = label;
    }

    /** The word users write and read: {@code never}, {@code on-failure}, {@code always}. */
    public String label() {
        return label;
    }

    /** Parses {@code never}, {@code on-failure} (or {@code on_failure}), {@code always}; case-insensitive. */
    public static RestartPolicy parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (RestartPolicy p : values()) {
            if (p.label.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a restart policy; use " + ACCEPTED + ".");
    }

    @Override
    public String toString() {
        return label;
    }
}
