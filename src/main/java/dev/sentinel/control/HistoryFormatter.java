package dev.sentinel.control;

import dev.sentinel.text.Durations;
import dev.sentinel.events.EventJson;
import dev.sentinel.text.Json;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RunRecord;
import dev.sentinel.platform.Signal;
import java.time.Duration;

/**
 * The answer to {@code history}: one line per run, oldest first. Pure. Human:
 * {@code leaker run=2 started=2026-12-01T19:36:40.123+00:00 duration=9.5s peak=200.4MiB
 * exit=143(SIGTERM) why=memory}, values without blanks; {@code why} is the reason Sentinel stopped
 * the tree ({@code memory}, {@code stop}, ...), {@code exit} when it ended by itself,
 * {@code start-failed} when it could not be started, {@code -} while it runs.
 */
final class HistoryFormatter {

    private HistoryFormatter() {
    }

    static String human(ProgramSnapshot p, RunRecord r, EventJson time) {
        boolean current = r.isRunning();
        long duration = current ? p.uptimeMillis() : r.durationMillis();
        long peak = current ? p.peakRssBytes() : r.peakRssBytes();
        return p.name() + " run=" + r.run()
                + " started=" + time.time(r.startedEpochMillis())
                + " duration=" + Durations.format(Duration.ofMillis(duration))
                + " peak=" + StatusFormatter.size(peak)
                + " exit=" + (current ? "running" : status(r.exitStatus()))
                + " why=" + why(r);
    }

    static String json(ProgramSnapshot p, RunRecord r, EventJson time) {
        boolean current = r.isRunning();
        long duration = current ? p.uptimeMillis() : r.durationMillis();
        long peak = current ? p.peakRssBytes() : r.peakRssBytes();
        StringBuilder b = new StringBuilder(240);
        b.append("{\"name\":").append(Json.string(p.name()))
                .append(",\"run\":").append(r.run())
                .append(",\"started\":").append(Json.string(time.time(r.startedEpochMillis())))
                .append(",\"duration_seconds\":").append(Json.number(duration / 1000.0, 3))
                .append(",\"peak_rss_bytes\":").append(peak)
                .append(",\"running\":").append(current)
                .append(",\"exit_status\":").append(current ? "null" : Integer.toString(r.exitStatus()))
                .append(",\"signal\":").append(current || signal(r.exitStatus()) == null ? "null"
                        : Json.string(signal(r.exitStatus())))
                .append(",\"reason\":").append(current ? "null" : Json.string(why(r)))
                .append(",\"killed\":").append(r.killed())
                .append(",\"sentinel_status\":").append(current ? "null" : Integer.toString(r.sentinelStatus()));
        return b.append('}').toString();
    }

    private static String why(RunRecord r) {
        if (r.isRunning()) {
            return "-";
        }
        if (r.startFailed()) {
            return "start-failed";
        }
        return r.stoppedBy() == null ? "exit" : r.stoppedBy().label();
    }

    private static String status(int status) {
        String s = signal(status);
        return s == null ? Integer.toString(status) : status + "(" + s + ")";
    }

    private static String signal(int status) {
        String s = Signal.nameForExitStatus(status);
        return s == null ? null : s.replace(' ', '-');
    }
}
