package dev.sentinel.time;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The local time zone as an offset from UTC at a given instant. Sentinel asks libc
 * ({@code Libc.utcOffsetSeconds}) rather than the JDK, whose zone rules read the whole time-zone
 * database into the heap on first use (1.5 MiB resident, BENCHMARKS.md); the JDK is the fallback.
 */
@FunctionalInterface
public interface UtcOffset {

    UtcOffset UTC = epochSecond -> 0;

    /** Seconds east of UTC at {@code epochSecond} (3600 for UTC+01:00, -18000 for UTC-05:00). */
    int secondsAt(long epochSecond);

    /** The offset in {@code zone}, by the JDK's rules. */
    static UtcOffset in(ZoneId zone) {
        return epochSecond -> zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }
}
