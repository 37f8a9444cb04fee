package dev.sentinel.core.program;

import dev.sentinel.settings.RestartSettings;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The restart bookkeeping of one program: the streak (how many runs in a row ended wanting a
 * restart, counted from the first one after a stable run), the delay before the next restart, and
 * when to give up. Pure: it is told how long each run lasted and never reads a clock; the jitter
 * comes from an injected source.
 *
 * <pre>
 *   streak = 1                 if the run that just ended was stable (up for stable_after or longer)
 *            streak + 1        otherwise
 *   give up                    if max_restarts &gt; 0 and streak &gt; max_restarts
 *   delay  = min(delay_max, restart_delay * 2^(streak - 1) * (1 + j)),   j uniform in [-0.1, 0.1)
 * </pre>
 *
 * So with the defaults a crash loop waits about 1 s, 2 s, 4 s ... 60 s, and gives up after its
 * tenth restart in a row (the eleventh unstable run), about five minutes in.
 */
public final class Backoff {

    /** ±10 %: enough to keep many programs from restarting in step. */
    static final double JITTER = 0.1;

    private final RestartSettings settings;
    private final DoubleSupplier random;
    private int streak;

    /** @param random numbers uniform in [0, 1), e.g. {@code Math::random}; tests pass fixed ones */
    public Backoff(RestartSettings settings, DoubleSupplier random) {
        this.settings = settings;
        this.random = random;
    }

    /** What comes after a run that wants a restart. */
    public sealed interface Decision {
        /** Restart after {@code delay}; this is restart {@code streak} of the streak. */
        record Restart(Duration delay, int streak) implements Decision {
        }

        /** Give up: {@code restarts} restarts in a row were each followed by an unstable run. */
        record GiveUp(int restarts) implements Decision {
        }
    }

    /** Counts a run that lasted {@code ran} and wants a restart, and decides. */
    public Decision afterRun(Duration ran) {
        streak = isStable(ran) ? 1 : streak + 1;
        if (settings.maxRestarts() > 0 && streak > settings.maxRestarts()) {
            int restarts = streak - 1;
            return new Decision.GiveUp(restarts);
        }
        return new Decision.Restart(delayFor(streak), streak);
    }

    /** Whether a run that lasted {@code ran} counts as stable. */
    public boolean isStable(Duration ran) {
        return ran.compareTo(settings.stableAfter()) >= 0;
    }

    /** Runs in a row that ended wanting a restart, since the last stable one (0 after a reset). */
    public int streak() {
        return streak;
    }

    /** Forgets the streak: an order started the program, or a run proved stable. */
    public void reset() {
        streak = 0;
    }

    private Duration delayFor(int n) {
        long base = settings.delay().toNanos();
        if (base == 0) {
            return Duration.ZERO;
        }
        long max = settings.delayMax().toNanos();
        double doubled = base * Math.pow(2, Math.min(n - 1, 62));
        double jittered = Math.min(doubled, max) * (1 + JITTER * (2 * random.getAsDouble() - 1));
        return Duration.ofNanos((long) Math.max(0, Math.min(jittered, max)));
    }
}
