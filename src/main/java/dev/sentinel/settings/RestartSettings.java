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

    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DELAY_MAX = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RESTARTS = 10;

    /** The wrapper's contract: one run, never restarted. */
    public static final RestartSettings NEVER = new RestartSettings(RestartPolicy.NEVER, DEFAULT_DELAY,
            DEFAULT_DELAY_MAX, DEFAULT_STABLE_AFTER, DEFAULT_MAX_RESTARTS);

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
