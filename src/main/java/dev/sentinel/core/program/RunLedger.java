package dev.sentinel.core.program;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a program's runs add up to: the last {@value #HISTORY_RUNS} runs, how often and why it was
 * restarted, the last stop and exit status, and the status Sentinel reports for it. The views that
 * snapshots carry are rebuilt only when something changes, not at every tick. Loop thread only.
 */
final class RunLedger {

    /** How many runs {@code history} keeps. */
    static final int HISTORY_RUNS = 100;

    private final ArrayDeque<RunRecord> history = new ArrayDeque<>();
    private List<RunRecord> historyView = List.of();
    private final Map<RestartReason, Long> byReason = new EnumMap<>(RestartReason.class);
    private int restarts;
    private StopReason lastStop;
    private int lastExitStatus = -1;
    /** The status Sentinel exits with for this program: its last run's as Sentinel reports it, or -1. */
    private int sentinelStatus = -1;
    private RestartStatus status;
    private int statusRestarts = -1;

    /** Adds {@code r}, or replaces the record of the same run (a running run's, once it ended). */
    void record(RunRecord r) {
        if (!history.isEmpty() && history.peekLast().run() == r.run()) {
            history.removeLast();
        }
        if (history.size() == HISTORY_RUNS) {
            history.removeFirst();
        }
        history.addLast(r);
        historyView = List.copyOf(history);
    }

    void countRestart(RestartReason reason) {
        restarts++;
        byReason.merge(reason, 1L, Long::sum);
    }

    void stopped(StopReason reason) {
        lastStop = reason;
    }

    void exited(int status) {
        lastExitStatus = status;
    }

    void reportAs(int status) {
        sentinelStatus = status;
    }

    List<RunRecord> history() {
        return historyView;
    }

    int restarts() {
        return restarts;
    }

    StopReason lastStop() {
        return lastStop;
    }

    int sentinelStatus() {
        return sentinelStatus;
    }

    /** The restart state for a snapshot; the same object while nothing in it changed. */
    RestartStatus status(int run, int streak, long nextRestartEpochMillis) {
        RestartStatus s = status;
        if (s == null || s.run() != run || s.consecutiveFailures() != streak || s.lastExitStatus() != lastExitStatus
                || s.nextRestartEpochMillis() != nextRestartEpochMillis || statusRestarts != restarts) {
            s = new RestartStatus(run, streak, lastExitStatus, nextRestartEpochMillis, byReason);
            status = s;
            statusRestarts = restarts;
        }
        return s;
    }
}
