package dev.sentinel.core;

import java.util.Locale;
import java.util.Optional;

/**
 * When a program is started again after a run ends by itself or is stopped for memory. Orders
 * never restart: a {@code stop} or {@code kill} over the socket, or SIGINT/SIGTERM to Sentinel,
 * end supervision whatever the policy ({@code restart} and {@code start} restart at once, as
 * orders of their own).
 *
 * <table>
 * <caption>which run endings restart</caption>
 * <tr><th>how the run ended</th><th>never</th><th>on-failure</th><th>always</th></tr>
 * <tr><td>exit 0</td><td>-</td><td>-</td><td>restart ({@code exit})</td></tr>
 * <tr><td>non-zero exit, or a signal Sentinel did not send</td><td>-</td><td>restart ({@code failure})</td>
 *     <td>restart ({@code failure})</td></tr>
 * <tr><td>stopped for memory</td><td>-</td><td>restart ({@code memory})</td><td>restart ({@code memory})</td></tr>
 * <tr><td>stopped by an order or a signal to Sentinel</td><td>-</td><td>-</td><td>-</td></tr>
 * </table>
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

    /**
     * Whether a run that ended this way is to be followed by another, and why.
     *
     * @param stoppedBy why Sentinel stopped the tree, or null if the program ended by itself
     * @param exitStatus the main process's exit status (128+N for signal N)
     */
    public Optional<RestartReason> restartAfter(StopReason stoppedBy, int exitStatus) {
        if (this == NEVER || stoppedBy != null && stoppedBy.isOrder()) {
            return Optional.empty();
        }
        if (stoppedBy != null && stoppedBy.isMemory()) {
            return Optional.of(RestartReason.MEMORY);
        }
        // Ended by itself (leftovers, if any, were only cleaned up after it): judge by its status.
        if (exitStatus != 0) {
            return Optional.of(RestartReason.FAILURE);
        }
        return this == ALWAYS ? Optional.of(RestartReason.EXIT) : Optional.empty();
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
