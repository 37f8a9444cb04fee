package dev.sentinel.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx");

    @Test
    void matchesTheJdkInEveryZoneAndSeason() {
        Random r = new Random(42);
        for (String zone : new String[] {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
            "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns"}) {
            ZoneId z = ZoneId.of(zone);
            for (int i = 0; i < 2000; i++) {
                // 1900 to 2100, milliseconds included, negative epochs too.
                long millis = (long) ((r.nextDouble() * 200 - 70) * 365.25 * 86_400_000L);
                assertEquals(ISO.format(Instant.ofEpochMilli(millis).atZone(z)), Timestamps.iso(millis, UtcOffset.in(z)),
                        zone + " at " + millis);
            }
        }
    }

    @Test
    void knownInstants() {
        assertEquals("1970-01-01T00:00:00.000+00:00", Timestamps.iso(0, UtcOffset.UTC));
        assertEquals("2026-12-01T20:36:40.123+01:00", Timestamps.iso(1_796_153_800_123L, s -> 3600));
        assertEquals("1969-12-31T18:59:59.999-05:00", Timestamps.iso(-1, s -> -18_000));
        assertEquals("2024-02-29T05:30:00.000+05:30", Timestamps.iso(1_709_164_800_000L, s -> 19_800));
    }

    @Test
    void daysFromCivilAndBackAreInverse() {
        for (long d = -800_000; d <= 800_000; d += 997) {
            long[] ymd = Timestamps.civilFromDays(d);
            assertEquals(d, Timestamps.daysFromCivil(ymd[0], (int) ymd[1], (int) ymd[2]));
        }
    }
}
