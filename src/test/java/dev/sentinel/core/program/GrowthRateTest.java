package dev.sentinel.core.program;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GrowthRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void slopeOfASteadyLeak() {
        GrowthRate rate = new GrowthRate(10 * SECOND, 64);
        for (int i = 0; i <= 20; i++) {
            rate.add(i * SECOND / 2, 100_000_000L + i * 5_000_000L);
        }
        assertEquals(10_000_000.0, rate.bytesPerSecond(10 * SECOND), 1.0);
    }

    @Test
    void flatIsZeroAndTooFewPointsIsZero() {
        GrowthRate rate = new GrowthRate(10 * SECOND, 64);
        assertEquals(0.0, rate.bytesPerSecond(0));
        rate.add(0, 5);
        assertEquals(0.0, rate.bytesPerSecond(0));
        rate.add(SECOND, 5);
        assertEquals(0.0, rate.bytesPerSecond(SECOND), 1e-9);
    }

    @Test
    void oldPointsLeaveTheWindow() {
        GrowthRate rate = new GrowthRate(2 * SECOND, 64);
        rate.add(0, 0);
        rate.add(SECOND, 1_000_000_000L);
        for (int i = 10; i <= 14; i++) {
            rate.add(i * SECOND, 7);
        }
        assertEquals(0.0, rate.bytesPerSecond(14 * SECOND), 1e-6);
    }

    @Test
    void aStepCountsUntilTheLastOtherValueLeavesTheWindow() {
        GrowthRate rate = new GrowthRate(2 * SECOND, 64);
        rate.add(0, 0);
        rate.add(SECOND, 100);
        rate.add(2 * SECOND, 100);
        assertEquals(50.0, rate.bytesPerSecond(2 * SECOND), 1e-6);
        rate.add(3 * SECOND, 100);
        // The 0 at t=0 is now 3 s old: the window holds 100s only.
        assertEquals(0.0, rate.bytesPerSecond(3 * SECOND));
        rate.add(4 * SECOND, 300);
        assertEquals(100.0, rate.bytesPerSecond(4 * SECOND), 1e-6);
    }

    @Test
    void aChangeInsideASharedSlotIsNotMistakenForFlat() {
        // 10 s over 10 slots: one slot per second; the sample at 1.5 s replaces the one at 1 s.
        GrowthRate rate = new GrowthRate(10 * SECOND, 10);
        rate.add(0, 5);
        rate.add(SECOND, 5);
        rate.add(3 * SECOND / 2, 50);
        assertEquals(30.0, rate.bytesPerSecond(3 * SECOND / 2), 1e-6);
        rate.reset();
        rate.add(0, 5);
        rate.add(SECOND / 2, 50);
        assertEquals(0.0, rate.bytesPerSecond(SECOND / 2), "one point, whatever its value");
    }

    @Test
    void aLongRunOfMillisecondSamplesStillGivesASlope() {
        // 10 s over 64 slots: one slot per 156 ms. A warm start samples every millisecond for
        // 300 ms; the leak must show by the end of it.
        GrowthRate rate = new GrowthRate(10 * SECOND, 64);
        long perMilli = 400L * 1024 * 1024 / 1000;
        for (int ms = 0; ms < 300; ms++) {
            rate.add(ms * 1_000_000L, ms * perMilli);
        }
        assertEquals(perMilli * 1000.0, rate.bytesPerSecond(299 * 1_000_000L), perMilli * 10.0);
    }
}
