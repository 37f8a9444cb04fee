package dev.sentinel.time;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The local wall clock: the time of day at an instant, in some time zone. The headless reporter
 * stamps its lines with it from libc's offset ({@link UtcOffset}, {@code Libc.utcOffsetSeconds}),
 * because the JDK's own time-zone rules read the whole time-zone database into the heap on first
 * use: 1.5 MiB resident for a Sentinel, for the sake of a timestamp (BENCHMARKS.md).
 */
@FunctionalInterface
public interface TimeOfDay {

    /** Seconds since local midnight at {@code epochSecond}: 0 to 86399 (86400 in a leap second). */
    int secondOfDay(long epochSecond);

    /** The time of day at the offset {@code zone} gives (time_t has no leap seconds: 0 to 86399). */
    static TimeOfDay of(UtcOffset zone) {
        return epochSecond -> (int) Math.floorMod(epochSecond + zone.secondsAt(epochSecond), 86_400L);
    }

    /** The time of day in {@code zone}, by the JDK's rules (what the dashboard and tests use). */
    static TimeOfDay in(ZoneId zone) {
        return epochSecond -> Instant.ofEpochSecond(epochSecond).atZone(zone).toLocalTime().toSecondOfDay();
    }

    /** {@code HH:mm:ss.SSS} at {@code epochMillis}; a leap second shows as {@code 23:59:60}. */
    default String format(long epochMillis) {
        int second = secondOfDay(Math.floorDiv(epochMillis, 1000L));
        int hours = Math.min(second / 3600, 23);
        int minutes = Math.min((second - hours * 3600) / 60, 59);
        int seconds = second - hours * 3600 - minutes * 60;
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        return new StringBuilder(12)
                .append((char) ('0' + hours / 10)).append((char) ('0' + hours % 10)).append(':')
                .append((char) ('0' + minutes / 10)).append((char) ('0' + minutes % 10)).append(':')
                .append((char) ('0' + seconds / 10)).append((char) ('0' + seconds % 10)).append('.')
                .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10))
                .toString();
    }
}
