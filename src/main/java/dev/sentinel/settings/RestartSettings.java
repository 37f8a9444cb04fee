package dev.sentinel.settings;

import java.time.Duration;

/**
 * How a program is kept running: when it is restarted, how the delay grows, when Sentinel gives up.
 *
 * @param policy which endings of a run are followed by a restart
 * @param delay the delay before the first restart of a streak (0: at once)
 * @param delayMax the cap of the doubling delay; never below {@code delay}
 * @param stableAfter a run that stayed up this long was stable: it resets the delay and the count
 * @param maxRestarts give up after this many restarts in a row that were each followed by an
 *                    unstable run; 0 never gives up
 */
public record RestartSettings(RestartPolicy policy, Duration delay, Duration delayMax, Duration stableAfter,
                              int maxRestarts) {

    /** The wrapper's contract, the command line's defaults: one run, never restarted. */
    public static final RestartSettings NEVER = new RestartSettings(ProgramOptions.RESTART.defaultValue(),
            ProgramOptions.RESTART_DELAY.defaultValue(), ProgramOptions.RESTART_DELAY_MAX.defaultValue(),
            ProgramOptions.STABLE_AFTER.defaultValue(), ProgramOptions.MAX_RESTARTS.defaultValue());

    public RestartSettings {
        if (delay.isNegative() || delayMax.isNegative() || stableAfter.isNegative() || maxRestarts < 0) {
            throw new IllegalArgumentException("restart delays and counts must not be negative");
        }
        if (delayMax.compareTo(delay) < 0) {
            delayMax = delay;
        }
    }

    /** These settings with another policy. */
    public RestartSettings withPolicy(RestartPolicy p) {
        return new RestartSettings(p, delay, delayMax, stableAfter, maxRestarts);
    }
}
