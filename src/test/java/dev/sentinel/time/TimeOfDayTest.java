package dev.sentinel.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeOfDayTest {

    private static final TimeOfDay UTC = TimeOfDay.in(ZoneOffset.UTC);

    @Test
    void formatsHoursMinutesSecondsAndMillis() {
        assertEquals("00:00:00.000", UTC.format(0));
        assertEquals("23:31:30.123", UTC.format(1_234_567_890_123L));
        assertEquals("09:05:07.008", UTC.format(9 * 3_600_000L + 5 * 60_000L + 7_008L));
    }

    @Test
    void followsTheZone() {
        assertEquals("05:01:30.123", TimeOfDay.in(ZoneId.of("Asia/Kolkata")).format(1_234_567_890_123L));
        // New York on summer time (UTC-4) and on winter time (UTC-5).
        TimeOfDay newYork = TimeOfDay.in(ZoneId.of("America/New_York"));
        assertEquals("08:00:00.000", newYork.format(1_751_371_200_000L));
        assertEquals("07:00:00.000", newYork.format(1_735_732_800_000L));
    }

    @Test
    void instantsBefore1970RoundDownToTheSecondBefore() {
        assertEquals("23:59:59.999", UTC.format(-1));
    }

    @Test
    void aLeapSecondShowsAs60() {
        TimeOfDay leap = epochSecond -> 86_400;
        assertEquals("23:59:60.500", leap.format(500));
    }
}
