package dev.sentinel.tui;

import static dev.sentinel.tui.LimitStep.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.settings.MemoryLimit;
import org.junit.jupiter.api.Test;

class LimitStepTest {

    @Test
    void stepsByTenPercentInWholeMebibytes() {
        assertEquals(new MemoryLimit(330 * MIB), LimitStep.raised(new MemoryLimit(300 * MIB)));
        assertEquals(new MemoryLimit(270 * MIB), LimitStep.lowered(new MemoryLimit(300 * MIB)));
        assertEquals(new MemoryLimit(563 * MIB), LimitStep.raised(new MemoryLimit(512 * MIB)), "51.2 rounds to 51");
    }

    @Test
    void smallLimitsMoveByOneMebibyteAndNeverReachZero() {
        assertEquals(new MemoryLimit(6 * MIB), LimitStep.raised(new MemoryLimit(5 * MIB)));
        assertEquals(new MemoryLimit(MIB), LimitStep.lowered(new MemoryLimit(MIB)));
        assertEquals(new MemoryLimit(MIB), LimitStep.lowered(new MemoryLimit(MIB + 10)));
    }

    @Test
    void noLimitStaysNoLimit() {
        assertEquals(MemoryLimit.NONE, LimitStep.raised(MemoryLimit.NONE));
        assertEquals(MemoryLimit.NONE, LimitStep.lowered(MemoryLimit.NONE));
    }
}
