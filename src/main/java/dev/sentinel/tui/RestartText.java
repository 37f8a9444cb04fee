package dev.sentinel.tui;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RestartStatus;
import dev.sentinel.core.program.RunRecord;
import dev.sentinel.platform.Signal;
import java.time.Duration;
import java.util.List;

/**
 * What the dashboard says about restarts, the same words in every pane: the countdown in BACKOFF,
 * why Sentinel gave up (FATAL), and how the last run ended. The countdown is computed against the
 * dashboard's clock, not the snapshot's time: the loop publishes nothing while it waits out a
 * backoff, and the dashboard redraws the countdown by itself.
 */
final class RestartText {

    private RestartText() {
    }

    /** {@code restart in 2.1s (3 of at most 10)}, or {@code restarting now} once it is due. */
    static String countdown(ProgramSnapshot p, long nowMillis) {
        String streak = streak(p);
        return timeToRestart(p, nowMillis) + (streak.isEmpty() ? "" : " (" + streak + ")");
    }

    /** {@code restart in 2.1s}, {@code restarting now} once due, {@code restart pending} without a time. */
    static String timeToRestart(ProgramSnapshot p, long nowMillis) {
        long left = p.restart().millisToRestart(nowMillis);
        if (left < 0) {
            return "restart pending";
        }
        return left == 0 ? "restarting now" : "restart in " + Fmt.countdown(left);
    }

    /** {@code 3 of at most 10}, {@code 3 in a row} when Sentinel never gives up, or empty. */
    static String streak(ProgramSnapshot p) {
        int n = p.restart().consecutiveFailures();
        if (n <= 0) {
            return "";
        }
        int max = p.settings().restart().maxRestarts();
        return max > 0 ? n + " of at most " + max : n + " in a row";
    }

    /** {@code gave up after 10 restarts in a row}, counted as the GAVE_UP event says. */
    static String gaveUp(ProgramSnapshot p, List<Event> events) {
        int n = gaveUpAfter(p, events);
        return "gave up after " + n + " restart" + (n == 1 ? "" : "s") + " in a row";
    }

    /** After how many restarts in a row Sentinel gave up: the GAVE_UP event's count, else the maximum. */
    static int gaveUpAfter(ProgramSnapshot p, List<Event> events) {
        Event e = lastGaveUp(events, p.name());
        if (e != null && e.fields().get("restarts") instanceof Number count) {
            return count.intValue();
        }
        return p.settings().restart().maxRestarts();
    }

    /** The newest GAVE_UP event of the program {@code name}, or null. */
    static Event lastGaveUp(List<Event> events, String name) {
        return last(events, EventKind.GAVE_UP, name);
    }

    /** The newest event of {@code kind} of the program {@code name}, or null. */
    static Event last(List<Event> events, EventKind kind, String name) {
        for (int i = events.size() - 1; i >= 0; i--) {
            Event e = events.get(i);
            if (e.kind() == kind && name.equals(e.program())) {
                return e;
            }
        }
        return null;
    }

    /**
     * How the last finished run ended, short enough for one row: {@code run 3 exited with status
     * 143 (SIGTERM) after 9.5s (stopped: memory limit exceeded)}. Without a history (a snapshot
     * that carries none) it says {@code the last run ...} from the exit status.
     */
    static String lastRun(ProgramSnapshot p) {
        List<RunRecord> runs = p.history();
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunRecord r = runs.get(i);
            if (r.isRunning()) {
                continue;
            }
            if (r.startFailed()) {
                return "run " + r.run() + " could not be started (status " + r.exitStatus() + ")";
            }
            String why = r.stoppedBy() == null ? "" : " (stopped: " + r.stoppedBy().description() + ")";
            return "run " + r.run() + " exited with status " + Signal.describeExitStatus(r.exitStatus()) + " after "
                    + Fmt.duration(Duration.ofMillis(r.durationMillis())) + why;
        }
        if (p.exitStatus() < 0) {
            return "the last run has ended";
        }
        return "the last run exited with status " + Signal.describeExitStatus(p.exitStatus()) + " after "
                + Fmt.duration(Duration.ofMillis(p.uptimeMillis()));
    }
}
