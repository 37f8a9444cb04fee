package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Other processes' CPU clocks, read from real processes. */
class CpuClocksTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ProcessClock clock = CpuClocks.system();

    @Test
    void theClockIdIsTheKernelsEncodingOfAProcessClock() {
        // MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED) = (~pid << 3) | 2
        assertEquals(-8 * 1234 - 8 + 2, CpuClocks.clockId(1234));
    }

    @Test
    void aSleepingProcessStandsStillABusyOneMovesAndAGoneOneCannotBeRead() throws Exception {
        assertNotSame(ProcessClock.NONE, clock, "this machine reads other processes' CPU clocks");
        Process sleeping = new ProcessBuilder("sleep", "60").start();
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Await.until(WAIT, "both have run", () -> clock.cpuNanos(sleeping.pid()) > 0 && clock.cpuNanos(busy.pid()) > 0);
            // Once sleep has started up, its clock holds while the busy one runs 20 ms of CPU.
            Await.until(WAIT, "sleep's clock holds while the other's moves 20 ms", () -> {
                long asleep = clock.cpuNanos(sleeping.pid());
                long first = clock.cpuNanos(busy.pid());
                Await.until(WAIT, "the busy one's clock moves", () -> clock.cpuNanos(busy.pid()) > first + 20_000_000L);
                return clock.cpuNanos(sleeping.pid()) == asleep;
            });
        } finally {
            sleeping.destroyForcibly().waitFor();
            busy.destroyForcibly().waitFor();
        }
        assertTrue(clock.cpuNanos(busy.pid()) < 0, "a reaped process has no clock");
    }
}
