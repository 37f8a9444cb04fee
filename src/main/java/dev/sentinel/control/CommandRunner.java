package dev.sentinel.control;

import dev.sentinel.core.Event;
import dev.sentinel.core.EventJson;
import dev.sentinel.core.EventKind;
import dev.sentinel.core.Guardian;
import dev.sentinel.core.GuardianState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.MemoryLimit;
import dev.sentinel.core.ProgramSnapshot;
import dev.sentinel.core.RunRecord;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.StopReason;
import dev.sentinel.platform.Signal;
import java.util.List;

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
            "                  uptime, restarts, reason of the last stop, time to the next restart, socket",
            "  status json     the same as one JSON object per line (also: json)",
            "  watch [json]    a status line after every sample, until you hang up",
            "  events [N]      the last N lifecycle events (default 20) as JSON lines",
            "  history [json]  one line per run: start, duration, peak, how it ended and why (last 100 runs)",
            "  start           start a program that waits to restart, has exited or was given up on (FATAL)",
            "  stop            SIGTERM to the tree, SIGKILL after the grace period; Sentinel then exits",
            "  kill            SIGKILL to the whole tree at once",
            "  restart         stop the tree as 'stop' does, then start the same command again",
            "  limit SIZE      change the memory limit, e.g. 'limit 1G', 'limit 512M', 'limit none'",
            "  signal NAME     send a signal to the program's process group, e.g. 'signal HUP', 'signal USR1'",
            "  ping            answers pong",
            "  version         Sentinel's version",
            "  help            this text",
            "Orders (start, stop, kill, restart, limit, signal) answer 'OK ...'; errors answer 'ERR ...'.",
            "Example: echo status | nc -U /tmp/sentinel.socket");

    private CommandRunner() {
    }

    /**
     * The reply to a question (anything but an order), one or more lines, each ending with a newline.
     *
     * @param nowMillis the wall clock now (a snapshot can be older: the loop sleeps through a backoff)
     */
    static String answer(Command command, Snapshot latest, EventJson json, long nowMillis) {
        if (command instanceof Command.Status s) {
            return statusLines(latest, s.json(), nowMillis);
        }
        if (command instanceof Command.Events e) {
            return eventLines(latest.events(), e.count(), json);
        }
        if (command instanceof Command.History h) {
            return historyLines(latest, h.json(), json);
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
        loop.events().emit(new Event(loop.clock().epochMillis(), g.name(), g.run(), EventKind.ORDER,
                "order '" + command.text() + "' from " + peer,
                Event.fields("order", command.text(), "peer_uid", peer.uid(), "peer_pid", peer.pid())));
        return act(command, g) + "\n";
    }

    /** The status of every program in {@code snapshot}, one line each. */
    static String statusLines(Snapshot snapshot, boolean json, long nowMillis) {
        StringBuilder b = new StringBuilder();
        for (ProgramSnapshot p : snapshot.programs()) {
            b.append(json ? StatusFormatter.json(p, snapshot.info(), nowMillis)
                    : StatusFormatter.human(p, snapshot.info(), nowMillis)).append('\n');
        }
        return b.toString();
    }

    /** The last {@code count} events (all there are if fewer), oldest first. */
    static String eventLines(List<Event> events, int count, EventJson json) {
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, events.size() - count); i < events.size(); i++) {
            b.append(json.line(events.get(i))).append('\n');
        }
        return b.toString();
    }

    static String historyLines(Snapshot snapshot, boolean asJson, EventJson json) {
        StringBuilder b = new StringBuilder();
        for (ProgramSnapshot p : snapshot.programs()) {
            for (RunRecord r : p.history()) {
                b.append(asJson ? HistoryFormatter.json(p, r, json) : HistoryFormatter.human(p, r, json)).append('\n');
            }
        }
        return b.toString();
    }

    private static String act(Command command, Guardian g) {
        GuardianState state = g.state();
        boolean over = state.isFinal();
        if (command instanceof Command.Start) {
            String done = g.startOrder("start");
            if (done == null) {
                return "ERR " + g.name() + " is already running (state " + state + "); 'restart' stops and starts it "
                        + "again";
            }
            return (g.state().hasTree() ? "OK " : "ERR ") + done;
        }
        if (command instanceof Command.Stop) {
            return (over ? "ERR " : "OK ") + g.stop(StopReason.STOP, Signal.TERM);
        }
        if (command instanceof Command.Kill) {
            return (over ? "ERR " : "OK ") + g.kill(StopReason.KILL);
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
            return "ERR no process to signal: " + g.name() + (state == GuardianState.BACKOFF
                    ? " is waiting to restart" : " has exited");
        }
        return "ERR '" + command.text() + "' is not an order; try 'help'";
    }
}
