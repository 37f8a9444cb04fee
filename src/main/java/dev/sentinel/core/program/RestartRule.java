package dev.sentinel.core.program;

import dev.sentinel.settings.RestartPolicy;
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
 * <tr><td>stopped by a failed check, the watchdog, the ready timeout</td><td>-</td>
 *     <td>restart ({@code check-failed}, {@code watchdog}, {@code ready-timeout})</td><td>the same</td></tr>
 * <tr><td>stopped by an order or a signal to Sentinel</td><td>-</td><td>-</td><td>-</td></tr>
 * </table>
 */
final class RestartRule {

    private RestartRule() {
    }

    /**
     * Whether, under {@code policy}, a run that ended this way is to be followed by another, and why.
     *
     * @param stoppedBy why Sentinel stopped the tree, or null if the program ended by itself
     * @param exitStatus the main process's exit status (128+N for signal N)
     */
    static Optional<RestartReason> after(RestartPolicy policy, StopReason stoppedBy, int exitStatus) {
        if (policy == RestartPolicy.NEVER || stoppedBy != null && stoppedBy.isOrder()) {
            return Optional.empty();
        }
        if (stoppedBy != null && stoppedBy.isMemory()) {
            return Optional.of(RestartReason.MEMORY);
        }
        if (stoppedBy != null && stoppedBy.isHealth()) {
            return Optional.of(switch (stoppedBy) {
                case CHECK_FAILED -> RestartReason.CHECK_FAILED;
                case WATCHDOG -> RestartReason.WATCHDOG;
                default -> RestartReason.READY_TIMEOUT;
            });
        }
        // Ended by itself (leftovers, if any, were only cleaned up after it): judge by its status.
        if (exitStatus != 0) {
            return Optional.of(RestartReason.FAILURE);
        }
        return policy == RestartPolicy.ALWAYS ? Optional.of(RestartReason.EXIT) : Optional.empty();
    }
}
