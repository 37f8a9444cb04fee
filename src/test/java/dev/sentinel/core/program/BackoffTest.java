package dev.sentinel.core.program;

import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final Duration STABLE = Duration.ofSeconds(60);

    private static RestartSettings settings(Duration delay, Duration max, int maxRestarts) {
        return new RestartSettings(RestartPolicy.ON_FAILURE, delay, max, STABLE, maxRestarts);
    }

    /** Jitter 0.5 is the middle of [0, 1): no change. */
    private static Backoff exact(RestartSettings s) {
        return new Backoff(s, () -> 0.5);
    }

    private static Duration delay(Backoff.Decision d) {
        return assertInstanceOf(Backoff.Decision.Restart.class, d).delay();
    }

    @Test
    void theDelayDoublesForEachUnstableRunUpToTheCap() {
        Backoff b = exact(settings(Duration.ofSeconds(1), Duration.ofSeconds(60), 0));
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            seconds.add(delay(b.afterRun(SHORT)).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), seconds);
        assertEquals(9, b.streak());
    }

    @Test
    void jitterStaysWithinTenPercentAndNeverPassesTheCap() {
        RestartSettings s = settings(Duration.ofSeconds(10), Duration.ofSeconds(60), 0);
        Backoff low = new Backoff(s, () -> 0.0);
        Backoff high = new Backoff(s, () -> 0.999_999);
        assertEquals(9_000, delay(low.afterRun(SHORT)).toMillis(), "-10 %");
        assertEquals(10_999, delay(high.afterRun(SHORT)).toMillis(), "just under +10 %");
        for (int i = 0; i < 5; i++) {
            assertTrue(delay(high.afterRun(SHORT)).compareTo(Duration.ofSeconds(60)) <= 0, "capped after jitter");
        }
        Backoff random = new Backoff(s, Math::random);
        for (int i = 0; i < 1000; i++) {
            long ms = delay(random.afterRun(SHORT)).toMillis();
            random.reset();
            assertTrue(ms >= 9_000 && ms <= 11_000, ms + " ms");
        }
    }

    @Test
    void aStableRunStartsTheStreakAgain() {
        Backoff b = exact(settings(Duration.ofSeconds(1), Duration.ofSeconds(60), 3));
        b.afterRun(SHORT);
        b.afterRun(SHORT);
        assertEquals(4, delay(b.afterRun(SHORT)).toSeconds());
        Backoff.Decision afterStable = b.afterRun(STABLE);
        assertEquals(new Backoff.Decision.Restart(Duration.ofSeconds(1), 1), afterStable,
                "a run of stable_after resets the delay and the count");
        assertTrue(b.isStable(STABLE) && !b.isStable(STABLE.minusMillis(1)));
    }

    @Test
    void givesUpAfterMaxRestartsInARow() {
        Backoff b = exact(settings(Duration.ofSeconds(1), Duration.ofSeconds(60), 3));
        assertInstanceOf(Backoff.Decision.Restart.class, b.afterRun(SHORT));
        assertInstanceOf(Backoff.Decision.Restart.class, b.afterRun(SHORT));
        assertInstanceOf(Backoff.Decision.Restart.class, b.afterRun(SHORT));
        assertEquals(new Backoff.Decision.GiveUp(3), b.afterRun(SHORT), "the fourth unstable run ends it");
    }

    @Test
    void zeroMaxRestartsNeverGivesUpAndZeroDelayRestartsAtOnce() {
        Backoff b = exact(settings(Duration.ZERO, Duration.ofSeconds(60), 0));
        for (int i = 0; i < 100; i++) {
            assertEquals(Duration.ZERO, delay(b.afterRun(SHORT)));
        }
    }

    @Test
    void theCapIsNeverBelowTheFirstDelay() {
        RestartSettings s = settings(Duration.ofSeconds(90), Duration.ofSeconds(60), 0);
        assertEquals(Duration.ofSeconds(90), s.delayMax());
        assertEquals(90, delay(exact(s).afterRun(SHORT)).toSeconds());
    }

    @Test
    void anOrderForgetsTheStreak() {
        Backoff b = exact(settings(Duration.ofSeconds(1), Duration.ofSeconds(60), 2));
        b.afterRun(SHORT);
        b.afterRun(SHORT);
        b.reset();
        assertEquals(new Backoff.Decision.Restart(Duration.ofSeconds(1), 1), b.afterRun(SHORT));
    }
}
