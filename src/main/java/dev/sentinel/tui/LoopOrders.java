package dev.sentinel.tui;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Carries the orders given by keys to the supervisor loop. Each order runs on the loop thread
 * (through {@link LoopPort#post}), on the program it names (the selected one), notes in the event
 * pane that it came from the dashboard, and leaves the guardian's reply in the status line.
 * Nothing here waits for the loop.
 *
 * <p>Quitting depends on the mode. One command: q stops its tree in tiers and Sentinel exits
 * with its status, as it always has. Config mode (or several programs): q is the shutdown the
 * {@code stop} order without a name is (every program, in reverse priority order, then Sentinel
 * exits), and q again kills every tree at once, as a second Ctrl-C does.
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

    /**
     * Sends the order for {@code action} about {@code program} (null: the first program); returns
     * false for actions that are not orders.
     */
    boolean send(KeyHandler.Action action, String program) {
        switch (action) {
            case QUIT -> loop.post(ctx -> {
                if (many(ctx)) {
                    noteSelf(ctx, "quit (key q): stopping every program, then exiting");
                    status.set(ctx.shutdown(StopReason.STOP) + " (q again: kill now)", clock.getAsLong());
                } else {
                    Program g = ctx.guardian();
                    note(ctx, g, "quit (key q): stopping the tree, then exiting");
                    status.set(g.stop(StopReason.STOP) + "; Sentinel exits when the tree is gone (q again: kill now)",
                            clock.getAsLong());
                }
            });
            case KILL_NOW -> loop.post(ctx -> {
                if (many(ctx)) {
                    noteSelf(ctx, "quit again: killing every tree now");
                    status.set(killAll(ctx), clock.getAsLong());
                } else {
                    Program g = ctx.guardian();
                    note(ctx, g, "quit again: killing the tree now");
                    status.set(g.kill(StopReason.KILL), clock.getAsLong());
                }
            });
            case STOP -> order(program, g -> waiting(g) ? "cancel the pending restart (key s)" : "stop (key s)",
                    g -> g.stop(StopReason.STOP));
            case KILL -> order(program, g -> waiting(g) ? "cancel the pending restart (key k, confirmed)"
                    : "kill (key k, confirmed)", g -> g.kill(StopReason.KILL));
            // Without a tree (BACKOFF, or stopped or FATAL while others are guarded) the guardian starts it now.
            case RESTART -> order(program, g -> g.state().hasTree() ? "restart (key r)" : "start now (key r)", g -> {
                String reply = g.restart();
                return reply == null ? "nothing to restart: " + g.name() + " has exited" : reply;
            });
            case RAISE_LIMIT -> limit(program, true);
            case LOWER_LIMIT -> limit(program, false);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void limit(String program, boolean up) {
        loop.post(ctx -> {
            Program g = guardian(ctx, program);
            if (g == null) {
                return;
            }
            MemoryLimit old = g.limit();
            if (!old.isSet()) {
                status.set("no limit to change: " + g.name() + " runs without one (watching only)", clock.getAsLong());
                return;
            }
            MemoryLimit next = up ? LimitStep.raised(old) : LimitStep.lowered(old);
            if (next.equals(old)) {
                status.set("the limit is already at its lowest, " + old, clock.getAsLong());
                return;
            }
            note(ctx, g, (up ? "raise" : "lower") + " the limit (key " + (up ? "+" : "-") + ")");
            g.setLimit(next);
            status.set((many(ctx) ? g.name() + ": " : "") + "limit is now " + next + " (was " + old + ")",
                    clock.getAsLong());
        });
    }

    /** {@code what} is worded on the loop thread, from the state the order finds. */
    private void order(String program, Function<Program, String> what, Function<Program, String> act) {
        loop.post(ctx -> {
            Program g = guardian(ctx, program);
            if (g != null) {
                note(ctx, g, what.apply(g));
                status.set(act.apply(g), clock.getAsLong());
            }
        });
    }

    /** The guardian of {@code program} (the first for null); null, with a word in the footer, if it is gone. */
    private Program guardian(LoopContext ctx, String program) {
        Program g = program == null ? ctx.guardian() : ctx.program(program);
        if (g == null) {
            status.set("no program " + program + " any more (a reload removed it)", clock.getAsLong());
        }
        return g;
    }

    private static String killAll(LoopContext ctx) {
        int n = 0;
        for (Program g : ctx.programs()) {
            if (g.state().hasTree()) {
                g.kill(StopReason.KILL);
                n++;
            } else if (g.state() == ProgramState.BACKOFF) {
                g.stop(StopReason.KILL);
            }
        }
        return "killing " + n + " tree" + (n == 1 ? "" : "s") + " now";
    }

    /** Whether q means every program: in config mode, or whenever there are several. */
    private static boolean many(LoopContext ctx) {
        Snapshot s = ctx.latest();
        return s != null && s.info().configMode() || ctx.programs().size() > 1;
    }

    /** A restart is due: s and k cancel it rather than stop a tree. */
    private static boolean waiting(Program g) {
        return g.state() == ProgramState.BACKOFF;
    }

    private static void note(LoopContext ctx, Program g, String what) {
        ctx.events().emit(new Event(ctx.clock().epochMillis(), g.name(), EventKind.ORDER, "dashboard: " + what));
    }

    private static void noteSelf(LoopContext ctx, String what) {
        ctx.events().emit(new Event(ctx.clock().epochMillis(), ctx.selfName(), EventKind.ORDER, "dashboard: " + what));
    }
}
