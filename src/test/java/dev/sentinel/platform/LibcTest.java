package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.core.TimeOfDay;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LibcTest {

    private final Libc libc = new Libc();

    @Test
    void localTimeOfDayAgreesWithTheJdk() {
        TimeOfDay jdk = TimeOfDay.in(ZoneId.systemDefault());
        long now = Instant.now().getEpochSecond();
        // Half a year apart, so that one of them is on summer time wherever the zone has one.
        for (long t : new long[] {0, now, now - 182 * 86_400L, 1_751_371_200L, 1_735_732_800L}) {
            assertEquals(jdk.secondOfDay(t), libc.localSecondOfDay(t), "at epoch second " + t);
        }
    }
}
