package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.time.TimeOfDay;
import dev.sentinel.time.UtcOffset;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LibcTest {

    private final Libc libc = new Libc();

    @Test
    void localOffsetAndTimeOfDayAgreeWithTheJdk() {
        UtcOffset jdkOffset = UtcOffset.in(ZoneId.systemDefault());
        TimeOfDay jdk = TimeOfDay.in(ZoneId.systemDefault());
        TimeOfDay fromLibc = TimeOfDay.of(libc::utcOffsetSeconds);
        long now = Instant.now().getEpochSecond();
        // Half a year apart, so that one of them is on summer time wherever the zone has one.
        for (long t : new long[] {0, now, now - 182 * 86_400L, 1_751_371_200L, 1_735_732_800L, -86_400L * 365}) {
            assertEquals(jdkOffset.secondsAt(t), libc.utcOffsetSeconds(t), "offset at epoch second " + t);
            assertEquals(jdk.secondOfDay(t), fromLibc.secondOfDay(t), "time of day at epoch second " + t);
        }
    }
}
