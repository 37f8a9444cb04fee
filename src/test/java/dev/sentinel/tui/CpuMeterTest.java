package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.ProcessSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    private static ProcessSample p(long pid, long ticks, long start) {
        return new ProcessSample(pid, 1, pid, 0, "p", "p", 'R', 0, ticks, 1, start);
    }

    @Test
    void rateIsTakenOverAtLeastTheWindow() {
        CpuMeter m = new CpuMeter(1_000);
        m.record(List.of(p(10, 100, 5)), 0);
        assertTrue(Double.isNaN(m.percent(p(10, 100, 5))), "unknown before a window has passed");
        m.record(List.of(p(10, 150, 5)), 500);
        assertTrue(Double.isNaN(m.percent(p(10, 150, 5))), "half a window is not enough");
        m.record(List.of(p(10, 250, 5)), 2_000);
        // 150 ticks = 1.5 s of CPU in 2 s.
        assertEquals(75.0, m.percent(p(10, 250, 5)), 1e-9);
    }

    @Test
    void aReusedPidIsANewProcess() {
        CpuMeter m = new CpuMeter(1_000);
        m.record(List.of(p(10, 100, 5)), 0);
        m.record(List.of(p(10, 300, 5)), 1_000);
        assertEquals(200.0, m.percent(p(10, 300, 5)), 1e-9, "two cores busy");
        m.record(List.of(p(10, 3, 900)), 2_000);
        assertTrue(Double.isNaN(m.percent(p(10, 3, 900))));
        assertTrue(Double.isNaN(m.percent(p(10, 300, 5))), "the old process is forgotten");
    }

    @Test
    void aWallClockSteppingBackRestartsTheWindowInsteadOfFreezingTheRate() {
        CpuMeter m = new CpuMeter(1_000);
        long t = 100_000_000;
        m.record(List.of(p(10, 100, 5)), t);
        m.record(List.of(p(10, 200, 5)), t + 1_000);
        assertEquals(100.0, m.percent(p(10, 200, 5)), 1e-9);
        // An hour back: the next window is taken from here.
        m.record(List.of(p(10, 250, 5)), t + 1_000 - 3_600_000);
        m.record(List.of(p(10, 300, 5)), t + 2_000 - 3_600_000);
        assertEquals(50.0, m.percent(p(10, 300, 5)), 1e-9);
    }
}
