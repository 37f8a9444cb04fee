package dev.sentinel.control;

import dev.sentinel.core.Target;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RunRecord;
import dev.sentinel.core.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Words the reply to a question (anything but an order): read from one published snapshot, on any
 * thread, touching nothing. A question without a name, or with {@code all}, is about every program.
 */
final class Answers {

    private Answers() {
    }

    /**
     * The reply, one or more lines, each ending with a newline.
     *
     * @param nowMillis the wall clock now (a snapshot can be older: the loop sleeps through a backoff)
     */
    static String answer(Command command, Snapshot latest, EventJson json, long nowMillis) {
        if (command instanceof Command.Status s) {
            List<ProgramSnapshot> programs = programs(latest, s.target());
            return programs == null ? gone(s.target(), latest) : statusLines(programs, latest, s.json(), nowMillis);
        }
        if (command instanceof Command.Events e) {
            return eventLines(latest.events(), e.target(), e.count(), json);
        }
        if (command instanceof Command.History h) {
            List<ProgramSnapshot> programs = programs(latest, h.target());
            return programs == null ? gone(h.target(), latest) : historyLines(programs, h.json(), json);
        }
        if (command instanceof Command.Health h) {
            List<ProgramSnapshot> programs = programs(latest, h.target());
            return programs == null ? gone(h.target(), latest) : HealthFormatter.answer(programs, h);
        }
        if (command instanceof Command.Help) {
            return ProtocolHelp.TEXT + "\n";
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

    /** The status of every program in {@code snapshot}, one line each (what {@code watch} sends). */
    static String statusLines(Snapshot snapshot, boolean json, long nowMillis) {
        return statusLines(snapshot.programs(), snapshot, json, nowMillis);
    }

    static String statusLines(List<ProgramSnapshot> programs, Snapshot snapshot, boolean json, long nowMillis) {
        StringBuilder b = new StringBuilder();
        for (ProgramSnapshot p : programs) {
            b.append(json ? StatusFormatter.json(p, snapshot.info(), nowMillis)
                    : StatusFormatter.human(p, snapshot.info(), nowMillis)).append('\n');
        }
        return b.toString();
    }

    /**
     * The programs {@code target} means in {@code snapshot}, or null for a name it does not hold.
     * The line was parsed against this same snapshot, so null means a caller built the command itself.
     */
    static List<ProgramSnapshot> programs(Snapshot snapshot, Target target) {
        if (!(target instanceof Target.Named named)) {
            return snapshot.programs();
        }
        for (ProgramSnapshot p : snapshot.programs()) {
            if (p.name().equals(named.name())) {
                return List.of(p);
            }
        }
        return null;
    }

    /** The last {@code count} events of {@code target} (all there are if fewer), oldest first. */
    static String eventLines(List<Event> events, Target target, int count, EventJson json) {
        List<Event> chosen = events;
        if (target instanceof Target.Named named) {
            chosen = new ArrayList<>();
            for (Event e : events) {
                if (named.name().equals(e.program())) {
                    chosen.add(e);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, chosen.size() - count); i < chosen.size(); i++) {
            b.append(json.line(chosen.get(i))).append('\n');
        }
        return b.toString();
    }

    static String historyLines(List<ProgramSnapshot> programs, boolean asJson, EventJson json) {
        StringBuilder b = new StringBuilder();
        for (ProgramSnapshot p : programs) {
            for (RunRecord r : p.history()) {
                b.append(asJson ? HistoryFormatter.json(p, r, json) : HistoryFormatter.human(p, r, json)).append('\n');
            }
        }
        return b.toString();
    }

    private static String gone(Target target, Snapshot snapshot) {
        String name = ((Target.Named) target).name();
        return "ERR " + ProgramNames.of(snapshot, null).unknown(name) + "\n";
    }
}
