package dev.sentinel.core;

import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one service that carries out orders, for the socket and the dashboard alike: it finds the
 * programs a target means (the {@link RunMode} says what a missing name means), logs the order on
 * each with its {@link Origin}, acts, and answers with typed results. The wording of a reply
 * ({@code OK}/{@code ERR}, a status line) is the caller's. Nothing here waits: a stop is a
 * deadline. Loop thread only.
 */
public final class Orders {

    private final Fleet fleet;
    private final RunMode mode;
    private final EventSink events;
    private final Clock clock;

    public Orders(Fleet fleet, RunMode mode, EventSink events, Clock clock) {
        this.fleet = fleet;
        this.mode = mode;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Carries out {@code order} on {@code target}. Names are looked up now, not trusted from an
     * earlier parse: a reload may have removed a program since.
     */
    public OrderReply carryOut(Order order, Target target, Origin origin) {
        RunMode.Aim aim = mode.aim(target, order);
        if (aim instanceof RunMode.Aim.NoSuchProgram n) {
            return new OrderReply.NoSuchProgram(n.name());
        }
        if (aim instanceof RunMode.Aim.NameNeeded) {
            return new OrderReply.NameNeeded();
        }
        if (aim instanceof RunMode.Aim.Whole) {
            return new OrderReply.Whole(stopAll(((Order.Stop) order).reason(), origin));
        }
        List<OrderReply.Answer> answers = new ArrayList<>();
        for (Program p : ((RunMode.Aim.Programs) aim).programs()) {
            note(p, origin);
            answers.add(new OrderReply.Answer(p.name(), act(order, p)));
        }
        return new OrderReply.PerProgram(answers);
    }

    /** Every program stops, and Sentinel exits once all are gone: {@code stop} without a name, q. */
    public OrderResult stopAll(StopReason reason, Origin origin) {
        note(mode.wholeSubject(), origin);
        return mode.stopAll(reason);
    }

    /** SIGKILL to every tree now, and Sentinel exits: q again. */
    public OrderResult killAll(StopReason reason, Origin origin) {
        note(mode.wholeSubject(), origin);
        return mode.killAll(reason);
    }

    private static OrderResult act(Order order, Program p) {
        if (order instanceof Order.Start) {
            return p.onStart();
        }
        if (order instanceof Order.Stop s) {
            return p.onStop(s.reason());
        }
        if (order instanceof Order.Kill k) {
            return p.onKill(k.reason());
        }
        if (order instanceof Order.Restart) {
            return p.onRestart();
        }
        if (order instanceof Order.Limit l) {
            return p.onLimit(l.limit());
        }
        return p.forward(((Order.Forward) order).signal());
    }

    private void note(Program p, Origin origin) {
        String message = origin.note(p);
        if (message != null) {
            events.emit(new Event(clock.epochMillis(), p == null ? mode.selfName() : p.name(), p == null ? 0 : p.run(),
                    EventKind.ORDER, message, origin.fields()));
        }
    }
}
