package dev.sentinel.control;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.StopReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries out an order, on the supervisor loop thread, and words its reply: one line per program
 * it acted on, each {@code OK ...} or {@code ERR ...} and saying what was done to which program.
 * Nothing here waits: a stop is a deadline, not a wait. Every order is logged as an ORDER event with
 * the peer's uid and pid, on each program it acts on (so {@code events web} shows who stopped web),
 * or on Sentinel's own name for {@code reload} and for {@code stop} of every program.
 *
 * <p>Names are looked up again here, not trusted from the parse: a reload may have removed a program
 * between the line's parse on the control thread and this moment.
 */
final class Orders {

    private Orders() {
    }

    /** {@code reload}: logged, then read off the loop; {@code reply} gets the reply once it is applied or refused. */
    static void reload(Peer peer, LoopContext loop, java.util.function.Consumer<String> reply) {
        note(loop, loop.selfName(), 0, new Command.Reload(), peer);
        String file = loop.latest().info().configFile();
        loop.reload(outcome -> reply.accept(ReloadReply.of(outcome, file)));
    }

    /** The reply to {@code command} from {@code peer}: one or more lines, each ending with a newline. */
    static String carryOut(Command command, Peer peer, LoopContext loop) {
        if (command instanceof Command.Reload) {
            note(loop, loop.selfName(), 0, command, peer);
            return ReloadReply.of(loop.reload(), loop.latest().info().configFile());
        }
        boolean singleCommand = !loop.latest().info().configMode();
        Target target = command.target();
        if (singleCommand && !namesNoProgram(target, loop)) {
            // The one program, whether the line named it, said 'all' or said nothing: the same order.
            target = Target.UNNAMED;
        }
        if (target instanceof Target.Unnamed) {
            return unnamed(command, peer, loop, singleCommand) + "\n";
        }
        List<Program> chosen;
        if (target instanceof Target.Named n) {
            Program g = loop.program(n.name());
            if (g == null) {
                return "ERR " + names(loop, singleCommand).unknown(n.name()) + "\n";
            }
            chosen = List.of(g);
        } else {
            chosen = loop.programs();
        }
        StringBuilder b = new StringBuilder();
        for (Program g : chosen) {
            note(loop, g.name(), g.run(), command, peer);
            b.append(act(command, g)).append('\n');
        }
        return b.toString();
    }

    private static String unnamed(Command command, Peer peer, LoopContext loop, boolean singleCommand) {
        if (singleCommand) {
            Program g = loop.guardian();
            note(loop, g.name(), g.run(), command, peer);
            return command instanceof Command.Stop ? shutdown(loop) : act(command, g);
        }
        if (command instanceof Command.Stop) {
            note(loop, loop.selfName(), 0, command, peer);
            return shutdown(loop);
        }
        // The parser refuses these already; a command built another way gets the same sentence.
        String text = command.text();
        String verb = text.split(" ")[0];
        String example = verb + " " + loop.programs().get(0).name() + text.substring(verb.length());
        return "ERR " + names(loop, false).needsName(verb, example);
    }

    /** {@code stop} without a name: every program stops and Sentinel exits once they are gone. */
    private static String shutdown(LoopContext loop) {
        boolean anythingToStop = false;
        for (Program g : loop.programs()) {
            anythingToStop |= !g.state().isFinal();
        }
        return (anythingToStop ? "OK " : "ERR ") + loop.shutdown(StopReason.STOP);
    }

    private static String act(Command command, Program g) {
        ProgramState state = g.state();
        if (command instanceof Command.Start) {
            String done = g.startOrder("start");
            if (done == null) {
                return "ERR " + g.name() + " is already running (state " + state + "); 'restart' stops and starts it "
                        + "again";
            }
            return (g.state().hasTree() ? "OK " : "ERR ") + done;
        }
        if (command instanceof Command.Stop) {
            return (state.isFinal() ? "ERR " : "OK ") + g.stop(StopReason.STOP);
        }
        if (command instanceof Command.Kill) {
            return (state.isFinal() ? "ERR " : "OK ") + g.kill(StopReason.KILL);
        }
        if (command instanceof Command.Restart) {
            String done = g.restart();
            // From BACKOFF, EXITED or FATAL a restart is a start, which can fail.
            return (state.hasTree() || g.state().hasTree() ? "OK " : "ERR ") + done;
        }
        if (command instanceof Command.Limit l) {
            MemoryLimit old = g.limit();
            g.setLimit(l.limit());
            return "OK limit of " + g.name() + " changed from " + old + " to " + l.limit()
                    + (l.limit().isSet() ? "" : " (watching only)");
        }
        if (command instanceof Command.SendSignal s) {
            if (g.forward(s.signal())) {
                return "OK sent " + s.signal().fullName() + " to the process group of " + g.name();
            }
            return "ERR no process to signal: " + g.name() + (state == ProgramState.BACKOFF
                    ? " is waiting to restart" : " has exited");
        }
        return "ERR '" + command.text() + "' is not an order; try 'help'";
    }

    private static boolean namesNoProgram(Target target, LoopContext loop) {
        return target instanceof Target.Named n && loop.program(n.name()) == null;
    }

    private static void note(LoopContext loop, String program, int run, Command command, Peer peer) {
        loop.events().emit(new Event(loop.clock().epochMillis(), program, run, EventKind.ORDER,
                "order '" + command.text() + "' from " + peer,
                Event.fields("order", command.text(), "peer_uid", peer.uid(), "peer_pid", peer.pid())));
    }

    private static ProgramNames names(LoopContext loop, boolean singleCommand) {
        List<String> names = new ArrayList<>();
        for (Program g : loop.programs()) {
            names.add(g.name());
        }
        return new ProgramNames(names, singleCommand, loop.selfName());
    }
}
