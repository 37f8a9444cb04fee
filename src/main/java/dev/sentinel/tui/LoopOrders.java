package dev.sentinel.tui;

import dev.sentinel.core.Event;
import dev.sentinel.core.EventKind;
import dev.sentinel.core.Guardian;
import dev.sentinel.core.GuardianState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.MemoryLimit;
import dev.sentinel.core.StopReason;
import dev.sentinel.platform.Signal;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Carries the orders given by keys to the supervisor loop. Each order runs on the loop thread
 * (through {@link LoopPort#post}), notes in the event pane that it came from the dashboard, and
 * leaves the guardian's reply in the status line. Nothing here waits for the loop.
 */
final class LoopOrders {

    private final LoopPort loop;
    private final StatusLine status;
    private final LongSupplier clock;

    /** {@code clock} is the dashboard's: the status line is timed on the clock that shows it. */
    LoopOrders(LoopPort loop, StatusLine status, LongSupplier clock) {
        this.loop = loop;
        this.status = status;
        this.clock = clock;
    }

    /** Sends the order for {@code action}; returns false for actions that are not orders. */
    boolean send(KeyHandler.Action action) {
        switch (action) {
            case QUIT -> order("quit (key q): stopping the tree, then exiting",
                    g -> g.stop(StopReason.STOP, Signal.TERM) + "; Sentinel exits when the tree is gone (q again: kill now)");
            case KILL_NOW -> order("quit again: killing the tree now", g -> g.kill(StopReason.KILL));
            case STOP -> order(g -> waiting(g) ? "cancel the pending restart (key s)" : "stop (key s)",
                    g -> g.stop(StopReason.STOP, Signal.TERM));
            case KILL -> order(g -> waiting(g) ? "cancel the pending restart (key k, confirmed)"
                    : "kill (key k, confirmed)", g -> g.kill(StopReason.KILL));
            // Without a tree (BACKOFF, or FATAL with other programs still guarded) the guardian starts it now.
            case RESTART -> order(g -> g.state().hasTree() ? "restart (key r)" : "start now (key r)", g -> {
                String reply = g.restart();
                return reply == null ? "nothing to restart: " + g.name() + " has exited" : reply;
            });
            case RAISE_LIMIT -> limit(true);
            case LOWER_LIMIT -> limit(false);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void limit(boolean up) {
        loop.post(ctx -> {
            Guardian g = ctx.guardian();
            MemoryLimit old = g.limit();
            if (!old.isSet()) {
                status.set("no limit to change: Sentinel runs with -m none (watching only)", clock.getAsLong());
                return;
            }
            MemoryLimit next = up ? LimitStep.raised(old) : LimitStep.lowered(old);
            if (next.equals(old)) {
                status.set("the limit is already at its lowest, " + old, clock.getAsLong());
                return;
            }
            note(ctx, (up ? "raise" : "lower") + " the limit (key " + (up ? "+" : "-") + ")");
            g.setLimit(next);
            status.set("limit is now " + next + " (was " + old + ")", clock.getAsLong());
        });
    }

    private void order(String what, Function<Guardian, String> act) {
        order(g -> what, act);
    }

    /** {@code what} is worded on the loop thread, from the state the order finds. */
    private void order(Function<Guardian, String> what, Function<Guardian, String> act) {
        loop.post(ctx -> {
            note(ctx, what.apply(ctx.guardian()));
            status.set(act.apply(ctx.guardian()), clock.getAsLong());
        });
    }

    /** A restart is due: s and k cancel it rather than stop a tree. */
    private static boolean waiting(Guardian g) {
        return g.state() == GuardianState.BACKOFF;
    }

    private static void note(LoopContext ctx, String what) {
        ctx.events().emit(new Event(ctx.clock().epochMillis(), ctx.guardian().name(), EventKind.ORDER,
                "dashboard: " + what));
    }
}
