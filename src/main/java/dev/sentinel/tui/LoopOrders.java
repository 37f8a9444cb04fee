package dev.sentinel.tui;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Order;
import dev.sentinel.core.OrderReply;
import dev.sentinel.core.Origin;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.Target;
import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.settings.MemoryLimit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Carries the orders given by keys to the supervisor loop's order service. Each order runs on the
 * loop thread (through {@link LoopHandle#post}), on the program it names (the selected one), is
 * noted in the event pane as coming from the dashboard, and leaves its answer in the status line.
 * Nothing here waits for the loop.
 *
 * <p>q stops everything, as {@code stop} without a name does: one command's tree, then Sentinel
 * exits with its status; every program of a file in reverse priority order. q again kills every
 * tree at once, as a second Ctrl-C does. Only the words differ, by what the dashboard shows.
 */
final class LoopOrders {

    private final LoopHandle loop;
    private final StatusLine status;
    private final LongSupplier clock;

    /** {@code clock} is the dashboard's: the status line is timed on the clock that shows it. */
    LoopOrders(LoopHandle loop, StatusLine status, LongSupplier clock) {
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
                boolean many = many(ctx);
                OrderResult r = ctx.orders().stopAll(StopReason.STOP, from(many
                        ? "quit (key q): stopping every program, then exiting"
                        : "quit (key q): stopping the tree, then exiting"));
                say(many ? r.message() + " (q again: kill now)"
                        : r.message() + "; Sentinel exits when the tree is gone (q again: kill now)");
            });
            case KILL_NOW -> loop.post(ctx -> {
                boolean many = many(ctx);
                OrderResult r = ctx.orders().killAll(StopReason.KILL, from(many
                        ? "quit again: killing every tree now" : "quit again: killing the tree now"));
                say(r.message());
            });
            case STOP -> order(program, new Order.Stop(StopReason.STOP),
                    p -> waiting(p) ? "cancel the pending restart (key s)" : "stop (key s)");
            case KILL -> order(program, new Order.Kill(StopReason.KILL),
                    p -> waiting(p) ? "cancel the pending restart (key k, confirmed)" : "kill (key k, confirmed)");
            // Without a tree (BACKOFF, or stopped or FATAL while others are guarded) it starts now.
            case RESTART -> order(program, new Order.Restart(),
                    p -> p.state().hasTree() ? "restart (key r)" : "start now (key r)");
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
            Program p = ctx.program(nameOf(ctx, program));
            if (p == null) {
                say(gone(program));
                return;
            }
            MemoryLimit old = p.limit();
            if (!old.isSet()) {
                say("no limit to change: " + p.name() + " runs without one (watching only)");
                return;
            }
            MemoryLimit next = up ? LimitStep.raised(old) : LimitStep.lowered(old);
            if (next.equals(old)) {
                say("the limit is already at its lowest, " + old);
                return;
            }
            ctx.orders().carryOut(new Order.Limit(next), new Target.Named(p.name()),
                    from((up ? "raise" : "lower") + " the limit (key " + (up ? "+" : "-") + ")"));
            say((many(ctx) ? p.name() + ": " : "") + "limit is now " + next + " (was " + old + ")");
        });
    }

    /** {@code what} is worded on the loop thread, from the state the order finds. */
    private void order(String program, Order order, Function<Program, String> what) {
        loop.post(ctx -> {
            OrderReply reply = ctx.orders().carryOut(order, new Target.Named(nameOf(ctx, program)),
                    p -> "dashboard: " + what.apply(p));
            if (reply instanceof OrderReply.PerProgram per && !per.answers().isEmpty()) {
                say(per.answers().get(0).result().message());
            } else if (reply instanceof OrderReply.Whole whole) {
                say(whole.result().message());
            } else {
                say(gone(program));
            }
        });
    }

    /** The selected program's name, or the first program's for none. */
    private static String nameOf(LoopContext ctx, String program) {
        return program != null ? program : ctx.programs().get(0).name();
    }

    private static String gone(String program) {
        return "no program " + program + " any more (a reload removed it)";
    }

    private void say(String text) {
        status.set(text, clock.getAsLong());
    }

    /** The dashboard as the origin of an order: {@code what} in the event pane. */
    private static Origin from(String what) {
        return p -> "dashboard: " + what;
    }

    /** Whether q means every program: in config mode, or whenever there are several. */
    private static boolean many(LoopContext ctx) {
        Snapshot s = ctx.latest();
        return s != null && Frame.manyPrograms(s) || ctx.programs().size() > 1;
    }

    /** A restart is due: s and k cancel it rather than stop a tree. */
    private static boolean waiting(Program p) {
        return p.state() == ProgramState.BACKOFF;
    }
}
