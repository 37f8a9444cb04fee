package dev.sentinel.soak;

import java.time.Duration;

/**
 * What a soak does (issue 21): {@code programs} programs that exit after a few seconds and restart,
 * one leaker that crosses its limit about every {@code crossEvery}, {@code clientsPerSecond}
 * socket clients connecting and leaving every second, a scrape of /metrics every second, a reload
 * every {@code reloadEvery}, and Sentinel's RSS, threads and descriptors sampled every
 * {@code sampleEvery}. The "first" and "last" windows the figures compare are {@code window} long.
 *
 * @param leakMibPerSecond how fast the leaker grows; with its JVM's own ~35 MiB and
 *                         {@code limitMib} this sets how long a run lasts before it crosses
 */
public record SoakPlan(Duration duration, int programs, int clientsPerSecond, Duration reloadEvery,
                       Duration sampleEvery, Duration window, int limitMib, double leakMibPerSecond) {

    /** The documented run: 10 minutes, 50 programs, 20 clients a second, a crossing about every 30 s. */
    public static SoakPlan full(Duration duration) {
        return new SoakPlan(duration, 50, 20, Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofMinutes(1), 120, 3);
    }

    /** The test suite's version: 75 s, 10 programs, 10 clients a second, a crossing about every 12 s. */
    public static SoakPlan brief() {
        return new SoakPlan(Duration.ofSeconds(75), 10, 10, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(20), 100, 6);
    }
}
