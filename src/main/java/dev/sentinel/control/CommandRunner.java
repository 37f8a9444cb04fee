package dev.sentinel.control;

import dev.sentinel.core.Event;
import dev.sentinel.core.EventKind;
import dev.sentinel.core.Guardian;
import dev.sentinel.core.GuardianState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.MemoryLimit;
import dev.sentinel.core.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.StopReason;
import dev.sentinel.platform.Signal;

/**
 * Words the reply to one command. Questions are answered from a published snapshot, on any
 * thread. Orders run on the supervisor loop thread and act on the guardian directly (they return
 * at once: a stop is a deadline, not a wait); they are logged as ORDER events with the peer's uid
 * and pid, so the headless lines and the dashboard show who did what.
 */
final class CommandRunner {

    static final String HELP = String.join("\n",
            "Sentinel control socket: one command per connection, case-insensitive; the reply ends the connection.",
            "  status          one line per program: name, pid, state, RSS, peak, limit and % used, processes,",
            "                  uptime, restarts, reason of the last stop, socket",
            "  status json     the same as one JSON object per line (also: json)",
            "  watch [json]    a status line after every sample, until you hang up",
            "  stop            SIGTERM to the tree, SIGKILL after the grace period; Sentinel then exits",
            "  kill            SIGKILL to the whole tree at once",
            "  restart         stop the tree as 'stop' does, then start the same command again",
            "  limit SIZE      change the memory limit, e.g. 'limit 1G', 'limit 512M', 'limit none'",
            "  signal NAME     send a signal to the program's process group, e.g. 'signal HUP', 'signal USR1'",
            "  ping            answers pong",
            "  version         Sentinel's version",
            "  help            this text",
            "Orders (stop, kill, restart, limit, signal) answer 'OK ...'; errors answer 'ERR ...'.",
            "Example: echo status | nc -U /tmp/sentinel.socket");

    private CommandRunner() {
    }

    /** The reply to a question (anything but an order), one or more lines, each ending with a newline. */
    static String answer(Command command, Snapshot latest) {
        if (command instanceof Command.Status s) {
            return statusLines(latest, s.json());
        }
        if (command instanceof Command.Help) {
            return HELP + "\n";
        }
        if (command instanceof Command.Version) {
            return "sentinel " + latest.info().version() + "\n";
        }
        if (command instanceof Command.Ping) {
            return "pong\n";
        }
        if (command instanceof Command.Invalid invalid) {
            return "ERR " + invalid.reason() + "\n";
        }
        return "ERR '" + command.text() + "' cannot be answered on this connection; try 'help'\n";
    }

    /** Carries out an order from {@code peer}, on the supervisor loop thread; the reply is one line. */
    static String order(Command command, Peer peer, LoopContext loop) {
        Guardian g = loop.guardian();
        loop.events().emit(new Event(loop.clock().epochMillis(), g.name(), EventKind.ORDER,
                "order '" + command.text() + "' from " + peer));
        return act(command, g) + "\n";
    }

    /** The status of every program in {@code snapshot}, one line each. */
    static String statusLines(Snapshot snapshot, boolean json) {
        StringBuilder b = new StringBuilder();
        for (ProgramSnapshot p : snapshot.programs()) {
            b.append(json ? StatusFormatter.json(p, snapshot.info()) : StatusFormatter.human(p, snapshot.info()))
                    .append('\n');
        }
        return b.toString();
    }

    private static String act(Command command, Guardian g) {
        boolean exited = g.state() == GuardianState.EXITED;
        if (command instanceof Command.Stop) {
            return exited ? "ERR nothing to stop: " + g.name() + " has exited" : "OK " + g.stop(StopReason.STOP, Signal.TERM);
        }
        if (command instanceof Command.Kill) {
            return exited ? "ERR nothing to kill: " + g.name() + " has exited" : "OK " + g.kill(StopReason.KILL);
        }
        if (command instanceof Command.Restart) {
            String done = g.restart();
            return done == null ? "ERR nothing to restart: " + g.name() + " has exited" : "OK " + done;
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
            return "ERR no process to signal: " + g.name() + " has exited";
        }
        return "ERR '" + command.text() + "' is not an order; try 'help'";
    }
}
