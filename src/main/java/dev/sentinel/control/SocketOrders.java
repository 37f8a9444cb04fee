package dev.sentinel.control;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.Order;
import dev.sentinel.core.OrderReply;
import dev.sentinel.core.Origin;
import dev.sentinel.core.program.OrderResult;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An order from the socket, on the supervisor loop thread: turns the parsed {@link Command} into a
 * typed {@link Order} for the loop's {@link dev.sentinel.core.Orders}, and words its reply: one line
 * per program it acted on, each {@code OK ...} or {@code ERR ...}. Every order is logged (by the
 * order service) as an ORDER event with the peer's uid and pid, on each program it acts on, or on
 * Sentinel's own name for {@code reload} and for {@code stop} of every program.
 */
final class SocketOrders {

    private SocketOrders() {
    }

    /** {@code reload}: logged, then read off the loop; {@code reply} gets the reply once it is applied or refused. */
    static void reload(Peer peer, LoopContext loop, Consumer<String> reply) {
        noteSelf(loop, new Command.Reload(), peer);
        String file = loop.latest().info().configFile();
        loop.reload(outcome -> reply.accept(ReloadReply.of(outcome, file)));
    }

    /** The reply to {@code command} from {@code peer}: one or more lines, each ending with a newline. */
    static String carryOut(Command command, Peer peer, LoopContext loop) {
        if (command instanceof Command.Reload) {
            noteSelf(loop, command, peer);
            return ReloadReply.of(loop.reload(), loop.latest().info().configFile());
        }
        Order order = orderOf(command);
        if (order == null) {
            return "ERR '" + command.text() + "' is not an order; try 'help'\n";
        }
        OrderReply reply = loop.orders().carryOut(order, command.target(), origin(command, peer));
        if (reply instanceof OrderReply.PerProgram per) {
            StringBuilder b = new StringBuilder();
            for (OrderReply.Answer a : per.answers()) {
                b.append(line(a.result()));
            }
            return b.toString();
        }
        if (reply instanceof OrderReply.Whole whole) {
            return line(whole.result());
        }
        if (reply instanceof OrderReply.NoSuchProgram n) {
            return "ERR " + names(loop).unknown(n.name()) + "\n";
        }
        // The parser refuses these already; a command built another way gets the same sentence.
        String text = command.text();
        String verb = text.split(" ")[0];
        String example = verb + " " + loop.programs().get(0).name() + text.substring(verb.length());
        return "ERR " + names(loop).needsName(verb, example) + "\n";
    }

    /** The order a command gives, or null for a command that is none. */
    static Order orderOf(Command command) {
        if (command instanceof Command.Start) {
            return new Order.Start();
        }
        if (command instanceof Command.Stop) {
            return new Order.Stop(StopReason.STOP);
        }
        if (command instanceof Command.Kill) {
            return new Order.Kill(StopReason.KILL);
        }
        if (command instanceof Command.Restart) {
            return new Order.Restart();
        }
        if (command instanceof Command.Limit l) {
            return new Order.Limit(l.limit());
        }
        if (command instanceof Command.SendSignal s) {
            return new Order.Forward(s.signal());
        }
        return null;
    }

    private static String line(OrderResult r) {
        return (r.done() ? "OK " : "ERR ") + r.message() + "\n";
    }

    private static Origin origin(Command command, Peer peer) {
        return new Origin() {
            @Override
            public String note(Program program) {
                return "order '" + command.text() + "' from " + peer;
            }

            @Override
            public Map<String, Object> fields() {
                return Event.fields("order", command.text(), "peer_uid", peer.uid(), "peer_pid", peer.pid());
            }
        };
    }

    private static void noteSelf(LoopContext loop, Command command, Peer peer) {
        Origin o = origin(command, peer);
        loop.events().emit(new Event(loop.clock().epochMillis(), loop.selfName(), 0,
                EventKind.ORDER, o.note(null), o.fields()));
    }

    private static ProgramNames names(LoopContext loop) {
        List<String> names = new ArrayList<>();
        for (Program p : loop.programs()) {
            names.add(p.name());
        }
        return new ProgramNames(names, !loop.latest().info().configMode(), loop.selfName());
    }
}
