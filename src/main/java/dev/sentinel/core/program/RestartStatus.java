package dev.sentinel.core.program;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where a program stands with its restart policy, as snapshots carry it (the policy itself is in
 * the snapshot's settings).
 *
 * @param run the current (or last) run: 1, 2, ...; 0 before the first start
 * @param consecutiveFailures runs in a row that ended wanting a restart, counted since the last stable
 *                            run (so it includes that run if it was the first to fail); 0 once the
 *                            current run has stayed up for {@code stable_after}
 * @param lastExitStatus the program's own exit status of the last finished run, or -1
 * @param nextRestartEpochMillis when the pending restart is due (wall clock), or 0 without one
 * @param byReason restarts so far by reason; every reason is present
 */
public record RestartStatus(int run, int consecutiveFailures, int lastExitStatus, long nextRestartEpochMillis,
                            Map<RestartReason, Long> byReason) {

    public RestartStatus {
        Map<RestartReason, Long> all = new EnumMap<>(RestartReason.class);
        for (RestartReason r : RestartReason.values()) {
            all.put(r, byReason.getOrDefault(r, 0L));
        }
        byReason = Map.copyOf(all);
    }

    /** A program that has not run yet. */
    public static final RestartStatus NONE = new RestartStatus(0, 0, -1, 0, Map.of());

    /** Milliseconds until the pending restart at {@code nowEpochMillis} (never negative), or -1 without one. */
    public long millisToRestart(long nowEpochMillis) {
        return nextRestartEpochMillis == 0 ? -1 : Math.max(0, nextRestartEpochMillis - nowEpochMillis);
    }
}
