package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdaptiveSamplingTest {

    private static final long MS = 1_000_000L;
    private static final long MIB = 1 << 20;
    private static final MemoryLimit LIMIT = new MemoryLimit(200 * MIB);

    @Test
    void aFlatTreeIsSampledAtTheBaseInterval() {
        AdaptiveSampling p = new AdaptiveSampling(250 * MS, MS);
        assertEquals(250 * MS, p.nextDelayNanos(0, 190 * MIB, LIMIT, 0));
        assertEquals(250 * MS, p.nextDelayNanos(250 * MS, 190 * MIB, LIMIT, 0));
        assertEquals(250 * MS, p.nextDelayNanos(500 * MS, 100 * MIB, MemoryLimit.NONE, 1e9));
    }

    @Test
    void aLeakIsSampledFasterAsItNearsTheLimit() {
        AdaptiveSampling p = new AdaptiveSampling(250 * MS, MS);
        // 100 MiB/s: 100 MiB of headroom is 1 s away; a quarter of that is the base interval.
        assertEquals(250 * MS, p.nextDelayNanos(0, 100 * MIB, LIMIT, 100.0 * MIB), 1 * MS);
        // 10 MiB of headroom is 100 ms away: sample in 25 ms.
        assertEquals(25 * MS, p.nextDelayNanos(900 * MS, 190 * MIB, LIMIT, 100.0 * MIB), 1 * MS);
        // Within half a MiB: never faster than the minimum.
        assertEquals(MS, p.nextDelayNanos(995 * MS, (long) (199.9 * MIB), LIMIT, 100.0 * MIB));
    }

    @Test
    void aLeakThatJustStartedIsSeenFromTheLastStep() {
        AdaptiveSampling p = new AdaptiveSampling(250 * MS, MS);
        p.nextDelayNanos(0, 100 * MIB, LIMIT, 0);
        // +50 MiB in 250 ms = 200 MiB/s although the window slope still says 0.
        long d = p.nextDelayNanos(250 * MS, 150 * MIB, LIMIT, 0);
        assertTrue(d < 100 * MS, "sampled sooner: " + d / MS + " ms");
    }

    @Test
    void overTheLimitSamplesAtTheMinimum() {
        AdaptiveSampling p = new AdaptiveSampling(250 * MS, 2 * MS);
        assertEquals(2 * MS, p.nextDelayNanos(0, 300 * MIB, LIMIT, 1.0));
    }

    @Test
    void simulatedLeaksOvershootLittle() {
        for (double mibPerSecond : new double[] {20, 100, 400}) {
            AdaptiveSampling p = new AdaptiveSampling(250 * MS, MS);
            double rate = mibPerSecond * MIB / 1e9;
            long t = 0;
            long rss = 40 * MIB;
            while (rss <= LIMIT.bytes()) {
                t += p.nextDelayNanos(t, rss, LIMIT, 0);
                rss = 40 * MIB + (long) (rate * t);
            }
            double overshootMiB = (rss - LIMIT.bytes()) / (double) MIB;
            // The sampler alone: a few ms of growth at most (signal delivery adds the rest).
            assertTrue(overshootMiB < mibPerSecond * 0.002 + 0.01, mibPerSecond + " MiB/s overshot " + overshootMiB);
        }
    }
}
