package dev.sentinel.core;

import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.text.Durations;
import dev.sentinel.time.Clock;
import java.time.Duration;

/**
 * The whole shutdown's budget ({@code --shutdown-timeout}): it starts when the shutdown begins
 * (a stop signal to Sentinel, {@code stop} without a name, an essential program's end) and, once
 * spent, every tree left is killed whatever its own grace. A pod's kubelet sends SIGKILL when
 * {@code terminationGracePeriodSeconds} is over; Sentinel kills first, so it still reaps its trees
 * and removes their cgroups itself. Loop thread only.
 */
public final class ShutdownBudget {

    /** The default budget: 25s, 5s under Kubernetes' default grace period of 30s. */
    public static final Duration DEFAULT = SentinelOptions.SHUTDOWN_TIMEOUT.defaultValue();
    private static final long NEVER = Long.MAX_VALUE;

    private final Duration budget;
    private final Clock clock;
    /** When the budget is spent (monotonic nanos), or NEVER before the shutdown began. */
    private long spentAtNanos = NEVER;
    private boolean spentSaid;

    public ShutdownBudget(Duration budget, Clock clock) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("a shutdown budget must be above 0: " + budget);
        }
        this.budget = budget;
        this.clock = clock;
    }

    /** Starts the budget now, if the shutdown had not begun already (a second start changes nothing). */
    void start() {
        if (spentAtNanos == NEVER) {
            long now = clock.nanos();
            // Saturates: a budget of years must not wrap round into the past.
            spentAtNanos = now + Math.min(budget.toNanos(), NEVER - 1 - Math.max(now, 0));
        }
    }

    boolean started() {
        return spentAtNanos != NEVER;
    }

    /** When the loop must wake to kill what is left, or {@code Long.MAX_VALUE} before the shutdown. */
    long deadlineNanos() {
        return spentSaid ? NEVER : spentAtNanos;
    }

    /** True once, at the first call after the budget is spent: the moment to kill every tree left. */
    boolean spendNow() {
        if (spentSaid || spentAtNanos == NEVER || clock.nanos() < spentAtNanos) {
            return false;
        }
        spentSaid = true;
        return true;
    }

    Duration budget() {
        return budget;
    }

    /** The budget as the shutdown's first line says it. */
    String limitSentence() {
        return "SIGKILL to every tree left after " + Durations.format(budget) + " (shutdown_timeout)";
    }

    /** What Sentinel says when the budget is spent, with how many trees it kills. */
    String spentSentence(int trees) {
        return "shutdown budget of " + Durations.format(budget) + " (shutdown_timeout) spent: SIGKILL to " + trees
                + " tree" + (trees == 1 ? "" : "s") + " left";
    }

    /**
     * The sentence said at start about a program whose grace alone is longer than the budget, or
     * null when it fits: at a shutdown that program gets SIGKILL once the budget is spent.
     */
    String tooLongGrace(ProgramSettings program) {
        Duration grace = program.grace();
        if (grace.compareTo(budget) <= 0) {
            return null;
        }
        return "grace " + Durations.format(grace) + " is longer than the shutdown budget of "
                + Durations.format(budget) + " (shutdown_timeout): at a shutdown it gets SIGKILL once the budget is "
                + "spent";
    }
}
