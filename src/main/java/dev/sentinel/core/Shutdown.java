package dev.sentinel.core;

import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stopping every program of a file in reverse priority order: the group with the highest priority
 * first, its programs in parallel, each in its own tiers; the next group once the previous group's
 * trees are gone (they stop last, as they started first). Pending restarts are cancelled. The
 * whole shutdown has a {@link ShutdownBudget}: once it is spent, every tree left gets SIGKILL,
 * whichever group it is in and whatever its own grace. Loop thread only.
 */
final class Shutdown {

    private final Fleet fleet;
    private final EventSink events;
    private final Clock clock;
    private final String self;
    private final ShutdownBudget budget;
    /** Why Sentinel is shutting down, or null while it is not. */
    private StopReason reason;
    /** Whether the first group's line said the budget already. */
    private boolean budgetSaid;

    Shutdown(Fleet fleet, EventSink events, Clock clock, String self, ShutdownBudget budget) {
        this.fleet = fleet;
        this.budget = budget;
        this.events = events;
        this.clock = clock;
        this.self = self;
    }

    boolean active() {
        return reason != null;
    }

    /** Begins the shutdown (reload's pending changes are dropped); says what it does, in one sentence. */
    String begin(StopReason why) {
        if (reason != null) {
            return "already shutting down (" + fleet.withTree() + " still running)";
        }
        reason = why;
        budget.start();
        for (ProgramSlot s : fleet.slots()) {
            s.replacement = null;
        }
        advance();
        int n = fleet.withTree();
        return n == 0 ? "nothing runs: Sentinel exits"
                : "stopping " + n + " program" + (n == 1 ? "" : "s") + " in reverse priority order; Sentinel exits "
                        + "when all are gone";
    }

    /** A kill of everything is a shutdown too, if none was under way. */
    void beginIfIdle(StopReason why) {
        if (reason == null) {
            reason = why;
        }
    }

    /** When the loop must wake for the budget, or {@code Long.MAX_VALUE}. */
    long nextWakeNanos() {
        return reason == null ? Long.MAX_VALUE : budget.deadlineNanos();
    }

    /**
     * Cancels pending restarts and waits, and stops the highest-priority group that still has a
     * tree, leaving out any program that a program with a tree starts after: that one stops first.
     */
    void advance() {
        if (budget.spendNow()) {
            int trees = fleet.withTree();
            if (trees > 0) {
                events.emit(new Event(clock.epochMillis(), self, 0, EventKind.ORDER, budget.spentSentence(trees),
                        Map.of()));
                fleet.killAll(reason);
            }
        }
        int highest = Integer.MIN_VALUE;
        Set<String> neededByARunningOne = new HashSet<>();
        for (ProgramSlot s : fleet.slots()) {
            if (s.program.state().hasTree()) {
                neededByARunningOne.addAll(s.settings.startsAfter());
            }
        }
        for (ProgramSlot s : fleet.slots()) {
            ProgramState st = s.program.state();
            if (st == ProgramState.BACKOFF || st == ProgramState.WAITING) {
                s.program.onStop(reason);
            } else if (st.hasTree() && !neededByARunningOne.contains(s.program.name())) {
                highest = Math.max(highest, s.settings.priority());
            }
        }
        if (highest == Integer.MIN_VALUE) {
            return;
        }
        StringBuilder group = new StringBuilder();
        for (ProgramSlot s : fleet.slots()) {
            ProgramState st = s.program.state();
            if (s.settings.priority() == highest && (st == ProgramState.STARTING || st == ProgramState.RUNNING)
                    && !neededByARunningOne.contains(s.program.name())) {
                s.program.onStop(reason);
                group.append(group.length() == 0 ? "" : ", ").append(s.program.name());
            }
        }
        if (group.length() > 0) {
            // Each program's own signal-sent line follows; this one says why now and in which order.
            events.emit(new Event(clock.epochMillis(), self, 0, EventKind.ORDER,
                    "shutdown: stopping " + (neededByARunningOne.isEmpty() ? "" : "in start order, ") + "priority "
                            + highest + " (" + group + ")" + (budgetSaid || !budget.started() ? "" : "; "
                            + budget.limitSentence()), Map.of()));
            budgetSaid |= budget.started();
        }
    }
}
