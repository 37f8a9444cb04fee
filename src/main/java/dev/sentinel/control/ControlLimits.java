package dev.sentinel.control;

import java.time.Duration;

/**
 * The bounds that keep slow or hostile clients from costing the supervisor loop anything that
 * matters. Production uses {@link #DEFAULT}; tests shorten the timeouts.
 *
 * @param maxLineBytes the longest command line accepted, newline excluded
 * @param idleTimeout how long a client has, from connecting, to send its command line
 * @param writeTimeout how long a client may leave its reply (or a watch stream) unread before it is dropped
 * @param maxConnections open connections beyond this are answered with one ERR line and closed at once
 * @param maxWatchBacklogBytes a watch stream drops lines while more than this is waiting to be read
 * @param acceptBatch connections accepted per wake-up, so a flood of connects cannot starve sampling
 */
record ControlLimits(int maxLineBytes, Duration idleTimeout, Duration writeTimeout, int maxConnections,
                     int maxWatchBacklogBytes, int acceptBatch) {

    static final ControlLimits DEFAULT =
            new ControlLimits(4096, Duration.ofSeconds(5), Duration.ofSeconds(5), 1024, 16 * 1024, 64);

    ControlLimits withTimeouts(Duration idle, Duration write) {
        return new ControlLimits(maxLineBytes, idle, write, maxConnections, maxWatchBacklogBytes, acceptBatch);
    }

    ControlLimits withMaxConnections(int max) {
        return new ControlLimits(maxLineBytes, idleTimeout, writeTimeout, max, maxWatchBacklogBytes, acceptBatch);
    }
}
