package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WarmStartTest {

    private static final MemoryLimit LIMIT = MemoryLimit.parse("100M");

    @Test
    void theFirstSamplesComeQuicklyThenThePolicyDecides() {
        WarmStart warm = new WarmStart(SamplingPolicy.fixed(250_000_000L), 3, 1_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(1_000_000L, warm.nextDelayNanos(0, LIMIT, 0), "quick sample " + i);
        }
        assertEquals(250_000_000L, warm.nextDelayNanos(0, LIMIT, 0));
        assertEquals(250_000_000L, warm.nextDelayNanos(0, LIMIT, 0));
    }

    @Test
    void aShorterDelayFromThePolicyWinsEvenWhileWarmingUp() {
        WarmStart warm = new WarmStart(SamplingPolicy.fixed(200_000L), 5, 1_000_000L);
        assertEquals(200_000L, warm.nextDelayNanos(0, LIMIT, 0));
    }

    @Test
    void thePolicySeesEverySample() {
        AdaptiveSampling adaptive = new AdaptiveSampling(250_000_000L, 1_000_000L);
        WarmStart warm = new WarmStart(adaptive, 1, 1_000_000L);
        warm.nextDelayNanos(10L << 20, LIMIT, 0);
        // The policy remembered the quick sample: 80 MiB of growth since makes it sample at once.
        assertEquals(1_000_000L, warm.nextDelayNanos(90L << 20, LIMIT, 0));
    }
}
