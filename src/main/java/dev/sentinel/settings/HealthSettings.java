package dev.sentinel.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * How Sentinel knows a program works, beyond that it runs: its check, its readiness, its watchdog.
 *
 * @param check its health check, or {@link CheckSettings#NONE}
 * @param ready when it counts as ready
 * @param watchdog with {@code ready = "notify"}: restarted when no {@code WATCHDOG=1} came for this
 *                 long; zero for none
 * @param readyTimeout restarted as a failure when not ready this long after a start; zero for none
 */
public record HealthSettings(CheckSettings check, Readiness ready, Duration watchdog, Duration readyTimeout) {

    public static final HealthSettings NONE = new HealthSettings(CheckSettings.NONE, Readiness.STARTED,
            Duration.ZERO, Duration.ZERO);

    public HealthSettings {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(ready, "ready");
        if (watchdog.isNegative() || readyTimeout.isNegative()) {
            throw new IllegalArgumentException("watchdog and ready_timeout must be >= 0");
        }
    }

    /**
     * Null when these fit together, otherwise one sentence: {@code ready = "check"} needs a check,
     * {@code watchdog} needs {@code ready = "notify"} (the pings come over its socket).
     */
    public String problem() {
        if (ready == Readiness.CHECK && !check.isSet()) {
            return "ready = \"check\" needs a check; add one (check.http, check.tcp or check.exec), or use "
                    + "ready = \"started\".";
        }
        if (!watchdog.isZero() && ready != Readiness.NOTIFY) {
            return "a watchdog needs ready = \"notify\": its WATCHDOG=1 pings come over the notify socket.";
        }
        return null;
    }

    /** Whether Sentinel watches more than that the program runs: a check, or readiness it must be told. */
    public boolean watched() {
        return check.isSet() || ready != Readiness.STARTED;
    }

    /** Whether the program gets a notify socket. */
    public boolean notifies() {
        return ready == Readiness.NOTIFY;
    }
}
